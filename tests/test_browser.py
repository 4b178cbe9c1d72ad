"""The site in a real browser: Playwright driving Debian's Chromium against a local server.

Skipped cleanly when /usr/bin/chromium is missing (``.ci/run`` installs it). Never downloads
a browser: the system Chromium is launched by path.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browserkit import ARGS, CHROMIUM, served
from flask import Flask
from sqlalchemy import select

from archive.db import session_scope
from archive.models import Talk

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
playwright_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def base_url(site: Flask) -> Iterator[str]:
    """The loaded sample site served over HTTP on 127.0.0.1 from a background thread."""
    with served(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the module."""
    with playwright_api.sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized page; console errors (e.g. CSP violations) fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    yield tab
    context.close()
    assert not errors, errors


def result_count(tab: Page) -> int:
    return int(tab.locator("#count").inner_text())


def test_search_health_care(page: Page, base_url: str) -> None:
    tab = page
    tab.goto(base_url + "/")
    everything = result_count(tab)
    tab.get_by_label("Search talks").fill("health care")
    tab.get_by_role("button", name="Search").click()
    tab.wait_for_url(re.compile(r"q=health\+care"))
    assert 4 <= result_count(tab) < everything
    assert tab.locator(".hit mark").count() > 0
    first = tab.locator(".hit h2 a").first.inner_text()
    assert "health" in first.lower()


def test_add_a_facet_and_remove_it_with_the_chip(page: Page, base_url: str) -> None:
    tab = page
    tab.goto(base_url + "/?q=health+care")
    before = result_count(tab)
    facet = tab.locator("section[aria-labelledby=facet-year] li a").first
    year = facet.inner_text()
    facet.click()
    tab.wait_for_url(re.compile(rf"year={year}"))
    filtered = result_count(tab)
    assert 1 <= filtered < before
    dates = tab.locator(".hit time").all_inner_texts()
    assert dates and all(d.endswith(year) for d in dates)
    chip = tab.get_by_role("link", name=f"Remove filter Year: {year}")
    chip.click()
    tab.wait_for_url(lambda url: "year=" not in url)
    assert result_count(tab) == before
    assert tab.locator("a.chip").count() == 0


def test_open_a_talk_and_its_speaker(page: Page, base_url: str) -> None:
    tab = page
    tab.goto(base_url + "/?q=Buchwaldt")
    tab.locator(".hit h2 a").first.click()
    heading = tab.get_by_role("heading", level=1)
    assert "Investing 1+ billion DKK in Health Care IT" in heading.inner_text()
    tab.get_by_role("link", name="Per Buchwaldt").first.click()
    tab.wait_for_url(re.compile(r"/speakers/\d+-per-buchwaldt"))
    assert tab.get_by_role("heading", level=1).inner_text() == "Per Buchwaldt"
    assert tab.get_by_role("link", name=re.compile("Investing 1")).count() >= 1


def test_export_csv_downloads_every_match(page: Page, base_url: str, tmp_path: Path) -> None:
    tab = page
    tab.goto(base_url + "/?q=health+care&per_page=2")
    total = result_count(tab)
    with tab.expect_download() as info:
        tab.get_by_role("link", name="CSV", exact=True).click()
    download = info.value
    assert download.suggested_filename == "cio-talks_health-care.csv"
    target = tmp_path / "export.csv"
    download.save_as(target)
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8-sig"))))
    assert len(rows) == total > 2
    assert rows[0]["topic"] and rows[0]["url"].endswith(rows[0]["url"].split("/")[-1])


def test_researcher_downloads_health_care_2012_2016_as_csv_bibtex_and_ris(
    page: Page, base_url: str, tmp_path: Path
) -> None:
    """Issue 12's first scenario on the samples: filter by industry and period in the page,
    then take the same result set as CSV, BibTeX and RIS from the export menu."""
    import bibtexparser
    import rispy

    tab = page
    tab.goto(base_url + "/")
    tab.locator("section[aria-labelledby=facet-industry] a", has_text="Health care").first.click()
    tab.wait_for_url(re.compile(r"industry=Health"))
    tab.get_by_label("From").fill("2012")
    tab.get_by_label("to", exact=True).fill("2016")
    tab.get_by_role("button", name="Search").click()
    tab.wait_for_url(re.compile(r"from=2012.*to=2016"))
    total = result_count(tab)
    assert total >= 2
    files = {}
    for name in ("CSV", "BibTeX", "RIS"):
        with tab.expect_download() as info:
            tab.locator(".exports").get_by_role("link", name=name, exact=True).click()
        files[name] = tmp_path / info.value.suggested_filename
        info.value.save_as(files[name])
    assert files["CSV"].name == "cio-talks_health-care_2012-2016.csv"
    assert files["BibTeX"].name == "cio-talks_health-care_2012-2016.bib"
    rows = list(csv.DictReader(io.StringIO(files["CSV"].read_text(encoding="utf-8-sig"))))
    entries = bibtexparser.parse_string(files["BibTeX"].read_text(encoding="utf-8")).entries
    refs = rispy.loads(files["RIS"].read_text(encoding="utf-8"))
    assert len(rows) == len(entries) == len(refs) == total
    assert all("2012" <= r["date"][:4] <= "2016" for r in rows)
    assert [e["url"] for e in entries] == [r["url"] for r in rows] == [r["urls"][0] for r in refs]


def test_visitor_switches_to_danish_and_finds_a_talk_by_a_danish_theme_word(
    page: Page, base_url: str
) -> None:
    """Issue 12's third scenario on the samples: the switch turns the site Danish, the choice
    stays on the next pages, and "sundheds-it" finds the health-care IT talks."""
    tab = page
    tab.goto(base_url + "/")
    assert tab.locator("html").get_attribute("lang") == "en"
    tab.get_by_role("navigation", name="Language").get_by_role("link", name="dansk").click()
    tab.wait_for_url(re.compile(r"hl=da"))
    assert tab.locator("html").get_attribute("lang") == "da"
    tab.get_by_label("Søg i foredrag").fill("sundheds-it")
    tab.get_by_role("button", name="Søg", exact=True).click()
    tab.wait_for_url(re.compile(r"q=sundheds-it"))
    assert tab.locator("html").get_attribute("lang") == "da"
    hits = tab.locator(".hit")
    assert hits.count() >= 4
    themes = [hits.nth(i).locator(".tags").inner_text() for i in range(hits.count())]
    assert all("Sundheds-it" in tags for tags in themes), themes
    english = [t for t in hits.locator("h2 a").all_inner_texts() if "Health" in t]
    assert english, "the Danish word finds English talks on the theme too"
    hits.locator("h2 a", has_text=english[0]).click()
    assert tab.locator("dt", has_text="Temaer").count() == 1
    assert tab.locator("dd a", has_text="Sundheds-it").count() == 1
    assert re.search(r"\d{1,2}\. [a-zæøå]+ \d{4}", tab.locator("dd time").inner_text())


def test_speaker_autocomplete_fills_the_datalist(page: Page, base_url: str) -> None:
    tab = page
    tab.goto(base_url + "/")
    tab.get_by_label("Search talks").press_sequentially("buch", delay=30)
    option = tab.locator("#speaker-names option[value='Per Buchwaldt']")
    option.wait_for(state="attached", timeout=5000)
    assert option.count() == 1


def test_works_without_javascript(browser: Browser, base_url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(base_url + "/?q=health+care")
    assert tab.locator("details.facets").get_attribute("open") is not None
    tab.locator("section[aria-labelledby=facet-theme] li a").first.click()
    assert tab.locator("a.chip").count() == 1
    tab.goto(base_url + "/stats")
    assert tab.locator("svg.chart").count() == 3
    tab.select_option("#series", "industry:Health care")
    tab.get_by_role("button", name="Show").click()
    assert "series=industry%3AHealth+care" in tab.url
    assert tab.locator("#chart-chosen-title").text_content() == "Industry over time: Health care"
    context.close()


@pytest.mark.parametrize(
    "path", ["/?q=health+care", "/stats", "/speakers", "/themes", "/industries/Health%20care"]
)
def test_phone_width_has_no_sideways_scroll(browser: Browser, base_url: str, path: str) -> None:
    context = browser.new_context(
        viewport={"width": 375, "height": 812}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.goto(base_url + path)
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"{path} is {width}px wide"
    if path.startswith("/?"):
        facets = tab.locator("details.facets")
        assert facets.get_attribute("open") is None  # folded under "Filters" on a phone
        assert not tab.locator("#facet-theme").is_visible()
        tab.get_by_text("Filters", exact=True).click()
        assert tab.locator("#facet-theme").is_visible()
    context.close()


LONG_URL = "https://www.example.edu/events/" + "x" * 150 + "?ref=" + "q" * 60


@pytest.fixture
def long_url_talk(site: Flask) -> Iterator[int]:
    """A talk of the shared site whose source URL is one long unbreakable word (put back after)."""
    with session_scope(site) as session:
        talk = session.scalars(select(Talk).order_by(Talk.id)).first()
        assert talk is not None
        talk_id, original = talk.id, talk.source_url
        talk.source_url = LONG_URL
    yield talk_id
    with session_scope(site) as session:
        restored = session.get(Talk, talk_id)
        assert restored is not None
        restored.source_url = original


TARGETS = (
    "header.site nav a, .facets li a, .facets .more a, a.chip, a.clear, .pager a, .tags a, "
    ".letters a, .exports a"
)
SMALLEST = """(selector) => [...document.querySelectorAll(selector)]
    .filter((e) => e.getClientRects().length)
    .map((e) => { const r = e.getBoundingClientRect();
                  return [e.textContent.trim(), Math.round(r.width), Math.round(r.height)]; })
    .filter(([, w, h]) => w < 24 || h < 24)"""


def test_phone_layout_wraps_urls_and_sizes_targets_and_inputs(
    browser: Browser, base_url: str, long_url_talk: int
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    tab = context.new_page()
    tab.goto(f"{base_url}/talks/{long_url_talk}")
    assert tab.get_by_role("link", name=LONG_URL).is_visible()
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390

    tab.goto(base_url + "/?q=cloud&industry=Public+administration&from=2010&per_page=1")
    tab.get_by_text("Filters", exact=True).click()
    for field in ("#q", "#from", "#to"):
        box = tab.locator(field).bounding_box()
        size = tab.locator(field).evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
        assert box is not None and box["height"] >= 24 and size >= 16, field
    assert tab.locator(TARGETS).count() > 10
    assert tab.evaluate(SMALLEST, TARGETS) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390

    tab.goto(base_url + "/speakers")
    assert tab.evaluate(SMALLEST, TARGETS) == []
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    for field in ("#dq", "#role", "#industry", "#org"):
        size = tab.locator(field).evaluate("(e) => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 16, field
    context.close()

"""Issue 12's "done when" scenarios, in Chromium, on a generated archive of 2,000 talks.

The archive is bench/index_build.py's synthetic one (mixed English/Danish talks, 2005–2024,
15 industries), built once for the module in a temporary directory and served on loopback.
Each scenario starts from the home page and uses only what a visitor sees: labelled fields,
buttons, links and downloads. Clicks are counted where the scenario promises a number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus

import bibtexparser
import pytest
import rispy
from benchtools import load_bench
from browserkit import CHROMIUM, chromium, served
from conftest import make_app
from flask import Flask
from sqlalchemy import select

from archive import i18n
from archive.db import engine_of, new_session
from archive.models import Talk

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

TALKS = 2000
SEED = 7

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
pytest.importorskip("playwright.sync_api")
generated = load_bench("index_build")


@pytest.fixture(scope="module")
def served_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, str]]:
    """The generated archive of :data:`TALKS` talks, served over HTTP on 127.0.0.1: the app
    (to read the archive's own records) and its base URL."""
    instance = tmp_path_factory.mktemp("scenarios") / "instance"
    generated.fill_archive(instance, TALKS, SEED)
    app = make_app(
        instance,
        f"sqlite:///{instance / 'cio_talks.sqlite3'}",
        TESTING=False,
        SERVER_NAME=None,
    )
    with served(app) as url:
        yield app, url
    engine_of(app).dispose()


@pytest.fixture(scope="module")
def base_url(served_archive: tuple[Flask, str]) -> str:
    return served_archive[1]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


@pytest.fixture
def tab(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


class Clicks:
    """Clicks a visitor makes, counted."""

    def __init__(self, page: Page) -> None:
        self.page, self.count = page, 0

    def click(self, locator: Any) -> None:
        self.count += 1
        locator.click()

    def download(self, locator: Any, into: Path) -> str:
        """Click a download link; the downloaded file's text (a BOM, if any, dropped)."""
        with self.page.expect_download() as info:
            self.click(locator)
        target = into / info.value.suggested_filename
        info.value.save_as(target)
        return target.read_text(encoding="utf-8-sig")


def shown_count(page: Page) -> int:
    return int(page.locator("#count").inner_text().replace(",", ""))


def health_care_talks_2012_2016() -> set[str]:
    """Source URLs of the generated talks in health care dated 2012–2016 (the generator's
    own record, not the site's)."""
    return {
        ex.source
        for ex in generated.talk_extractions(TALKS, SEED)
        if "Health care" in ex.industries and "2012" <= (ex.date or "")[:4] <= "2016"
    }


def test_a_researcher_downloads_health_care_talks_2012_to_2016(
    tab: Page, base_url: str, tmp_path: Path
) -> None:
    clicks = Clicks(tab)
    tab.goto(base_url + "/")
    assert shown_count(tab) == TALKS
    tab.get_by_label("From").fill("2012")
    tab.get_by_label("to", exact=True).fill("2016")
    clicks.click(tab.get_by_role("button", name="Search"))
    tab.wait_for_url("**to=2016**")
    industries = tab.locator("section[aria-labelledby=facet-industry]")
    clicks.click(industries.get_by_role("link", name="Health care", exact=True))
    tab.wait_for_url("**industry=Health**")
    found = shown_count(tab)
    expected = health_care_talks_2012_2016()
    assert found == len(expected) > 50

    exports = tab.locator(".exports")
    table = list(csv.DictReader(io.StringIO(clicks.download(exports.get_by_text("CSV"), tmp_path))))
    assert {row["source_url"] for row in table} == expected
    assert all("2012" <= row["date"][:4] <= "2016" for row in table)
    assert all("Health care" in row["industries"].split("; ") for row in table)

    bibtex = bibtexparser.parse_string(
        clicks.download(exports.get_by_text("BibTeX", exact=True), tmp_path)
    )
    assert not bibtex.failed_blocks
    assert len(bibtex.entries) == found
    assert len({entry.key for entry in bibtex.entries}) == found

    records = rispy.loads(clicks.download(exports.get_by_text("RIS", exact=True), tmp_path))
    assert len(records) == found
    assert all(record.get("title") or record.get("primary_title") for record in records)
    assert clicks.count == 5  # search, facet, three downloads
    print(f"researcher: {found} talks in CSV, BibTeX and RIS after {clicks.count} clicks")


def test_a_student_lists_financial_services_cios_with_bios_in_three_clicks(
    tab: Page, base_url: str, tmp_path: Path
) -> None:
    clicks = Clicks(tab)
    tab.goto(base_url + "/")
    clicks.click(tab.get_by_role("navigation", name="Main").get_by_role("link", name="Speakers"))
    tab.get_by_label("Role").select_option("CIO")
    tab.get_by_label("Industry").fill("Financial services")
    clicks.click(tab.get_by_role("button", name="Filter"))
    tab.wait_for_url("**role=CIO**")
    listed = shown_count(tab)
    assert 0 < listed < shown_count_of_everyone(tab, base_url)

    exports = tab.locator(".exports")
    rows = list(csv.DictReader(io.StringIO(clicks.download(exports.get_by_text("CSV"), tmp_path))))
    assert clicks.count <= 3
    assert len(rows) == listed
    assert all(row["bio"].strip() for row in rows)
    assert all("Financial services" in row["industries"] for row in rows)
    assert any(row["role_group"] == "CIO" for row in rows)
    print(f"student: {listed} speakers with bios after {clicks.count} clicks")


def shown_count_of_everyone(page: Page, base_url: str) -> int:
    """How many speakers the unfiltered directory lists (read in a second tab)."""
    other = page.context.new_page()
    try:
        other.goto(base_url + "/speakers")
        return shown_count(other)
    finally:
        other.close()


#: The theme the Danish visitor looks for, by its English key in archive/data/labels.json.
DANISH_THEME = "Artificial intelligence"


def talks_with_theme(app: Flask, theme: str) -> int:
    """How many visible talks of the served archive carry ``theme`` (its database's own
    record, not the site's answer)."""
    with new_session(app) as db:
        rows = db.scalars(select(Talk.themes).where(Talk.hidden.is_(False)))
        return sum(theme in (themes or []) for themes in rows)


def test_a_visitor_switches_to_danish_and_finds_talks_by_a_danish_theme_word(
    tab: Page, served_archive: tuple[Flask, str]
) -> None:
    app, base_url = served_archive
    word = i18n._labels()["da"]["theme"][DANISH_THEME]
    assert word.casefold() != DANISH_THEME.casefold()
    expected = talks_with_theme(app, DANISH_THEME)
    assert 50 < expected < TALKS

    tab.goto(base_url + "/")
    assert tab.locator("html").get_attribute("lang") == "en"
    tab.get_by_role("navigation", name="Language").get_by_role("link", name="dansk").click()
    tab.wait_for_url(re.compile(r"hl=da"))
    assert tab.locator("html").get_attribute("lang") == "da"
    assert shown_count(tab) == TALKS

    tab.get_by_label("Søg i foredrag").fill(word.lower())
    tab.get_by_role("button", name="Søg", exact=True).click()
    tab.wait_for_url(re.compile("q=" + re.escape(quote_plus(word.lower()))))
    assert tab.locator("html").get_attribute("lang") == "da", "the cookie keeps Danish"
    assert "hl=" not in tab.url
    assert shown_count(tab) == expected
    hits = tab.locator(".hit")
    assert hits.count() > 0
    tags = [hits.nth(i).locator(".tags").inner_text() for i in range(hits.count())]
    assert all(word in shown for shown in tags), tags

    facet = tab.locator("section[aria-labelledby=facet-theme]")
    assert facet.get_by_role("heading").inner_text() == "Tema"
    facet.get_by_role("link", name=word, exact=True).click()
    tab.wait_for_url(re.compile("theme=" + re.escape(quote_plus(DANISH_THEME))))
    assert shown_count(tab) == expected
    assert tab.locator("a.chip", has_text=f"Tema: {word}").count() == 1
    hits.first.locator("h2 a").click()
    assert tab.locator("dt", has_text="Temaer").count() == 1
    assert tab.locator("dd a", has_text=word).count() == 1
    assert re.search(r"\d{1,2}\. [a-zæøå]+ \d{4}", tab.locator("dd time").inner_text())
    print(f"visitor: {expected} talks found by the Danish word {word!r}")

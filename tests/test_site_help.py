"""The search page helps at any size: every facet value reachable, selected values marked,
chips that say what they filter, help on zero results, "did you mean" by edit distance,
out-of-range pages, the site's own 404 and 410 pages, and a README whose examples work."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from archive.db import engine_of, session_scope, upgrade
from archive.models import Talk
from index import spelling

README = Path(__file__).resolve().parent.parent / "README.md"


def html_of(client: FlaskClient, url: str, **args: str | list[str]) -> str:
    response = client.get(url, query_string=args or None)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def count(html: str) -> int:
    return int(re.search(r'<strong id="count">(\d+)</strong>', html).group(1))  # type: ignore[union-attr]


def panel(html: str, name: str) -> str:
    """The HTML of one facet panel of a search page."""
    start = html.index(f'aria-labelledby="facet-{name}"')
    return html[start : html.index("</section>", start)]


def panel_values(html: str, name: str) -> list[str]:
    return [
        unescape(re.sub(r"<[^>]+>", "", v)).replace("✓ ", "").split(" (selected")[0]
        for v in re.findall(r"<li[^>]*><a [^>]*>(.*?)</a>", panel(html, name))
    ]


def test_every_facet_value_is_reachable_through_show_all(client: FlaskClient) -> None:
    html = html_of(client, "/")
    everything = client.get("/api/v1/talks", query_string={"per_page": 1}).get_json()["facets"]
    organisations = {e["value"] for e in everything["organisation"]}
    assert len(organisations) > 10
    shown = panel_values(html, "organisation")
    assert len(shown) == 10
    more = re.search(r'<a href="(/facets/organisation[^"]*)">Show all', panel(html, "organisation"))
    assert more
    full = html_of(client, unescape(more.group(1)))
    assert set(panel_values(full, "organisation")) == organisations


def test_years_are_in_year_order_and_all_there(client: FlaskClient) -> None:
    years = panel_values(html_of(client, "/facets/year"), "year")
    everything = client.get("/api/v1/talks", query_string={"per_page": 1}).get_json()["facets"]
    assert years == sorted((str(e["value"]) for e in everything["year"]), reverse=True)
    assert panel_values(html_of(client, "/"), "year") == years[:10]


def test_show_all_keeps_the_search(client: FlaskClient) -> None:
    html = html_of(client, "/", q="cloud", industry="Public administration")
    link = re.search(r'href="(/facets/organisation\?[^"]*)"', html)
    if link:  # only when the filtered set has more than ten organisations
        assert "q=cloud" in link.group(1)
    full = html_of(client, "/facets/organisation", q="cloud", industry="Public administration")
    assert count_line(full) == count(html)
    assert set(panel_values(full, "organisation")) >= set(panel_values(html, "organisation"))


def count_line(html: str) -> int:
    return int(re.search(r"<strong>(\d+)</strong> talk", html).group(1))  # type: ignore[union-attr]


def test_selected_values_are_marked_and_remove_themselves(client: FlaskClient) -> None:
    html = html_of(client, "/", industry="Health care")
    health = panel(html, "industry")
    selected = re.search(r'<li class="selected"><a href="([^"]*)" aria-current="true"', health)
    assert selected and "Health care" in health
    assert "industry=" not in unescape(selected.group(1))
    others = re.findall(r'<li><a href="([^"]*)">', health)
    assert all("industry=Health+care" in unescape(h) for h in others)


def test_chips_name_their_facet_date_range_and_clear_all(client: FlaskClient) -> None:
    html = unescape(
        html_of(client, "/", q="cloud", industry="Public administration", lang="en", to="2020")
    )
    assert ">Industry: Public administration <" in html
    assert ">Language: English <" in html
    assert ">Date: until 2020 <" in html
    chip = re.search(
        r'class="chip" href="([^"]*)" aria-label="Remove filter Date: until 2020"', html
    )
    assert chip and "to=" not in chip.group(1) and "industry=" in chip.group(1)
    clear = re.search(r'class="clear" href="([^"]*)">Clear all', html)
    assert clear and clear.group(1) == "/?q=cloud"
    both = unescape(html_of(client, "/", **{"from": "2012", "to": "2016"}))
    assert "Date: 2012 – 2016" in both
    removed = re.search(r'href="([^"]*)" aria-label="Remove filter Date: 2012 – 2016"', both)
    assert removed and removed.group(1) == "/"


def test_languages_are_named_not_coded(client: FlaskClient) -> None:
    html = html_of(client, "/")
    assert panel_values(html, "language") == sorted(
        panel_values(html, "language"), key=lambda v: v not in ("English", "dansk")
    )
    assert set(panel_values(html, "language")) >= {"English", "dansk"}
    assert 'href="/?lang=da"' in panel(html, "language")
    danish = html_of(client, "/", lang="da")
    assert "Language: dansk" in danish and " · dansk</p>" in danish


def test_zero_results_offer_to_drop_each_filter(client: FlaskClient) -> None:
    html = unescape(html_of(client, "/", q="Buchwaldt", lang="da", year="2014"))
    assert count(html) == 0
    drops = dict(re.findall(r'<li><a href="([^"]*)">Drop the filter “([^”]*)”', html))
    assert set(drops.values()) == {"Language: dansk", "Year: 2014"}
    for href in drops:
        assert client.get(href).status_code == 200
    assert count(html_of(client, "/", q="Buchwaldt", year="2014")) >= 1
    assert "Keep the filters, drop the words" in html


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("clod computing", "cloud computing"),
        ("helth care it", "health care it"),
        ("digitl transformation", "digital transformation"),
        ("datta governance", "data governance"),
        ("hospitl", "hospital"),
        ("helthcare", "healthcare"),
        ("speaker:buchwalt", "speaker:buchwaldt"),
    ],
)
def test_did_you_mean_picks_the_nearest_spelling(
    client: FlaskClient, typed: str, meant: str
) -> None:
    html = unescape(html_of(client, "/", q=typed))
    assert f"search for “{meant}”" in html or f">{meant}</a>?" in html
    assert count(html_of(client, "/", q=meant)) > 0


@pytest.mark.parametrize(
    ("word", "candidates", "best"),
    [
        ("clod", [("cio", 22), ("cloud", 4), ("closed", 1)], "cloud"),
        ("helth", [("health", 7), ("helle", 1)], "health"),
        ("tset", [("test", 1), ("set", 9)], "set"),
        ("tset", [("test", 3), ("tsetse", 9)], "test"),
        ("abd", [("abc", 2), ("abe", 2)], "abc"),
        ("abd", [("abc", 2), ("abe", 5)], "abe"),
        ("zzzz", [("cloud", 4)], None),
        ("cloud", [("cloud", 4)], None),
    ],
)
def test_nearest_is_fewest_edits_then_most_talks(
    word: str, candidates: list[tuple[str, int]], best: str | None
) -> None:
    assert spelling.nearest(word, candidates) == best


def test_known_words_and_syntax_are_left_alone() -> None:
    words = ("cloud", "computing", "speaker", "buchwaldt")
    freq = {"cloud": 4, "computing": 3, "buchwaldt": 1}.get
    assert spelling.correct("cloud computing", words, lambda w: freq(w) or 0) is None
    fixed = spelling.correct('speaker:buchwalt AND "clod"', words, lambda w: freq(w) or 0)
    assert fixed == 'speaker:buchwaldt AND "cloud"'


def test_a_page_past_the_end_says_so(client: FlaskClient) -> None:
    first = html_of(client, "/", per_page="5")
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))  # type: ignore[union-attr]
    html = unescape(html_of(client, "/", per_page="5", page="9999"))
    assert f"There is no page 9999 of {pages}" in html
    assert "No talks match" not in html
    last = re.search(r'href="([^"]*)">Go to the last page', html)
    assert last and f"page={pages}" in last.group(1)
    assert re.findall(r'href="(/talks/\d+-[^"]+)"', html_of(client, last.group(1)))


def test_not_found_is_the_site_s_own_page(client: FlaskClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "<h1>Not found</h1>" in html and '<nav aria-label="Main">' in html
    assert client.get("/talks/999999").status_code == 404


def test_a_hidden_talk_is_withdrawn_not_missing(app: Flask) -> None:
    upgrade(engine_of(app))
    with session_scope(app) as session:
        talk = Talk(source_url="https://example.edu/t", topic="Taken down", hidden=True)
        session.add(talk)
        session.flush()
        talk_id = talk.id
    response = app.test_client().get(f"/talks/{talk_id}-taken-down")
    assert response.status_code == 410
    html = response.get_data(as_text=True)
    assert "withdrawn" in html and '<nav aria-label="Main">' in html
    assert "Taken down" not in html
    danish = app.test_client().get(f"/talks/{talk_id}", headers={"Accept-Language": "da"})
    assert danish.status_code == 410
    assert "Dette foredrag er trukket tilbage" in danish.get_data(as_text=True)


def readme_section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(f"## {title}\n")
    end = text.index("\n#", start + 3)
    return text[start:end]


def readme_queries() -> list[str]:
    spans = re.findall(r"`([^`]+)`", readme_section("Searching"))
    return [s for s in spans if s not in ("AND", "OR", "NOT")]


@pytest.mark.parametrize("query", readme_queries())
def test_every_readme_search_example_finds_talks(client: FlaskClient, query: str) -> None:
    assert count(html_of(client, "/", q=query)) > 0, query


def test_readme_names_every_command(site: Flask) -> None:
    table = readme_section("Command line")
    named = set(re.findall(r"`cio-talks ([a-z-]+)", table))
    ours = {
        name
        for name, command in site.cli.commands.items()  # type: ignore[attr-defined]
        if (command.callback.__module__ if command.callback else "").startswith("archive")
        or type(command).__module__.startswith("archive")
    }
    assert {"demo", "admin", "scrape"} <= ours
    assert ours <= named, sorted(ours - named)
    assert ".venv/bin/cio-talks" in table and "source .venv/bin/activate" in table

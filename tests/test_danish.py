"""The Danish interface: every public page in Danish through the test client, the language
picked from the switch, the cookie and Accept-Language, Danish dates, and a catalogue that
translates every interface string."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from archive import dbsearch, i18n

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "archive" / "translations" / "da" / "LC_MESSAGES"

#: Interface phrases of the English pages; none may be left on a Danish one.
ENGLISH = (
    "Skip to content",
    "Search talks</label>",
    ">Search the talks<",
    "Clear all",
    "Filters:",
    "Remove filter",
    "Show all",
    "newest first",
    "search within these talks",
    "Among these talks",
    "Back to the results",
    "No talks match",
    "Drop the filter",
    "Drop every filter",
    "Check the spelling",
    "Export:",
    "Export with bios",
    "Any role",
    "No speakers match",
    "Similar talks",
    "Add to calendar",
    "There is no page",
    "Go to page",
    "Go to the last page",
    "Talks by year",
    "Atom feed",
    "chief information officers",
    "Did you mean",
    "Not found",
    "has been withdrawn",
    "Organisations over time",
    "the number of talks",
    "in the speaker directory",
    "Every answer is JSON",
    "Exports and feeds",
    ">Abstract<",
    ">Biography<",
    ">Speakers<",
    ">Themes<",
    ">Industries<",
    ">Previous<",
    ">Next<",
    "<dt>Date</dt>",
    "<dt>Place</dt>",
    "sort:",
    "Show all theme values",
    "Health care IT</a>",
    "Financial services</a>",
)


def visible(html: str) -> str:
    """The page's text without tags, scripts and the JSON-LD block."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def danish(client: FlaskClient) -> FlaskClient:
    client.set_cookie(i18n.COOKIE, "da", domain="archive.test")
    return client


def first_link(client: FlaskClient, path: str, pattern: str) -> str:
    found = re.search(pattern, client.get(path).get_data(as_text=True))
    assert found, (path, pattern)
    return found.group(1)


def buchwaldt_talk(client: FlaskClient) -> str:
    return first_link(client, "/?q=Buchwaldt", r'href="(/talks/\d+-[^"]+)"')


def speaker_page(client: FlaskClient) -> str:
    return first_link(client, buchwaldt_talk(client), r'href="(/speakers/\d+-[^"]+)"')


def organisation_page(client: FlaskClient) -> str:
    return first_link(client, buchwaldt_talk(client), r'href="(/organisations/\d+-[^"]+)"')


def series_page(client: FlaskClient) -> str:
    return first_link(client, buchwaldt_talk(client), r'href="(/series/[^"]+)"')


def host_page(client: FlaskClient) -> str:
    return first_link(client, buchwaldt_talk(client), r'href="(/hosts/[^"]+)"')


def archived_copy(client: FlaskClient) -> str:
    return first_link(client, buchwaldt_talk(client), r'href="(/talks/\d+/archived)"')


def fixed(path: str) -> Callable[[FlaskClient], str]:
    return lambda _client: path


PAGES = [
    (
        "search",
        fixed("/"),
        200,
        ["Søg i foredrag", "Filtre", "sortering:", "Eksport:", "Sundheds-it"],
    ),
    ("results", fixed("/?q=cloud&per_page=2"), 200, ["Side 1 af", "Næste", "foredrag"]),
    (
        "chips",
        fixed("/?theme=Health+care+IT&year=2014&from=2012"),
        200,
        ["Tema: Sundheds-it", "År: 2014", "Dato: fra 2012", "Ryd alle", "Fjern filteret"],
    ),
    (
        "zero results",
        fixed("/?q=zzqqxx&theme=Cloud+computing"),
        200,
        ["Ingen foredrag passer til", "Fjern filteret", "Behold filtrene, fjern ordene"],
    ),
    ("spelling", fixed("/?q=helth+care+it"), 200, ["Tjek stavningen", "søg efter"]),
    ("out of range", fixed("/?page=999"), 200, ["Der er ingen side 999", "Gå til sidste side"]),
    ("facet list", fixed("/facets/industry"), 200, ["Alle værdier for branche", "Tilbage til"]),
    ("talk", buchwaldt_talk, 200, ["Dato", "Sted", "Resumé", "Kilde", "Citér", "Temaer"]),
    ("speaker", speaker_page, 200, ["Foredrag", "som CIO", "Sundhed"]),
    ("directory", fixed("/speakers"), 200, ["Talere", "Navn", "Rolle", "Alle roller", "Filtrér"]),
    ("directory empty", fixed("/speakers?q=zzqqxx"), 200, ["Ingen talere passer", "Uden"]),
    ("directory out of range", fixed("/speakers?page=99"), 200, ["Der er ingen side 99"]),
    ("organisation", organisation_page, 200, ["nyeste først", "i talerkartoteket", "Brancher"]),
    ("series", series_page, 200, ["Serie", "nyeste først", "Organisationer"]),
    ("host", host_page, 200, ["Vært", "nyeste først"]),
    ("themes", fixed("/themes"), 200, ["Temaer", "antallet af foredrag", "Kunstig intelligens"]),
    ("industries", fixed("/industries"), 200, ["Brancher", "Offentlig forvaltning"]),
    ("theme", fixed("/themes/Health care IT"), 200, ["Sundheds-it", "Blandt disse foredrag"]),
    ("archived copy", archived_copy, 200, ["Arkiveret kopi", "Tilbage til foredraget"]),
    ("not found", fixed("/no-such-page"), 404, ["Ikke fundet", "Søg i foredragene"]),
    ("api", fixed("/api"), 200, ["Parametre", "Beskrivelse", "Eksempel", "Eksport og feeds"]),
]


@pytest.mark.parametrize(
    ("find", "status", "words"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES]
)
def test_public_pages_in_danish(
    client: FlaskClient, find: Callable[[FlaskClient], str], status: int, words: list[str]
) -> None:
    path = find(client)
    response = danish(client).get(path)
    assert response.status_code == status
    html = response.get_data(as_text=True)
    text = visible(html)
    assert '<html lang="da">' in html
    assert "CIO-foredragsarkivet" in text
    everything = f"{text} {unescape(html)}"  # words on the page and in its attributes
    for word in words:
        assert word in everything, word
    left = [phrase for phrase in ENGLISH if phrase in everything]
    assert not left, left


def test_english_is_the_default_and_keeps_english_words(client: FlaskClient) -> None:
    html = client.get("/?theme=Health+care+IT").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "Search talks" in html and "Theme: Health care IT" in html
    assert "Søg i foredrag" not in html


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("da-DK,da;q=0.9,en;q=0.5", "da"),
        ("da", "da"),
        ("fr-FR, da;q=0.4", "da"),
        ("en-GB,en;q=0.8,da;q=0.5", "en"),
        ("de-DE", "en"),
        ("", "en"),
    ],
)
def test_accept_language_picks_the_interface(
    client: FlaskClient, header: str, language: str
) -> None:
    response = client.get("/speakers", headers={"Accept-Language": header})
    assert f'<html lang="{language}">' in response.get_data(as_text=True)
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    ("param", "cookie", "accept", "language"),
    [
        ("da", None, ["en"], "da"),
        ("en", "da", ["da"], "en"),
        (None, "da", ["en"], "da"),
        (None, "xx", ["da-DK"], "da"),
        ("klingon", None, [], "en"),
        (None, None, ["sv", "nb"], "en"),
    ],
)
def test_the_switch_beats_the_cookie_which_beats_the_browser(
    param: str | None, cookie: str | None, accept: list[str], language: str
) -> None:
    assert i18n.chosen(param, cookie, accept) == language


def test_the_cookie_keeps_the_choice_until_switched_back(client: FlaskClient) -> None:
    first = client.get("/?hl=da")
    assert f"{i18n.COOKIE}=da" in first.headers["Set-Cookie"]
    later = client.get("/speakers", headers={"Accept-Language": "en"})
    assert "<h1>Talere</h1>" in later.get_data(as_text=True)
    assert "Set-Cookie" not in later.headers
    back = client.get("/speakers?hl=en", headers={"Accept-Language": "da"})
    assert "<h1>Speakers</h1>" in back.get_data(as_text=True)
    assert "<h1>Speakers</h1>" in client.get("/speakers").get_data(as_text=True)


def test_the_switch_link_keeps_the_page_and_leads_to_danish(client: FlaskClient) -> None:
    html = client.get("/?q=cloud&theme=Cloud+computing&page=2").get_data(as_text=True)
    found = re.search(r'<a href="([^"]+)" lang="da" hreflang="da">dansk</a>', html)
    assert found, "no switch to Danish"
    href = unescape(found.group(1))
    assert "q=cloud" in href and "theme=Cloud+computing" in href and "page=2" in href
    danish_page = client.get(href).get_data(as_text=True)
    assert '<html lang="da">' in danish_page
    assert '<strong lang="da" aria-current="true">dansk</strong>' in danish_page
    assert re.search(r'<a href="[^"]*hl=en[^"]*" lang="en" hreflang="en">English</a>', danish_page)


@pytest.mark.parametrize(
    ("language", "hit_date", "talk_date"),
    [
        ("da", "6. maj 2014", "tirsdag den 6. maj 2014"),
        ("en", "6 May 2014", "Tuesday 6 May 2014"),
    ],
)
def test_dates_follow_the_interface_language(
    client: FlaskClient, language: str, hit_date: str, talk_date: str
) -> None:
    talk = buchwaldt_talk(client)
    client.set_cookie(i18n.COOKIE, language, domain="archive.test")
    assert hit_date in visible(client.get("/?q=Buchwaldt").get_data(as_text=True))
    assert talk_date in visible(client.get(talk).get_data(as_text=True))


def test_every_interface_string_has_a_danish_translation() -> None:
    """Strings marked in the templates and the Python code, against the catalogue."""
    with (CATALOGUE / "messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    method_map = [("archive/**.py", "python"), ("templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    missing = []
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, keywords=keywords
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        entry = catalogue.get(msgid)
        strings = entry.string if entry is not None else None
        if not entry or not (all(strings) if isinstance(strings, tuple) else strings):
            missing.append(msgid)
    assert not missing, missing


def test_the_compiled_catalogue_matches_the_source() -> None:
    with (CATALOGUE / "messages.po").open("rb") as po, (CATALOGUE / "messages.mo").open("rb") as mo:
        source, compiled = read_po(po), read_mo(mo)

    def pairs(catalogue: Catalog) -> set[tuple[object, object]]:
        return {(frozen(m.id), frozen(m.string)) for m in catalogue if m.id}

    assert pairs(source) == pairs(compiled)


def frozen(value: object) -> object:
    """A message id or string as a hashable value (plural forms come as lists)."""
    return tuple(value) if isinstance(value, list | tuple) else value


def test_the_unreadable_index_notice_is_translated(site: Flask) -> None:
    with site.test_request_context("/", headers={"Accept-Language": "da"}):
        assert i18n.notice_text(dbsearch.NOTICE).startswith("Søgeindekset er utilgængeligt")
    with site.test_request_context("/", headers={"Accept-Language": "en"}):
        assert i18n.notice_text(dbsearch.NOTICE) == dbsearch.NOTICE


@pytest.mark.parametrize(("typed", "english"), [("finans", "financial"), ("Sundhed", "health")])
def test_directory_industry_filter_takes_the_danish_label(
    client: FlaskClient, typed: str, english: str
) -> None:
    def count(html: str) -> int:
        found = re.search(r'<strong id="count">(\d+)</strong>', html)
        assert found
        return int(found.group(1))

    expected = count(client.get(f"/speakers?industry={english}").get_data(as_text=True))
    assert 0 < expected < count(client.get("/speakers").get_data(as_text=True))
    got = danish(client).get(f"/speakers?industry={typed}").get_data(as_text=True)
    assert count(got) == expected

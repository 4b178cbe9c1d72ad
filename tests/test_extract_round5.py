"""Generality gate, round five: pages shaped like real saved pages, written before tuning.

The pages in tests/fixtures/extraction_round5 (people, organisations and venues fictional)
imitate what browsers save from public sites: inline state blobs (window.__INITIAL_STATE__,
__NEXT_DATA__) full of other dates, <noscript> pixels, mega-menus and cookie banners; a
Meetup-style page whose JSON-LD names only the organising group while the speakers appear as
"Talk 1: … by Name (Company)"; an Eventbrite-style "Date and time" section; an old static
seminar page with <font> tags, a <br>-separated "Speaker/Affiliation/Date/Time/Venue/Host"
block and no h1; "Abstract:" and "Biography:" run-in heads inside one <p>; ISO-8859-1
declared over windows-1252 quotes and UTF-8 declared over Latin-1 bytes; German, Spanish and
French talks ("Referent:", "Ponente:", "X est DSI chez …"); a date only in the <title>; hosts,
organisers, contact persons and moderators next to the speakers; a "Posted on" blog post
announcing one breakfast talk; a "Sidst ændret" date equal to the event's day.

The non-events: a news article quoting a CIO with an "Events" sidebar, a department landing
page listing three upcoming seminars, a concert ticket page (MusicEvent JSON-LD) and a
Christmas market page with opening hours.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from scoring import FIELD_ORDER, FieldScore, extract_folder, overall, score_corpus, visible_text

from scraper.extract import extract

FIXTURES = Path(__file__).parent / "fixtures" / "extraction_round5"
TRUTH: dict[str, dict[str, Any]] = json.loads((FIXTURES / "truth.json").read_text("utf-8"))
PAGES = sorted(p.name for p in FIXTURES.glob("*.html"))

# Measured after tuning (before it: 0.846 overall). The misses left: venues split over a
# JSON-LD name and visible address lines (Meetup, Eventbrite) or over Indico's building, room
# and address; the topic inside "… - an evening with Name"; German and French theme words;
# "Brandlund Møbler" (a furniture maker taken for a shop).
FIELD_MINIMUMS: dict[str, float] = {name: 1.0 for name in FIELD_ORDER}
FIELD_MINIMUMS.update({"topic": 0.93, "location": 0.81, "industries": 0.93, "themes": 0.75})
OVERALL_MINIMUM = 0.965


@pytest.fixture(scope="module")
def answers() -> dict[str, dict[str, Any]]:
    """Every fixture page run through the extractor."""
    return extract_folder(FIXTURES, PAGES)


@pytest.fixture(scope="module")
def scores(answers: dict[str, dict[str, Any]]) -> dict[str, FieldScore]:
    """Per-field scores over the fixture corpus."""
    return score_corpus(answers, TRUTH)


def test_every_page_has_a_truth_entry() -> None:
    assert sorted(TRUTH) == PAGES
    assert len(PAGES) >= 14
    assert sum(1 for t in TRUTH.values() if not t["is_event"]) >= 4


def _visible_text(name: str) -> str:
    return visible_text(FIXTURES / name)


@pytest.mark.parametrize("name", [n for n in PAGES if TRUTH[n]["is_event"]])
def test_truth_quotes_the_page(name: str) -> None:
    truth = TRUTH[name]
    text = _visible_text(name)
    quotes = [truth["title"], truth.get("topic") or "", truth["abstract_start"]]
    for speaker in truth["speakers"]:
        quotes += [speaker.get(k) or "" for k in ("name", "role", "organisation")]
        quotes += [speaker.get(k) or "" for k in ("bio_start", "bio_end")]
    for quote in quotes:
        assert re.sub(r"\s+", " ", quote).casefold() in text, quote


@pytest.mark.parametrize("name", PAGES)
def test_is_event_is_right(name: str, answers: dict[str, dict[str, Any]]) -> None:
    assert answers[name]["is_event"] is TRUTH[name]["is_event"]


@pytest.mark.parametrize("field_name", FIELD_ORDER)
def test_field_score_meets_its_pin(field_name: str, scores: dict[str, FieldScore]) -> None:
    score = scores[field_name]
    assert score.ratio >= FIELD_MINIMUMS[field_name], "\n".join(score.failures)


def test_overall_score_meets_its_pin(scores: dict[str, FieldScore]) -> None:
    assert overall(scores) >= OVERALL_MINIMUM


def test_people_who_do_not_speak_are_not_speakers(answers: dict[str, dict[str, Any]]) -> None:
    names = {s["name"] for s in answers["organizer-host-moderator.html"]["speakers"]}
    assert names == {"Catriona Bell", "Owen Pritchard"}  # not "Kerr Distillers", no host
    names = {s["name"] for s in answers["kontaktperson-arrangoer-da.html"]["speakers"]}
    assert names == {"Pia Skovbjerg"}


def test_mis_declared_charsets_keep_their_letters(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["utf8-declared-latin1-bytes-da.html"]["title"].startswith("Morgenmøde")
    assert "“Cloud First”" in answers["iso8859-declared-cp1252-quotes.html"]["title"]


@pytest.mark.parametrize(
    ("html", "want"),
    [
        (
            "<h1>Breakfast</h1><p>Abstract: Why boards ask the wrong questions about risk and "
            "how to fix it. Biography: Ann Lee is CIO of Kestrel Bank.</p>",
            "Why boards ask the wrong questions about risk and how to fix it.",
        ),
        ("<h1>Talk</h1><p>Abstract: Short.</p>", None),
    ],
)
def test_run_in_abstract_stops_at_the_biography(html: str, want: str | None) -> None:
    got = extract(f"<html><body>{html}</body></html>".encode(), "x").abstract
    assert got == want if want else (got or "").find("Biography") < 0


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("The talk looks at how the board can ask the right questions about risk and "
         "what the answers say about the company and its IT.", "en"),
        ("Forelæsningen viser, hvordan et vandselskab bruger data til at finde lækager, og "
         "hvad det stiller af krav til organisationen, som har en ny it-chef.", "da"),
        ("Der Vortrag zeigt, wie die Verwaltung ohne Medienbruch arbeitet und welche "
         "Schnittstellen für die Akte nötig sind, die auch bei der Stadt im Einsatz sind.", "de"),
        ("CIO CTO CISO 2024", None),
    ],
)  # fmt: skip
def test_guess_language(text: str, want: str | None) -> None:
    from scraper.extract.textlang import guess_language

    assert guess_language(text) == want

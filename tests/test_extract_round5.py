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

from typing import Any

import pytest

from scraper.extract import extract

CORPUS = "extraction_round5"  # read by the `answers` fixture in conftest.py


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
        ("Le séminaire présente comment une mutuelle migre son système d'information vers le "
         "cloud sans interrompre le service aux adhérents.", "fr"),
        ("CIO CTO CISO 2024", None),
    ],
)  # fmt: skip
def test_detect_language(text: str, want: str | None) -> None:
    from scraper.extract.textlang import detect

    assert detect(text) == want


@pytest.mark.parametrize(
    ("html", "want"),
    [
        # the site is Danish; the abstract is English: the talk is English
        ('<html lang="da"><body><main><h1>Foredrag</h1><p>The talk looks at how the board '
         "can ask the right questions about risk and what the answers say.</p></main></body>"
         "</html>", "en"),
        # the description's own lang attribute decides over the site's
        ('<html lang="en"><body><main><h1>Talk</h1><div lang="de-DE"><p>Der Vortrag zeigt, '
         "wie die Verwaltung ohne Medienbruch arbeitet und welche Schnittstellen nötig sind."
         "</p></div></main></body></html>", "de"),
        # <html lang> alone says nothing about the talk
        ('<html lang="fi"><body><main><h1>Luento</h1><p>Tiistai 5.3.</p></main></body></html>',
         None),
    ],
)  # fmt: skip
def test_talk_language_is_never_the_sites_alone(html: str, want: str | None) -> None:
    assert extract(html.encode(), "x").language == want

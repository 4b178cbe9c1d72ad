"""Generality gate: extraction scores on fixture pages in layouts the extractor was not tuned on.

The pages in tests/fixtures/extraction are invented for this test (people, organisations and
venues are fictional) and cover layouts the bundled samples do not: an Indico-like timetable
page, a German "Gastvortrag", a Swedish "Gästföreläsning", a speaker card in a sidebar, a
"Program" agenda, a date given only in <time datetime>, a webinar with organisers and contact
persons, a wrong declared charset, a year only in the title, a registration deadline before the
event date, a Meetup-like page with JSON-LD, a news item mentioning a talk and a listing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CORPUS = "extraction"  # read by the `answers` fixture in conftest.py
FIXTURES = Path(__file__).parent / "fixtures" / CORPUS


def test_wrong_charset_page_declares_latin1_but_is_utf8() -> None:
    body = (FIXTURES / "wrong-charset.html").read_bytes()
    assert b"charset=iso-8859-1" in body
    body.decode("utf-8")  # raises if the bytes were really Latin-1
    assert "ø".encode() in body


def test_non_speakers_are_left_out(answers: dict[str, dict[str, Any]]) -> None:
    names = {s["name"] for s in answers["webinar-register.html"]["speakers"]}
    assert names == {"Priya Raman"}  # organisers and contact persons do not speak

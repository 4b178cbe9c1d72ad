"""The event's day from a weekday-dated sentence or from the headline."""

from __future__ import annotations

import pytest

from scraper.extract.eventdays import headline_day, weekday_dated
from scraper.extract.page import parse


def _blocks(*paragraphs: str) -> list:  # type: ignore[type-arg]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return parse(f"<html><body><main>{body}</main></body></html>").blocks


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Sabato 25 Marzo 2006 Marco Bellini sarà a Trento per un seminario.",
            ("2006-03-25", None, None),
        ),
        (
            "On Thursday, 14 March 2024 at 16:00 Ida Lund talks about data platforms.",
            ("2024-03-14", "16:00", None),
        ),
        (
            "Am Dienstag, 5. März 2024, 18:00–19:30 Uhr spricht Jan Berg über IT.",
            ("2024-03-05", "18:00", "19:30"),
        ),
        # the weekday disagrees with the date: not a day anybody wrote for the event
        ("Sabato 26 Marzo 2006 Marco Bellini sarà a Trento per un seminario.", None),
        # a line that is only a date heads a programme's day
        ("Miércoles, 26 de mayo de 2027", None),
        # the day of a conference, whose programme lists many talks
        (
            "7. Fachtagung „IT in Kliniken“ am Donnerstag, 13. Juni 2024, im Audimax der Schule.",
            None,
        ),
        # a publication stamp
        ("Published on Thursday, 14 March 2024 by the web team of the department", None),
        ("No weekday here: 14 March 2024 was the day Ida Lund spoke about data.", None),
    ],
)
def test_a_weekday_dated_sentence_gives_the_day(
    text: str, want: tuple[str, str | None, str | None] | None
) -> None:
    assert weekday_dated(_blocks(text)) == want


@pytest.mark.parametrize(
    ("title", "paragraphs", "years", "want"),
    [
        ("Séminaire du 6 octobre", ["Posted on September 8, 2016"], [], "2016-10-06"),
        ("Séminaire du 6 octobre", [], [2016], "2016-10-06"),
        # the post comes before the day it announces: a January talk posted in December
        ("Talk on 12 January", ["Posted on 3 December 2023"], [], "2024-01-12"),
        ("Vortrag am 12. März 2025", [], [], "2025-03-12"),
        # no year anywhere, or several: no day
        ("Séminaire du 6 octobre", [], [2015, 2016], None),
        ("Sharing one data platform", ["Posted on September 8, 2016"], [2016], None),
        (None, [], [2016], None),
    ],
)
def test_the_headlines_day_takes_its_year_from_the_post(
    title: str | None, paragraphs: list[str], years: list[int], want: str | None
) -> None:
    assert headline_day(title, _blocks(*paragraphs), years) == want

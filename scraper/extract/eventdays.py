"""The event's day where no label or time gives it: a weekday with its full date in a sentence,
or a day and month in the headline.

Both are facts of how announcements are written, in every language: "Sabato 25 Marzo 2006
Marco Bellini sarà a Trento …" opens with the day of the event (a weekday that agrees with
its date is no publication stamp, which gives a date alone), and a headline such as "Séminaire
le 6 Octobre" or "Talk on 12 May" names the day of the event it announces. A headline's day
has no year; the page's own dated content (the post's date) gives it, the event coming after
the post that announces it.
"""

from __future__ import annotations

import datetime

from scraper.extract import lexicon
from scraper.extract.dates import (
    find_dates,
    is_publication_context,
    parse_date,
    parse_time_range,
    weekday_in,
    weekday_phrase,
)
from scraper.extract.page import Block

__all__ = ["headline_day", "weekday_dated"]

_LONGEST = 300  # characters of a paragraph whose weekday date may be the event's


def weekday_dated(blocks: list[Block]) -> tuple[str, str | None, str | None] | None:
    """The first full date in a sentence that follows a weekday's name and falls on that
    weekday, with the time beside it, outside a publication stamp."""
    for block in blocks:
        if block.level or len(block.text) > _LONGEST:
            continue
        phrase = weekday_phrase(block.text, width=60)
        if not phrase:
            continue
        found = find_dates(phrase)
        if not found:
            continue
        begin, stop, day = found[0]
        at = block.text.find(phrase)
        if is_publication_context(block.text[max(0, at - 60) : at]):
            continue
        if begin > 25 or weekday_in(phrase[:begin] or phrase) != day.weekday():
            continue  # the weekday must be the one of the date right after it
        if len(block.text[at + stop :].split()) < 4:
            continue  # a line that is only a date heads a programme's day; a sentence goes on
        if lexicon.word_regex("gatherings").search(block.text[: at + begin]):
            return None  # "7. Fachtagung … am Donnerstag, 13. Juni 2024": a conference's day
        start, end = parse_time_range(phrase[begin:])
        return day.isoformat(), start, end
    return None


def headline_day(title: str | None, blocks: list[Block], years: list[int]) -> str | None:
    """The day and month a headline names ("Séminaire du 6 octobre"), in the year that the
    content's first full date (the post's own date) gives: that year, or the next one when the
    day would fall before the post. Without such a date, the page's one year (a post header
    outside the content, a footer) gives it. A headline with a full date gives it whole."""
    if not title:
        return None
    whole = find_dates(title)
    if whole:
        return whole[0][2].isoformat()
    posted = next((found[0][2] for b in blocks if (found := find_dates(b.text))), None)
    year = posted.year if posted else (years[0] if len(set(years)) == 1 else None)
    day = parse_date(title, default_year=year) if year else None
    if day is None:
        return None
    if posted and day < posted:
        day = _next_year(day)
    return day.isoformat() if day else None


def _next_year(day: datetime.date) -> datetime.date | None:
    """The same day a year later (None for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return None

"""Layout-free rules: the talk's date and time, its host, and the page's last update."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from scraper.extract import lexicon
from scraper.extract.dates import (
    find_dates,
    is_publication_context,
    iso_date,
    parse_date,
    parse_time_range,
    split_datetime_line,
    weekday_in,
    weekday_phrase,
    year_by_weekday,
)
from scraper.extract.eventdays import headline_day, weekday_dated
from scraper.extract.labels import Labelled
from scraper.extract.page import Block
from scraper.extract.times import SLOT_TIME, end_line

# "Last updated", "Sidst opdateret", "Zuletzt geändert" … from the language tables; "Stand"
# (German "as of") only with its colon.
_UPDATE_WORDS = tuple(w for w in lexicon.labels("updated") if w != "stand")
_UPDATED = re.compile(rf"(?:{lexicon.term_pattern(_UPDATE_WORDS)}|stand(?=\s*:))(?![^\W\d_])", re.I)
_UPDATE_STEMS = frozenset(w.split()[0] for w in _UPDATE_WORDS) | {"stand:", "stand :"}


# A cookie or privacy notice's own revision date is not the page's
_POLICY = re.compile(r"\b(?:cookies?|privacy|privatlivs?politik|persondata)\b", re.I)


@dataclass
class Generic:
    """What layout-free rules found (None when nothing was found)."""

    title: str | None = None
    series: str | None = None
    host: str | None = None
    topic: str | None = None
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    location: str | None = None
    language: str | None = None
    last_updated: str | None = None
    abstract: str | None = None
    leads: list[str] = field(default_factory=list)
    event_dates: int = 0  # distinct non-publication dates in the main content


_DIGIT = re.compile(r"\d")


def mentions_update(source: str) -> bool:
    """True when a page's source has a "last updated" word anywhere: a substring test, which
    on a page of real weight costs far less than the regular expression would."""
    low = source.lower()
    return any(stem in low for stem in _UPDATE_STEMS)


def last_updated_of(lines: list[str]) -> str | None:
    """The date of the page's own "last updated" line, anywhere on the page.

    The date follows the label on its line ("Last updated: 3 May 2024"), or, in a definition
    list or a two-cell row, on the next line when the label stands alone ("Date modified:" /
    "2024-05-21")."""
    for i, line in enumerate(lines):
        if not _DIGIT.search(line):
            if i + 1 < len(lines) and _label_alone(line):
                line = f"{line} {lines[i + 1][:60]}"
            else:
                continue  # no date on the line: nothing to read, whatever words it has
        m = _UPDATED.search(line)
        if not m or _POLICY.search(line):
            continue
        rest = line[m.end() : m.end() + 160]
        dates = find_dates(rest)
        if dates:
            return iso_date(dates[-1][2] if "//" in rest else dates[0][2])
    return None


def _label_alone(line: str) -> bool:
    """True for a short line that is only an update label, perhaps in two languages and with
    its colon ("Date modified / Date de modification :", "Sidst opdateret")."""
    if len(line) > 60 or not _UPDATED.search(line):
        return False
    return not _UPDATED.sub("", line).strip(" :/|-–").strip() or line.rstrip().endswith(":")


def _year_hint(title: str | None, others: list[str]) -> int | None:
    """A year to complete dates written without one: the title's year, else the one year that
    the <title> and the headings agree on ("Autumn 2016 series", "CIO-møder 2015")."""
    m = _YEAR.search(title or "")
    if m:
        return int(m.group(1))
    years = {int(y) for text in others for y in _YEAR.findall(text or "")}
    return years.pop() if len(years) == 1 else None


_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def date_and_time(
    blocks: list[Block],
    labels: list[Labelled],
    title: str | None,
    year_texts: list[str] | None = None,
    page_years: Callable[[], list[int]] | None = None,
) -> tuple[str | None, str | None, str | None, int]:
    """The event's day and time range, and how many distinct event-like dates the page shows.

    year_texts (the <title>, the headings) may give the year of a date written without one;
    else the one year of page_years (every year the page names) on which its weekday falls.
    """
    year = _year_hint(title, year_texts or [])
    # the page's years, read from its lines only when a year-less date needs them
    years: Callable[[], list[int]] = cache(page_years) if page_years else list
    if year is None and page_years:
        dated = [i.value for i in labels if i.key in ("date", "time")] + [
            b.text for b in blocks if len(b.text) < 120 and parse_time_range(b.text)[0]
        ]
        year = next(
            (y for t in dated if _yearless_weekday(t) and (y := year_by_weekday(t, years()))),
            None,
        )
    day = start = end = None
    for item in labels:
        if item.key == "end_time" and start and not end:
            end = parse_time_range(item.value)[0]
        if item.key == "date" and not find_dates(item.value) and not start:
            # "Starts: 14:15" under a date-like label gives the time, not the day
            s, e = parse_time_range(item.value)
            if s and parse_date(item.value, default_year=year or 2000) is None:
                start, end = s, e
                continue
        # "Time: Tuesday 12 November 2024, 16:15–17:45": a time label that gives the day too
        dated_time = item.key == "time" and bool(find_dates(item.value))
        if (item.key == "date" or dated_time) and not day:
            d, s, e = split_datetime_line(item.value)
            if d is None:
                d = parse_date(item.value, default_year=year)
            if d:
                day, start, end = iso_date(d), start or s, end or e
        elif item.key == "time" and not start:
            start, end = parse_time_range(item.value) if item.value else (None, None)
            if not start:
                start, end = _bare_hours(item.value)
    if day and not start:
        start, end = _time_after_date(blocks, labels)
    distinct: set[str] = set()
    first_with_time: tuple[str | None, str | None, str | None] | None = None
    first_plain: str | None = None
    said: str | None = None
    yearless_days: set[str] = set()
    for block in blocks:
        if len(block.text) <= 60 and weekday_in(block.text) is not None:
            # "🗓️ Viernes 7 de noviembre", "Tuesday 4 November": a day of a programme, with
            # its weekday (a forum's "feb 22" stamps have none)
            plain = None if find_dates(block.text) else parse_date(block.text, default_year=2000)
            if plain:
                yearless_days.add(plain.isoformat()[5:])
        for begin, _stop, d in find_dates(block.text):
            if is_publication_context(block.text[max(0, begin - 60) : begin]):
                continue
            s, e = parse_time_range(block.text[begin:])
            if len(block.text) > 300 and not s:
                continue  # a date in a long paragraph without a time is a bio's or history's
            distinct.add(d.isoformat())
            if s and first_with_time is None:
                first_with_time = (d.isoformat(), s, e)
            if first_plain is None:
                first_plain = d.isoformat()
            if said is None and len(block.text) <= 160 and _DATE_WORD.search(block.text[:begin]):
                said = d.isoformat()  # "Save the date: October 9th, 2025", "Datum: …"
    if not day:
        near = int(first_plain[:4]) if first_plain else None
        if first_with_time:
            day, start, end = first_with_time
        elif weekday := _weekday_date(blocks, years, near or _first_year(blocks)):
            # "Perjantaina 12. toukokuuta" in the body beats a post's header date
            day, start, end = weekday
        elif in_prose := weekday_dated(blocks):  # "Sabato 25 Marzo 2006 …" opening a paragraph
            day, start, end = in_prose
        elif said:  # a line that says it gives the date beats a bare date elsewhere
            day = said
        elif len(distinct) == 1:
            day = first_plain
        elif year:
            y_day, y_start, y_end = _yearless(blocks, year)
            if y_day:
                day, start, end = y_day, y_start, y_end
    if not day and year_texts and len(in_head := find_dates(year_texts[0])) == 1:
        day = iso_date(in_head[0][2])  # "CIO Breakfast – 12 March 2019 | Club": only the <title>
    if not day:
        day = headline_day(title, blocks, years())  # "Séminaire du 6 octobre", posted in September
    if day and not start:
        start, end = _time_on_next_line(blocks, day)
    if day and not start:
        for block in blocks:
            s, e = parse_time_range(block.text)
            if not s:
                continue
            found = {d.isoformat() for _, _, d in find_dates(block.text)}
            if not found:
                yearless = parse_date(block.text, default_year=int(day[:4]))
                found = {yearless.isoformat()} if yearless else set()
            if day in found:
                start, end = s, e
                break
    if day and not start and distinct <= {day}:
        start, end = _one_slot_time(blocks)
    if start and not end:
        end = next((e for b in blocks if (e := end_line(b.text, start))), None)
    # days written without a year count too (a programme's "Martes 4 de noviembre" lines)
    return day, start, end, max(len(distinct), len(yearless_days) if len(yearless_days) >= 3 else 0)


_DATE_WORD = re.compile(lexicon.whole_words(lexicon.labels("date")), re.I)


def _first_year(blocks: list[Block]) -> int | None:
    """The year of the first full date in the blocks, a post's own date included: the year a
    year-less event date most likely falls in."""
    for block in blocks:
        found = find_dates(block.text)
        if found:
            return found[0][2].year
    return None


def _yearless_weekday(text: str) -> bool:
    """True for a text naming a weekday and no full date (whose year the page must give)."""
    return weekday_in(text) is not None and not find_dates(text)


def _weekday_date(
    blocks: list[Block], years: Callable[[], list[int]], near: int | None
) -> tuple[str, str | None, str | None] | None:
    """The day of a short line that names a weekday and a date without its year, the year
    being the one of the page's years on which that weekday falls, with the time on that line
    or the next. A sentence of running text counts too when it gives the time as well ("Join
    us on Thursday, 12 September at 3pm BST for …")."""
    for i, block in enumerate(blocks):
        text = block.text
        if block.level or len(text) > 300:
            continue
        if len(text) > 160 or weekday_in(text) is None:
            # a sentence: from its weekday's full name on ("die", "sa" are words there), and a
            # long one only with the time in reach
            text = weekday_phrase(text) or ""
            if len(block.text) > 160 and not parse_time_range(text)[0]:
                continue
        if not _yearless_weekday(text):
            continue
        year = year_by_weekday(text, years(), near)
        found = parse_date(text, default_year=year) if year else None
        if found is None:
            continue
        start, end = parse_time_range(text)
        if not start and i + 1 < len(blocks) and len(blocks[i + 1].text) <= 40:
            start, end = parse_time_range(blocks[i + 1].text)
        return found.isoformat(), start, end
    return None


def _time_on_next_line(blocks: list[Block], day: str) -> tuple[str | None, str | None]:
    """The time range on the short line right after the event's date line ("8.00 - 9.30")."""
    for i, block in enumerate(blocks[:-1]):
        if block.level or len(block.text) > 80:
            continue
        if day not in {d.isoformat() for _, _, d in find_dates(block.text)}:
            continue
        nxt = blocks[i + 1].text
        if len(nxt) <= 40 and not find_dates(nxt):
            s, e = parse_time_range(nxt)
            if s:
                return s, e
    return None, None


_BARE_HOURS = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})\s*[-–]\s*(\d{1,2})(?:\s*(?:uhr|uur))?$", re.I)


def _bare_hours(value: str) -> tuple[str | None, str | None]:
    """A time label's whole hours "8-10" (only under a "Time:"/"Tid:" label, never in prose)."""
    m = _BARE_HOURS.match(value.strip())
    if not m:
        return None, None
    first, last = int(m.group(1)), int(m.group(2))
    if not 0 <= first < last <= 24:
        return None, None
    return f"{first:02d}:00", f"{last:02d}:00"


def _time_after_date(blocks: list[Block], labels: list[Labelled]) -> tuple[str | None, str | None]:
    """The time on the short line right after a labelled date ("Tid og sted": day, then "kl. …")."""
    for item in labels:
        if item.key != "date" or item.index + 2 >= len(blocks):
            continue
        for j in (item.index + 1, item.index + 2):
            if blocks[j].text == item.value and j + 1 < len(blocks):
                nxt = blocks[j + 1].text
                if len(nxt) <= 40 and not find_dates(nxt):
                    return parse_time_range(nxt)
    return None, None


def _one_slot_time(blocks: list[Block]) -> tuple[str | None, str | None]:
    """The time of a page of one day whose body has one short line that opens with a time
    ("13h00 - 13h50 – Name (Org)" under "Séminaire: vendredi 15 mars 2024"): that line is
    the talk's slot. Two such lines are a programme's, and say nothing of one talk."""
    slots = {
        parse_time_range(b.text)
        for b in blocks
        if len(b.text) <= 160 and SLOT_TIME.match(b.text) and parse_time_range(b.text)[0]
    }
    return next(iter(slots)) if len(slots) == 1 else (None, None)


def _yearless(blocks: list[Block], year: int) -> tuple[str | None, str | None, str | None]:
    """A date written without its year ("Saturday April 30 from 1 p.m.") next to a time."""
    for block in blocks:
        s, e = parse_time_range(block.text)
        if not s:
            continue
        d = parse_date(block.text, default_year=year)
        if d:
            return d.isoformat(), s, e
    return None, None, None


def host_of(labels: list[Labelled]) -> str | None:
    """The organiser from an "Organised by"/"Arrangør" label."""
    for item in labels:
        if item.key == "host" and item.value and len(item.value) < 120:
            return item.value
    return None

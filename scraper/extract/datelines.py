"""Fallbacks for when: <time datetime> attributes, and the venue written on the date's line."""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon
from scraper.extract.dates import (
    find_dates,
    is_publication_context,
    parse_date,
    parse_time_range,
    time_span,
)
from scraper.extract.page import Block, HtmlElement, clean, text_of

_ISO_DATETIME = re.compile(r"^\s*((?:19|20)\d\d-[01]\d-[0-3]\d)(?:[T ]([0-2]\d):([0-5]\d))?")
# Class and id words of a post's publication stamp: "published", "entry-date", and a blog
# engine's "post-date" / "post_meta" / "article-date" (WordPress's block themes write
# "wp-block-post-date" round the <time> of every post).
_PUBLICATION_HINTS = re.compile(
    r"publish|posted|updated|modified|entry-date|byline|dateline|created|pubdate|"
    r"datepublished|datemodified|datecreated|"
    r"(?:post|entry|article|blog|news)[-_]?(?:date|time|meta|info)",
    re.I,
)
_SEGMENTS = re.compile(r"\s+[·|•]\s+|\s*\|\s*")
_WEEKDAY = re.compile(
    r"^(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|(?:man|tirs|ons|tors|fre|lør|søn)dag|"
    r"(?:mån|tis|ons|tors|fre|lör|sön)dag|(?:mon|diens|mitt|donners|frei|sams|sonn)tag|mittwoch|"
    r"mon|tue|wed|thu|fri|sat|sun)\.?,?$",
    re.I,
)
_ZONE = re.compile(
    r"^(?:(?:[A-Z]{2,4}T|UTC|GMT|[A-Z][a-z]+/[A-Za-z_]+)(?:[+-]\d{1,2})?|[+-]\d\d:?\d\d),?$"
)
# A time zone written out: "Central European Summer time", "Eastern Standard Time".
_ZONE_PHRASE = re.compile(r"^\(?(?:[A-Z][a-z]+\s+){1,3}time\)?$", re.I)
_NOT_A_PLACE = re.compile(
    r"\b(?:register|registration|tilmeld|tilmelding|anmeldung|sign up|free|gratis|welcome|"
    r"velkommen|please|read more|læs mere|add to calendar|tickets?|billetter)\b",
    re.I,
)


# A full stop, "!" or "?" before more text ends a sentence, except the dot of a short
# abbreviation of letters ("ul. Portowa 3", "St. Mary's", "Nr 4, bd. Foch"); a dot after digits
# ("7. november") still counts, as a day's dot is no place either. A short word that ends a
# sentence ("at six. Bring …") is taken for an abbreviation too: the lesser harm on venue lines.
_SENTENCE_END = re.compile(r"(?<![^\W\d_])(?![^\W\d_]{1,3}\.\s)[^\s.!?]*[.!?]\s+\S")


def machine_times(main: HtmlElement) -> tuple[str | None, str | None, str | None]:
    """The event's (date, start, end) from <time datetime="…"> elements in the main content.

    Publication and update stamps (class "published", a "Posted on" before it) are skipped.
    The first remaining element with a date gives the day and start; a following one on the
    same day (or with a time only) gives the end.
    """
    day = start = end = None
    for el in main.iter("time"):
        value = el.get("datetime") or ""
        hints = " ".join(el.get(a) or "" for a in ("class", "itemprop", "id"))
        parent = el.getparent()
        hints += " " + (parent.get("class") or "" if parent is not None else "")
        if _PUBLICATION_HINTS.search(hints) or _after_publication_words(el):
            continue
        m = _ISO_DATETIME.match(value)
        if m and day is None:
            day, start = m.group(1), f"{m.group(2)}:{m.group(3)}" if m.group(2) else None
        elif day is not None:
            if m and m.group(1) == day and m.group(2):
                end = f"{m.group(2)}:{m.group(3)}"
            elif re.fullmatch(r"\s*([0-2]\d):([0-5]\d)(?::\d\d)?\s*", value):
                end = value.strip()[:5]
            break
    return day, start, end


_START_ATTRS = (
    "data-start",
    "data-start-date",
    "data-startdate",
    "data-event-date",
    "data-date",
    "data-begin",
    "data-event-start",
    "data-from",
)
_END_ATTRS = ("data-end", "data-end-date", "data-enddate", "data-event-end", "data-to")


def data_attribute_times(main: HtmlElement) -> tuple[str | None, str | None, str | None]:
    """The event's (date, start, end) from ISO values in data-* attributes ("data-start").

    Only the first element that has one counts, and only when no other element on the page
    has a different start day (a list of event cards is no one event).
    """
    found: list[tuple[HtmlElement, re.Match[str]]] = []
    for attr in _START_ATTRS:
        for el in main.iterfind(f".//*[@{attr}]"):
            m = _ISO_DATETIME.match(el.get(attr) or "")
            if m:
                found.append((el, m))
    if not found or len({m.group(1) for _, m in found}) > 1:
        return None, None, None
    el, m = found[0]
    day = m.group(1)
    start = f"{m.group(2)}:{m.group(3)}" if m.group(2) else None
    end = None
    for attr in _END_ATTRS:
        e = _ISO_DATETIME.match(el.get(attr) or "")
        if e and e.group(1) == day and e.group(2) and start:
            end = f"{e.group(2)}:{e.group(3)}"
            break
    return day, start, end


def _after_publication_words(el: HtmlElement) -> bool:
    """True when the text just before el says it is a publication date ("Posted on")."""
    parent = el.getparent()
    if parent is None:
        return False
    before = clean(parent.text or "")
    for sibling in parent:
        if sibling is el:
            break
        before = clean(before + " " + (text_of(sibling) or "") + " " + (sibling.tail or ""))
    return is_publication_context(before[-60:])


def venue_in_dateline(blocks: list[Block], day: str | None) -> str | None:
    """The place written on the event's date line: "Thu 9 Nov 2023 · 08:30–10:00 · Room K2".

    Segments split by "·" or "|" that hold no date, time, weekday or time zone name the venue;
    on a comma-separated line, the text after the time range does.
    """
    if not day:
        return None
    for block in blocks:
        text = block.text
        if block.level or len(text) > 200 or not parse_time_range(text)[0]:
            continue
        if day not in {d.isoformat() for _, _, d in find_dates(text)} and not _yearless_day(
            text, day
        ):
            continue
        segments = [s.strip(" ,;") for s in _SEGMENTS.split(text) if s.strip(" ,;")]
        if len(segments) > 1:
            for segment in segments:
                if is_place(segment):
                    return segment
            continue
        span = _time_end(text)
        if span is not None and not re.match(r"\s*[.!?]", text[span:]):  # not a new sentence
            rest = text[span:].strip(" ,;–—-.")
            if is_place(rest):
                return rest
    return None


# Words that make a short line a venue: the room and building words of every language table,
# and the web's own places (online, Zoom, Teams).
_PLACE_WORDS = ("house", "huset", "campus", "centre", "center", "floor", "etage", "library",
                "bibliotek", "lecture", "theatre", "aud.", "online", "zoom", "teams")  # fmt: skip


@cache
def venue_word() -> re.Pattern[str]:
    terms = (*lexicon.words("rooms"), *_PLACE_WORDS)
    return re.compile(rf"(?<![^\W\d_])(?:{lexicon.term_pattern(terms)})(?![^\W\d_])", re.I)


def venue_after_dateline(blocks: list[Block], day: str | None) -> str | None:
    """The venue on its own line just after the event's date line (and its time line).

    "<li>📅 Onsdag 22. november 2023</li><li>🕗 8.00 - 9.30</li><li>📍 Salen, Rådhusstræde 8</li>":
    the line must read like a place (an address number or a venue word), not like a sentence.
    """
    if not day:
        return None
    for i, block in enumerate(blocks):
        if block.level or len(block.text) > 100:
            continue
        text = block.text
        if day not in {d.isoformat() for _, _, d in find_dates(text)} and not _yearless_day(
            text, day
        ):
            continue
        for nxt in blocks[i + 1 : i + 3]:
            if nxt.level or nxt.tag not in ("p", "li", "dd", "div", "span", "td"):
                break
            if len(nxt.text) <= 40 and parse_time_range(nxt.text)[0] and not find_dates(nxt.text):
                continue  # the time line between the date and the place
            candidate = nxt.text.strip(" ,;.")
            at = blocks.index(nxt)
            address = _address_lines(blocks[at + 1 : at + 3])
            if (
                len(candidate) <= 100
                and is_place(candidate)
                and (re.search(r"\d", candidate) or venue_word().search(candidate) or address)
                and not re.search(r"[.!?]$", nxt.text.strip())
            ):
                return " ".join([candidate, *address])
            break
        return None
    return None


# A postal address line: "Leppävaarankatu 1", "96 rue de Clery", "02600 Espoo", "DK-2000 F".
_ADDRESS_LINE = re.compile(
    r"^(?:\d{1,4}[a-zA-Z]?,?\s+\D{3,50}|\D{3,50}\s\d{1,4}[a-zA-Z]?(?:,\s*\D{2,40})?|"
    r"(?:[A-Z]{1,2}-)?\d{4,5}\s+\D{2,40})$"
)


def _address_lines(blocks: list[Block]) -> list[str]:
    """The lines of a postal address right under a venue's name (at most two)."""
    found = []
    for block in blocks:
        text = block.text.strip(" ,;")
        if block.level or len(text) > 60 or not _ADDRESS_LINE.match(text):
            break
        if find_dates(text) or parse_time_range(text)[0]:
            break
        found.append(text)
    return found


def _yearless_day(text: str, day: str) -> bool:
    """True when text writes day's day and month without a year ("Tirsdag 12. april")."""
    found = parse_date(text, default_year=int(day[:4]))
    return found is not None and found.isoformat() == day


def _time_end(text: str) -> int | None:
    """Where the first time range of text ends."""
    span = time_span(text)
    return span[1] if span else None


def is_place(text: str) -> bool:
    """A short text that can name a venue: no date, time, weekday, zone or call to action."""
    if not 2 <= len(text) <= 120 or len(text.split()) > 12:
        return False
    if find_dates(text) or parse_time_range(text)[0] or _NOT_A_PLACE.search(text):
        return False
    if re.fullmatch(r"\d+\s*(?:m|mins?|minutes?|h|hrs?|hours?|t|timer)\.?", text, re.I):
        return False  # a duration ("45m"), as Indico writes it
    words = text.replace(",", " ").split()
    if all(_WEEKDAY.match(w.strip("()[]")) or _ZONE.match(w.strip("()[]")) for w in words):
        return False
    if _ZONE_PHRASE.match(text):
        return False
    return bool(re.search(r"[A-ZÆØÅÄÖ0-9]", text)) and not _SENTENCE_END.search(text)


@cache
def _room_in_prose() -> re.Pattern[str]:
    rooms = lexicon.term_pattern(lexicon.words("rooms"))
    code = r"[A-Z]?\d[\w./-]*|[A-Z][\w./-]*\d[\w./-]*"
    return re.compile(
        rf"(?<![^\W\d_])((?:{rooms})\s+(?:{code})(?:\s*,\s*(?:[A-Z0-9][\w'’-]*(?:\.\w+)*\s?){{1,5}})?)",
        re.I,
    )


def room_in_prose(blocks: list[Block]) -> str | None:
    """A room named in running text: "in room 12-210, Hartwell Building", "im Raum B3/02.14",
    "en la sala 2.3": a room word of a language table, a room number, perhaps its building."""
    regex = _room_in_prose()
    for block in blocks:
        if block.level or len(block.text) > 1500:
            continue
        m = regex.search(block.text)
        if m and re.search(r"\d", m.group(1)):
            return m.group(1).strip(" ,.;")
    return None

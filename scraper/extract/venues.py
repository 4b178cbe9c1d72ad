"""The venue a page states: a labelled "Location:"/"Sted:" line or an element marked as the
venue, never a date badge that sits in the venue's place; failing those, a place that running
text introduces with a language's "takes place in" phrase."""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon
from scraper.extract.datelines import is_place, venue_word
from scraper.extract.dates import (
    MONTHS,
    find_dates,
    parse_date,
    parse_time_range,
    time_span,
    weekday_in,
)
from scraper.extract.labels import Labelled, label_key
from scraper.extract.names import ORG_CONNECTORS
from scraper.extract.page import Block

__all__ = [
    "location_of",
    "place_of_when_and_where",
    "venue_after_time",
    "venue_in_facts_line",
    "venue_in_prose",
]


def _only_a_date(text: str) -> bool:
    """True for "TUE, JUN 10" or "12.03.2025": a date badge in a venue's place, no venue
    (digits alone, such as room "78-420", are a date only when they read as one)."""
    tokens = re.findall(r"[^\W_]+", text)
    if not tokens:
        return False
    named = [t for t in tokens if t.lower() in MONTHS or weekday_in(t) is not None]
    if not named:
        return all(t.isdigit() for t in tokens) and bool(find_dates(text))
    return all(t.isdigit() or t in named for t in tokens)


# The separators of a line's segments: "Room K2 · Wed, 13 Oct · 2:15 PM", "Hall C | 14:00"
_SEGMENTS = re.compile(r"\s+[·|•]\s+")
# What is left of a time line without its times: zones, "doors open", parentheses, dashes
_ZONE_ONLY = re.compile(r"^[\W\d_]*(?:[A-Z]{2,5}[\W\d_]*)?$")


# The web's own places, as an event's mode or format gives them
_ONLINE = re.compile(
    r"^(?:online|on-line|virtual|zoom|microsoft teams|teams|webex|google meet)(?![^\W\d_])", re.I
)


def _only_a_time(text: str) -> bool:
    """True for "6pm – 7:30pm AEST (doors open 5:30pm)": a time range in a venue's place."""
    if not parse_time_range(text)[0]:
        return False
    bare = re.sub(r"\([^)]*\)", " ", text)
    span = time_span(bare)
    if span is None:
        return False
    return bool(_ZONE_ONLY.match(bare[: span[0]] + " " + bare[span[1] :]))


def _without_when(value: str) -> str:
    """A venue value without the date and time segments written on its line ("Ballroom B ·
    Wednesday, October 13, 2027 · 2:15 PM–2:55 PM" → "Ballroom B")."""
    segments = [s.strip() for s in _SEGMENTS.split(value) if s.strip()]
    if len(segments) < 2:
        return value
    kept = [
        s
        for s in segments
        if not (find_dates(s) or parse_date(s, default_year=2000) or parse_time_range(s)[0])
        and not _only_a_date(s)
    ]
    return ", ".join(kept) if kept and len(kept) < len(segments) else value


def location_of(blocks: list[Block], labels: list[Labelled]) -> str | None:
    """The venue: a labelled line, else an element marked as location/venue (never a date or
    a time, nor the date and time segments on the venue's line)."""
    for item in labels:
        if item.key == "date" and (place := place_of_when_and_where(item.label, item.value)):
            return place
        if item.key == "location" and item.value and len(item.value) < 200:
            if _only_a_date(item.value) or _only_a_time(item.value):
                continue
            # "Digitalt (Zoom) – lenke sendes til påmeldte": a remark after a dash is no venue
            value = _without_when(item.value)
            return re.split(r"\s[–—-]\s(?=[^\W\d_]*[a-zæøåäöü])(?![A-Z])", value)[0].strip()
    for item in labels:  # "Mode: Online (Webex; link after registration)": the web is the place
        if item.key == "type" and _ONLINE.match(item.value) and len(item.value) < 120:
            return item.value.strip()
    marks = _venue_class()
    for block in blocks:
        marked = marks.search(block.hints)
        if (
            marked
            and not block.level
            and 3 <= len(block.text) < 200
            and not _only_a_date(block.text)
            and not _only_a_time(block.text)
        ):
            if _call_to_action().match(block.text):
                return None  # the venue is elsewhere; the card's next lines are no venue
            first, _, rest = block.text.partition(" ")
            # "Location Fjordby Institute, Hall C": the element repeats its own label; in
            # "Room 4-231" the room word and its number are the venue
            if rest and label_key(first) == "location" and not re.match(r"\w*\d", rest):
                return rest.lstrip(": ")
            return block.text
    return None


def place_of_when_and_where(label: str, value: str) -> str | None:
    """The place in the value of a when-and-where label ("Aika & Paikka: 15. kesäkuuta,
    Kinopalatsi, Helsinki", "Tid og sted: 3. maj kl. 14, Auditorium 2"): the comma-separated
    parts after those that give the day and the time."""
    words = re.findall(r"[^\W\d_]+", label)
    if len(words) < 2 or label_key(words[-1]) != "location" or len(value) >= 200:
        return None
    parts = [p.strip() for p in value.split(",") if p.strip()]
    while parts and (
        find_dates(parts[0])
        or parse_date(parts[0], default_year=2000)
        or parse_time_range(parts[0])[0]
        or weekday_in(parts[0]) is not None
        or re.fullmatch(r"(?:19|20)\d\d", parts[0])  # "Friday 11 November, 2022, Room 4"
    ):
        parts.pop(0)
    place = ", ".join(parts)
    return place if len(parts) < len(value.split(",")) and place and is_place(place) else None


@cache
def _venue_class() -> re.Pattern[str]:
    """A class or id token that marks an element as the venue, in the site's language
    ("event-location", "evento-lugar", "veranstaltungsort", "tapahtumapaikka"): the venue
    labels of every table of four letters or more (shorter ones, "wo", "var", are words of
    other kinds in class names), and "local", a word of programming, left out."""
    words = {w for w in lexicon.labels("location") if len(w) >= 4 and w.isalpha() and w != "local"}
    words |= {
        "location",
        "venue",
        "where",
        "place",
        "event-place",
        "address",
        "lieu",
        "sted",
        "ort",
    }
    terms = "|".join(sorted(map(re.escape, words), key=len, reverse=True))
    return re.compile(rf"(?:^|[\W_])(?:{terms})(?:$|[\W_])", re.I)


@cache
def _call_to_action() -> re.Pattern[str]:
    """A line that opens with a call to action ("📍 See directions below", "Anfahrt"): it
    points at the venue, it does not name it."""
    terms = lexicon.term_pattern(lexicon.words("calls_to_action"))
    return re.compile(rf"^[\W_]*(?:{terms})(?![^\W\d_])", re.I)


@cache
def _venue_phrase() -> re.Pattern[str]:
    phrases = lexicon.term_pattern(lexicon.words("venue_phrases"))
    return re.compile(rf"(?<![^\W\d_])(?:{phrases})\s+", re.I)


def _place_after(text: str) -> str:
    """The place written at the start of text: comma-separated parts, each opened by a capital
    or a digit (or a room word: "l'amphithéâtre Condorcet"), up to the first part or word in
    lower case that is no link of a name ("…, Campus Vera, y está abierto", "… 1.101 statt")."""
    text = re.split(r"[.;:!?](?:\s|$)", text, maxsplit=1)[0]
    first = re.match(r"(?:[^\W\d_]{1,4}\s+|[ldLD]['’])(?=\w)", text)
    if first and first.group()[0].islower():  # an article: "el", "the", "l'"
        text = text[first.end() :]
    rooms = venue_word()
    parts: list[str] = []
    for part in text.split(","):
        words = part.split()
        if not words or not (
            words[0][0].isupper() or words[0][0].isdigit() or rooms.match(part.strip())
        ):
            break
        kept = [words[0]]
        for word in words[1:]:
            if (
                word[0].islower()
                and word.lower() not in ORG_CONNECTORS
                and not rooms.fullmatch(word)
            ):
                break
            kept.append(word)
        while kept and kept[-1].lower() in ORG_CONNECTORS:
            kept.pop()
        parts.append(" ".join(kept))
        if len(kept) < len(words):
            break
    return ", ".join(p for p in parts if p)


def venue_in_prose(blocks: list[Block]) -> str | None:
    """A venue named in running text after a "takes place in" phrase of a language table
    ("El acto tendrá lugar en el Salón de Grados, Facultad de Informática, …"): it must read
    as a place, with a room or building word or a number, not a town alone or a month."""
    regex = _venue_phrase()
    for block in blocks:
        if block.level or len(block.text) > 1500:
            continue
        for m in regex.finditer(block.text):
            place = _place_after(block.text[m.end() :]).strip(" ,")
            if (
                place
                and is_place(place)
                and (venue_word().search(place) or re.search(r"\d", place))
            ):
                return place
    return None


# Up to two short lower-case words that open the place after a time: "at the", "presso",
# "dans", "im", "w", "no": prepositions and articles, whatever the language.
_LEAD_WORDS = re.compile(r"^(?:(?![^\W\d_]*\d)[^\W\d_A-ZÆØÅÄÖÜ][^\W\d_]{0,6}\s+){1,2}(?=\S)")


def venue_after_time(blocks: list[Block], day: str | None) -> str | None:
    """The place that running text names right after the event's date and time: "Join us on
    Wed 16th June, 6.30pm–8pm, at the Pennine Suite, Leeds Hub, 3 Clay Way, …", "Giovedì 27
    maggio, ore 18.00 – 19.30, presso Palazzo X, Sala Y, Milano.", "le mardi 5 décembre à
    14h00, dans l'amphithéâtre Z (bâtiment B)."

    The sentence must hold the event's day and a time; the place follows the time after a
    comma, opened by a preposition, and reads as a place with a room word or a number.
    """
    if not day:
        return None
    for block in blocks:
        text = block.text
        if block.level or len(text) > 1500:
            continue
        span = time_span(text)
        if span is None:
            continue
        before = text[: span[0]]
        if day not in {d.isoformat() for _, _, d in find_dates(before)} and (
            parse_date(before, default_year=int(day[:4])) is None
        ):
            continue
        rest = text[span[1] :]
        m = re.match(r"\s*(?:[A-Z]{2,5}\s*)?,\s*", rest)  # a zone, then the comma
        if not m:
            continue
        rest = rest[m.end() :]
        lead = _LEAD_WORDS.match(rest)
        if not lead:
            continue
        place = _place_after(rest[lead.end() :]).strip(" ,")
        if place and is_place(place) and (venue_word().search(place) or re.search(r"\d", place)):
            return place
    return None


_FACT_SEPARATOR = re.compile(r"\s+[·|•]\s+")


def venue_in_facts_line(blocks: list[Block]) -> str | None:
    """The venue among a short line's facts set apart by middle dots or bars: "Ende gegen 19:45
    Uhr · Hörsaal C 2.05 (Gebäude C), Kanalstraße 14 · Eintritt frei": the fact that opens with
    a room or venue word and reads as a place."""
    for block in blocks:
        if block.level or len(block.text) > 300:
            continue
        facts = _FACT_SEPARATOR.split(block.text)
        if len(facts) < 2:
            continue
        for fact in facts:
            fact = fact.strip(" ,.")
            if venue_word().match(fact) and is_place(fact):
                return fact
    return None


def whole_address(blocks: list[Block], location: str | None) -> str | None:
    """The venue with the rest of its <address> element: a venue given as the first line of a
    postal address ("Werkhaus Ostheim" / "Bahnhofstraße 22" / "02826 Ostheim") is the whole
    address, its lines joined."""
    if not location:
        return location
    for block in blocks:
        if block.text != location:
            continue
        address = next(
            (el for el in (block.el, *block.el.iterancestors()) if el.tag == "address"), None
        )
        if address is None:
            return location
        lines = [b.text for b in blocks if b.el is address or address in b.el.iterancestors()]
        joined = ", ".join(lines)
        if lines and lines[0] == location and 2 <= len(lines) <= 5 and len(joined) < 200:
            return joined
        return location
    return location

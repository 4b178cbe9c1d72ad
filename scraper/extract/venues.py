"""The venue a page states: a labelled "Location:"/"Sted:" line or an element marked as the
venue, never a date badge that sits in the venue's place; failing those, a place that running
text introduces with a language's "takes place in" phrase."""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon
from scraper.extract.datelines import is_place, venue_word
from scraper.extract.dates import MONTHS, find_dates, weekday_in
from scraper.extract.labels import Labelled, label_key
from scraper.extract.names import ORG_CONNECTORS
from scraper.extract.page import Block

__all__ = ["location_of", "venue_in_prose"]


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


def location_of(blocks: list[Block], labels: list[Labelled]) -> str | None:
    """The venue: a labelled line, else an element marked as location/venue (never a date)."""
    for item in labels:
        if item.key == "location" and item.value and len(item.value) < 200:
            if _only_a_date(item.value):
                continue
            # "Digitalt (Zoom) – lenke sendes til påmeldte": a remark after a dash is no venue
            return re.split(r"\s[–—-]\s(?=[^\W\d_]*[a-zæøåäöü])(?![A-Z])", item.value)[0].strip()
    for block in blocks:
        marked = re.search(
            r"(?:^|[\W_])(?:location|venue|where|place|event-place|address|lieu|sted|ort)(?:$|[\W_])",
            block.hints,
        )
        if (
            marked
            and not block.level
            and 3 <= len(block.text) < 200
            and not _only_a_date(block.text)
        ):
            first, _, rest = block.text.partition(" ")
            # "Location Fjordby Institute, Hall C": the element repeats its own label
            return rest.lstrip(": ") if rest and label_key(first) == "location" else block.text
    return None


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

"""The venue a page states: a labelled "Location:"/"Sted:" line or an element marked as the
venue, never a date badge that sits in the venue's place."""

from __future__ import annotations

import re

from scraper.extract.dates import MONTHS, find_dates, weekday_in
from scraper.extract.labels import Labelled, label_key
from scraper.extract.page import Block

__all__ = ["location_of"]


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

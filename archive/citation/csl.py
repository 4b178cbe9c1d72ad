"""CSL-JSON items (type ``speech``), the format citeproc processors and Zotero read."""

from __future__ import annotations

import datetime as dt
from typing import Any

from archive.citation.record import Citation, announced, cite_key, family_name


def _date(day: dt.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def _person(name: str) -> dict[str, str]:
    """CSL's name parts: the last word as family name, the rest as given names; a single
    word is kept whole as a literal."""
    family = family_name(name)
    given = name[: len(name) - len(family)].strip() if name.endswith(family) else ""
    return {"family": family, "given": given} if given else {"literal": name}


def item(record: Citation) -> dict[str, Any]:
    """The record as one CSL-JSON item."""
    data: dict[str, Any] = {
        "id": cite_key(record),
        "type": "speech",
        "genre": "Talk",
        "title": record.title,
        "URL": record.permalink,
        "accessed": _date(record.accessed),
    }
    if record.source_url:
        data["note"] = announced(record)
    if record.speakers:
        data["author"] = [_person(p.name) for p in record.speakers]
    if record.date:
        data["issued"] = _date(record.date)
        data["event-date"] = _date(record.date)
    optional = {
        "event-title": record.series,
        # CSL 1.0.1's name of the same variable, which citeproc-py and older processors read
        "event": record.series,
        "publisher": record.host,
        "event-place": record.location,
        "publisher-place": record.location,
        "abstract": record.abstract,
        "language": record.language,
        "collection-title": record.series,
    }
    data.update({key: value for key, value in optional.items() if value})
    if record.themes:
        data["keyword"] = ", ".join(record.themes)
    return data

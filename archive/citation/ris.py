"""RIS records (``TY - SLIDE``, which Zotero imports as a presentation), written by ``rispy``.

RIS is one tag per line, so every value is put on one line first: a line break in scraped
text would otherwise start a tag of its own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import rispy

from archive.citation.record import Citation, announced, cite_key


class _Writer(rispy.RisWriter):
    """rispy's writer without the "1." counter line before each record."""

    def set_header(self, count: int) -> str:
        return ""


def _line(text: str) -> str:
    return " ".join(text.split())


def _day(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d/")


def reference(record: Citation) -> dict[str, Any]:
    """The record as a rispy reference (its field names, one-line values)."""
    ref: dict[str, Any] = {
        "type_of_reference": "SLIDE",
        "id": cite_key(record),
        "title": _line(record.title),
        "type_of_work": "Talk",
        "urls": [record.permalink],
        "access_date": _day(record.accessed),
        "notes": [_line(announced(record))] if record.source_url else [],
    }
    if record.speakers:
        ref["authors"] = [_line(p.name) for p in record.speakers]
    if record.date:
        ref["date"] = _day(record.date)
        ref["year"] = str(record.date.year)
    optional = {
        "secondary_title": record.series,
        "publisher": record.host,
        "place_published": record.location,
        "abstract": record.abstract,
        "language": record.language,
    }
    ref.update({key: _line(value) for key, value in optional.items() if value})
    if record.themes:
        ref["keywords"] = [_line(t) for t in record.themes]
    return ref


def records(items: Iterable[Citation]) -> str:
    """The RIS file for the records."""
    return rispy.dumps([reference(r) for r in items], implementation=_Writer)

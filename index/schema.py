"""The Whoosh schema for talks and the mapping from a plain talk document to index fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from whoosh.columns import VarBytesListColumn
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from index.analysis import (
    danish_analyzer,
    english_analyzer,
    label_analyzer,
    name_analyzer,
    spelling_analyzer,
)

# Fielded-query names users may type, mapped to schema fields (``org:`` → ``org``).
FIELD_ALIASES: dict[str, list[str]] = {
    "org": ["organisation", "organisations", "organization", "organizations", "company"],
    "speaker": ["speakers", "name", "by"],
    "theme": ["themes", "tag", "tags"],
    "industry": ["industries", "sector"],
    "lang": ["language"],
    "title": [],
    "topic": [],
    "abstract": [],
    "bio": ["bios"],
    "year": [],
    "date": [],
}

# Free-text fields and their weights: speaker, topic and title (the latter two in ``head``)
# over abstract over bios. Few fields keep queries fast: each word is an OR over these fields.
FIELD_BOOSTS: dict[str, float] = {
    "head": 3.0,
    "speaker": 3.0,
    "org": 2.0,
    "abstract": 1.5,
    "text_da": 1.0,
    "bio": 0.6,
}

# Facet name → index field holding the exact values.
FACET_FIELDS: dict[str, str] = {
    "industry": "f_industry",
    "theme": "f_theme",
    "year": "f_year",
    "organisation": "f_org",
    "language": "lang",
    "speaker": "f_speaker",
}
MULTI_VALUED_FACETS = frozenset({"industry", "theme", "organisation", "speaker"})

# Sort keys for documents without a date: last when newest first, last when oldest first.
_NO_DATE_NEWEST = 0
_NO_DATE_OLDEST = 99_999_999


class ValueList(FieldType):
    """Exact, case-preserved values of a multi-valued facet, one term each plus a list column.

    KEYWORD would split values on spaces or commas ("Region Hovedstaden, IT"); this field takes a
    list of strings and indexes each string whole, so facet counts and filters use the labels as
    they are shown.
    """

    def __init__(self) -> None:
        self.format = Existence()
        self.analyzer = None
        self.column_type = VarBytesListColumn()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        self.spelling = False

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        for text in _unique(value):
            yield text.encode("utf-8"), 1, 1.0, b""

    def process_text(self, qstring: str, mode: str = "", **kwargs: Any) -> Iterator[str]:
        yield qstring

    def tokenize(self, value: Any, **kwargs: Any) -> Iterator[Any]:
        return iter(())

    def to_column_value(self, value: Any) -> list[bytes]:
        return [text.encode("utf-8") for text in _unique(value)]

    def from_column_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v.decode("utf-8") for v in value]
        return value.decode("utf-8")

    def from_bytes(self, bs: bytes) -> str:
        return bs.decode("utf-8")

    def self_parsing(self) -> bool:
        return False


def _unique(value: Any) -> list[str]:
    """Non-empty distinct strings of a list (or a single string), in their first order."""
    items = [value] if isinstance(value, str) else list(value or ())
    seen: dict[str, None] = {}
    for item in items:
        text = str(item).strip()
        if text:
            seen.setdefault(text, None)
    return list(seen)


def build_schema() -> Schema:
    """The talk schema. Analysed text fields serve queries; ``f_*`` fields serve facets."""
    english = english_analyzer()
    names = name_analyzer()
    labels = label_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        url=STORED(),
        # Title, topic, themes and industries: the free-text "head" of a talk.
        head=TEXT(analyzer=english),
        title=TEXT(analyzer=english, stored=True),
        topic=TEXT(analyzer=english, stored=True),
        abstract=TEXT(analyzer=english, stored=True),
        bio=TEXT(analyzer=english),
        text_da=TEXT(analyzer=danish_analyzer()),
        speaker=TEXT(analyzer=names),
        org=TEXT(analyzer=names),
        theme=TEXT(analyzer=labels),
        industry=TEXT(analyzer=labels),
        series=TEXT(analyzer=english),
        location=TEXT(analyzer=names),
        # Unstemmed words as written, the dictionary for "did you mean".
        spell=TEXT(analyzer=spelling_analyzer(), phrase=False, spelling=True),
        lang=ID(sortable=True),
        year=NUMERIC(int, bits=32, signed=False),
        date=DATETIME(),
        newest=NUMERIC(int, bits=32, signed=False, sortable=True),
        oldest=NUMERIC(int, bits=32, signed=False, sortable=True),
        f_year=ID(sortable=True),
        f_speaker=ValueList(),
        f_org=ValueList(),
        f_theme=ValueList(),
        f_industry=ValueList(),
    )


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _join(values: Iterable[Any] | None) -> str:
    return "\n".join(_unique(values or []))


def to_fields(doc: Mapping[str, Any]) -> dict[str, Any]:
    """Map a talk document (see docs/architecture.md) to the keyword arguments of add_document.

    Danish stemming is applied to documents in Danish or of unknown language; English stemming
    to all, because Danish pages quote English terms far more often than the reverse.
    """
    talk_id = int(doc["id"])
    title, topic = _text(doc.get("title")), _text(doc.get("topic"))
    abstract, bios = _text(doc.get("abstract")), _text(doc.get("bios"))
    speakers = _unique(doc.get("speakers") or [])
    orgs = _unique(doc.get("organisations") or [])
    themes = _unique(doc.get("themes") or [])
    industries = _unique(doc.get("industries") or [])
    language = (doc.get("language") or "").strip().lower()
    date = doc.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()

    fields: dict[str, Any] = {
        "id": str(talk_id),
        "url": _text(doc.get("url")),
        "head": "\n".join([title, topic, *themes, *industries]),
        "title": title,
        "topic": topic,
        "abstract": abstract,
        "bio": bios,
        "speaker": "\n".join(speakers),
        "org": "\n".join(orgs),
        "theme": "\n".join(themes),
        "industry": "\n".join(industries),
        "series": _text(doc.get("series")),
        "location": _text(doc.get("location")),
        "spell": "\n".join([title, topic, abstract, *speakers, *orgs, *themes, *industries]),
        "f_speaker": speakers,
        "f_org": orgs,
        "f_theme": themes,
        "f_industry": industries,
        "newest": date.toordinal() if isinstance(date, dt.date) else _NO_DATE_NEWEST,
        "oldest": date.toordinal() if isinstance(date, dt.date) else _NO_DATE_OLDEST,
    }
    if language != "en":
        fields["text_da"] = "\n".join([title, topic, *themes, *industries, abstract, bios])
    if language:
        fields["lang"] = language
    if isinstance(date, dt.date):
        fields["date"] = dt.datetime(date.year, date.month, date.day)
        fields["year"] = date.year
        fields["f_year"] = str(date.year)
    return fields


def facet_field(facet: str) -> str:
    """The index field holding a facet's exact values; raises KeyError for an unknown facet."""
    return FACET_FIELDS[facet]


__all__ = [
    "FACET_FIELDS",
    "FIELD_ALIASES",
    "FIELD_BOOSTS",
    "MULTI_VALUED_FACETS",
    "ValueList",
    "build_schema",
    "facet_field",
    "to_fields",
]

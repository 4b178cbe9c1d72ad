"""The Whoosh schema for talks and the mapping from a plain talk document to index fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from whoosh.columns import VarBytesListColumn
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, FieldType, Schema
from whoosh.formats import Existence

from index.analysis import (
    bilingual_analyzer,
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

# Free-text fields and their weights: speaker, topic and title over abstract over bios. Each
# word is an OR over these fields, one posting list each, so the talk's head (title, topic,
# themes, industries), abstract and bios share ``body`` with a weight per part instead.
FIELD_BOOSTS: dict[str, float] = {
    "speaker": 3.0,
    "org": 2.0,
    "body": 1.5,
}
HEAD_WEIGHT = 2.0  # 3.0 / 1.5: the weight the separate head field had against the abstract
BIO_WEIGHT = 0.4  # 0.6 / 1.5: the weight the separate bio field had against the abstract
# The free-text fields of indexes built before ``body`` existed, searched until a reindex.
LEGACY_FIELD_BOOSTS: dict[str, float] = {
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


class WeightedText(TEXT):
    """Positional text made of parts (split at PART_SEPARATOR), each with its own term weight.

    Whoosh scores a term by the summed weights of its occurrences, so a part weighted 0.4
    counts as 0.4 of an occurrence: one field can rank abstract words over bio words without
    a second posting list per query word. Parts are far apart in position, so phrases never
    run from one part into the next.
    """

    PART_SEPARATOR = "\x1e"
    _PART_GAP = 100

    def __init__(self, part_weights: Sequence[float], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.part_weights = tuple(float(w) for w in part_weights)

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        positions: dict[str, list[int]] = {}
        weights: dict[str, float] = {}
        start = 0
        for number, part in enumerate(str(value).split(self.PART_SEPARATOR)):
            weight = self.part_weights[min(number, len(self.part_weights) - 1)]
            last = start - 1
            tokens = self.analyzer(
                part, positions=True, mode="index", start_pos=start, removestops=True
            )
            for token in tokens:
                if token.stopped:
                    continue
                positions.setdefault(token.text, []).append(token.pos)
                weights[token.text] = weights.get(token.text, 0.0) + weight
                last = token.pos
            start = last + 1 + self._PART_GAP
        boost = self.format.field_boost
        for text, poslist in positions.items():
            yield (
                text.encode("utf-8"),
                len(poslist),
                weights[text] * boost,
                self.format.encode(poslist),
            )


def free_text_boosts(schema: Schema) -> dict[str, float]:
    """The free-text fields to search in an index and their boosts.

    An index written by an older version (no ``body`` field) keeps answering from its own
    fields until the next reindex brings the current schema.
    """
    if all(name in schema for name in FIELD_BOOSTS):
        return dict(FIELD_BOOSTS)
    return {name: boost for name, boost in LEGACY_FIELD_BOOSTS.items() if name in schema}


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
    prose = bilingual_analyzer()
    names = name_analyzer()
    labels = label_analyzer()
    return Schema(
        id=ID(unique=True, stored=True),
        url=STORED(),
        # Free text: the head (title, topic, themes, industries), abstract and bios of a talk.
        # The fields after it serve fielded queries, highlighting and similar talks.
        body=WeightedText((HEAD_WEIGHT, 1.0, BIO_WEIGHT), analyzer=prose),
        title=TEXT(analyzer=prose, stored=True),
        topic=TEXT(analyzer=prose, stored=True),
        abstract=TEXT(analyzer=prose, stored=True),
        bio=TEXT(analyzer=prose),
        speaker=TEXT(analyzer=names),
        org=TEXT(analyzer=names),
        theme=TEXT(analyzer=labels),
        industry=TEXT(analyzer=labels),
        series=TEXT(analyzer=english_analyzer()),
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

    Every prose field goes through the bilingual analyzer whatever the talk's language: Danish
    pages quote English terms, and a wrongly detected language must not hide a talk.
    """
    talk_id = int(doc["id"])
    title, topic = _text(doc.get("title")), _text(doc.get("topic"))
    abstract, bios = _text(doc.get("abstract")), _text(doc.get("bios"))
    separator = WeightedText.PART_SEPARATOR
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
        "title": title,
        "topic": topic,
        "body": separator.join(
            part.replace(separator, " ")
            for part in ("\n".join([title, topic, *themes, *industries]), abstract, bios)
        ),
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
    "BIO_WEIGHT",
    "FACET_FIELDS",
    "FIELD_ALIASES",
    "FIELD_BOOSTS",
    "HEAD_WEIGHT",
    "LEGACY_FIELD_BOOSTS",
    "MULTI_VALUED_FACETS",
    "ValueList",
    "WeightedText",
    "build_schema",
    "facet_field",
    "free_text_boosts",
    "to_fields",
]

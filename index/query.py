"""Turning a user's query text and facet filters into Whoosh queries, tolerating any input.

Query language (documented for the search page's help text):

* words are ANDed; each is looked up in the talk's title, topic, themes, industries,
  speakers and organisations (these weigh most), abstract and bios (these weigh least),
  English and Danish word forms alike; ``OR``, ``NOT``, ``( )`` and
  ``"phrases"`` work as usual, ``manag*`` is a prefix search;
* fields: ``speaker:``, ``org:`` (also ``organisation:``), ``theme:``, ``industry:``,
  ``lang:``, ``title:``, ``topic:``, ``abstract:``, ``bio:``, ``year:``, ``date:``;
* ranges: ``year:2014``, ``year:[2014 TO 2016]``, ``year:2014..2016``, ``date:2014-05``,
  ``date:[2014 TO 2016]``, ``date:2014..2016``;
* anything the parser cannot understand falls back to a search for its plain words (any of
  them), and the caller is told so through ``query_error``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence

from whoosh import query as wq
from whoosh.fields import Schema
from whoosh.qparser import (
    AndGroup,
    BoostPlugin,
    EveryPlugin,
    FieldAliasPlugin,
    FieldsPlugin,
    GroupPlugin,
    MultifieldParser,
    OperatorsPlugin,
    OrGroup,
    PhrasePlugin,
    RangePlugin,
    SingleQuotePlugin,
    WildcardPlugin,
)

from index.schema import FACET_FIELDS, FIELD_ALIASES, free_text_boosts

_RANGE_RE = re.compile(
    r"\b(year|date):(\d{4}(?:-\d{1,2}){0,2})\s*(?:\.\.|–)\s*(\d{4}(?:-\d{1,2}){0,2})(?![\w-])",
    re.IGNORECASE,
)
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_WORD_RE = re.compile(r"\w+")
# Parts of a query the synonym expansion must leave alone: quoted phrases and field:value.
_PROTECTED_RE = re.compile(r'"[^"]*"?|\w+:(?:"[^"]*"?|\[[^\]]*\]?|\S+)')

ParsedQuery = tuple[wq.Query | None, str | None]


def make_parser(schema: Schema) -> MultifieldParser:
    """The free-text parser: all text fields with their boosts, words ANDed, field aliases."""
    boosts = free_text_boosts(schema)
    parser = MultifieldParser(list(boosts), schema, fieldboosts=boosts, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def make_words_parser(schema: Schema) -> MultifieldParser:
    """The fallback parser: plain words ORed across the text fields, no syntax at all."""
    boosts = free_text_boosts(schema)
    parser = MultifieldParser(list(boosts), schema, fieldboosts=boosts, group=OrGroup)
    for plugin in (
        FieldsPlugin,
        WildcardPlugin,
        PhrasePlugin,
        RangePlugin,
        GroupPlugin,
        OperatorsPlugin,
        BoostPlugin,
        EveryPlugin,
        SingleQuotePlugin,
    ):
        parser.remove_plugin_class(plugin)
    return parser


def normalise_ranges(text: str) -> str:
    """Rewrite ``year:2014..2016`` (or ``date:``) into the parser's ``year:[2014 TO 2016]``."""
    return _RANGE_RE.sub(lambda m: f"{m.group(1).lower()}:[{m.group(2)} TO {m.group(3)}]", text)


def is_browse(text: str) -> bool:
    """True when the text asks for everything: empty, ``*`` or ``*:*``."""
    return text.strip() in ("", "*", "*:*")


def plain_words(text: str) -> str:
    """The words of a query with every bit of syntax (and operator word) dropped."""
    return " ".join(w for w in _WORD_RE.findall(text) if w not in _OPERATOR_WORDS)


def query_errors(q: wq.Query) -> list[str]:
    """Messages of the error markers Whoosh leaves in a parsed query instead of raising."""
    found: list[str] = []
    stack = [q]
    while stack:
        node = stack.pop()
        error = getattr(node, "error", None)
        if error:
            found.append(str(error))
        stack.extend(node.children())
    return found


def parse_user_query(
    parser: MultifieldParser,
    words_parser: MultifieldParser,
    text: str,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> ParsedQuery:
    """Parse any query text; returns (query or None for "everything", error message or None).

    Broken syntax never raises: the plain words are searched instead and the message says so.
    """
    if is_browse(text):
        return None, None
    prepared = normalise_ranges(text)
    if synonyms:
        prepared = expand_synonyms(prepared, synonyms)
    try:
        q = parser.parse(prepared)
        errors = query_errors(q)
    except Exception as exc:  # the parser's failure modes are not all QueryParserError
        q, errors = wq.NullQuery, [str(exc) or type(exc).__name__]
    if not errors and q != wq.NullQuery:
        return q, None
    return fallback_query(words_parser, text, errors)


def fallback_query(words_parser: MultifieldParser, text: str, errors: Sequence[str]) -> ParsedQuery:
    """A plain-words query for text the parser rejected (None when there are no words)."""
    words = plain_words(text)
    message = None
    if errors:
        message = (
            "Could not understand the query syntax ({}); searched for the words instead.".format(
                "; ".join(dict.fromkeys(errors))
            )
        )
    if not words:
        return None, message
    try:
        q = words_parser.parse(words)
    except Exception:
        return wq.NullQuery, message
    return q, message


def expand_synonyms(text: str, synonyms: Mapping[str, Sequence[str]]) -> str:
    """Replace each synonym in the text by ``(theme:"label" OR its spellings)``.

    ``synonyms`` maps a theme label to its terms ("Health care IT" → ["healthcare",
    "sundheds-it", ...]). Matching ignores case and treats hyphens and spaces alike; longer
    terms win over shorter ones, quoted phrases and ``field:value`` parts are left alone. A hit
    costs one clause on the short theme field (every talk the taxonomy tagged with the theme)
    beside the term's own spellings ("health-care" also finds "healthcare"), instead of every
    alternative term as a phrase across every text field.
    """
    matcher = _synonym_matcher(freeze_synonyms(synonyms))
    if matcher is None:
        return text
    pattern, labels = matcher
    taken = [(m.start(), m.end()) for m in _PROTECTED_RE.finditer(text)]
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        start, end = match.span()
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        label, spellings = labels[_normal(match.group(0))]
        clean_label = " ".join(label.replace('"', " ").split())
        words = [f'"{w}"' if " " in w else w for w in spellings]
        pieces.append(text[last:start])
        pieces.append("(" + " OR ".join([f'theme:"{clean_label}"', *words]) + ")")
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def _normal(term: str) -> str:
    return " ".join(re.split(r"[\s\-‐–]+", term.strip().casefold()))


def freeze_synonyms(
    synonyms: Mapping[str, Sequence[str]],
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple((label, tuple(terms)) for label, terms in synonyms.items())


@functools.lru_cache(maxsize=8)
def _synonym_matcher(
    frozen: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[re.Pattern[str], dict[str, tuple[str, tuple[str, ...]]]] | None:
    """One compiled pattern for every term (longest first), and per normalised term its label
    and its spellings: the terms that differ from it only by spaces and hyphens
    ("health-care" → "healthcare", "health care")."""
    labels: dict[str, str] = {}
    for label, terms in frozen:
        for term in [label, *terms]:
            if _WORD_RE.search(term) and '"' not in term:
                labels.setdefault(_normal(term), label)
    if not labels:
        return None
    groups: dict[tuple[str, str], list[str]] = {}
    for key, label in labels.items():
        groups.setdefault((label, key.replace(" ", "")), []).append(key)
    found = {
        key: (label, tuple(sorted(groups[(label, key.replace(" ", ""))])))
        for key, label in labels.items()
    }
    alternatives = [
        r"[\s\-‐–]+".join(re.escape(part) for part in key.split(" "))
        for key in sorted(labels, key=lambda k: (-len(k), k))
    ]
    pattern = re.compile(
        r"(?<![\w:\-])(?:" + "|".join(alternatives) + r")(?![\w:\-])", re.IGNORECASE
    )
    return pattern, found


def filter_query(
    filters: Mapping[str, Iterable[object]],
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> wq.Query | None:
    """Facet filters and a date range as one query: values OR within a facet, AND across.

    ``filters`` maps facet names (industry, theme, year, organisation, language, speaker) to
    the exact values shown in the facet lists.
    """
    clauses: list[wq.Query] = []
    for facet, values in filters.items():
        field = FACET_FIELDS[facet]
        texts = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
        if field == "lang":
            texts = [t.lower() for t in texts]
        terms: list[wq.Query] = [wq.Term(field, t) for t in texts]
        if len(terms) == 1:
            clauses.append(terms[0])
        elif terms:
            clauses.append(wq.Or(terms))
    if date_from is not None or date_to is not None:
        start = dt.datetime.combine(date_from, dt.time.min) if date_from else None
        end = dt.datetime.combine(date_to, dt.time.max) if date_to else None
        clauses.append(wq.DateRange("date", start, end))
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)

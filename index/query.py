"""Turning a user's query text and facet filters into Whoosh queries, tolerating any input.

Query language (documented for the search page's help text):

* words are ANDed; each is looked up in the talk's head (title, topic, speakers,
  organisations, themes, industries; weighs most), abstract, Danish-stemmed text and bios;
  ``OR``, ``NOT``, ``( )`` and
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
    QueryParser,
    RangePlugin,
    SingleQuotePlugin,
    WildcardPlugin,
)

from index.schema import FACET_FIELDS, FIELD_ALIASES, FIELD_BOOSTS

_RANGE_RE = re.compile(
    r"\b(year|date):(\d{4}(?:-\d{1,2}){0,2})\s*(?:\.\.|–)\s*(\d{4}(?:-\d{1,2}){0,2})(?![\w-])",
    re.IGNORECASE,
)
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"})
_WORD_RE = re.compile(r"\w+")
# Parts of a query the synonym expansion must leave alone: quoted phrases and field:value.
_PROTECTED_RE = re.compile(r'"[^"]*"?|\w+:(?:"[^"]*"?|\[[^\]]*\]?|\S+)')
_MAX_ALTERNATIVES = 25

ParsedQuery = tuple[wq.Query | None, str | None]


def make_parser(schema: Schema) -> MultifieldParser:
    """The free-text parser: all text fields with their boosts, words ANDed, field aliases."""
    parser = MultifieldParser(list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def make_words_parser(schema: Schema) -> MultifieldParser:
    """The fallback parser: plain words ORed across the text fields, no syntax at all."""
    parser = MultifieldParser(list(FIELD_BOOSTS), schema, fieldboosts=FIELD_BOOSTS, group=OrGroup)
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


def make_spelling_parser(schema: Schema) -> QueryParser:
    """Parses the query against the unstemmed ``spell`` field for "did you mean"."""
    parser = QueryParser("spell", schema, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
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
    """Replace each synonym found in the text by an OR of the label's terms and ``theme:"label"``.

    ``synonyms`` maps a theme label to its terms ("Health care IT" → ["healthcare",
    "sundheds-it", ...]). Matching ignores case and treats hyphens and spaces alike; longer
    terms win over shorter ones, quoted phrases and ``field:value`` parts are left alone.
    """
    candidates: list[tuple[str, str]] = []
    for label, terms in synonyms.items():
        for term in [label, *terms]:
            if _WORD_RE.search(term):
                candidates.append((term, label))
    candidates.sort(key=lambda c: -len(c[0]))
    taken = [(m.start(), m.end()) for m in _PROTECTED_RE.finditer(text)]
    replacements: list[tuple[int, int, str]] = []
    for term, label in candidates:
        for match in _term_pattern(term).finditer(text):
            span = (match.start(), match.end())
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            replacements.append((*span, _alternatives(label, synonyms[label])))
    for start, end, replacement in sorted(replacements, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _term_pattern(term: str) -> re.Pattern[str]:
    parts = [re.escape(p) for p in re.split(r"[\s\-‐–]+", term.strip()) if p]
    return re.compile(r"(?<![\w:])" + r"[\s\-‐–]+".join(parts) + r"(?![\w:])", re.IGNORECASE)


def _alternatives(label: str, terms: Iterable[str]) -> str:
    seen: dict[str, None] = {}
    for term in [label, *terms]:
        cleaned = " ".join(term.replace('"', " ").split())
        if cleaned and cleaned.casefold() not in {s.casefold() for s in seen}:
            seen[cleaned] = None
    quoted = [f'"{t}"' if re.search(r"\W", t) else t for t in list(seen)[:_MAX_ALTERNATIVES]]
    clean_label = " ".join(label.replace('"', " ").split())
    return "(" + " OR ".join([*quoted, f'theme:"{clean_label}"']) + ")"


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

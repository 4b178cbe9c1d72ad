"""Searching the talk index: free text, facet filters and counts, snippets, spelling, similar talks.

Each thread keeps one open searcher per index folder, refreshed on every call (cheap when
nothing changed) and reopened when a rebuild swapped in a new generation; opening one costs
tens of milliseconds, so it is never done per request. Facet counts, the costly part of a
faceted search in pure-Python Whoosh, are cached per (query, filters) and index generation.
See :mod:`index.query` for the query language.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from whoosh import highlight, sorting
from whoosh import query as wq
from whoosh.searching import Searcher

from index.analysis import name_key
from index.query import (
    filter_query,
    make_parser,
    make_spelling_parser,
    make_words_parser,
    parse_user_query,
    plain_words,
)
from index.schema import FACET_FIELDS, MULTI_VALUED_FACETS
from index.writer import IndexMissingError, current_generation, open_current

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
SUGGEST_BELOW = 3  # "did you mean" is offered when a query finds fewer hits than this
SNIPPET_CHARS = 240
_HIGHLIGHT_CHARS = 4000  # analysing long abstracts per hit is the slow part of a page
_FACET_CACHE_SIZE = 512


@dataclass
class SearchRequest:
    """What the user asked for: query text, facet filters, date range, order and page."""

    q: str = ""
    industry: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    year: list[int | str] = field(default_factory=list)
    org: list[str] = field(default_factory=list)
    speaker: list[str] = field(default_factory=list)
    lang: list[str] = field(default_factory=list)
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20

    def filters(self) -> dict[str, list[Any]]:
        """Facet name → selected values (facet names as in :data:`index.schema.FACET_FIELDS`)."""
        return {
            "industry": list(self.industry),
            "theme": list(self.theme),
            "year": list(self.year),
            "organisation": list(self.org),
            "language": list(self.lang),
            "speaker": list(self.speaker),
        }


@dataclass
class Hit:
    """One result: the talk id, its score and HTML snippets (only ``<mark>`` is markup)."""

    id: int
    score: float
    snippet: str
    title_html: str = ""


@dataclass
class SearchResult:
    """A page of results with the facet counts of the whole result set."""

    total: int
    page: int
    per_page: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]]
    suggestion: str | None = None
    query_error: str | None = None


class _Slot:
    """A thread's open searcher on one index folder and the generation it reads."""

    def __init__(self, generation: Path, searcher: Searcher) -> None:
        self.generation = generation
        self.searcher = searcher
        schema = searcher.schema
        self.parser = make_parser(schema)
        self.words_parser = make_words_parser(schema)
        self.spelling_parser = make_spelling_parser(schema)


_local = threading.local()
_facet_cache: OrderedDict[tuple[Any, ...], dict[str, list[tuple[str, int]]]] = OrderedDict()
_facet_lock = threading.Lock()


def _slot(index_dir: Path) -> _Slot | None:
    """This thread's searcher on the live generation (None when there is no index)."""
    slots: dict[str, _Slot] = _local.__dict__.setdefault("slots", {})
    key = os.fspath(index_dir)
    for _attempt in range(2):
        gen = current_generation(Path(index_dir))
        slot = slots.get(key)
        if slot is not None and slot.generation == gen:
            slot.searcher = slot.searcher.refresh()
            return slot
        if slot is not None:
            del slots[key]
            slot.searcher.close()
        if gen is None:
            return None
        try:
            gen, ix = open_current(Path(index_dir))
            slots[key] = _Slot(gen, ix.searcher())
        except (IndexMissingError, OSError) as exc:
            # A rebuild may have swapped and removed the generation we were about to open.
            log.debug("retrying to open %s: %s", index_dir, exc)
            continue
        return slots[key]
    return None


def close_searchers() -> None:
    """Close this thread's searchers (tests, and workers before they exit)."""
    slots: dict[str, _Slot] = _local.__dict__.setdefault("slots", {})
    for slot in slots.values():
        slot.searcher.close()
    slots.clear()


def search(
    index_dir: Path,
    request: SearchRequest,
    *,
    synonyms: Mapping[str, Sequence[str]] | None = None,
) -> SearchResult:
    """Run a search; never raises on user input (broken syntax becomes a plain-words search).

    An empty query with or without filters browses everything matching the filters, newest
    first unless another order is asked for. Missing index → an empty result.
    """
    page = max(1, int(request.page or 1))
    per_page = min(MAX_PER_PAGE, max(1, int(request.per_page or 20)))
    slot = _slot(Path(index_dir))
    if slot is None:
        return SearchResult(0, page, per_page, [], {name: [] for name in FACET_FIELDS})
    text = request.q or ""
    q, query_error = parse_user_query(slot.parser, slot.words_parser, text, synonyms)
    fq = filter_query(request.filters(), request.date_from, request.date_to)
    sort = request.sort if request.sort in SORTS else "relevance"
    if q is None and sort == "relevance":
        sort = "newest"
    try:
        result = _run(index_dir, slot, q, fq, sort, page, per_page)
    except Exception as exc:  # e.g. a phrase on a field without positions fails at match time
        log.info("query %r failed (%s); searching its words instead", text, exc)
        q = slot.words_parser.parse(plain_words(text)) if plain_words(text) else None
        query_error = f"Could not run the query ({exc}); searched for the words instead."
        result = _run(index_dir, slot, q, fq, sort, page, per_page)
    result.query_error = query_error
    if q is not None and result.total < SUGGEST_BELOW and text.strip():
        result.suggestion = _suggest(slot, text, fq, result.total)
    return result


def _run(
    index_dir: Path,
    slot: _Slot,
    q: wq.Query | None,
    fq: wq.Query | None,
    sort: str,
    page: int,
    per_page: int,
) -> SearchResult:
    searcher = slot.searcher
    main = q if q is not None else wq.Every()
    generation = (os.fspath(index_dir), slot.generation.name, searcher.reader().generation())
    cache_key = (*generation, repr(main), repr(fq))
    with _facet_lock:
        facets = _facet_cache.get(cache_key)
        if facets is not None:
            _facet_cache.move_to_end(cache_key)
    groupedby = _facet_spec() if facets is None else None
    sortedby = {
        "newest": sorting.FieldFacet("newest", reverse=True),
        "oldest": sorting.FieldFacet("oldest"),
    }.get(sort)
    limit = page * per_page
    # optimize=False: block-quality skipping would force a second pass to count the total.
    kwargs = {"filter": fq, "sortedby": sortedby, "groupedby": groupedby, "optimize": False}
    results = searcher.search(main, limit=limit, terms=False, **kwargs)
    total = len(results)
    if facets is None:
        facets = {name: _counts(results.groups(name)) for name in FACET_FIELDS}
        with _facet_lock:
            _facet_cache[cache_key] = facets
            while len(_facet_cache) > _FACET_CACHE_SIZE:
                _facet_cache.popitem(last=False)
    terms = _highlight_terms(searcher, q)
    hits = [
        Hit(
            id=int(hit["id"]),
            score=float(hit.score or 0.0) if sortedby is None else 0.0,
            snippet=_snippet(searcher, hit.fields(), terms),
            title_html=_highlight_title(searcher, hit.get("title") or "", terms),
        )
        for hit in results[(page - 1) * per_page : limit]
    ]
    return SearchResult(total, page, per_page, hits, {k: list(v) for k, v in facets.items()})


def _facet_spec() -> dict[str, sorting.FacetType]:
    return {
        name: sorting.FieldFacet(
            fieldname, allow_overlap=name in MULTI_VALUED_FACETS, maptype=sorting.Count
        )
        for name, fieldname in FACET_FIELDS.items()
    }


def _counts(groups: Mapping[Any, int]) -> list[tuple[str, int]]:
    """Facet counts sorted by count (descending) then value, without the "no value" bucket."""
    pairs = []
    for key, count in groups.items():
        value = (
            key.decode("utf-8") if isinstance(key, bytes) else str(key if key is not None else "")
        )
        if value:
            pairs.append((value, int(count)))
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


_HIGHLIGHT_FIELDS = frozenset({"abstract", "title", "head", "text_da"})


def _highlight_terms(searcher: Searcher, q: wq.Query | None) -> dict[str, frozenset[str]]:
    """The query's terms in the highlighted fields, as text, prefixes and wildcards expanded.

    (Whoosh's own ``Query.existing_terms`` stops after the first field it sees, so the leaves
    are walked here.)
    """
    if q is None:
        return {}
    by_field: dict[str, set[str]] = {}
    reader = searcher.reader()
    for leaf in q.leaves():
        if leaf.field() not in _HIGHLIGHT_FIELDS:
            continue
        try:
            terms = list(leaf.expanded_terms(reader, phrases=True))
        except Exception:  # a leaf that cannot list its terms simply gets no highlights
            continue
        for fieldname, text in terms:
            value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            by_field.setdefault(fieldname, set()).add(value)
    return {k: frozenset(v) for k, v in by_field.items()}


class _MarkFormatter(highlight.HtmlFormatter):
    """Bare ``<mark>`` around matches; all other text HTML-escaped by the base class."""

    def format_token(self, text: str, token: Any, replace: bool = False) -> str:
        return "<mark>" + self._text(highlight.get_text(text, token, replace)) + "</mark>"


_FORMATTER = _MarkFormatter(tagname="mark", between=" … ")


def _highlight(
    searcher: Searcher, fieldname: str, text: str, terms: frozenset[str], top: int
) -> str:
    analyzer = searcher.schema[fieldname].analyzer
    fragmenter = highlight.ContextFragmenter(maxchars=SNIPPET_CHARS, surround=60)
    return str(
        highlight.highlight(
            text[:_HIGHLIGHT_CHARS], terms, analyzer, fragmenter, _FORMATTER, top=top
        )
    )


def _snippet(
    searcher: Searcher, stored: Mapping[str, Any], terms: Mapping[str, frozenset[str]]
) -> str:
    """Highlighted fragments of the abstract, or its escaped opening when nothing matched."""
    abstract = stored.get("abstract") or ""
    if abstract and terms.get("abstract"):
        snippet = _highlight(searcher, "abstract", abstract, terms["abstract"], top=2)
        if snippet:
            return snippet
    if abstract and terms.get("text_da"):
        snippet = _highlight(searcher, "text_da", abstract, terms["text_da"], top=2)
        if snippet:
            return snippet
    return html.escape(_opening(abstract or stored.get("topic") or "", SNIPPET_CHARS), quote=False)


def _highlight_title(searcher: Searcher, title: str, terms: Mapping[str, frozenset[str]]) -> str:
    # The title is searched through "head", which shares the title's analyzer.
    wanted = terms.get("title", frozenset()) | terms.get("head", frozenset())
    if title and wanted:
        marked = highlight.highlight(
            title,
            wanted,
            searcher.schema["title"].analyzer,
            highlight.WholeFragmenter(),
            _FORMATTER,
            top=1,
        )
        if marked:
            return str(marked)
    return html.escape(title, quote=False)


def _opening(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _suggest(slot: _Slot, text: str, fq: wq.Query | None, total: int) -> str | None:
    """A corrected query string that finds more talks than the one typed, if there is one."""
    searcher = slot.searcher
    try:
        spelled = slot.spelling_parser.parse(text)
        correction = searcher.correct_query(spelled, text, prefix=1, maxdist=2)
        corrected = str(correction.string)
    except Exception as exc:
        log.debug("no spelling correction for %r: %s", text, exc)
        return None
    if not corrected or corrected.strip().lower() == text.strip().lower():
        return None
    q, error = parse_user_query(slot.parser, slot.words_parser, corrected)
    if q is None or error:
        return None
    found = len(searcher.search(q, filter=fq, limit=1))
    enough = found > 0 if total == 0 else found >= 3 * total
    return corrected if enough else None


def facet_values(index_dir: Path, facet: str) -> list[tuple[str, int]]:
    """Counts of every value of a facet over the whole index (for browse pages)."""
    if facet not in FACET_FIELDS:
        raise KeyError(f"unknown facet {facet!r}; expected one of {sorted(FACET_FIELDS)}")
    return search(Path(index_dir), SearchRequest(per_page=1)).facets[facet]


def suggest_speakers(index_dir: Path, prefix: str, limit: int = 10) -> list[str]:
    """Speaker names for autocomplete: any name word starting with the prefix, accents ignored.

    Names whose first word matches come first, then names with more talks, then alphabetical.
    """
    wanted = " ".join(name_key(w) for w in prefix.lower().split())
    if not wanted or limit <= 0:
        return []
    ranked: list[tuple[int, int, str]] = []
    for name, count in facet_values(Path(index_dir), "speaker"):
        key = " ".join(name_key(w) for w in name.lower().split())
        if key.startswith(wanted):
            ranked.append((0, -count, name))
        elif f" {wanted}" in f" {key}":
            ranked.append((1, -count, name))
    return [name for _, _, name in sorted(ranked)[:limit]]


def more_like_this(index_dir: Path, talk_id: int, limit: int = 5) -> list[int]:
    """Ids of talks similar to the given one by the key terms of its title, topic and abstract."""
    slot = _slot(Path(index_dir))
    if slot is None or limit <= 0:
        return []
    searcher = slot.searcher
    docnum = searcher.document_number(id=str(int(talk_id)))
    if docnum is None:
        return []
    stored = searcher.stored_fields(docnum)
    text = "\n".join(stored.get(k) or "" for k in ("title", "topic", "abstract"))
    if not text.strip():
        return []
    results = searcher.more_like(docnum, "abstract", text=text, top=limit, numterms=12)
    return [int(hit["id"]) for hit in results]

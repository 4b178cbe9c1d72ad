"""Searching the talk index: free text, facet filters and counts, snippets, spelling, similar talks.

Each thread keeps one open searcher per index folder (:mod:`index.searchers`). Result sets
with their facet counts are cached per (query, filters, order), reader layout (see
:func:`index.facets.layout`) and the caller's position (the change-log sequence the folder
applied); the documents each filter set allows, and its own facet counts, are kept across
requests by :mod:`index.filtersets` under the same key. See :mod:`index.query` for the query
language.

A damaged index (a truncated segment file, say) raises :class:`IndexUnreadableError` from
every public function here.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq
from whoosh.searching import Searcher

from index import facets, filtersets, ranking, spelling
from index import highlight as marks
from index.analysis import name_key
from index.generations import IndexUnreadableError
from index.query import (
    filter_query,
    freeze_synonyms,
    parse_user_query,
    plain_words,
)
from index.schema import FACET_FIELDS
from index.searchers import Slot, close_searchers, guarded, slot_for

__all__ = ["IndexUnreadableError", "close_searchers"]  # re-exported for callers and tests

log = logging.getLogger(__name__)

SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
SUGGEST_BELOW = 3  # "did you mean" is offered when a query finds fewer hits than this
_KEEP = 200  # ranked documents kept per cached result set (ten pages of twenty)
_RESULT_CACHE_SIZE = 256
_PARSE_CACHE_SIZE = 1024
_PAGES_PER_ENTRY = 8


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


_result_cache: OrderedDict[tuple[Any, ...], _Ranked] = OrderedDict()
_parse_cache: OrderedDict[tuple[Any, ...], tuple[wq.Query | None, str | None]] = OrderedDict()
_cache_lock = threading.Lock()


def search(
    index_dir: Path,
    request: SearchRequest,
    *,
    synonyms: Mapping[str, Sequence[str]] | None = None,
    position: Hashable = None,
) -> SearchResult:
    """Run a search; never raises on user input (broken syntax becomes a plain-words search).

    An empty query with or without filters browses everything matching the filters, newest
    first unless another order is asked for. Missing index → an empty result; an index that
    cannot be read → :class:`IndexUnreadableError`. ``position`` names the data the index
    reflects (the archive gives the change-log sequence the folder applied): results, filter
    sets and facet counts kept from another position are never used.
    """
    with guarded(Path(index_dir)):
        return _search(Path(index_dir), request, synonyms, position)


def _search(
    index_dir: Path,
    request: SearchRequest,
    synonyms: Mapping[str, Sequence[str]] | None,
    position: Hashable,
) -> SearchResult:
    page = max(1, int(request.page or 1))
    per_page = min(MAX_PER_PAGE, max(1, int(request.per_page or 20)))
    slot = slot_for(Path(index_dir))
    if slot is None:
        return SearchResult(0, page, per_page, [], {name: [] for name in FACET_FIELDS})
    text = request.q or ""
    q, query_error = _parse(slot, text, synonyms)
    fq = filter_query(request.filters(), request.date_from, request.date_to)
    sort = request.sort if request.sort in SORTS else "relevance"
    if q is None and sort == "relevance":
        sort = "newest"
    try:
        entry = _ranked(index_dir, slot, q, fq, sort, page * per_page, position)
    except Exception as exc:  # e.g. a phrase on a field without positions fails at match time
        log.info("query %r failed (%s); searching its words instead", text, exc)
        q = slot.words_parser.parse(plain_words(text)) if plain_words(text) else None
        query_error = f"Could not run the query ({exc}); searched for the words instead."
        entry = _ranked(index_dir, slot, q, fq, sort, page * per_page, position)
    result = _page(slot, entry, q, page, per_page, scored=sort == "relevance")
    result.query_error = query_error
    if q is not None and result.total < SUGGEST_BELOW and text.strip():
        if entry.suggestion is _UNSET:
            entry.suggestion = _suggest(Path(index_dir), slot, text, fq, result.total, synonyms)
        result.suggestion = entry.suggestion if isinstance(entry.suggestion, str) else None
    return result


_UNSET = object()


@dataclass
class _Ranked:
    """A result set's first documents in order, its size and facet counts (cached)."""

    total: int
    ranked: list[tuple[int, float]]
    complete: bool
    facets: dict[str, list[tuple[str, int]]]
    suggestion: object = _UNSET
    pages: dict[tuple[int, int], list[Hit]] = field(default_factory=dict)


def _parse(
    slot: Slot, text: str, synonyms: Mapping[str, Sequence[str]] | None
) -> tuple[wq.Query | None, str | None]:
    """Parse query text, remembering recent parses (queries are immutable once built)."""
    key = (text, freeze_synonyms(synonyms) if synonyms else None)
    with _cache_lock:
        found = _parse_cache.get(key)
        if found is not None:
            _parse_cache.move_to_end(key)
            return found
    parsed = parse_user_query(slot.parser, slot.words_parser, text, synonyms)
    with _cache_lock:
        _parse_cache[key] = parsed
        while len(_parse_cache) > _PARSE_CACHE_SIZE:
            _parse_cache.popitem(last=False)
    return parsed


def _ranked(
    index_dir: Path,
    slot: Slot,
    q: wq.Query | None,
    fq: wq.Query | None,
    sort: str,
    limit: int,
    position: Hashable,
) -> _Ranked:
    """The ordered result set, from the cache when this index state and position have
    answered it before; the filters' documents and counts from :mod:`index.filtersets`."""
    searcher = slot.searcher
    prefix = (os.fspath(index_dir), slot.generation.name)
    state = (slot.generation.name, facets.layout(searcher.reader()), position)
    key = (prefix[0], *state, repr(q), repr(fq), sort)
    with _cache_lock:
        entry = _result_cache.get(key)
        if entry is not None:
            _result_cache.move_to_end(key)
    if entry is not None and (entry.complete or len(entry.ranked) >= limit):
        return entry
    snap = facets.snapshot(prefix, searcher.reader())
    keep = max(limit, _KEEP)

    def filtered() -> NDArray[np.bool_]:
        return snap.live_mask if fq is None else snap.live_mask & ranking.matching(searcher, fq)

    fset = filtersets.lookup(prefix[0], state, "" if fq is None else repr(fq), filtered)
    allowed = fset.allowed
    if q is None or sort != "relevance":
        docs: set[int] | None = None
        chosen = allowed
        if q is not None:
            chosen = allowed & ranking.matching(searcher, q)
        if q is not None or fq is not None:
            docs = set(np.flatnonzero(chosen).tolist())
        order = snap.ordered(docs, newest=sort != "oldest", limit=keep)
        total = len(snap.live) if docs is None else len(docs)
        # The filters' own counts are kept across requests; a query's are over its matches.
        counted = fset.counts(snap) if q is None else snap.counts(chosen)
        ranked = [(docnum, 0.0) for docnum in order]
    else:
        # Every match is scored once (as arrays) and the matching set kept for the counts.
        found = ranking.rank(searcher, q, allowed)
        total = len(found.docs)
        ranked = found.top(keep)
        counted = snap.counts(found.docs)
    entry = _Ranked(total, ranked, len(ranked) >= total, counted)
    with _cache_lock:
        _result_cache[key] = entry
        while len(_result_cache) > _RESULT_CACHE_SIZE:
            _result_cache.popitem(last=False)
    return entry


def _page(
    slot: Slot, entry: _Ranked, q: wq.Query | None, page: int, per_page: int, scored: bool
) -> SearchResult:
    """Stored fields and highlights for the hits of one page only (remembered per page)."""
    searcher = slot.searcher
    hits = entry.pages.get((page, per_page))
    if hits is None:
        hits = _hits(searcher, entry, q, page, per_page, scored)
        if len(entry.pages) < _PAGES_PER_ENTRY:
            entry.pages[(page, per_page)] = hits
    return SearchResult(
        entry.total, page, per_page, list(hits), {k: list(v) for k, v in entry.facets.items()}
    )


def _hits(
    searcher: Searcher, entry: _Ranked, q: wq.Query | None, page: int, per_page: int, scored: bool
) -> list[Hit]:
    terms = marks.query_terms(searcher.reader(), q)
    hits = []
    for docnum, score in entry.ranked[(page - 1) * per_page : page * per_page]:
        stored = searcher.stored_fields(docnum)
        hits.append(
            Hit(
                id=int(stored["id"]),
                score=score if scored else 0.0,
                snippet=marks.snippet(searcher.schema, stored, terms),
                title_html=marks.title(searcher.schema, stored.get("title") or "", terms),
            )
        )
    return hits


def _suggest(
    index_dir: Path,
    slot: Slot,
    text: str,
    fq: wq.Query | None,
    total: int,
    synonyms: Mapping[str, Sequence[str]] | None,
) -> str | None:
    """A corrected query string that finds more talks than the one typed, if there is one
    (each unknown word replaced by the nearest indexed word: :mod:`index.spelling`)."""
    searcher = slot.searcher
    reader = searcher.reader()
    state = (os.fspath(index_dir), slot.generation.name, reader.generation())
    words = spelling.lexicon(state, lambda: reader.field_terms("spell"))
    corrected = spelling.correct(text, words, lambda w: reader.doc_frequency("spell", w))
    if not corrected or corrected.strip().lower() == text.strip().lower():
        return None
    q, error = _parse(slot, corrected, synonyms)
    if q is None or error:
        return None
    found = len(searcher.search(q, filter=fq, limit=1))
    enough = found > 0 if total == 0 else found >= 3 * total
    return corrected if enough else None


def facet_values(index_dir: Path, facet: str, position: Hashable = None) -> list[tuple[str, int]]:
    """Counts of every value of a facet over the whole index (for browse pages)."""
    if facet not in FACET_FIELDS:
        raise KeyError(f"unknown facet {facet!r}; expected one of {sorted(FACET_FIELDS)}")
    return search(Path(index_dir), SearchRequest(per_page=1), position=position).facets[facet]


def suggest_speakers(
    index_dir: Path, prefix: str, limit: int = 10, position: Hashable = None
) -> list[str]:
    """Speaker names for autocomplete: any name word starting with the prefix, accents ignored.

    Names whose first word matches come first, then names with more talks, then alphabetical.
    """
    wanted = " ".join(name_key(w) for w in prefix.lower().split())
    if not wanted or limit <= 0:
        return []
    ranked: list[tuple[int, int, str]] = []
    names = facet_values(Path(index_dir), "speaker", position)
    for name, count, key in _speaker_keys(tuple(names)):
        if key.startswith(wanted):
            ranked.append((0, -count, name))
        elif f" {wanted}" in f" {key}":
            ranked.append((1, -count, name))
    return [name for _, _, name in sorted(ranked)[:limit]]


@functools.lru_cache(maxsize=4)
def _speaker_keys(counts: tuple[tuple[str, int], ...]) -> list[tuple[str, int, str]]:
    """Speaker names with their lossy keys, worked out once per set of names and counts."""
    return [(name, n, " ".join(name_key(w) for w in name.lower().split())) for name, n in counts]


def more_like_this(index_dir: Path, talk_id: int, limit: int = 5) -> list[int]:
    """Ids of talks similar to the given one by the key terms of its title, topic and abstract."""
    with guarded(Path(index_dir)):
        return _more_like_this(Path(index_dir), talk_id, limit)


def _more_like_this(index_dir: Path, talk_id: int, limit: int) -> list[int]:
    slot = slot_for(index_dir)
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

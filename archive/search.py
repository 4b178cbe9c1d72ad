"""The archive's thin search layer: request arguments → index query → talks from the database.

When the index cannot be read, searches are answered from the database instead
(:mod:`archive.dbsearch`) with a notice, similar talks are left out and autocomplete and browse
counts come from the database; the cause is logged once per process and cause.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive import dbsearch, replica, summaries
from archive.models import Appearance, Talk
from index import search as index_search
from index.writer import IndexMissingError, IndexUnreadableError
from scraper.extract.rules import load_rules
from scraper.extract.themes import theme_synonyms

FACETS = ("industry", "theme", "year", "org", "speaker", "lang")
SORTS = ("relevance", "newest", "oldest")
MAX_PER_PAGE = 100
#: What an unreadable index raises from :mod:`index.search` (missing: retries ran out).
UNAVAILABLE = (IndexUnreadableError, IndexMissingError)

log = logging.getLogger(__name__)
_reported: set[str] = set()
_reported_lock = threading.Lock()


#: What a page holds per hit: the ORM talk, or the summary a results list shows.
T = TypeVar("T", Talk, summaries.TalkSummary)


@dataclass
class Page(Generic[T]):
    """One page of search results with the talks loaded from the database."""

    result: index_search.SearchResult
    talks: list[tuple[T, str]]
    request: index_search.SearchRequest
    #: Set when the results did not come from the index (see :data:`dbsearch.NOTICE`).
    notice: str | None = None

    @property
    def pages(self) -> int:
        """Number of result pages."""
        per = max(self.request.per_page, 1)
        return max(1, -(-self.result.total // per))


@functools.lru_cache(maxsize=4)
def _synonyms(rules_dir: str) -> Mapping[str, Sequence[str]]:
    path = Path(rules_dir)
    return theme_synonyms(load_rules(path if path.is_dir() else None).taxonomy)


def synonyms() -> Mapping[str, Sequence[str]]:
    """Theme label → terms from the (possibly admin-edited) vocabulary."""
    return _synonyms(str(current_app.config["RULES_DIR"]))


def _int(value: str | None, default: int, low: int, high: int) -> int:
    try:
        number = int(value or default)
    except (TypeError, ValueError):
        return default
    return min(max(number, low), high)


def _date(value: str | None, end: bool = False) -> dt.date | None:
    """A date from ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; None for anything else."""
    if not value:
        return None
    value = value.strip()
    try:
        if len(value) == 4:
            return dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:7])
            if end:
                nxt = dt.date(year + month // 12, month % 12 + 1, 1)
                return nxt - dt.timedelta(days=1)
            return dt.date(year, month, 1)
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def request_from_args(
    args: Mapping[str, Any], per_page_default: int = 20
) -> index_search.SearchRequest:
    """Build a search request from URL arguments; anything malformed is ignored, never fatal."""

    def many(key: str) -> list[str]:
        getlist = getattr(args, "getlist", None)
        values = getlist(key) if getlist else ([args[key]] if key in args else [])
        return [str(v).strip() for v in values if str(v).strip()][:20]

    sort = str(args.get("sort") or "relevance")
    return index_search.SearchRequest(
        q=str(args.get("q") or "")[:500],
        industry=many("industry"),
        theme=many("theme"),
        year=[y for y in many("year") if y.isdigit() and len(y) == 4],
        org=many("org"),
        speaker=many("speaker"),
        lang=many("lang"),
        date_from=_date(args.get("from")),
        date_to=_date(args.get("to"), end=True),
        sort=sort if sort in SORTS else "relevance",
        page=_int(args.get("page"), 1, 1, 10_000),
        per_page=_int(args.get("per_page"), per_page_default, 1, MAX_PER_PAGE),
    )


def load_talks(session: Session, ids: Sequence[int]) -> dict[int, Talk]:
    """Talks by id with their speakers and organisations, in one query."""
    if not ids:
        return {}
    rows = session.scalars(
        select(Talk)
        .where(Talk.id.in_(ids), Talk.hidden.is_(False))
        .options(
            selectinload(Talk.appearances).selectinload(Appearance.speaker),
            selectinload(Talk.appearances).selectinload(Appearance.organisation),
        )
    )
    return {talk.id: talk for talk in rows}


def index_unavailable(exc: Exception) -> None:
    """Log why the index could not answer: in full the first time, briefly after that."""
    cause = str(exc)
    with _reported_lock:
        first = cause not in _reported
        _reported.add(cause)
    if first:
        log.error("search index unavailable, answering from the database: %s", cause, exc_info=exc)
    else:
        log.debug("search index still unavailable: %s", cause)


def position(index_dir: Path) -> int | None:
    """The change-log sequence the folder's index reflects: what the index keeps between
    requests (result sets, filter sets, facet counts) is keyed by it, so every change-log
    entry the node applies retires them (read from the folder per request: other processes
    apply entries too)."""
    return replica.applied_seq(index_dir)


def _hits(
    session: Session, request: index_search.SearchRequest
) -> tuple[index_search.SearchResult, str | None]:
    """The index's answer, or the database's with a notice when the index cannot be read."""
    index_dir: Path = current_app.config["INDEX_DIR"]
    try:
        found = index_search.search(
            index_dir, request, synonyms=synonyms(), position=position(index_dir)
        )
        return found, None
    except UNAVAILABLE as exc:
        index_unavailable(exc)
        return dbsearch.search(session, request), dbsearch.NOTICE


def run(session: Session, request: index_search.SearchRequest) -> Page[Talk]:
    """Search the index and load the talks of the hits (hidden or vanished rows are dropped).

    An index that cannot be read is searched around: the database answers, with a notice.
    """
    result, notice = _hits(session, request)
    talks = load_talks(session, [hit.id for hit in result.hits])
    rows = [(talks[h.id], h.snippet) for h in result.hits if h.id in talks]
    return Page(result=result, talks=rows, request=request, notice=notice)


def results(session: Session, request: index_search.SearchRequest) -> Page[summaries.TalkSummary]:
    """Like :func:`run`, with only what a results list shows of each talk
    (:mod:`archive.summaries`): the search page and the search API."""
    result, notice = _hits(session, request)
    talks = summaries.load(session, [hit.id for hit in result.hits])
    rows = [(talks[h.id], h.snippet) for h in result.hits if h.id in talks]
    return Page(result=result, talks=rows, request=request, notice=notice)


def similar(talk_id: int, limit: int = 5) -> list[int]:
    """Ids of talks like this one; none while the index cannot be read."""
    try:
        return index_search.more_like_this(current_app.config["INDEX_DIR"], talk_id, limit)
    except UNAVAILABLE as exc:
        index_unavailable(exc)
        return []


def speaker_suggestions(session: Session, prefix: str, limit: int) -> list[str]:
    """Speaker names for autocomplete, from the database while the index cannot be read."""
    try:
        index_dir = current_app.config["INDEX_DIR"]
        return index_search.suggest_speakers(index_dir, prefix, limit, position(index_dir))
    except UNAVAILABLE as exc:
        index_unavailable(exc)
        return dbsearch.speaker_names(session, prefix, limit)


def facet_counts(session: Session, facet: str) -> tuple[list[tuple[str, int]], str | None]:
    """Every value of a browse facet with its count, and a notice when the database answered."""
    try:
        index_dir = current_app.config["INDEX_DIR"]
        return index_search.facet_values(index_dir, facet, position(index_dir)), None
    except UNAVAILABLE as exc:
        index_unavailable(exc)
        return dbsearch.facet_counts(session, facet), dbsearch.NOTICE

"""Searching talks in the database when the search index cannot be read.

The database is the source of truth and the index only a fast copy of it, so a damaged index
should cost speed and ranking, not answers. Every word of the query must occur (case ignored)
in a talk's title, topic or abstract or in a speaker's name; the facet filters and date range
of the search page apply; the order is by date (relevance falls back to newest first). The
result has the index's shape without facet counts, which the views show with a notice.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from markupsafe import escape
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from archive.models import Appearance, Organisation, Speaker, Talk
from index.schema import FACET_FIELDS
from index.search import MAX_PER_PAGE, Hit, SearchRequest, SearchResult

NOTICE = "Search index unavailable — results from the database, facets off."
MAX_WORDS = 10
SNIPPET_CHARS = 240
_OPERATORS = frozenset({"and", "or", "not"})
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The plain words of a query, without field prefixes, operators or punctuation."""
    found: list[str] = []
    for token in text.split():
        term = token.split(":", 1)[1] if ":" in token else token
        found.extend(w for w in _WORD.findall(term) if w.lower() not in _OPERATORS)
    return found[:MAX_WORDS]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _conditions(request: SearchRequest) -> list[ColumnElement[bool]]:
    """SQL conditions for everything but the industry and theme filters (JSON lists)."""
    where: list[ColumnElement[bool]] = [Talk.hidden.is_(False)]
    for word in words(request.q or ""):
        pattern = _like(word)
        by_speaker = select(Appearance.talk_id).join(Speaker)
        where.append(
            or_(
                Talk.title.ilike(pattern, escape="\\"),
                Talk.topic.ilike(pattern, escape="\\"),
                Talk.abstract.ilike(pattern, escape="\\"),
                Talk.id.in_(by_speaker.where(Speaker.name.ilike(pattern, escape="\\"))),
            )
        )
    if request.lang:
        where.append(Talk.language.in_(request.lang))
    if request.speaker:
        named = select(Appearance.talk_id).join(Speaker).where(Speaker.name.in_(request.speaker))
        where.append(Talk.id.in_(named))
    if request.org:
        at = select(Appearance.talk_id).join(Organisation).where(Organisation.name.in_(request.org))
        where.append(Talk.id.in_(at))
    years = [int(y) for y in request.year if str(y).isdigit()]
    if years:
        where.append(or_(*(Talk.date.between(dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in years)))
    if request.date_from:
        where.append(Talk.date >= request.date_from)
    if request.date_to:
        where.append(Talk.date <= request.date_to)
    return where


def _listed(values: Sequence[str], wanted: Sequence[str]) -> bool:
    return not wanted or any(v in values for v in wanted)


def search(session: Session, request: SearchRequest) -> SearchResult:
    """One page of talks matching the request, newest (or oldest) first; no facet counts."""
    page = max(1, int(request.page or 1))
    per_page = min(MAX_PER_PAGE, max(1, int(request.per_page or 20)))
    where = and_(*_conditions(request))
    oldest = request.sort == "oldest"
    order = (
        (Talk.date.is_(None), Talk.date.asc(), Talk.id)
        if oldest
        else (Talk.date.is_(None), Talk.date.desc(), Talk.id.desc())
    )
    start = (page - 1) * per_page
    if request.industry or request.theme:
        rows = session.execute(
            select(Talk.id, Talk.industries, Talk.themes).where(where).order_by(*order)
        ).all()
        ids = [
            talk_id
            for talk_id, industries, themes in rows
            if _listed(industries or [], request.industry) and _listed(themes or [], request.theme)
        ]
        total, page_ids = len(ids), ids[start : start + per_page]
    else:
        total = int(session.scalar(select(func.count(Talk.id)).where(where)) or 0)
        page_ids = list(
            session.scalars(
                select(Talk.id).where(where).order_by(*order).offset(start).limit(per_page)
            )
        )
    texts = {
        row.id: (row.title or row.topic or "", row.abstract or "")
        for row in session.execute(
            select(Talk.id, Talk.title, Talk.topic, Talk.abstract).where(Talk.id.in_(page_ids))
        )
    }
    hits = [_hit(talk_id, *texts[talk_id]) for talk_id in page_ids if talk_id in texts]
    return SearchResult(total, page, per_page, hits, {name: [] for name in FACET_FIELDS})


def _hit(talk_id: int, title: str, abstract: str) -> Hit:
    text = abstract if len(abstract) <= SNIPPET_CHARS else abstract[:SNIPPET_CHARS] + "…"
    return Hit(id=talk_id, score=0.0, snippet=str(escape(text)), title_html=str(escape(title)))


def facet_counts(session: Session, facet: str) -> list[tuple[str, int]]:
    """Talks per industry, theme or year over every visible talk, most frequent first."""
    counted: Counter[str] = Counter()
    if facet == "year":
        dates = session.scalars(
            select(Talk.date).where(Talk.hidden.is_(False), Talk.date.is_not(None))
        )
        counted.update(str(d.year) for d in dates if d is not None)
    elif facet in ("industry", "theme"):
        column: Any = Talk.industries if facet == "industry" else Talk.themes
        for values in session.scalars(select(column).where(Talk.hidden.is_(False))):
            counted.update(set(values or []))
    else:
        raise KeyError(f"no database counts for the facet {facet!r}")
    return sorted(counted.items(), key=lambda pair: (-pair[1], pair[0]))


def speaker_names(session: Session, prefix: str, limit: int) -> list[str]:
    """Speakers of visible talks with a name word starting with ``prefix``, most talks first."""
    wanted = prefix.strip()
    if not wanted or limit <= 0:
        return []
    starts = _like(wanted)[1:]  # "word%" rather than "%word%"
    talks = func.count(Appearance.talk_id)
    rows = session.execute(
        select(Speaker.name, talks)
        .join(Appearance, Appearance.speaker_id == Speaker.id)
        .join(Talk, Talk.id == Appearance.talk_id)
        .where(
            Talk.hidden.is_(False),
            or_(
                Speaker.name.ilike(starts, escape="\\"),
                Speaker.name.ilike("% " + starts, escape="\\"),
            ),
        )
        .group_by(Speaker.name)
        .order_by(talks.desc(), Speaker.name)
        .limit(limit)
    )
    return [name for name, _count in rows]

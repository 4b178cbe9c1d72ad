"""Admin search: talks by title or topic, speakers by name or alias, organisations by name.

Plain substring matching in the database (not the public Whoosh index), so hidden talks and
records without talks are found too; every result links to its edit page.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import render_template, request
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from archive import organisations
from archive.admin.base import bp
from archive.db import get_session
from archive.models import Speaker, SpeakerAlias, Talk
from archive.organisations import OrganisationRow, like_pattern
from scraper.extract.speakers import normalise_name

log = logging.getLogger(__name__)

#: Results shown per kind of record.
LIMIT = 25


@dataclass
class Results:
    """What an admin search found, per kind of record."""

    talks: list[Talk] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    organisations: list[OrganisationRow] = field(default_factory=list)
    organisations_total: int = 0


def find_talks(db: Session, query: str, limit: int = LIMIT) -> list[Talk]:
    """Talks whose title, topic or source URL contains ``query``, newest first."""
    pattern = like_pattern(query)
    return list(
        db.scalars(
            select(Talk)
            .where(
                or_(
                    Talk.title.ilike(pattern, escape="\\"),
                    Talk.topic.ilike(pattern, escape="\\"),
                    Talk.source_url.ilike(pattern, escape="\\"),
                )
            )
            .order_by(Talk.date.desc(), Talk.id.desc())
            .limit(limit)
        )
    )


def find_speakers(db: Session, query: str, limit: int = LIMIT) -> list[Speaker]:
    """Speakers whose name or an alias contains ``query``, accents and case folded."""
    conditions = [SpeakerAlias.name.ilike(like_pattern(query), escape="\\")]
    key = normalise_name(query)
    if key:
        conditions.append(SpeakerAlias.name_key.like(like_pattern(key), escape="\\"))
    matching = select(SpeakerAlias.speaker_id).where(or_(*conditions))
    return list(
        db.scalars(
            select(Speaker)
            .where(or_(Speaker.id.in_(matching), Speaker.name.ilike(like_pattern(query), "\\")))
            .options(selectinload(Speaker.aliases), selectinload(Speaker.appearances))
            .order_by(Speaker.name, Speaker.id)
            .limit(limit)
        )
    )


def find(db: Session, query: str) -> Results:
    """Everything an admin search for ``query`` finds (nothing for a blank query)."""
    query = query.strip()
    if not query:
        return Results()
    orgs, total = organisations.search(db, query, limit=LIMIT)
    return Results(find_talks(db, query), find_speakers(db, query), orgs, total)


@bp.get("/search")
def search() -> str:
    """Search talks, speakers and organisations; each result links to its edit page."""
    query = request.args.get("q", "").strip()[:300]
    return render_template(
        "admin/search.html", q=query, results=find(get_session(), query), limit=LIMIT
    )

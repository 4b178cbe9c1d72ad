"""Talks grouped by who gave or held them: an organisation (its speakers' talks), a seminar
series or a host institution, with the speakers, industries and years among them.

Only one page of talks is loaded as objects; the counts come from narrow queries, so a series
of ten thousand talks costs little more than a small one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from archive.models import Appearance, Organisation, Speaker, Talk


@dataclass
class Collection:
    """One page of a group's visible talks, newest first, and what is among all of them."""

    total: int
    talks: list[Talk]
    speakers: list[tuple[int, str, int]] = field(default_factory=list)
    industries: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    organisations: list[tuple[int, str, int]] = field(default_factory=list)


def _newest_first(row: tuple[int, dt.date | None]) -> tuple[bool, dt.date, int]:
    talk_id, date = row
    return (date is not None, date or dt.date.min, talk_id)


def _ranked(rows: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    return sorted(rows, key=lambda r: (-r[2], r[1], r[0]))


def collect(
    session: Session,
    where: ColumnElement[bool],
    *,
    page: int = 1,
    per_page: int = 100,
    org_id: int | None = None,
) -> Collection:
    """The visible talks matching ``where`` (one page of them loaded) and their summaries; with
    ``org_id`` only that organisation's speakers count as its speakers."""
    visible = (where, Talk.hidden.is_(False))
    rows = session.execute(select(Talk.id, Talk.date, Talk.industries).where(*visible)).all()
    order = sorted(((r[0], r[1]) for r in rows), key=_newest_first, reverse=True)
    industries: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for _talk_id, date, talk_industries in rows:
        industries.update(set(talk_industries or []))
        if date is not None:
            years[date.year] += 1
    wanted = [talk_id for talk_id, _ in order[(page - 1) * per_page : page * per_page]]
    loaded = {
        talk.id: talk
        for talk in session.scalars(
            select(Talk)
            .where(Talk.id.in_(wanted))
            .options(
                selectinload(Talk.appearances).selectinload(Appearance.speaker),
                selectinload(Talk.appearances).selectinload(Appearance.organisation),
            )
        )
    }
    talk_ids = select(Talk.id).where(*visible)
    speaker_filter: list[ColumnElement[bool]] = [Appearance.talk_id.in_(talk_ids)]
    if org_id is not None:
        speaker_filter.append(Appearance.organisation_id == org_id)
    speakers = session.execute(
        select(Speaker.id, Speaker.name, func.count(func.distinct(Appearance.talk_id)))
        .join(Appearance, Appearance.speaker_id == Speaker.id)
        .where(*speaker_filter)
        .group_by(Speaker.id, Speaker.name)
    ).all()
    organisations = session.execute(
        select(Organisation.id, Organisation.name, func.count(func.distinct(Appearance.talk_id)))
        .join(Appearance, Appearance.organisation_id == Organisation.id)
        .where(Appearance.talk_id.in_(talk_ids))
        .group_by(Organisation.id, Organisation.name)
    ).all()
    return Collection(
        total=len(rows),
        talks=[loaded[i] for i in wanted if i in loaded],
        speakers=_ranked([(i, n, c) for i, n, c in speakers]),
        industries=sorted(industries.items(), key=lambda kv: (-kv[1], kv[0])),
        years=sorted(years.items()),
        organisations=_ranked([(i, n, c) for i, n, c in organisations]),
    )


def of_organisation(
    session: Session, org_id: int, page: int = 1, per_page: int = 100
) -> Collection:
    """Talks where a speaker spoke for the organisation."""
    talk_ids = select(Appearance.talk_id).where(Appearance.organisation_id == org_id)
    return collect(session, Talk.id.in_(talk_ids), page=page, per_page=per_page, org_id=org_id)


def of_series(session: Session, name: str, page: int = 1, per_page: int = 100) -> Collection:
    """Talks of one seminar series (as the pages name it)."""
    return collect(session, Talk.series == name, page=page, per_page=per_page)


def of_host(session: Session, name: str, page: int = 1, per_page: int = 100) -> Collection:
    """Talks organised by one host institution."""
    return collect(session, Talk.host == name, page=page, per_page=per_page)

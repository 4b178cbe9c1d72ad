"""Talks grouped by who gave or held them: an organisation (its speakers' talks), a seminar
series or a host institution, with the speakers, industries and years among them."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from archive.models import Appearance, Talk


@dataclass
class Collection:
    """Every visible talk of a group, newest first, and what is among them."""

    talks: list[Talk]
    speakers: list[tuple[int, str, int]] = field(default_factory=list)
    industries: list[tuple[str, int]] = field(default_factory=list)
    years: list[tuple[int, int]] = field(default_factory=list)
    organisations: list[tuple[int, str, int]] = field(default_factory=list)


def _newest_first(talk: Talk) -> tuple[bool, object, int]:
    return (talk.date is not None, talk.date, talk.id)


def collect(session: Session, where: ColumnElement[bool], org_id: int | None = None) -> Collection:
    """The visible talks matching ``where`` and their summaries; with ``org_id`` only that
    organisation's speakers count as its speakers."""
    talks = list(
        session.scalars(
            select(Talk)
            .where(where, Talk.hidden.is_(False))
            .options(
                selectinload(Talk.appearances).selectinload(Appearance.speaker),
                selectinload(Talk.appearances).selectinload(Appearance.organisation),
            )
        )
    )
    talks.sort(key=_newest_first, reverse=True)
    speakers: Counter[tuple[int, str]] = Counter()
    organisations: Counter[tuple[int, str]] = Counter()
    industries: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for talk in talks:
        industries.update(set(talk.industries or []))
        if talk.date:
            years[talk.date.year] += 1
        for a in talk.appearances:
            if org_id is None or a.organisation_id == org_id:
                speakers[(a.speaker.id, a.speaker.name)] += 1
            if a.organisation is not None:
                organisations[(a.organisation.id, a.organisation.name)] += 1

    def ranked(counter: Counter[tuple[int, str]]) -> list[tuple[int, str, int]]:
        return sorted(((i, n, c) for (i, n), c in counter.items()), key=lambda r: (-r[2], r[1]))

    return Collection(
        talks=talks,
        speakers=ranked(speakers),
        industries=sorted(industries.items(), key=lambda kv: (-kv[1], kv[0])),
        years=sorted(years.items()),
        organisations=ranked(organisations),
    )


def of_organisation(session: Session, org_id: int) -> Collection:
    """Talks where a speaker spoke for the organisation."""
    talk_ids = select(Appearance.talk_id).where(Appearance.organisation_id == org_id)
    return collect(session, Talk.id.in_(talk_ids), org_id=org_id)


def of_series(session: Session, name: str) -> Collection:
    """Talks of one seminar series (as the pages name it)."""
    return collect(session, Talk.series == name)


def of_host(session: Session, name: str) -> Collection:
    """Talks organised by one host institution."""
    return collect(session, Talk.host == name)

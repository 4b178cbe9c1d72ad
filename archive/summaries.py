"""What a results list shows of each talk, read from the database without the ORM.

The search page and the search API show, per hit, the talk's title, topic, date, language,
themes and industries, and its speakers with their roles and organisations. Loading the talks
as ORM objects (every column, JSON columns decoded, appearances, speakers and organisations
loaded as objects with their identity map) cost several milliseconds of a search at 100,000
talks; here the columns shown are read in two plain queries, everything else (abstract,
extraction record, bios, overrides) is never read. Pages that need whole talks (exports,
feeds, the talk page) keep loading them through the ORM.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Appearance, Organisation, Speaker, Talk


@dataclass(frozen=True, slots=True)
class Named:
    """A speaker or organisation as a result line links to it."""

    id: int
    name: str


@dataclass(frozen=True, slots=True)
class AppearanceSummary:
    """A speaker at a talk with the role and organisation shown beside the name."""

    speaker: Named
    role: str | None
    organisation: Named | None


@dataclass(frozen=True, slots=True)
class TalkSummary:
    """The fields of a talk a results list shows, under the ORM model's attribute names."""

    id: int
    title: str | None
    topic: str | None
    date: dt.date | None
    language: str | None
    industries: list[str]
    themes: list[str]
    appearances: list[AppearanceSummary]


def _listed(value: Any) -> list[str]:
    """A JSON list column as a list (the driver may hand it over decoded or as text)."""
    if value is None:
        return []
    if isinstance(value, str):
        value = json.loads(value)
    return [str(v) for v in value]


def load(session: Session, ids: Sequence[int]) -> dict[int, TalkSummary]:
    """Visible talks by id (hidden and vanished ones left out) with their speakers in order."""
    if not ids:
        return {}
    talks = session.execute(
        select(
            Talk.id,
            Talk.title,
            Talk.topic,
            Talk.date,
            Talk.language,
            Talk.industries,
            Talk.themes,
        ).where(Talk.id.in_(ids), Talk.hidden.is_(False))
    ).all()
    found = [row.id for row in talks]
    lines: dict[int, list[AppearanceSummary]] = {talk_id: [] for talk_id in found}
    if found:
        people = session.execute(
            select(
                Appearance.talk_id,
                Appearance.role,
                Speaker.id,
                Speaker.name,
                Organisation.id,
                Organisation.name,
            )
            .join(Speaker, Speaker.id == Appearance.speaker_id)
            .outerjoin(Organisation, Organisation.id == Appearance.organisation_id)
            .where(Appearance.talk_id.in_(found))
            .order_by(Appearance.talk_id, Appearance.position, Appearance.id)
        ).all()
        for talk_id, role, speaker_id, speaker_name, org_id, org_name in people:
            organisation = Named(org_id, org_name) if org_id is not None else None
            lines[talk_id].append(
                AppearanceSummary(Named(speaker_id, speaker_name), role, organisation)
            )
    return {
        row.id: TalkSummary(
            id=row.id,
            title=row.title,
            topic=row.topic,
            date=row.date,
            language=row.language,
            industries=_listed(row.industries),
            themes=_listed(row.themes),
            appearances=lines[row.id],
        )
        for row in talks
    }

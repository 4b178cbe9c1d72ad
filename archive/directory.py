"""The speaker directory: who spoke, from which organisation and industry, how often."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive.models import Appearance, Speaker, Talk


@dataclass
class SpeakerInfo:
    """What the directory and the speaker page show about a speaker."""

    speaker: Speaker
    role: str | None = None
    organisation: str | None = None
    industries: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    talks: list[Appearance] = field(default_factory=list)


def profile(speaker: Speaker) -> SpeakerInfo:
    """Current role and organisation (from the latest talk), industries and talks newest first."""
    visible = [a for a in speaker.appearances if not a.talk.hidden]
    visible.sort(key=lambda a: (a.talk.date is not None, a.talk.date), reverse=True)
    info = SpeakerInfo(speaker=speaker, talks=visible)
    if visible:
        info.role = visible[0].role
        info.organisation = visible[0].organisation.name if visible[0].organisation else None
    seen_orgs: list[str] = []
    for appearance in reversed(visible):
        if appearance.organisation and appearance.organisation.name not in seen_orgs:
            seen_orgs.append(appearance.organisation.name)
    info.organisations = seen_orgs
    info.industries = sorted({i for a in visible for i in (a.industries or [])})
    return info


def speakers(
    session: Session, *, industry: str | None = None, org: str | None = None
) -> list[SpeakerInfo]:
    """Every speaker with at least one visible talk, filtered, sorted by name."""
    rows = session.scalars(
        select(Speaker).options(
            selectinload(Speaker.appearances).selectinload(Appearance.talk),
            selectinload(Speaker.appearances).selectinload(Appearance.organisation),
            selectinload(Speaker.aliases),
        )
    )
    out = []
    for speaker in rows:
        info = profile(speaker)
        if not info.talks:
            continue
        if industry and industry not in info.industries:
            continue
        if org and org.casefold() not in (o.casefold() for o in info.organisations):
            continue
        out.append(info)
    out.sort(key=lambda i: i.speaker.name.casefold())
    return out


def industry_counts(session: Session) -> list[tuple[str, int]]:
    """Industries with the number of speakers from each."""
    counts: Counter[str] = Counter()
    for info in speakers(session):
        counts.update(info.industries)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def visible_talk_ids(session: Session) -> list[int]:
    """Ids of all talks that are not hidden."""
    return list(session.scalars(select(Talk.id).where(Talk.hidden.is_(False))))

"""Talks in the database: idempotent upserts from extractions, overrides and speaker identity."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import appearances, organisations
from archive.models import (
    Appearance,
    Organisation,
    Override,
    Page,
    Speaker,
    SpeakerAlias,
    Talk,
    utcnow,
)
from scraper.extract.speakers import normalise_name
from scraper.model import Extraction

log = logging.getLogger(__name__)

#: Talk columns filled from the extraction contract, in contract order. All can be overridden.
TALK_FIELDS = (
    "title",
    "series",
    "host",
    "topic",
    "abstract",
    "date",
    "start_time",
    "end_time",
    "location",
    "language",
    "industries",
    "themes",
    "last_updated",
)
DATE_FIELDS = frozenset({"date", "last_updated"})
#: Extraction keys compared to decide whether a page version changed its talk.
COMPARED = (*TALK_FIELDS, "speakers")


def to_column(field: str, value: Any) -> Any:
    """Convert a contract value (JSON-ready) to the talk column's Python value."""
    if field in DATE_FIELDS:
        if not value:
            return None
        return dt.date.fromisoformat(str(value)[:10])
    if field in ("industries", "themes"):
        return list(value or [])
    return value if value not in ("",) else None


def to_contract(field: str, value: Any) -> Any:
    """Convert a talk column's value back to the extraction contract's JSON form."""
    if field in DATE_FIELDS:
        return value.isoformat() if value else None
    return value


def find_speaker(session: Session, name: str) -> Speaker | None:
    """The speaker whose name (or an alias) normalises like ``name``."""
    alias = session.scalar(
        select(SpeakerAlias).where(SpeakerAlias.name_key == normalise_name(name))
    )
    return alias.speaker if alias else None


def speaker_for(session: Session, name: str) -> Speaker:
    """Find or create (pending, not yet flushed) the one speaker record for this person."""
    speaker = find_speaker(session, name)
    if speaker is None:
        speaker = Speaker(name=name.strip())
        speaker.aliases.append(SpeakerAlias(name=name.strip(), name_key=normalise_name(name)))
        session.add(speaker)
    return speaker


def organisation_for(session: Session, name: str, industries: list[str]) -> Organisation:
    """Find (also under a former name) or create (pending) an organisation by name.

    See :func:`archive.organisations.organisation_for`: industries an admin set stay.
    """
    return organisations.organisation_for(session, name, industries)


def comparable(extraction: dict[str, Any]) -> dict[str, Any]:
    """The part of an extraction dict that decides whether the talk changed."""
    return {key: extraction.get(key) for key in COMPARED}


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Contract fields whose extracted values differ between two extraction dicts."""
    return [key for key in COMPARED if old.get(key) != new.get(key)]


def _set_speakers(session: Session, talk: Talk, extraction: Extraction) -> None:
    """Replace the talk's appearances; one query per person, one flush for the whole page."""
    if talk.appearances:
        talk.appearances.clear()
        session.flush()  # the unique (talk, speaker) pair must not meet the old rows
    speakers: dict[str, Speaker] = {}
    organisations: dict[str, Organisation] = {}
    # Without autoflush, the look-ups do not write the pending rows one by one; the dicts
    # stand in for rows this page has added but not yet flushed.
    with session.no_autoflush:
        for position, person in enumerate(extraction.speakers):
            key = normalise_name(person.name or "")
            if not key or key in speakers:
                continue
            speaker = speakers[key] = speaker_for(session, person.name)
            org = None
            if person.organisation:
                org = organisations.get(person.organisation)
                if org is None:
                    org = organisation_for(session, person.organisation, person.industries)
                    organisations[person.organisation] = org
            if person.bio and "bio" not in (speaker.overrides or {}):
                speaker.bio = person.bio
            talk.appearances.append(
                Appearance(
                    speaker=speaker,
                    position=position,
                    name_as_shown=person.name,
                    role=person.role,
                    organisation=org,
                    bio=person.bio,
                    industries=list(person.industries),
                )
            )
    appearances.apply(session, talk)  # admins' role and organisation corrections stay on top


def apply_fields(talk: Talk, extracted: dict[str, Any]) -> None:
    """Set every talk column to its override when one exists, else to the extracted value."""
    overrides = {o.field: o for o in talk.overrides}
    for field in TALK_FIELDS:
        value = overrides[field].value if field in overrides else extracted.get(field)
        setattr(talk, field, to_column(field, value))
    if "industries" not in overrides:  # organisations' corrected industries show through
        talk.industries = appearances.talk_industries(talk)


def upsert(
    session: Session, extraction: Extraction, page: Page | None
) -> tuple[Talk, str, list[str]]:
    """Create or update the talk of ``extraction.source``; idempotent.

    Returns the talk, the outcome (``new``, ``changed`` or ``unchanged``) and the contract
    fields that changed. Overrides are kept: only the extracted values beside them move.
    """
    data = extraction.to_dict()
    talk = session.scalar(select(Talk).where(Talk.source_url == extraction.source))
    if talk is None:
        talk = Talk(source_url=extraction.source, extracted={}, industries=[], themes=[])
        session.add(talk)
        outcome, fields = "new", list(COMPARED)
    else:
        fields = changed_fields(talk.extracted or {}, data)
        outcome = "changed" if fields else "unchanged"
    if page is not None:
        talk.page = page
    talk.gone = False
    if outcome == "unchanged":
        return talk, outcome, []
    talk.extracted = data
    talk.warnings = list(extraction.warnings)
    apply_fields(talk, data)
    if "speakers" in fields:
        _set_speakers(session, talk, extraction)
    talk.updated_at = utcnow()
    session.flush()
    return talk, outcome, fields


def set_override(session: Session, talk: Talk, field: str, value: Any, author: str) -> Override:
    """Record an admin's correction of ``field`` and apply it to the talk."""
    if field not in TALK_FIELDS:
        raise ValueError(f"unknown talk field {field!r}; one of {', '.join(TALK_FIELDS)}")
    to_column(field, value)  # validates dates before anything is stored
    existing = next((o for o in talk.overrides if o.field == field), None)
    if existing is None:
        existing = Override(field=field, extracted=(talk.extracted or {}).get(field))
        talk.overrides.append(existing)
    existing.value = value
    existing.author = author
    existing.created_at = utcnow()
    apply_fields(talk, talk.extracted or {})
    talk.updated_at = utcnow()
    session.flush()
    return existing


def remove_override(session: Session, talk: Talk, field: str) -> bool:
    """Undo a correction: the extracted value comes back. False when there was none."""
    existing = next((o for o in talk.overrides if o.field == field), None)
    if existing is None:
        return False
    talk.overrides.remove(existing)
    session.flush()
    apply_fields(talk, talk.extracted or {})
    talk.updated_at = utcnow()
    session.flush()
    return True


def merge_speakers(session: Session, keep: Speaker, drop: Speaker) -> int:
    """Move every talk and alias of ``drop`` onto ``keep`` and delete ``drop``.

    Returns the number of appearances moved. Both names stay as aliases of ``keep``.
    """
    if keep.id == drop.id:
        raise ValueError("cannot merge a speaker with itself")
    moved = 0
    for appearance in list(drop.appearances):
        duplicate = any(a.speaker_id == keep.id for a in appearance.talk.appearances)
        if duplicate:
            session.delete(appearance)
        else:
            appearance.speaker = keep
            appearance.talk.updated_at = utcnow()
            moved += 1
    for alias in list(drop.aliases):
        alias.speaker = keep
    if not keep.bio and drop.bio:
        keep.bio = drop.bio
    session.flush()
    appearances.move_corrections(session, drop.id, keep.id)
    session.delete(drop)
    session.flush()
    return moved


def talk_contract(talk: Talk) -> dict[str, Any]:
    """The talk as the extraction contract's fields, corrections applied (for exports)."""
    data: dict[str, Any] = {
        "id": talk.id,
        "source_url": talk.source_url,
        "is_event": True,
    }
    for field in TALK_FIELDS:
        data[field] = to_contract(field, getattr(talk, field))
    data["speakers"] = [
        {
            "name": a.speaker.name,
            "role": a.role,
            "organisation": a.organisation.name if a.organisation else None,
            "bio": a.bio,
            "industries": list(a.industries or []),
        }
        for a in talk.appearances
    ]
    data["warnings"] = list(talk.warnings or [])
    return data


def talk_document(talk: Talk) -> dict[str, Any]:
    """The plain document the search index stores for a talk (see docs/architecture.md)."""
    return {
        "id": talk.id,
        "url": talk.source_url,
        "title": talk.title or "",
        "topic": talk.topic or "",
        "abstract": talk.abstract or "",
        "speakers": [a.speaker.name for a in talk.appearances],
        "bios": "\n\n".join(a.bio for a in talk.appearances if a.bio),
        "organisations": [a.organisation.name for a in talk.appearances if a.organisation],
        "industries": list(talk.industries or []),
        "themes": list(talk.themes or []),
        "language": talk.language,
        "date": talk.date,
        "series": talk.series,
        "location": talk.location,
    }

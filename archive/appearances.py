"""Corrections of one speaker's role and organisation at one talk, and derived industries.

Appearances are rebuilt from the extraction whenever a page's speakers change, so a
correction cannot live on the appearance row. It is an :class:`~archive.models.Override` of
the talk keyed on the speaker: field ``speaker:<speaker id>:role`` or
``speaker:<speaker id>:organisation``. :func:`apply` puts the corrections back on top every
time the appearances are (re)built, so later scrapes and re-extractions never undo them.

Industries follow organisations: an appearance whose organisation has industries an admin
set (``Organisation.overrides``) takes those, one whose organisation was corrected takes the
organisation's known industries, any other keeps the industries extracted for that person.
A talk's industries are the extracted ones, unless a correction touches one of its
appearances: then they are the union of its appearances' industries (a talk ``industries``
override still wins over both).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive.models import Appearance, Override, Talk, utcnow
from archive.organisations import industries_override, organisation_for
from scraper.extract.speakers import normalise_name

log = logging.getLogger(__name__)

ROLE = "role"
ORGANISATION = "organisation"
#: What can be corrected per appearance.
APPEARANCE_FIELDS = (ROLE, ORGANISATION)
PREFIX = "speaker:"
#: The longest role or organisation name an appearance column holds.
MAX_LENGTH = 300


def field_name(speaker_id: int, what: str) -> str:
    """The Override field of a correction of ``what`` for this speaker at a talk."""
    return f"{PREFIX}{speaker_id}:{what}"


def parse_field(field: str) -> tuple[int, str] | None:
    """(speaker id, what) of an appearance correction's field; None for a talk field."""
    if not field.startswith(PREFIX):
        return None
    ident, _, what = field[len(PREFIX) :].partition(":")
    if not ident.isdigit() or what not in APPEARANCE_FIELDS:
        return None
    return int(ident), what


def corrections(talk: Talk) -> dict[tuple[int, str], Override]:
    """The talk's appearance corrections by (speaker id, what)."""
    found: dict[tuple[int, str], Override] = {}
    for override in talk.overrides:
        key = parse_field(override.field)
        if key is not None:
            found[key] = override
    return found


def extracted_person(talk: Talk, appearance: Appearance) -> dict[str, Any]:
    """The extraction's entry for the person of ``appearance`` (empty when none matches)."""
    people = [p for p in (talk.extracted or {}).get("speakers") or [] if isinstance(p, dict)]
    key = normalise_name(appearance.name_as_shown or "")
    if appearance.position < len(people):
        person = people[appearance.position]
        if normalise_name(str(person.get("name") or "")) == key:
            return person
    return next((p for p in people if normalise_name(str(p.get("name") or "")) == key), {})


def _speaker_id(appearance: Appearance) -> int | None:
    """The appearance's speaker id, also before a pending appearance is flushed."""
    if appearance.speaker_id is not None:
        return appearance.speaker_id
    return appearance.speaker.id if appearance.speaker is not None else None


def _appearance(talk: Talk, speaker_id: int) -> Appearance:
    found = next((a for a in talk.appearances if _speaker_id(a) == speaker_id), None)
    if found is None:
        raise ValueError(f"speaker {speaker_id} does not appear at talk {talk.id}")
    return found


def _industries(appearance: Appearance, person: dict[str, Any], org_corrected: bool) -> list[str]:
    fixed = industries_override(appearance.organisation)
    if fixed is not None:
        return fixed
    if org_corrected:
        return list(appearance.organisation.industries or []) if appearance.organisation else []
    return list(person.get("industries") or [])


def touched(talk: Talk) -> bool:
    """Whether a correction decides the industries of one of the talk's appearances."""
    fixed = corrections(talk)
    return any(
        industries_override(a.organisation) is not None or (_speaker_id(a), ORGANISATION) in fixed
        for a in talk.appearances
    )


def talk_industries(talk: Talk) -> list[str]:
    """The talk's industries without a talk override (see the module's docstring)."""
    if not touched(talk):
        return list((talk.extracted or {}).get("industries") or [])
    union: list[str] = []
    for appearance in talk.appearances:
        for label in appearance.industries or []:
            if label not in union:
                union.append(label)
    return union


def apply(session: Session, talk: Talk) -> None:
    """Put the talk's appearance corrections on its appearances; derive the industries."""
    fixed = corrections(talk)
    for appearance in talk.appearances:
        speaker_id = _speaker_id(appearance)
        role = fixed.get((speaker_id, ROLE)) if speaker_id is not None else None
        org = fixed.get((speaker_id, ORGANISATION)) if speaker_id is not None else None
        if role is not None:
            appearance.role = role.value or None
        if org is not None:
            name = str(org.value or "").strip()
            appearance.organisation = organisation_for(session, name, []) if name else None
        person = extracted_person(talk, appearance)
        appearance.industries = _industries(appearance, person, org is not None)
    if not any(o.field == "industries" for o in talk.overrides):
        talk.industries = talk_industries(talk)


def _restore(session: Session, talk: Talk, appearance: Appearance, what: str) -> None:
    """Put the extracted role or organisation back on one appearance."""
    person = extracted_person(talk, appearance)
    if what == ROLE:
        appearance.role = person.get("role") or None
        return
    name = str(person.get("organisation") or "").strip()
    industries = list(person.get("industries") or [])
    appearance.organisation = organisation_for(session, name, industries) if name else None


def set_correction(
    session: Session, talk: Talk, speaker_id: int, what: str, value: str | None, author: str
) -> Override:
    """Correct one speaker's role or organisation at ``talk`` (None/empty: none at all)."""
    if what not in APPEARANCE_FIELDS:
        raise ValueError(
            f"unknown appearance field {what!r}; one of {', '.join(APPEARANCE_FIELDS)}"
        )
    value = " ".join((value or "").split()) or None
    if value and len(value) > MAX_LENGTH:
        raise ValueError(f"{what}: at most {MAX_LENGTH} characters")
    appearance = _appearance(talk, speaker_id)
    field = field_name(speaker_id, what)
    existing = next((o for o in talk.overrides if o.field == field), None)
    if existing is None:
        person = extracted_person(talk, appearance)
        existing = Override(field=field, extracted=person.get(what))
        talk.overrides.append(existing)
    existing.value = value
    existing.author = author
    existing.created_at = utcnow()
    apply(session, talk)
    talk.updated_at = utcnow()
    session.flush()
    return existing


def remove_correction(session: Session, talk: Talk, field: str) -> Override | None:
    """Undo an appearance correction: the extracted value comes back. None when there was none."""
    key = parse_field(field)
    existing = next((o for o in talk.overrides if o.field == field), None)
    if key is None or existing is None:
        return None
    talk.overrides.remove(existing)
    session.flush()
    appearance = next((a for a in talk.appearances if _speaker_id(a) == key[0]), None)
    if appearance is not None:
        _restore(session, talk, appearance, key[1])
    apply(session, talk)
    talk.updated_at = utcnow()
    session.flush()
    return existing


def move_corrections(session: Session, drop_id: int, keep_id: int) -> None:
    """Re-key a merged speaker's corrections onto the speaker kept (before ``drop`` goes)."""
    rows = session.scalars(select(Override).where(Override.field.startswith(f"{PREFIX}{drop_id}:")))
    for override in list(rows):
        key = parse_field(override.field)
        if key is None or key[0] != drop_id:
            continue
        target = field_name(keep_id, key[1])
        clash = session.scalar(
            select(Override).where(Override.talk_id == override.talk_id, Override.field == target)
        )
        if clash is not None:
            session.delete(override)
        else:
            override.field = target
    session.flush()


def recompute(session: Session, talk_ids: Iterable[int]) -> list[int]:
    """Re-derive the given talks' appearance and talk industries after an organisation change.

    Marks them updated, so an index sync picks them up even if the caller's refresh fails.
    Returns the ids, sorted.
    """
    ids = sorted(set(talk_ids))
    if not ids:
        return []
    talks = session.scalars(
        select(Talk)
        .where(Talk.id.in_(ids))
        .options(
            selectinload(Talk.overrides),
            selectinload(Talk.appearances).selectinload(Appearance.organisation),
        )
    )
    now = utcnow()
    for talk in talks:
        apply(session, talk)
        talk.updated_at = now
    session.flush()
    return ids

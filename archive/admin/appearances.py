"""The talk edit form's per-speaker inputs: each speaker's role and organisation at that talk.

The inputs are named ``speaker_<id>_role`` and ``speaker_<id>_organisation`` and sit in the
talk edit form beside the extracted values; a changed value is stored as an appearance
correction (:mod:`archive.appearances`) that later runs keep. An input missing from the
submitted form leaves its value alone, so a form from before a re-scrape changes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from archive import appearances
from archive.admin.base import audit
from archive.models import Appearance, Override, Talk

log = logging.getLogger(__name__)


def input_name(speaker_id: int, what: str) -> str:
    """The form input of a speaker's ``what`` (role or organisation) on the talk edit form."""
    return f"speaker_{speaker_id}_{what}"


def _current(appearance: Appearance, what: str) -> str:
    if what == appearances.ROLE:
        return appearance.role or ""
    return appearance.organisation.name if appearance.organisation else ""


@dataclass
class SpeakerRow:
    """One speaker's inputs on the talk edit form: current, extracted and corrected values."""

    appearance: Appearance
    current: dict[str, str] = field(default_factory=dict)
    extracted: dict[str, str] = field(default_factory=dict)
    corrections: dict[str, Override] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)


def speaker_rows(talk: Talk) -> list[SpeakerRow]:
    """The per-speaker rows of the talk edit form, in the page's order."""
    fixed = appearances.corrections(talk)
    rows = []
    for appearance in talk.appearances:
        person = appearances.extracted_person(talk, appearance)
        row = SpeakerRow(appearance)
        for what in appearances.APPEARANCE_FIELDS:
            row.current[what] = _current(appearance, what)
            row.extracted[what] = str(person.get(what) or "")
            row.inputs[what] = input_name(appearance.speaker_id, what)
            override = fixed.get((appearance.speaker_id, what))
            if override is not None:
                row.corrections[what] = override
        rows.append(row)
    return rows


def save_speakers(
    db: Session, talk: Talk, form: Mapping[str, str], author: str
) -> tuple[list[str], list[str]]:
    """Store every changed per-speaker input as a correction, audited.

    Returns what changed (``"<name>: role"``) and the problems (nothing is stored for those;
    the caller rolls back when there are any).
    """
    changed: list[str] = []
    problems: list[str] = []
    for appearance in list(talk.appearances):
        for what in appearances.APPEARANCE_FIELDS:
            key = input_name(appearance.speaker_id, what)
            if key not in form:
                continue
            wanted = " ".join(str(form[key]).split())
            was = _current(appearance, what)
            if wanted == was:
                continue
            label = f"{appearance.speaker.name}: {what}"
            try:
                appearances.set_correction(
                    db, talk, appearance.speaker_id, what, wanted or None, author
                )
            except ValueError as exc:
                problems.append(f"{label}: {exc}")
                return changed, problems
            audit(
                db,
                "talk.correct-speaker",
                f"talk {talk.id}",
                speaker=appearance.speaker_id,
                field=what,
                value=wanted or None,
                was=was or None,
            )
            changed.append(label)
    return changed, problems

"""What a run changed on one talk: per changed field the old and the new extracted value.

A run event of a changed talk carries ``changes``, ``{"field": {"old": …, "new": …, "kept":
bool}}`` (the ``run_events.changes`` column), so the run report can show old → new per field
instead of only naming the fields. ``kept`` is true when an admin's correction of the field
stays on top: the run moved the extracted value underneath, but the value the site shows did
not change. Values are stored for reading, not for restoring: long texts (abstracts, bios)
are shortened to :data:`MAX_CHARS` characters so a report of many changed talks stays small,
and the speaker list is summarised as names with role and organisation.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive import store
from archive.models import Talk
from scraper.model import Extraction

log = logging.getLogger(__name__)

#: Longest stored text of one old or new value; the full values stay in ``talks.extracted``.
MAX_CHARS = 500
#: Speaker facts besides name, role and organisation that a summary names when only they moved.
_SPEAKER_DETAILS = ("bio", "industries")


def shorten(text: str, limit: int = MAX_CHARS) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, ending in "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def speaker_line(name: str | None, role: str | None, organisation: str | None) -> str:
    """One speaker as a reader names them: "Per Buchwaldt (CIO, Region Zealand)"."""
    about = ", ".join(part for part in (role, organisation) if part)
    who = name or "(no name)"
    return f"{who} ({about})" if about else who


def speakers_summary(speakers: Sequence[Mapping[str, Any]] | None) -> str | None:
    """The extraction contract's speaker list as one line, ``; ``-separated; None when empty."""
    if not speakers:
        return None
    return "; ".join(
        speaker_line(s.get("name"), s.get("role"), s.get("organisation")) for s in speakers
    )


def _speaker_details_moved(
    old: Sequence[Mapping[str, Any]], new: Sequence[Mapping[str, Any]]
) -> list[str]:
    """The speaker facts (bio, industries) that differ when names, roles and organisations
    did not, so a summary that reads the same on both sides still says what moved."""
    moved = []
    for key in _SPEAKER_DETAILS:
        if [s.get(key) for s in old] != [s.get(key) for s in new]:
            moved.append(key)
    return moved


def display(field: str, value: Any) -> Any:
    """A contract value as stored in a change: texts shortened, lists kept, speakers summarised."""
    if field == "speakers":
        summary = speakers_summary(value)
        return shorten(summary) if summary else None
    if isinstance(value, str):
        return shorten(value) if value.strip() else None
    if isinstance(value, list):
        return [shorten(str(v)) for v in value]
    return value


def field_changes(
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    fields: Iterable[str],
    kept: Collection[str] = (),
) -> dict[str, dict[str, Any]]:
    """Old and new value of every field in ``fields`` between two extraction dicts.

    ``kept`` names the fields whose shown value is an admin's correction. Pure: the caller
    decides which fields changed (:func:`archive.store.changed_fields`) and which were kept.
    """
    changes: dict[str, dict[str, Any]] = {}
    for name in fields:
        before, after = display(name, old.get(name)), display(name, new.get(name))
        if name == "speakers" and before == after:
            moved = _speaker_details_moved(old.get(name) or [], new.get(name) or [])
            after = f"{after or ''} — changed: {', '.join(moved) or 'details'}".strip(" —")
        changes[name] = {"old": before, "new": after, "kept": name in kept}
    return changes


def shown_speakers(talk: Talk) -> str | None:
    """The talk's speakers as the site shows them (admin renames, merges and corrections
    applied), summarised like :func:`speakers_summary`."""
    return speakers_summary(
        [
            {
                "name": a.speaker.name if a.speaker else a.name_as_shown,
                "role": a.role,
                "organisation": a.organisation.name if a.organisation else None,
            }
            for a in talk.appearances
        ]
    )


@dataclass(frozen=True)
class Before:
    """What a talk looked like before a run stored a new extraction of its page."""

    extracted: dict[str, Any]
    #: the shown speakers, read only when the new extraction changes them
    speakers: str | None


def before_upsert(session: Session, extraction: Extraction) -> Before | None:
    """The stored talk of ``extraction.source`` as it was, or None for a new talk.

    The shown speakers are read (one query per speaker table) only when the extracted ones
    change, so re-extracting an unchanged archive costs one more query per talk, not four.
    """
    talk = session.scalar(select(Talk).where(Talk.source_url == extraction.source))
    if talk is None:
        return None
    old = dict(talk.extracted or {})
    moved = store.changed_fields(old, extraction.to_dict())
    return Before(old, shown_speakers(talk) if "speakers" in moved else None)


def run_changes(
    before: Before | None, talk: Talk, new: Mapping[str, Any], fields: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The ``changes`` of a changed talk's run event, after the run stored ``new``.

    A talk field is kept when it has an admin's override. The speaker list is kept when the
    speakers the site shows read the same after the run as before although the extracted ones
    changed: an admin's rename, merge or role/organisation correction stayed on top.
    """
    if before is None:
        return {}
    fields = list(fields)
    kept = {o.field for o in talk.overrides}
    if "speakers" in fields and before.speakers == shown_speakers(talk):
        kept.add("speakers")
    return field_changes(before.extracted, new, fields, kept)


def text(value: Any) -> str:
    """A stored change value as one line for a page or a terminal: "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def change_lines(changes: Mapping[str, Mapping[str, Any]], width: int = 60) -> list[str]:
    """One short line per changed field, "topic: A → B (correction kept)", for terminals."""
    lines = []
    for name, change in changes.items():
        old = shorten(text(change.get("old")), width)
        new = shorten(text(change.get("new")), width)
        kept = " (correction kept)" if change.get("kept") else ""
        lines.append(f"{name}: {old} → {new}{kept}")
    return lines

"""Correcting a speaker: name and biography as overrides, undo, aliases, merging two records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from archive import replica, store
from archive.admin.base import audit, bp, user_name
from archive.admin.forms import ActionForm, AliasForm, MergeForm, SpeakerForm, UndoForm
from archive.admin.wording import fields_text, no_correction
from archive.db import get_session
from archive.ids import parse_id
from archive.models import Appearance, Speaker, SpeakerAlias, utcnow
from scraper.extract.speakers import normalise_name

SPEAKER_FIELDS = ("name", "bio")


def _speaker(db: Session, speaker_id: int) -> Speaker:
    speaker = db.get(Speaker, speaker_id)
    if speaker is None:
        abort(404)
    return speaker


def _talk_ids(db: Session, speaker_id: int) -> list[int]:
    return list(db.scalars(select(Appearance.talk_id).where(Appearance.speaker_id == speaker_id)))


def _commit(db: Session, talk_ids: list[int]) -> None:
    """Commit with the change-log rows of ``talk_ids`` and update this node's index."""
    replica.commit(db, Path(current_app.config["INDEX_DIR"]), talk_ids)


def correct_speaker(db: Session, speaker: Speaker, field: str, value: str | None) -> None:
    """Set a speaker's name or bio, remembering the replaced value, who and when.

    The record goes in ``speaker.overrides`` (which later runs respect for ``bio``; names are
    never rewritten by runs). A new name also becomes an alias, so pages that spell it that
    way find this speaker; ValueError when another speaker already answers to that name.
    """
    if field not in SPEAKER_FIELDS:
        raise ValueError(f"unknown speaker field {field!r}")
    if field == "name":
        if not value or not normalise_name(value):
            raise ValueError("a speaker needs a name")
        other = store.find_speaker(db, value)
        if other is not None and other.id != speaker.id:
            raise ValueError(f"{value!r} is speaker {other.id} ({other.name}): merge them instead")
        if other is None:
            speaker.aliases.append(SpeakerAlias(name=value, name_key=normalise_name(value)))
    overrides = dict(speaker.overrides or {})
    previous = overrides.get(field, {}).get("extracted", getattr(speaker, field))
    overrides[field] = {
        "value": value,
        "extracted": previous,
        "author": user_name(),
        "at": utcnow().isoformat(timespec="seconds"),
    }
    speaker.overrides = overrides
    setattr(speaker, field, value)
    db.flush()


def undo_speaker(db: Session, speaker: Speaker, field: str) -> bool:
    """Put back the value a correction replaced; False when there was no correction."""
    overrides = dict(speaker.overrides or {})
    entry = overrides.pop(field, None)
    if entry is None:
        return False
    if field == "name" and not entry.get("extracted"):
        return False
    setattr(speaker, field, entry.get("extracted"))
    speaker.overrides = overrides
    db.flush()
    return True


def _render(db: Session, speaker: Speaker, form: Any, status: int = 200) -> tuple[str, int]:
    body = render_template(
        "admin/speaker_edit.html",
        speaker=speaker,
        form=form,
        merge_form=MergeForm(),
        undo_form=UndoForm(),
        alias_form=AliasForm(),
        action_form=ActionForm(),
        name_key=normalise_name(speaker.name),
        overrides=speaker.overrides or {},
        appearances=list(speaker.appearances),
    )
    return body, status


@bp.route("/speakers/<int:speaker_id>/edit", methods=["GET", "POST"])
def speaker_edit(speaker_id: int) -> Any:
    """Edit a speaker's name and biography."""
    db = get_session()
    speaker = _speaker(db, speaker_id)
    form = SpeakerForm(data={"name": speaker.name, "bio": speaker.bio or ""})
    if not form.is_submitted():
        return _render(db, speaker, form)
    form = SpeakerForm()
    if not form.validate():
        return _render(db, speaker, form, 400)
    wanted = {
        "name": (form.name.data or "").strip(),
        "bio": (form.bio.data or "").replace("\r\n", "\n").strip() or None,
    }
    changed = [f for f in SPEAKER_FIELDS if wanted[f] != (getattr(speaker, f) or None)]
    try:
        for field in changed:
            was = getattr(speaker, field)
            correct_speaker(db, speaker, field, wanted[field])
            audit(
                db,
                "speaker.correct",
                f"speaker {speaker.id}",
                field=field,
                value=wanted[field],
                was=was,
            )
    except ValueError as exc:
        db.rollback()
        flash(str(exc))
        return _render(db, _speaker(db, speaker_id), form, 400)
    _commit(db, _talk_ids(db, speaker.id) if changed else [])
    if changed:
        flash(gettext("Saved: %(fields)s.", fields=fields_text(changed)))
    return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))


@bp.route("/speakers/<int:speaker_id>/undo", methods=["POST"])
def speaker_undo(speaker_id: int) -> BaseResponse:
    """Undo the correction of a speaker's name or biography."""
    db = get_session()
    speaker = _speaker(db, speaker_id)
    field = UndoForm().field.data or ""
    if undo_speaker(db, speaker, field):
        audit(db, "speaker.undo", f"speaker {speaker.id}", field=field)
        _commit(db, _talk_ids(db, speaker.id))
        flash(gettext("Correction of %(field)s undone.", field=fields_text([field])))
    else:
        flash(no_correction(field))
    return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))


@bp.route("/speakers/<int:speaker_id>/merge", methods=["POST"])
def speaker_merge(speaker_id: int) -> Any:
    """Merge this speaker into another: every talk moves, both names stay as aliases."""
    db = get_session()
    drop = _speaker(db, speaker_id)
    form = MergeForm()
    ref = (form.into.data or "").strip()
    if not form.validate() or not ref:
        flash(gettext("Name the speaker to merge into."))
        return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))
    if ref.isdigit():  # an id; one too big for a column names no speaker
        wanted = parse_id(ref)
        keep = db.get(Speaker, wanted) if wanted is not None else None
    else:
        keep = store.find_speaker(db, ref)
    if keep is None or keep.id == drop.id:
        flash(gettext("No other speaker %(ref)s to merge into.", ref=repr(ref)))
        return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))
    talk_ids = sorted({*_talk_ids(db, drop.id), *_talk_ids(db, keep.id)})
    dropped = {"id": drop.id, "name": drop.name}
    moved = store.merge_speakers(db, keep, drop)
    audit(db, "speaker.merge", f"speaker {keep.id}", merged=dropped, moved=moved)
    _commit(db, talk_ids)
    flash(
        ngettext(
            "Merged %(old)s into %(new)s: %(num)s talk moved.",
            "Merged %(old)s into %(new)s: %(num)s talks moved.",
            moved,
            old=dropped["name"],
            new=keep.name,
        )
    )
    return redirect(url_for("admin.speaker_edit", speaker_id=keep.id))


def add_alias(db: Session, speaker: Speaker, name: str) -> SpeakerAlias:
    """Make ``name`` another spelling of ``speaker``: pages that spell it so find this record.

    ValueError when it normalises to nothing, is already this speaker's, or is another
    speaker's (merge the two instead).
    """
    name = " ".join(name.split())
    key = normalise_name(name)
    if not key:
        raise ValueError("an alias needs a name")
    other = store.find_speaker(db, name)
    if other is not None and other.id == speaker.id:
        raise ValueError(f"{name!r} is already a spelling of {speaker.name}")
    if other is not None:
        raise ValueError(f"{name!r} is speaker {other.id} ({other.name}): merge them instead")
    alias = SpeakerAlias(name=name, name_key=key)
    speaker.aliases.append(alias)
    db.flush()
    return alias


def remove_alias(db: Session, speaker: Speaker, alias_id: int) -> str:
    """Drop one spelling; a later page that spells a name so makes a new speaker record.

    Returns the spelling. ValueError for the spelling of the speaker's own name.
    """
    alias = next((a for a in speaker.aliases if a.id == alias_id), None)
    if alias is None:
        raise ValueError("no such alias of this speaker")
    if alias.name_key == normalise_name(speaker.name):
        raise ValueError(f"{alias.name!r} spells the speaker's name: rename the speaker first")
    speaker.aliases.remove(alias)
    db.flush()
    return alias.name


@bp.post("/speakers/<int:speaker_id>/aliases")
def speaker_alias_add(speaker_id: int) -> BaseResponse:
    """Add another spelling of the speaker's name (it decides identity in later runs)."""
    db = get_session()
    speaker = _speaker(db, speaker_id)
    form = AliasForm()
    if not form.validate():
        flash(gettext("Give the alias spelling (at most 300 characters)."))
        return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))
    try:
        alias = add_alias(db, speaker, form.alias.data or "")
    except ValueError as exc:
        db.rollback()
        flash(str(exc))
        return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))
    audit(db, "speaker.alias-add", f"speaker {speaker.id}", alias=alias.name)
    _commit(db, _talk_ids(db, speaker.id))
    flash(gettext("Added the alias %(name)s.", name=alias.name))
    return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))


@bp.post("/speakers/<int:speaker_id>/aliases/<int:alias_id>/remove")
def speaker_alias_remove(speaker_id: int, alias_id: int) -> BaseResponse:
    """Remove one spelling of the speaker's name."""
    db = get_session()
    speaker = _speaker(db, speaker_id)
    ActionForm()
    try:
        name = remove_alias(db, speaker, alias_id)
    except ValueError as exc:
        db.rollback()
        flash(str(exc))
        return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))
    audit(db, "speaker.alias-remove", f"speaker {speaker.id}", alias=name)
    _commit(db, _talk_ids(db, speaker.id))
    flash(gettext("Removed the alias %(name)s.", name=name))
    return redirect(url_for("admin.speaker_edit", speaker_id=speaker_id))

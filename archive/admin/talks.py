"""Correcting a talk: every field as an override (who, when, extracted value beside), undo, hide."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from archive import appearances, replica, store
from archive.admin.appearances import save_speakers, speaker_rows
from archive.admin.base import audit, bp, user_name
from archive.admin.forms import LIST_FIELDS, ActionForm, TalkForm, UndoForm
from archive.admin.review import archived_page, review_reasons
from archive.admin.wording import fields_text, no_correction
from archive.crawling import host_of
from archive.db import get_session
from archive.models import Talk, utcnow
from archive.warcs import warc_store

_TIME = re.compile(r"^([01]?\d|2[0-3]):[0-5]\d$")


def form_value(field: str, text: str | None) -> Any:
    """A submitted form text as the extraction contract's value of ``field``."""
    text = (text or "").replace("\r\n", "\n").strip()
    if field in LIST_FIELDS:
        return [part.strip() for part in text.split(",") if part.strip()]
    return text or None


def display_value(field: str, value: Any) -> str:
    """A contract value as the text an input shows."""
    if value is None:
        return ""
    if field in LIST_FIELDS:
        return ", ".join(str(v) for v in value)
    return str(value)


def check_value(field: str, value: Any) -> str | None:
    """Why a corrected value is unusable (None when it is fine); dates are checked by the store."""
    if field in ("start_time", "end_time") and value and not _TIME.match(value):
        return f"{field}: use HH:MM"
    if field == "language" and value and len(value) > 10:
        return "language: use a language code such as en or da"
    return None


def _talk(db: Session, talk_id: int) -> Talk:
    talk = db.get(Talk, talk_id)
    if talk is None:
        abort(404)
    return talk


def _commit(db: Session, talk_ids: list[int]) -> None:
    """Commit with the change-log rows of ``talk_ids`` and update this node's index."""
    replica.commit(db, Path(current_app.config["INDEX_DIR"]), talk_ids)


def _render(db: Session, talk: Talk, form: Any, status: int = 200) -> tuple[str, int]:
    overrides = {o.field: o for o in talk.overrides if o.field in store.TALK_FIELDS}
    extracted = talk.extracted or {}
    body = render_template(
        "admin/talk_edit.html",
        teach_host=host_of(talk.source_url),
        talk=talk,
        form=form,
        fields=store.TALK_FIELDS,
        overrides=overrides,
        extracted={f: display_value(f, extracted.get(f)) for f in store.TALK_FIELDS},
        display=display_value,
        reasons=review_reasons(talk),
        archived=archived_page(talk.page, warc_store()),
        undo_form=UndoForm(),
        action_form=ActionForm(),
        speakers=speaker_rows(talk),
    )
    return body, status


@bp.route("/talks/<int:talk_id>/edit", methods=["GET", "POST"])
def talk_edit(talk_id: int) -> Any:
    """Show every field beside its extracted value; store each changed field as an override."""
    db = get_session()
    talk = _talk(db, talk_id)
    current = {f: store.to_contract(f, getattr(talk, f)) for f in store.TALK_FIELDS}
    form = TalkForm(data={f: display_value(f, current[f]) for f in store.TALK_FIELDS})
    if not form.is_submitted():
        return _render(db, talk, form)
    form = TalkForm()
    if not form.validate():
        return _render(db, talk, form, 400)
    wanted = {f: form_value(f, form[f].data) for f in store.TALK_FIELDS}
    changed = {
        f: v for f, v in wanted.items() if v != (current[f] or ([] if f in LIST_FIELDS else None))
    }
    problems = [p for p in (check_value(f, v) for f, v in changed.items()) if p]
    for field, value in changed.items():
        if problems:
            break
        try:
            store.set_override(db, talk, field, value, user_name())
        except ValueError as exc:
            problems.append(f"{field}: {exc}")
            break
        audit(db, "talk.correct", f"talk {talk.id}", field=field, value=value, was=current[field])
    saved = list(changed)
    if not problems:
        speakers_changed, problems = save_speakers(db, talk, request.form, user_name())
        saved += speakers_changed
    if problems:
        db.rollback()
        for problem in problems:
            flash(problem)
        return _render(db, _talk(db, talk_id), form, 400)
    _commit(db, [talk.id] if saved else [])
    if saved:
        flash(gettext("Saved: %(fields)s.", fields=fields_text(saved)))
    else:
        flash(gettext("Nothing changed."))
    return redirect(url_for("admin.talk_edit", talk_id=talk.id))


@bp.route("/talks/<int:talk_id>/undo", methods=["POST"])
def talk_undo(talk_id: int) -> BaseResponse:
    """Drop the correction of one field: the extracted value comes back."""
    db = get_session()
    talk = _talk(db, talk_id)
    form = UndoForm()
    field = form.field.data or ""
    override = next((o for o in talk.overrides if o.field == field), None)
    if appearances.parse_field(field) is not None:
        override = appearances.remove_correction(db, talk, field)
    elif override is not None and not store.remove_override(db, talk, field):
        override = None
    if override is None:
        flash(no_correction(field))
        return redirect(url_for("admin.talk_edit", talk_id=talk_id))
    audit(db, "talk.undo", f"talk {talk.id}", field=field, value=override.value)
    _commit(db, [talk.id])
    flash(gettext("Correction of %(field)s undone.", field=fields_text([field])))
    return redirect(url_for("admin.talk_edit", talk_id=talk_id))


def _set_hidden(talk_id: int, hidden: bool) -> BaseResponse:
    db = get_session()
    talk = _talk(db, talk_id)
    ActionForm()
    if talk.hidden != hidden:
        talk.hidden = hidden
        talk.updated_at = utcnow()
        audit(db, "talk.hide" if hidden else "talk.unhide", f"talk {talk.id}")
        _commit(db, [talk.id])
    flash(
        gettext("Talk hidden from the site.")
        if hidden
        else gettext("Talk shown on the site again.")
    )
    return redirect(url_for("admin.talk_edit", talk_id=talk_id))


@bp.route("/talks/<int:talk_id>/hide", methods=["POST"])
def talk_hide(talk_id: int) -> BaseResponse:
    """Hide a talk from the site and the index (reversible; nothing is deleted)."""
    return _set_hidden(talk_id, True)


@bp.route("/talks/<int:talk_id>/unhide", methods=["POST"])
def talk_unhide(talk_id: int) -> BaseResponse:
    """Show a hidden talk again."""
    return _set_hidden(talk_id, False)

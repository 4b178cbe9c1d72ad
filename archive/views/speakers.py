"""The speaker directory (name search, role, industry and organisation filters, A–Z, pages,
CSV and JSON exports of any view) and speaker pages."""

from __future__ import annotations

import json
import string
from collections.abc import Iterator, Sequence
from dataclasses import replace
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from archive import directory, i18n
from archive.db import get_session
from archive.models import Appearance, Speaker
from archive.roles import group_labels
from archive.spreadsheet import stream_csv
from archive.views.talks import slugify

bp = Blueprint("speakers", __name__)

EXPORT_COLUMNS = (
    "id",
    "name",
    "role",
    "role_group",
    "organisation",
    "organisations",
    "industries",
    "talks",
    "url",
    "bio",
)


def _filters() -> directory.Filters:
    def arg(key: str) -> str:
        return request.args.get(key, "").strip()[:200]

    letter = arg("letter").upper()
    valid = letter in string.ascii_uppercase or letter == directory.OTHER_LETTER
    return directory.Filters(
        name=arg("q"),
        role=arg("role"),
        industry=i18n.label_key(arg("industry"), "industry"),
        org=arg("org"),
        letter=letter if len(letter) == 1 and valid else "",
    )


def directory_url(endpoint: str, active: dict[str, str], **changes: str | int | None) -> str:
    """The directory (or its export) with the active filters, some changed or dropped (None)."""
    args: dict[str, Any] = dict(active)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = value
    return url_for(endpoint, **args)


def _page_number() -> int:
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


@bp.get("/speakers")
def index() -> str:
    """One page of the directory: speakers matching the filters, by name."""
    filters = _filters()
    everyone = directory.entries(get_session())
    rows = directory.matching(everyone, filters)
    per = directory.PER_PAGE
    pages = max(1, -(-len(rows) // per))
    number = _page_number()
    unlettered = directory.matching(everyone, replace(filters, letter=""))
    # Every role stays on offer: its count is of the view with any other role instead.
    any_role = directory.matching(everyone, replace(filters, role=""))
    roles = dict(directory.counts(e.role_groups for e in any_role))
    return render_template(
        "speakers.html",
        rows=rows[(number - 1) * per : number * per],
        total=len(rows),
        page=number,
        pages=pages,
        per_page=per,
        filters=filters,
        active=filters.active(),
        roles=[(label, roles[label]) for label in group_labels() if label in roles],
        industries=directory.counts(e.industries for e in everyone),
        letters=directory.letters(unlettered),
        alphabet=[*string.ascii_uppercase, directory.OTHER_LETTER],
        directory_url=directory_url,
    )


def _export_row(entry: directory.Entry) -> dict[str, str | int | list[str] | None]:
    return {
        "id": entry.id,
        "name": entry.name,
        "role": entry.role,
        "role_group": entry.role_group,
        "organisation": entry.organisation,
        "organisations": entry.organisations,
        "industries": entry.industries,
        "talks": entry.talks,
        "url": url_for(
            "speakers.show", speaker_id=entry.id, slug=slugify(entry.name), _external=True
        ),
        "bio": entry.bio,
    }


def _joined(value: str | int | list[str] | None) -> str | int | None:
    """A list as one cell, its items joined with "; "."""
    return "; ".join(value) if isinstance(value, list) else value


def _csv(rows: Sequence[directory.Entry]) -> Iterator[str]:
    values = ([_joined(v) for v in _export_row(entry).values()] for entry in rows)
    return stream_csv(EXPORT_COLUMNS, values)


def _export_name(filters: directory.Filters, ext: str) -> str:
    """A file name that says what was listed: ``speakers-role-cio-industry-financial.csv``."""
    parts = [f"{key}-{slugify(value)}" for key, value in filters.active().items()]
    return "-".join(["speakers", *parts])[:120] + f".{ext}"


@bp.get("/speakers.<any(csv, json):fmt>")
def export(fmt: str) -> Response:
    """Every speaker of a directory view (all pages), with bios, as CSV or JSON."""
    filters = _filters()
    rows = directory.matching(directory.entries(get_session()), filters)
    disposition = {"Content-Disposition": f'attachment; filename="{_export_name(filters, fmt)}"'}
    if fmt == "csv":
        lines = stream_with_context(_csv(rows))
        return Response(lines, mimetype="text/csv", headers=disposition)
    body = json.dumps([_export_row(e) for e in rows], ensure_ascii=False, indent=1)
    return Response(body, mimetype="application/json", headers=disposition)


@bp.get("/speakers/<int:speaker_id>")
@bp.get("/speakers/<int:speaker_id>-<slug>")
def show(speaker_id: int, slug: str | None = None) -> str | BaseResponse:
    """A speaker: aliases, current role and organisation, bio and every talk, newest first."""
    speaker = get_session().scalar(
        select(Speaker)
        .where(Speaker.id == speaker_id)
        .options(selectinload(Speaker.appearances).selectinload(Appearance.talk))
    )
    if speaker is None:
        abort(404)
    canonical = slugify(speaker.name)
    if slug != canonical:
        return redirect(url_for("speakers.show", speaker_id=speaker_id, slug=canonical), 301)
    return render_template("speaker.html", speaker=speaker, info=directory.profile(speaker))

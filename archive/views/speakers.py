"""The speaker directory (filter by industry and organisation) and speaker pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from archive import directory
from archive.db import get_session
from archive.models import Appearance, Speaker
from archive.views.talks import slugify

bp = Blueprint("speakers", __name__)


@bp.get("/speakers")
def index() -> str:
    """Every speaker with organisation, industries and number of talks, filterable."""
    industry = request.args.get("industry", "").strip() or None
    org = request.args.get("org", "").strip() or None
    rows = directory.speakers(get_session(), industry=industry, org=org)
    return render_template(
        "speakers.html",
        rows=rows,
        industry=industry,
        org=org,
        industries=directory.industry_counts(get_session()),
    )


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

"""Talk pages: every field, speakers at the time, similar talks, citation and calendar file."""

from __future__ import annotations

import re
import unicodedata

from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from archive import citation
from archive.db import get_session
from archive.models import Talk
from archive.search import load_talks
from index import search as index_search

bp = Blueprint("talks", __name__)


def slugify(text: str | None) -> str:
    """A URL slug: ASCII, lower case, words joined by hyphens, at most 60 characters."""
    folded = unicodedata.normalize("NFKD", (text or "").replace("ø", "o").replace("Ø", "O"))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].rstrip("-") or "talk"


def get_talk(talk_id: int) -> Talk:
    """The talk or a 404 (hidden talks are not shown)."""
    talk = get_session().scalar(select(Talk).where(Talk.id == talk_id, Talk.hidden.is_(False)))
    if talk is None:
        abort(404)
    return talk


@bp.get("/talks/<int:talk_id>")
@bp.get("/talks/<int:talk_id>-<slug>")
def show(talk_id: int, slug: str | None = None) -> str | BaseResponse:
    """One talk; redirects to the canonical slug."""
    talk = get_talk(talk_id)
    canonical = slugify(talk.topic or talk.title)
    if slug != canonical:
        return redirect(url_for("talks.show", talk_id=talk_id, slug=canonical), 301)
    similar_ids = index_search.more_like_this(current_app.config["INDEX_DIR"], talk_id, limit=5)
    similar = load_talks(get_session(), similar_ids)
    return render_template(
        "talk.html",
        talk=talk,
        similar=[similar[i] for i in similar_ids if i in similar],
        bibtex=citation.bibtex(talk),
        reference=citation.reference(talk),
    )


@bp.get("/talks/<int:talk_id>.ics")
def ics(talk_id: int) -> Response:
    """The talk as an iCalendar event."""
    talk = get_talk(talk_id)
    body = citation.icalendar(talk, url_for("talks.show", talk_id=talk.id, _external=True))
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="talk-{talk.id}.ics"'},
    )


@bp.get("/talks/<int:talk_id>.bib")
def bib(talk_id: int) -> Response:
    """The talk's BibTeX entry."""
    return Response(citation.bibtex(get_talk(talk_id)), mimetype="application/x-bibtex")

"""Talk pages: every field, speakers at the time, similar talks, citation and calendar file."""

from __future__ import annotations

import logging
import re
from urllib.parse import urljoin, urlsplit

import nh3
from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response as BaseResponse

from archive import citation, search
from archive.db import get_session
from archive.models import Talk
from archive.search import load_talks
from folding import fold_digraph
from scraper.extract.decode import decode_html
from scraper.warc import WarcStore

log = logging.getLogger(__name__)

bp = Blueprint("talks", __name__)

#: The archived copy runs no script and loads nothing but our stylesheet.
ARCHIVED_CSP = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'"
)
#: Elements kept from an archived page: text structure and links; no images, no landmarks
#: (our page has its own), no forms, no embedded content.
ARCHIVED_TAGS = nh3.ALLOWED_TAGS - {"img", "map", "area", "nav", "header", "footer", "aside"}
ARCHIVED_SCHEMES = {"http", "https", "mailto"}
#: Elements dropped together with their content.
ARCHIVED_DROPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "title",
    "iframe",
    "object",
    "embed",
    "svg",
    "math",
    "select",
    "textarea",
    "button",
}


def slugify(text: str | None) -> str:
    """A URL slug: ASCII, lower case, words joined by hyphens, at most 60 characters."""
    ascii_text = fold_digraph(text or "").encode("ascii", "ignore").decode("ascii").lower()
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
    similar_ids = search.similar(talk_id, limit=5)
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


def sanitise_archived(html: str, base_url: str) -> str:
    """An archived page's HTML made safe to show inside ours: scripts, styles, event handlers,
    frames and images removed, links kept and made absolute against the page's own URL."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "cite"):
            return value
        # nh3 checks schemes before this filter runs, so resolved links are checked here.
        url = urljoin(base_url, value.strip())
        return url if urlsplit(url).scheme in ARCHIVED_SCHEMES else None

    return str(
        nh3.clean(
            html,
            tags=ARCHIVED_TAGS,
            clean_content_tags=ARCHIVED_DROPPED,
            attribute_filter=absolute,
            link_rel="nofollow noopener noreferrer",
            url_schemes=ARCHIVED_SCHEMES,
        )
    )


@bp.get("/talks/<int:talk_id>/archived")
def archived(talk_id: int) -> Response:
    """The source page as we captured it, sanitised, under a banner giving the capture date."""
    talk = get_talk(talk_id)
    row = talk.page
    if row is None or not row.warc_path:
        abort(404)
    ref = row.record_ref()
    try:
        page = WarcStore(current_app.config["ARCHIVE_DIR"]).read(ref)
    except (OSError, ValueError) as exc:
        log.warning("archived copy of talk %s unreadable: %s", talk_id, exc)
        abort(404)
    text, _codec = decode_html(page.body, page.content_type or row.content_type)
    body = sanitise_archived(text, page.final_url or page.url or talk.source_url)
    html = render_template("archived.html", talk=talk, page=row, body=body)
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = ARCHIVED_CSP
    response.headers["X-Robots-Tag"] = "noindex"
    return response

"""Talk pages: every field, speakers at the time, similar talks, citation and calendar file."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable

import nh3
from flask import Blueprint, Response, abort, current_app, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from archive import i18n, search
from archive.citation import bibtex, calendar, csl, metadata, ris
from archive.citation.record import Citation, from_talk, reference
from archive.db import get_session
from archive.links import PAGE_LINK_SCHEMES, resolve_link
from archive.models import Talk
from archive.search import load_talks
from archive.warcs import warc_store
from folding import fold_digraph
from scraper.extract.decode import decode_html

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


def permalink(talk: Talk) -> str:
    """The archive's own address of the talk's page (what citations point to)."""
    return url_for(
        "talks.show", talk_id=talk.id, slug=slugify(talk.topic or talk.title), _external=True
    )


def citation_of(talk: Talk) -> Citation:
    """The talk's citation record, pointing at its permalink."""
    return from_talk(talk, permalink(talk))


def time_zone_name() -> str:
    """The configured zone of the talks' times (``TIME_ZONE``)."""
    return str(current_app.config.get("TIME_ZONE") or calendar.DEFAULT_ZONE)


def get_talk(talk_id: int) -> Talk:
    """The talk; 404 when there is none, 410 (withdrawn) when an admin hid it."""
    talk = get_session().get(Talk, talk_id)
    if talk is None:
        abort(404)
    if talk.hidden:
        abort(410)
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
    record = citation_of(talk)
    return render_template(
        "talk.html",
        talk=talk,
        similar=[similar[i] for i in similar_ids if i in similar],
        bibtex=bibtex.entry(record),
        reference=reference(
            record,
            day_text=lambda day: i18n.date_text(day, "long"),
            accessed=gettext("accessed %(date)s"),
            unknown=gettext("Unknown speaker"),
        ),
        meta_tags=metadata.meta_tags(record),
        json_ld=metadata.json_ld(record, calendar.zone(time_zone_name())),
    )


def attachment(
    body: str | bytes | Iterable[str] | Iterable[bytes], mimetype: str, name: str
) -> Response:
    """A download named ``name`` (ASCII, no quotes: the callers build it)."""
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@bp.get("/talks/<int:talk_id>.ics")
def ics(talk_id: int) -> Response:
    """The talk as an iCalendar event, its time in the archive's zone."""
    body = calendar.calendar([citation_of(get_talk(talk_id))], time_zone_name())
    return attachment(body, "text/calendar", f"talk-{talk_id}.ics")


@bp.get("/talks/<int:talk_id>.bib")
def bib(talk_id: int) -> Response:
    """The talk's BibTeX entry."""
    return Response(bibtex.entry(citation_of(get_talk(talk_id))), mimetype="application/x-bibtex")


@bp.get("/talks/<int:talk_id>.ris")
def ris_file(talk_id: int) -> Response:
    """The talk as an RIS record."""
    body = ris.records([citation_of(get_talk(talk_id))])
    return attachment(body, "application/x-research-info-systems", f"talk-{talk_id}.ris")


@bp.get("/talks/<int:talk_id>.csl.json")
def csl_json(talk_id: int) -> Response:
    """The talk as a CSL-JSON array of one item."""
    body = json.dumps([csl.item(citation_of(get_talk(talk_id)))], ensure_ascii=False, indent=1)
    return Response(body + "\n", mimetype="application/vnd.citationstyles.csl+json")


def sanitise_archived(html: str, base_url: str) -> str:
    """An archived page's HTML made safe to show inside ours: scripts, styles, event handlers,
    frames and images removed, links kept and made absolute against the page's own URL."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        if attribute not in ("href", "cite"):
            return value
        # nh3 checks schemes before this filter runs, so resolved links are checked here.
        return resolve_link(base_url, value)

    return str(
        nh3.clean(
            html,
            tags=ARCHIVED_TAGS,
            clean_content_tags=ARCHIVED_DROPPED,
            attribute_filter=absolute,
            link_rel="nofollow noopener noreferrer",
            url_schemes=set(PAGE_LINK_SCHEMES),
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
        page = warc_store().read(ref)
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

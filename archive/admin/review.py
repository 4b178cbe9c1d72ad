"""The review queue: talks whose extraction warned or left fields empty, with the archived page."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import nh3
from flask import current_app, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive.admin.base import bp
from archive.db import get_session
from archive.models import Page, Talk
from scraper.extract.decode import decode_html
from scraper.warc import RecordRef, WarcStore

log = logging.getLogger(__name__)

#: Fields a talk should have; an empty one sends the talk to the review queue.
REVIEW_FIELDS = ("title", "topic", "date", "location")
PER_PAGE = 10
#: Markup kept when an archived page is shown inside the admin page (no scripts, styles,
#: forms, frames or images: the page is untrusted, and only its text and structure matter).
SAFE_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "div", "dl", "dt",
        "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q",
        "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip


def review_reasons(talk: Talk) -> list[str]:
    """Why a talk needs a look: its extraction warnings, then the fields left empty."""
    reasons = [str(w) for w in (talk.warnings or [])]
    reasons += [f"empty: {name}" for name in REVIEW_FIELDS if not getattr(talk, name)]
    if not talk.appearances:
        reasons.append("empty: speakers")
    return reasons


def _candidates(db: Session) -> Iterator[Talk]:
    """Visible talks, newest first (by talk date, undated ones first as they need a date)."""
    query = (
        select(Talk)
        .where(Talk.hidden.is_(False))
        .options(selectinload(Talk.appearances), selectinload(Talk.page))
        .order_by(Talk.date.desc().nulls_first(), Talk.id.desc())
        .execution_options(yield_per=500)
    )
    yield from db.scalars(query)


def review_queue(db: Session) -> list[tuple[Talk, list[str]]]:
    """Every talk that needs review, with its reasons, newest first."""
    queue = []
    for talk in _candidates(db):
        reasons = review_reasons(talk)
        if reasons:
            queue.append((talk, reasons))
    return queue


def review_count(db: Session) -> int:
    """How many talks are in the review queue."""
    return len(review_queue(db))


def clean_archived_html(body: bytes, content_type: str | None) -> str:
    """An archived page as inert HTML: decoded, then stripped to text-level markup."""
    text, _encoding = decode_html(body, content_type)
    return nh3.clean(
        text,
        tags=set(SAFE_TAGS),
        clean_content_tags={"script", "style", "title", "noscript", "template", "head"},
        attributes={"a": {"href"}, "time": {"datetime"}, "td": {"colspan"}, "th": {"colspan"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def archived_page(page: Page | None, archive_dir: Path) -> str | None:
    """The cleaned archived copy of ``page``, or None when there is none or it is unreadable."""
    if page is None or page.warc_path is None:
        return None
    ref = RecordRef(
        page.warc_path, page.warc_offset or 0, page.warc_length or 0, page.record_id or "", ""
    )
    try:
        fetched = WarcStore(archive_dir).read(ref)
    except (OSError, ValueError) as exc:
        log.warning("archived copy of %s unreadable: %s", page.url, exc)
        return None
    return clean_archived_html(fetched.body, page.content_type)


@bp.route("/review")
def review() -> str:
    """Talks with warnings or empty fields, each beside its archived page."""
    db = get_session()
    queue = review_queue(db)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    shown = queue[(page - 1) * PER_PAGE : page * PER_PAGE]
    archive_dir = Path(current_app.config["ARCHIVE_DIR"])
    items = [(talk, reasons, archived_page(talk.page, archive_dir)) for talk, reasons in shown]
    return render_template(
        "admin/review.html",
        items=items,
        total=len(queue),
        page=page,
        more=page * PER_PAGE < len(queue),
    )

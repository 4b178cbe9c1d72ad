"""The review queue: talks whose extraction warned, left fields empty or gave doubtful values
(archive.doubts), each shown with its archived page."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Mapping

import nh3
from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive import doubts
from archive.admin.base import bp
from archive.db import get_session
from archive.ids import page_number
from archive.links import PAGE_LINK_SCHEMES, resolve_link
from archive.models import Appearance, Organisation, Page, Speaker, Talk
from archive.warcs import warc_store
from scraper.extract.decode import decode_html
from scraper.warc_store import WarcStore

log = logging.getLogger(__name__)

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


def talk_facts(talk: Talk) -> doubts.Facts:
    """The values the review rules read, from a loaded talk (appearances and speakers)."""
    return doubts.Facts(
        url=talk.source_url,
        warnings=list(talk.warnings or []),
        values={name: getattr(talk, name) for name in doubts.REVIEW_FIELDS},
        speakers=[
            (
                a.speaker.name,
                a.organisation.name if a.organisation else None,
                "name" in (a.speaker.overrides or {}),
            )
            for a in talk.appearances
        ],
        date=talk.date,
    )


def review_reasons(talk: Talk, dates: Mapping[str, doubts.SiteDates] | None = None) -> list[str]:
    """Why a talk needs a look (see :func:`archive.doubts.reasons`); a date is judged only
    when its site's date spread is given (:func:`site_dates` reads it for the whole archive)."""
    return doubts.reasons(talk_facts(talk), dates)


def site_dates(db: Session) -> dict[str, doubts.SiteDates]:
    """Every site's spread of visible talk dates, from one query of two columns."""
    rows = db.execute(
        select(Talk.source_url, Talk.date).where(Talk.hidden.is_(False), Talk.date.is_not(None))
    )
    return doubts.site_dates((url, date) for url, date in rows)


def _all_facts(db: Session) -> list[tuple[int, doubts.Facts]]:
    """(talk id, facts) of every visible talk, newest first (by talk date, undated ones first
    as they need a date), read in two queries however many talks there are."""
    fields = [getattr(Talk, name) for name in doubts.REVIEW_FIELDS]
    talks = db.execute(
        select(Talk.id, Talk.source_url, Talk.warnings, *fields)
        .where(Talk.hidden.is_(False))
        .order_by(Talk.date.desc().nulls_first(), Talk.id.desc())
    ).all()
    speakers: dict[int, list[tuple[str, str | None, bool]]] = defaultdict(list)
    rows = db.execute(
        select(Appearance.talk_id, Speaker.name, Speaker.overrides, Organisation.name)
        .join(Talk, Talk.id == Appearance.talk_id)
        .join(Speaker, Speaker.id == Appearance.speaker_id)
        .outerjoin(Organisation, Organisation.id == Appearance.organisation_id)
        .where(Talk.hidden.is_(False))
        .order_by(Appearance.talk_id, Appearance.position)
    )
    for talk_id, name, overrides, organisation in rows:
        speakers[talk_id].append((name, organisation, "name" in (overrides or {})))
    found = []
    for row in talks:
        values = {name: row._mapping[name] for name in doubts.REVIEW_FIELDS}
        facts = doubts.Facts(
            url=row.source_url,
            warnings=list(row.warnings or []),
            values=values,
            speakers=speakers.get(row.id, []),
            date=row.date,
        )
        found.append((row.id, facts))
    return found


def review_queue(db: Session) -> list[tuple[int, list[str]]]:
    """(talk id, reasons) of every talk that needs review, newest first.

    The rules run on plain values read in two queries for the whole archive (the site date
    spreads come from the same rows), so the queue stays fast on thousands of talks.
    """
    facts = _all_facts(db)
    dates = doubts.site_dates((f.url, f.date) for _id, f in facts)
    queue = []
    for talk_id, one in facts:
        reasons = doubts.reasons(one, dates)
        if reasons:
            queue.append((talk_id, reasons))
    return queue


def review_count(db: Session) -> int:
    """How many talks are in the review queue."""
    return len(review_queue(db))


def _talks(db: Session, ids: list[int]) -> dict[int, Talk]:
    """The talks of one queue page, with what the page shows of them."""
    query = (
        select(Talk)
        .where(Talk.id.in_(ids))
        .options(
            selectinload(Talk.appearances).selectinload(Appearance.speaker),
            selectinload(Talk.page),
        )
    )
    return {talk.id: talk for talk in db.scalars(query)} if ids else {}


def clean_archived_html(body: bytes, content_type: str | None, base_url: str) -> str:
    """An archived page as inert HTML: decoded, then stripped to text-level markup, its links
    made absolute against ``base_url`` (the page's own URL) or dropped when they cannot be."""

    def absolute(tag: str, attribute: str, value: str) -> str | None:
        # nh3 checks schemes before this filter runs, so resolved links are checked here.
        return resolve_link(base_url, value) if attribute == "href" else value

    text, _encoding = decode_html(body, content_type)
    return nh3.clean(
        text,
        tags=set(SAFE_TAGS),
        clean_content_tags={"script", "style", "title", "noscript", "template", "head"},
        attributes={"a": {"href"}, "time": {"datetime"}, "td": {"colspan"}, "th": {"colspan"}},
        attribute_filter=absolute,
        url_schemes=set(PAGE_LINK_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def archived_page(page: Page | None, warcs: WarcStore) -> str | None:
    """The cleaned archived copy of ``page``, or None when there is none or it is unreadable."""
    if page is None or page.warc_path is None:
        return None
    ref = page.record_ref()
    try:
        fetched = warcs.read(ref)
    except (OSError, ValueError) as exc:
        log.warning("archived copy of %s unreadable: %s", page.url, exc)
        return None
    return clean_archived_html(fetched.body, page.content_type, fetched.final_url or page.url)


@bp.route("/review")
def review() -> str:
    """Talks with warnings, empty fields or doubtful values, each beside its archived page."""
    db = get_session()
    queue = review_queue(db)
    page = page_number(request.args.get("page"))
    shown = queue[(page - 1) * PER_PAGE : page * PER_PAGE]
    talks = _talks(db, [talk_id for talk_id, _reasons in shown])
    with warc_store() as warcs:
        items = [
            (talks[talk_id], reasons, archived_page(talks[talk_id].page, warcs))
            for talk_id, reasons in shown
            if talk_id in talks
        ]
    return render_template(
        "admin/review.html",
        items=items,
        total=len(queue),
        page=page,
        more=page * PER_PAGE < len(queue),
    )

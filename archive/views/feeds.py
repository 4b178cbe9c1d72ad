"""Feeds of any search: Atom (the talks added last, or the newest matches of a search) and an
iCalendar file of every matching talk. Both take the search page's parameters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from archive import i18n, search
from archive.citation import calendar
from archive.db import get_session
from archive.links import http_url
from archive.models import Appearance, Talk
from archive.views.exports import export_filename, iter_talks
from archive.views.talks import attachment, citation_of, permalink, time_zone_name

bp = Blueprint("feeds", __name__)

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50
SUMMARY_CHARS = 600
#: Characters XML 1.0 cannot carry at all (scraped text occasionally holds them).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _stamp(moment: dt.datetime) -> str:
    """RFC 3339 in UTC (the database keeps naive UTC)."""
    return moment.replace(tzinfo=dt.UTC, microsecond=0).isoformat().replace("+00:00", "Z")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    clean = {key: _NOT_XML.sub("", value) for key, value in attrs.items()}
    child = ET.SubElement(parent, f"{{{ATOM}}}{tag}", clean)
    if text is not None:
        child.text = _NOT_XML.sub("", text)
    return child


def atom(
    talks: list[Talk],
    feed_url: str,
    site_url: str,
    title: str = "CIO Talks Archive: newly archived talks",
    author_name: str = "CIO Talks Archive",
    untitled: str = "Untitled talk",
) -> bytes:
    """The feed document for ``talks`` (newest first); ElementTree escapes every text."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", title)
    _sub(feed, "id", feed_url)
    _sub(feed, "link", rel="self", href=feed_url, type="application/atom+xml")
    _sub(feed, "link", rel="alternate", href=site_url, type="text/html")
    newest = max((t.created_at for t in talks), default=dt.datetime(2000, 1, 1))
    _sub(feed, "updated", _stamp(newest))
    author = _sub(feed, "author")
    _sub(author, "name", author_name)
    for talk in talks:
        url = permalink(talk)
        entry = _sub(feed, "entry")
        _sub(entry, "title", talk.topic or talk.title or untitled)
        _sub(entry, "id", url)
        _sub(entry, "link", rel="alternate", href=url, type="text/html")
        source = http_url(talk.source_url)
        if source:  # never a javascript: or file: address in a feed reader
            _sub(entry, "link", rel="related", href=source)
        _sub(entry, "published", _stamp(talk.created_at))
        _sub(entry, "updated", _stamp(max(talk.updated_at or talk.created_at, talk.created_at)))
        for appearance in talk.appearances:
            person = _sub(entry, "author")
            _sub(person, "name", appearance.speaker.name)
        for theme in talk.themes or []:
            _sub(entry, "category", term=theme)
        lines = []
        if talk.date:
            lines.append(i18n.date_text(talk.date, "long"))
        if talk.abstract:
            text = " ".join(talk.abstract.split())
            lines.append(text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS] + " …")
        if lines:
            _sub(entry, "summary", " — ".join(lines), type="text")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _search_args() -> dict[str, Any]:
    """The request's search parameters (paging dropped), as url_for takes them."""
    return {
        key: values
        for key, values in request.args.to_dict(flat=False).items()
        if key not in ("page", "per_page") and any(v.strip() for v in values)
    }


def _describe(args: dict[str, Any]) -> str:
    words = [f"“{v}”" for key in ("q", *search.FACETS) for v in args.get(key, [])]
    span = [f"{k} {args[k][0]}" for k in ("from", "to") if k in args]
    return ", ".join(words + span)


@bp.get("/feed.atom")
def feed() -> Response:
    """The ``FEED_SIZE`` talks added last; with search parameters, the newest matches of that
    search (or in the order its ``sort`` asks)."""
    args = _search_args()
    if args:
        req = search.request_from_args(request.args, FEED_SIZE)
        req.page, req.per_page = 1, FEED_SIZE
        if "sort" not in args:
            req.sort = "newest"
        talks = [talk for talk, _ in search.run(get_session(), req).talks]
        described = _describe(args)
        title = (
            gettext("CIO Talks Archive: talks matching %(search)s", search=described)
            if described
            else gettext("CIO Talks Archive: talks in this search")
        )
    else:
        talks = list(
            get_session().scalars(
                select(Talk)
                .where(Talk.hidden.is_(False))
                .order_by(Talk.created_at.desc(), Talk.id.desc())
                .limit(FEED_SIZE)
                .options(selectinload(Talk.appearances).selectinload(Appearance.speaker))
            )
        )
        title = gettext("CIO Talks Archive: newly archived talks")
    body = atom(
        talks,
        url_for("feeds.feed", _external=True, **args),
        url_for("search.index", _external=True, **args),
        title,
        gettext("CIO Talks Archive"),
        gettext("Untitled talk"),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.get("/talks.ics")
def calendar_feed() -> Response:
    """Every dated talk matching the search parameters as one iCalendar file, times in the
    configured zone (``TIME_ZONE``) with its VTIMEZONE."""
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    records = (citation_of(talk) for talk in iter_talks(req))
    body = calendar.calendar(records, time_zone_name())
    return attachment(body, "text/calendar", export_filename(request.args, "ics"))

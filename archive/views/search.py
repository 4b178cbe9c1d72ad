"""The search page: free text, facets, filters as chips, sort and pagination, all in the URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, current_app, g, render_template, request, url_for
from flask_babel import lazy_gettext
from werkzeug.datastructures import MultiDict

from archive import i18n, search
from archive.db import get_session
from archive.languages import language_name
from archive.summaries import TalkSummary
from archive.views import filters

bp = Blueprint("search", __name__)

#: The orders of the results as the page names them.
SORT_LABELS = {
    "relevance": lazy_gettext("relevance"),
    "newest": lazy_gettext("newest"),
    "oldest": lazy_gettext("oldest"),
}


def url_with(
    args: MultiDict[str, str],
    add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None,
    **replace: Any,
) -> str:
    """The search URL for ``args`` with one filter added or removed, or keys replaced."""
    if add and not remove and not replace and add[0] not in args:
        # A facet link (a results page has dozens): the request's own query once, this
        # filter appended; the same string as below, since a new key goes last.
        return _with_base(args, urlencode([add]))
    new: MultiDict[str, str] = MultiDict(args)
    new.pop("page", None)
    if add and add[1] not in new.getlist(add[0]):
        new.add(*add)
    if remove:
        new.setlist(remove[0], [v for v in new.getlist(remove[0]) if v != remove[1]])
    for key, value in replace.items():
        if value is None:
            new.pop(key, None)
        else:
            new[key] = str(value)
    # One url_for per request, then plain query strings: a results page builds ~100 of these.
    if "search_base" not in g:
        g.search_base = url_for("search.index")
    query = urlencode(list(new.items(multi=True)))
    return f"{g.search_base}?{query}" if query else str(g.search_base)


def _with_base(args: MultiDict[str, str], extra: str) -> str:
    """The search URL of ``args`` (page dropped) followed by ``extra``, the encoding of the
    arguments worked out once per request and arguments object."""
    if g.get("url_with_args") is not args:
        kept = [(k, v) for k, v in args.items(multi=True) if k != "page"]
        g.url_with_args, g.url_with_query = args, urlencode(kept)
    if "search_base" not in g:
        g.search_base = url_for("search.index")
    query = f"{g.url_with_query}&{extra}" if g.url_with_query else extra
    return f"{g.search_base}?{query}"


def export_url(args: MultiDict[str, str], fmt: str) -> str:
    """The export (``fmt`` such as ``csv``) or feed (an endpoint such as ``feeds.feed``) of
    every talk matching ``args``, paging parameters dropped."""
    kept: MultiDict[str, str] = MultiDict(args)
    for key in ("page", "per_page"):
        kept.pop(key, None)
    values: dict[str, Any] = kept.to_dict(flat=False)
    return url_for(fmt if "." in fmt else f"exports.{fmt}_export", **values)


def facet_url(args: MultiDict[str, str], name: str) -> str:
    """The full list of one facet's values for the search ``args``."""
    kept = filters.without(args, [])
    return url_for("search.facet", name=name) + (
        f"?{urlencode(list(kept.items(multi=True)))}" if kept else ""
    )


def value_label(param: str, value: str) -> str:
    """How a filter value is shown: language codes by the language's own name, themes and
    industries in the interface language."""
    if param == "lang":
        return language_name(value)
    return i18n.label_text(value, param) if param in ("theme", "industry") else value


def _page(args: MultiDict[str, str]) -> search.Page[TalkSummary]:
    req = search.request_from_args(args, current_app.config["PER_PAGE"])
    return search.results(get_session(), req)


@bp.get("/")
def index() -> str:
    """Search results with facet counts for the current result set."""
    page = _page(request.args)
    chips = filters.chips(request.args, search.FACETS, value_label)
    return render_template(
        "search.html",
        page=page,
        req=page.request,
        args=request.args,
        hidden=[(p, v) for p in search.FACETS for v in request.args.getlist(p) if v.strip()],
        chips=chips,
        panels=filters.panels(page.result.facets, request.args, value_label),
        without=filters.without,
        cleared=filters.cleared(request.args),
        url_with=url_with,
        export_url=export_url,
        facet_url=facet_url,
        sort_labels=SORT_LABELS,
    )


@bp.get("/facets/<name>")
def facet(name: str) -> str:
    """Every value of one facet over the current result set (the panel's "show more")."""
    if name not in filters.FACET_PARAMS:
        abort(404)
    page = _page(request.args)
    counts = page.result.facets.get(name, [])
    return render_template(
        "facet.html",
        page=page,
        args=request.args,
        panel=filters.panel(name, counts, request.args, value_label, limit=None),
        url_with=url_with,
        facet_url=facet_url,
    )

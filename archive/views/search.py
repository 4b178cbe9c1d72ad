"""The search page: free text, facets, filters as chips, sort and pagination, all in the URL."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from archive import search
from archive.db import get_session

bp = Blueprint("search", __name__)

FACET_LABELS = {
    "industry": "Industry",
    "theme": "Theme",
    "year": "Year",
    "organisation": "Organisation",
    "language": "Language",
    "speaker": "Speaker",
}
#: Facet name in the index result → URL parameter that filters on it.
FACET_PARAMS = {
    "industry": "industry",
    "theme": "theme",
    "year": "year",
    "organisation": "org",
    "language": "lang",
    "speaker": "speaker",
}


def url_with(
    args: MultiDict[str, str],
    add: tuple[str, str] | None = None,
    remove: tuple[str, str] | None = None,
    **replace: Any,
) -> str:
    """The search URL for ``args`` with one filter added or removed, or keys replaced."""
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


def export_url(args: MultiDict[str, str], fmt: str) -> str:
    """The export (``fmt`` such as ``csv``) or feed (an endpoint such as ``feeds.feed``) of
    every talk matching ``args``, paging parameters dropped."""
    kept: MultiDict[str, str] = MultiDict(args)
    for key in ("page", "per_page"):
        kept.pop(key, None)
    values: dict[str, Any] = kept.to_dict(flat=False)
    return url_for(fmt if "." in fmt else f"exports.{fmt}_export", **values)


@bp.get("/")
def index() -> str:
    """Search results with facet counts for the current result set."""
    req = search.request_from_args(request.args, current_app.config["PER_PAGE"])
    page = search.run(get_session(), req)
    chips = [
        (param, value)
        for param in search.FACETS
        for value in request.args.getlist(param)
        if value.strip()
    ]
    return render_template(
        "search.html",
        page=page,
        req=req,
        args=request.args,
        chips=chips,
        facet_labels=FACET_LABELS,
        facet_params=FACET_PARAMS,
        url_with=url_with,
        export_url=export_url,
    )

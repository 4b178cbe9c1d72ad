"""Browse pages: every industry, theme and year with its count, and one page per value."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import LazyString, lazy_gettext
from werkzeug.datastructures import MultiDict

from archive import search
from archive.db import get_session

bp = Blueprint("browse", __name__)


@dataclass(frozen=True)
class Kind:
    """One browsable facet: its index facet, search-page parameter and wording."""

    facet: str
    param: str
    plural: LazyString
    singular: LazyString


KINDS = {
    "industries": Kind(
        "industry", "industry", lazy_gettext("Industries"), lazy_gettext("Industry")
    ),
    "themes": Kind("theme", "theme", lazy_gettext("Themes"), lazy_gettext("Theme")),
    "years": Kind("year", "year", lazy_gettext("Years"), lazy_gettext("Year")),
}
#: Facets shown beside a value's talks ("what else is in this industry?").
RELATED = ("industry", "theme", "year", "organisation")
RELATED_LABELS = {
    "industry": lazy_gettext("Industries"),
    "theme": lazy_gettext("Themes"),
    "year": lazy_gettext("Years"),
    "organisation": lazy_gettext("Organisations"),
}


def _kind(kind: str) -> Kind:
    found = KINDS.get(kind)
    if found is None:
        abort(404)
    return found


@bp.get("/<any(industries, themes, years):kind>")
def values(kind: str) -> str:
    """Every value of the facet with its number of talks (years newest first)."""
    spec = _kind(kind)
    counts, notice = search.facet_counts(get_session(), spec.facet)
    if spec.facet == "year":
        counts = sorted(counts, key=lambda pair: pair[0], reverse=True)
    return render_template("browse.html", kind=kind, spec=spec, counts=counts, notice=notice)


@bp.get("/<any(industries, themes, years):kind>/<path:label>")
def detail(kind: str, label: str) -> str:
    """The talks with one value, newest first and paginated, with related facet counts."""
    spec = _kind(kind)
    if spec.facet == "year" and not (label.isdigit() and len(label) == 4):
        abort(404)
    args: MultiDict[str, str] = MultiDict(
        [
            (spec.param, label),
            ("sort", request.args.get("sort") or "newest"),
            ("page", request.args.get("page") or "1"),
        ]
    )
    req = search.request_from_args(args, current_app.config["PER_PAGE"])
    page = search.run(get_session(), req)
    if page.result.total == 0:
        abort(404)
    related = {
        name: [(v, c) for v, c in page.result.facets.get(name, []) if v != label][:10]
        for name in RELATED
        if name != spec.facet
    }
    return render_template(
        "browse_detail.html",
        kind=kind,
        spec=spec,
        label=label,
        page=page,
        req=req,
        related=related,
        related_labels=RELATED_LABELS,
        related_params={
            "organisation": "org",
            "industry": "industry",
            "theme": "theme",
            "year": "year",
        },
    )

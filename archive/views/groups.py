"""Organisation, series and host pages: every talk of the group, its speakers, industries and
years, linked from talk and speaker pages."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response as BaseResponse

from archive import collections
from archive.db import get_session
from archive.models import Organisation
from archive.views.talks import slugify

bp = Blueprint("groups", __name__)

#: Talks per page of a group.
PER_PAGE = 100


def _render(kind: str, name: str, found: collections.Collection, **extra: object) -> str:
    if not found.talks:
        abort(404)
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        number = 1
    pages = max(1, -(-len(found.talks) // PER_PAGE))
    shown = found.talks[(number - 1) * PER_PAGE : number * PER_PAGE]
    return render_template(
        "group.html",
        group_kind=kind,
        name=name,
        found=found,
        shown=shown,
        page=number,
        pages=pages,
        per_page=PER_PAGE,
        **extra,
    )


@bp.get("/organisations/<int:org_id>")
@bp.get("/organisations/<int:org_id>-<slug>")
def organisation(org_id: int, slug: str | None = None) -> str | BaseResponse:
    """An organisation: the talks its speakers gave, its speakers, industries and years."""
    org = get_session().get(Organisation, org_id)
    if org is None:
        abort(404)
    canonical = slugify(org.name)
    if slug != canonical:
        return redirect(url_for("groups.organisation", org_id=org_id, slug=canonical), 301)
    found = collections.of_organisation(get_session(), org_id)
    return _render("Organisation", org.name, found, org=org)


@bp.get("/series/<path:name>")
def series(name: str) -> str:
    """A seminar series: every talk in it, its speakers, their organisations and industries."""
    return _render("Series", name, collections.of_series(get_session(), name))


@bp.get("/hosts/<path:name>")
def host(name: str) -> str:
    """A host institution: every talk it organised, with speakers, organisations, years."""
    return _render("Host", name, collections.of_host(get_session(), name))

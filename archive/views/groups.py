"""Organisation, series and host pages: every talk of the group (100 a page), its speakers,
industries and years, linked from talk and speaker pages."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from archive import collections
from archive.db import get_session
from archive.models import Organisation
from archive.views.talks import slugify

bp = Blueprint("groups", __name__)

#: Talks per page of a group.
PER_PAGE = 100


def _render(
    kind: str,
    name: str,
    find: Callable[[Session, int, int], collections.Collection],
    org: Organisation | None = None,
) -> str:
    try:
        number = max(1, int(request.args.get("page", "1")))
    except ValueError:
        number = 1
    found = find(get_session(), number, PER_PAGE)
    if not found.total:
        abort(404)
    return render_template(
        "group.html",
        group_kind=kind,
        name=name,
        found=found,
        page=number,
        pages=max(1, -(-found.total // PER_PAGE)),
        org=org,
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
    return _render(
        gettext("Organisation"),
        org.name,
        lambda s, page, per: collections.of_organisation(s, org_id, page, per),
        org,
    )


@bp.get("/series/<path:name>")
def series(name: str) -> str:
    """A seminar series: every talk in it, its speakers, their organisations and industries."""
    return _render(
        gettext("Series"), name, lambda s, page, per: collections.of_series(s, name, page, per)
    )


@bp.get("/hosts/<path:name>")
def host(name: str) -> str:
    """A host institution: every talk it organised, with speakers, organisations, years."""
    return _render(
        gettext("Host"), name, lambda s, page, per: collections.of_host(s, name, page, per)
    )

"""The organisations admin page: list and search, rename, merge and set industries.

Every change is audited and re-derives and re-indexes the affected talks at once, so talk
pages, the speaker directory and the search facets show the corrected organisation.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from werkzeug.wrappers import Response as BaseResponse

from archive import appearances, organisations, replica
from archive.admin.base import audit, bp, user_name
from archive.admin.forms import ActionForm, OrganisationForm, OrganisationMergeForm
from archive.admin.wording import fields_text
from archive.db import get_session
from archive.ids import page_number
from archive.models import Appearance, Organisation, Talk

log = logging.getLogger(__name__)

PER_PAGE = 50


def industries_text(industries: list[str] | None) -> str:
    """Industries as the comma-separated text of the form."""
    return ", ".join(industries or [])


def industries_value(text: str | None) -> list[str]:
    """The comma-separated industries of the form as a list, blanks and repeats dropped."""
    parts = (" ".join(part.split()) for part in (text or "").split(","))
    return list(dict.fromkeys(part for part in parts if part))


def apply_change(db: Session, talk_ids: list[int]) -> list[int]:
    """Re-derive the talks an organisation change touched; the caller commits, then reindexes."""
    return appearances.recompute(db, talk_ids)


def commit(db: Session, talk_ids: list[int]) -> None:
    """Commit with the change-log rows of ``talk_ids`` and update this node's index."""
    replica.commit(db, Path(current_app.config["INDEX_DIR"]), talk_ids)


def _organisation(db: Session, org_id: int) -> Organisation:
    org = db.get(Organisation, org_id)
    if org is None:
        abort(404)
    return org


def _page() -> int:
    return page_number(request.args.get("page"))


@bp.get("/organisations")
def organisations_list() -> str:
    """Every organisation with its former names and number of talks, searchable and paged."""
    query = request.args.get("q", "").strip()[:300]
    page = _page()
    rows, total = organisations.search(
        get_session(), query, offset=(page - 1) * PER_PAGE, limit=PER_PAGE
    )
    return render_template(
        "admin/organisations.html",
        rows=rows,
        total=total,
        q=query,
        page=page,
        more=page * PER_PAGE < total,
    )


def _render(db: Session, org: Organisation, form: Any, status: int = 200) -> tuple[str, int]:
    talks = list(
        db.scalars(
            select(Talk)
            .where(Talk.id.in_(organisations.talk_ids(db, [org.id])))
            .options(selectinload(Talk.appearances).selectinload(Appearance.speaker))
            .order_by(Talk.date.desc(), Talk.id)
        )
    )
    body = render_template(
        "admin/organisation_edit.html",
        org=org,
        form=form,
        merge_form=OrganisationMergeForm(),
        action_form=ActionForm(),
        fixed=organisations.industries_override(org),
        note=(org.overrides or {}).get(organisations.INDUSTRIES_NOTE) or {},
        talks=talks,
    )
    return body, status


@bp.route("/organisations/<int:org_id>/edit", methods=["GET", "POST"])
def organisation_edit(org_id: int) -> Any:
    """Rename an organisation (the old name stays an alias) and set its industries."""
    db = get_session()
    org = _organisation(db, org_id)
    form = OrganisationForm(data={"name": org.name, "industries": industries_text(org.industries)})
    if not form.is_submitted():
        return _render(db, org, form)
    form = OrganisationForm()
    if not form.validate():
        return _render(db, org, form, 400)
    name = " ".join((form.name.data or "").split())
    industries = industries_value(form.industries.data)
    affected: set[int] = set()
    saved = []
    try:
        if name != org.name:
            was = org.name
            affected.update(organisations.rename(db, org, name))
            audit(db, "organisation.rename", f"organisation {org.id}", value=name, was=was)
            saved.append("name")
        if industries != list(org.industries or []):
            was_industries = list(org.industries or [])
            affected.update(organisations.set_industries(db, org, industries, user_name()))
            audit(
                db,
                "organisation.industries",
                f"organisation {org.id}",
                value=industries,
                was=was_industries,
            )
            saved.append("industries")
    except ValueError as exc:
        db.rollback()
        flash(str(exc))
        return _render(db, _organisation(db, org_id), form, 400)
    ids = apply_change(db, sorted(affected))
    commit(db, ids if saved else [])
    if saved:
        flash(
            ngettext(
                "Saved: %(fields)s; %(num)s talk updated.",
                "Saved: %(fields)s; %(num)s talks updated.",
                len(ids),
                fields=fields_text(saved),
            )
        )
    else:
        flash(gettext("Nothing changed."))
    return redirect(url_for("admin.organisation_edit", org_id=org_id))


@bp.post("/organisations/<int:org_id>/industries/undo")
def organisation_industries_undo(org_id: int) -> BaseResponse:
    """Drop the industries an admin set: the extracted ones come back."""
    db = get_session()
    org = _organisation(db, org_id)
    ActionForm()
    was = organisations.industries_override(org)
    affected = organisations.clear_industries(db, org)
    if affected is None:
        flash(gettext("No industries setting to undo."))
        return redirect(url_for("admin.organisation_edit", org_id=org_id))
    audit(db, "organisation.industries-undo", f"organisation {org.id}", value=was)
    ids = apply_change(db, affected)
    commit(db, ids)
    flash(gettext("Industries setting undone."))
    return redirect(url_for("admin.organisation_edit", org_id=org_id))


@bp.post("/organisations/<int:org_id>/merge")
def organisation_merge(org_id: int) -> BaseResponse:
    """Merge this organisation into another: every talk moves, its names become aliases."""
    db = get_session()
    drop = _organisation(db, org_id)
    form = OrganisationMergeForm()
    ref = (form.into.data or "").strip()
    if not form.validate() or not ref:
        flash(gettext("Name the organisation to merge into."))
        return redirect(url_for("admin.organisation_edit", org_id=org_id))
    keep = organisations.find(db, ref)
    if keep is None or keep.id == drop.id:
        flash(gettext("No other organisation %(ref)s to merge into.", ref=repr(ref)))
        return redirect(url_for("admin.organisation_edit", org_id=org_id))
    dropped = {"id": drop.id, "name": drop.name}
    ids = apply_change(db, organisations.merge(db, keep, drop))
    audit(db, "organisation.merge", f"organisation {keep.id}", merged=dropped, talks=len(ids))
    commit(db, ids)
    flash(
        ngettext(
            "Merged %(old)s into %(new)s: %(num)s talk updated.",
            "Merged %(old)s into %(new)s: %(num)s talks updated.",
            len(ids),
            old=dropped["name"],
            new=keep.name,
        )
    )
    return redirect(url_for("admin.organisation_edit", org_id=keep.id))

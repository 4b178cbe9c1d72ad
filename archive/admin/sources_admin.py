"""Named sources from the browser: list, add, edit, disable — only safe http(s) URLs pass."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext
from werkzeug.wrappers import Response as BaseResponse

from archive.admin.base import audit, bp
from archive.admin.forms import ActionForm, SourceForm
from archive.db import get_session
from archive.safety import UnsafeURL, check_source_url
from archive.sources import (
    NamedSource,
    SourcesError,
    add_source,
    load_sources,
    save_sources,
    set_enabled,
    validate,
)


def _path() -> Path:
    return Path(current_app.config["SOURCES_FILE"])


def _lines(text: str | None) -> tuple[str, ...]:
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def source_from_form(form: SourceForm) -> NamedSource:
    """A validated NamedSource from the form; UnsafeURL or SourcesError saying what is wrong."""
    url = check_source_url(
        form.url.data or "",
        current_app.config.get("ADMIN_SOURCE_HOSTS", []),
        bool(current_app.config.get("ALLOW_PRIVATE_SOURCES", False)),
    )
    return validate(
        NamedSource(
            name=(form.name.data or "").strip(),
            url=url,
            enabled=bool(form.enabled.data),
            allow=_lines(form.allow.data),
            deny=_lines(form.deny.data),
            max_pages=form.max_pages.data,
            sitemap=bool(form.sitemap.data),
        )
    )


def _load() -> list[NamedSource]:
    try:
        return load_sources(_path())
    except SourcesError as exc:
        flash(gettext("The sources file cannot be read: %(reason)s", reason=exc))
        return []


def _list_page(form: SourceForm, status: int = 200) -> tuple[str, int]:
    body = render_template(
        "admin/sources.html",
        sources=_load(),
        form=form,
        action_form=ActionForm(),
        hosts=current_app.config.get("ADMIN_SOURCE_HOSTS", []),
        allow_private=current_app.config.get("ALLOW_PRIVATE_SOURCES", False),
    )
    return body, status


@bp.route("/sources", methods=["GET", "POST"])
def sources() -> Any:
    """The configured sources and a form to add one."""
    form = SourceForm()
    if not form.is_submitted():
        return _list_page(form)
    if not form.validate():
        return _list_page(form, 400)
    try:
        source = source_from_form(form)
        save_sources(_path(), add_source(load_sources(_path()), source))
    except (UnsafeURL, SourcesError) as exc:
        flash(gettext("Refused: %(reason)s", reason=exc))
        return _list_page(form, 400)
    db = get_session()
    audit(db, "source.add", source.name, **source.to_dict())
    db.commit()
    flash(gettext("Source %(name)s added.", name=source.name))
    return redirect(url_for("admin.sources"))


def _find(name: str) -> tuple[list[NamedSource], NamedSource]:
    sources = _load()
    found = next((s for s in sources if s.name == name), None)
    if found is None:
        abort(404)
    return sources, found


@bp.route("/sources/<name>/edit", methods=["GET", "POST"])
def source_edit(name: str) -> Any:
    """Edit one source (its URL is checked again like a new one)."""
    sources, current = _find(name)
    form = SourceForm(
        data={
            "name": current.name,
            "url": current.url,
            "enabled": current.enabled,
            "max_pages": current.max_pages,
            "allow": "\n".join(current.allow),
            "deny": "\n".join(current.deny),
            "sitemap": current.sitemap,
        }
    )
    if not form.is_submitted():
        return render_template("admin/source_edit.html", form=form, source=current)
    form = SourceForm()
    if form.validate():
        try:
            updated = source_from_form(form)
            if updated.name != name and any(s.name == updated.name for s in sources):
                raise SourcesError(f"a source named {updated.name!r} already exists")
            save_sources(_path(), [updated if s.name == name else s for s in sources])
        except (UnsafeURL, SourcesError) as exc:
            flash(gettext("Refused: %(reason)s", reason=exc))
        else:
            db = get_session()
            audit(db, "source.edit", name, before=current.to_dict(), after=updated.to_dict())
            db.commit()
            flash(gettext("Source %(name)s saved.", name=updated.name))
            return redirect(url_for("admin.sources"))
    body = render_template("admin/source_edit.html", form=form, source=current)
    return body, 400


def _switch(name: str, enabled: bool) -> BaseResponse:
    ActionForm()
    sources, _current = _find(name)
    save_sources(_path(), set_enabled(sources, name, enabled))
    db = get_session()
    audit(db, "source.enable" if enabled else "source.disable", name)
    db.commit()
    flash(
        gettext("Source %(name)s enabled.", name=name)
        if enabled
        else gettext("Source %(name)s disabled.", name=name)
    )
    return redirect(url_for("admin.sources"))


@bp.route("/sources/<name>/disable", methods=["POST"])
def source_disable(name: str) -> BaseResponse:
    """Keep a source but leave it out of scrapes."""
    return _switch(name, False)


@bp.route("/sources/<name>/enable", methods=["POST"])
def source_enable(name: str) -> BaseResponse:
    """Put a disabled source back into scrapes."""
    return _switch(name, True)

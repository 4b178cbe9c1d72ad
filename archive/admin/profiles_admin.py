"""Teach a site in the admin area: pick 1-3 corrected talks of a host, preview, approve.

Learning is deterministic, so the approval form carries only the profile's name and the talk
ids; the profile is learned again from the same talks at approval, and what is saved is
what the preview showed (unless someone corrected those talks in between, which the fresh
learning then takes in).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from archive import teach
from archive.admin.base import bp, user_name
from archive.admin.forms import ActionForm
from archive.crawling import host_of
from archive.db import get_session
from archive.ids import parse_id
from archive.models import Override, Talk
from archive.profiles import (
    ProfileError,
    build_examples,
    check_name,
    learn_profile,
    learned_names,
    preview,
    remove_profile,
    saved_profiles,
)
from archive.report import summary
from scraper.extract.learn import Learned

#: The most example talks one profile is learned from.
MAX_EXAMPLES = 3


def _flask_app() -> Any:
    return current_app._get_current_object()  # type: ignore[attr-defined]


def _hosts() -> list[tuple[str, int, int]]:
    """Every host with talks: (host, talks, corrected talks), most corrected first."""
    db = get_session()
    corrected = set(db.scalars(select(Override.talk_id).distinct()))
    talks: Counter[str] = Counter()
    fixed: Counter[str] = Counter()
    for talk_id, url in db.execute(select(Talk.id, Talk.source_url)):
        host = host_of(url)
        talks[host] += 1
        fixed[host] += talk_id in corrected
    return sorted(((h, talks[h], fixed[h]) for h in talks), key=lambda r: (-r[2], -r[1], r[0]))


@bp.route("/profiles")
def profiles() -> str:
    """The profiles extraction uses, and the hosts an admin can teach."""
    rules_dir = teach.rules_dir(_flask_app())
    return render_template(
        "admin/profiles.html",
        profiles=saved_profiles(rules_dir),
        removable=learned_names(rules_dir),
        learned_dir=rules_dir / "profiles",
        hosts=_hosts(),
        action_form=ActionForm(),
    )


def _host_talks(host: str) -> list[tuple[Talk, int]]:
    """The host's talks with their number of corrections, corrected ones first."""
    db = get_session()
    counts = dict(
        db.execute(select(Override.talk_id, func.count()).group_by(Override.talk_id)).all()
    )
    # the database narrows by the host's text in the URL; host_of then decides exactly
    escaped = host.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    near = select(Talk).where(Talk.source_url.like(f"%{escaped}%", escape="\\"))
    talks = [t for t in db.scalars(near.order_by(Talk.id)) if host_of(t.source_url) == host]
    return sorted(((t, counts.get(t.id, 0)) for t in talks), key=lambda x: (-x[1], x[0].id))


def _chosen() -> list[int]:
    values = request.values.getlist("talk")
    ids = [i for i in map(parse_id, values) if i is not None]
    return list(dict.fromkeys(ids))[:MAX_EXAMPLES]


def _learn(name: str, talk_ids: list[int]) -> Learned:
    app = _flask_app()
    examples = teach.talk_examples(app, get_session(), talk_ids)
    return learn_profile(name, build_examples(examples, teach.current_rules(app)))


@bp.route("/profiles/learn")
def profile_learn() -> Any:
    """Choose the example talks of a host; with talks chosen, show the learned profile and
    its preview on every archived page of the host."""
    host = (request.args.get("host") or "").strip().lower()
    if not host:
        abort(404)
    name = (request.args.get("name") or host.replace(".", "-")).strip().lower()
    talk_ids = _chosen()
    learned = result = None
    problem = None
    if talk_ids:
        try:
            check_name(name)
            learned = _learn(name, talk_ids)
            pages = list(teach.host_pages(_flask_app(), [host]))
            result = preview(learned.profile, pages, teach.current_rules(_flask_app()))
        except ProfileError as error:
            problem = str(error)
    return render_template(
        "admin/profile_learn.html",
        host=host,
        name=name,
        talks=_host_talks(host),
        chosen=talk_ids,
        learned=learned,
        preview=result,
        problem=problem,
        max_examples=MAX_EXAMPLES,
        action_form=ActionForm(),
    ), (400 if problem else 200)


@bp.route("/profiles/approve", methods=["POST"])
def profile_approve() -> BaseResponse:
    """Learn again from the chosen talks, save the profile and re-extract the host's pages."""
    form = ActionForm()
    if not form.validate():
        abort(400)
    host = (request.form.get("host") or "").strip().lower()
    name = (request.form.get("name") or "").strip().lower()
    talk_ids = _chosen()
    if not host or not talk_ids:
        flash(gettext("Choose one to three example talks first."))
        return redirect(url_for("admin.profiles"))
    talks = [get_session().get(Talk, i) for i in talk_ids]
    sources = [t.source_url for t in talks if t is not None]
    if len(sources) != len(talk_ids) or any(host_of(s) != host for s in sources):
        flash(gettext("The example talks must all be talks of %(host)s.", host=host))
        return redirect(url_for("admin.profile_learn", host=host))
    try:
        learned = _learn(check_name(name), talk_ids)
        saved, path, report = teach.approve(
            _flask_app(), learned.profile, user_name(), [host], sources
        )
    except ProfileError as error:
        flash(str(error))
        return redirect(url_for("admin.profile_learn", host=host))
    flash(
        gettext(
            "Saved profile %(name)s version %(version)s (%(file)s).",
            name=saved.name,
            version=saved.version,
            file=path.name,
        )
    )
    if report is not None and report.fatal:
        flash(
            gettext(
                "The re-extraction did not run (%(reason)s); run it again from Runs.",
                reason=report.fatal,
            )
        )
    elif report is not None:
        flash(
            gettext(
                "Re-extracted from the archive: %(summary)s", summary=" ".join(summary(report)[:2])
            )
        )
    return redirect(url_for("admin.profiles"))


@bp.route("/profiles/<name>/remove", methods=["POST"])
def profile_remove(name: str) -> BaseResponse:
    """Stop using a learned profile (its file is kept in history/)."""
    form = ActionForm()
    if not form.validate():
        abort(400)
    app = _flask_app()
    try:
        where = remove_profile(teach.rules_dir(app), name)
    except ProfileError as error:
        flash(str(error))
        return redirect(url_for("admin.profiles"))
    teach.removed(app, name, user_name(), where)
    flash(
        gettext(
            "Profile %(name)s removed; its file is kept at %(file)s. Re-extract to apply.",
            name=name,
            file=where.name,
        )
    )
    return redirect(url_for("admin.profiles"))

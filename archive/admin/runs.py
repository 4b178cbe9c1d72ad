"""Admin overview, runs dashboard, background jobs and the audit log."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response as BaseResponse

from archive import queue
from archive.admin import jobs
from archive.admin.base import audit, bp, user_name
from archive.admin.forms import StartRunForm
from archive.admin.review import review_count
from archive.changes import text as change_text
from archive.db import get_session
from archive.ids import page_number
from archive.ingest import QUIET_OUTCOMES, mark_lost_runs
from archive.lock import RunLock
from archive.models import RUN_COUNTERS, AdminJob, AuditEntry, Run, RunEvent, Speaker, Talk, User
from archive.sources import SourcesError

PER_PAGE = 50


def _refresh(db: Session) -> None:
    """Jobs and runs whose process vanished are marked so: a run still "running" while the
    process the lock file names is gone was killed (kill -9) and is shown as lost. The runs
    are read before the lock file, so a run starting meanwhile is never among them."""
    jobs.refresh_stale(db)
    running = list(db.scalars(select(Run.id).where(Run.status == "running")))
    if running and not RunLock(Path(current_app.config["LOCK_FILE"])).holder_alive():
        mark_lost_runs(db, running)
        db.commit()


def _page() -> int:
    return page_number(request.args.get("page"))


@bp.route("/")
def overview() -> str:
    """Counts, the last runs, the running job and the size of the review queue."""
    db = get_session()
    _refresh(db)
    counts = {
        "talks": db.scalar(select(func.count()).select_from(Talk)) or 0,
        "hidden": db.scalar(select(func.count()).where(Talk.hidden.is_(True))) or 0,
        "speakers": db.scalar(select(func.count()).select_from(Speaker)) or 0,
        "review": review_count(db),
        "users": db.scalar(select(func.count()).select_from(User)) or 0,
    }
    runs = list(db.scalars(select(Run).order_by(Run.id.desc()).limit(5)))
    active = db.scalar(select(AdminJob).where(AdminJob.status.in_(jobs.ACTIVE)).limit(1))
    recent = list(db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(10)))
    return render_template(
        "admin/overview.html",
        counts=counts,
        runs=runs,
        active=active,
        recent=recent,
        form=StartRunForm(),
    )


@bp.route("/runs")
def runs() -> str:
    """Every run with its counts, newest first, and the jobs started from here."""
    db = get_session()
    _refresh(db)
    page = _page()
    rows = list(
        db.scalars(
            select(Run).order_by(Run.id.desc()).offset((page - 1) * PER_PAGE).limit(PER_PAGE + 1)
        )
    )
    failed = dict(
        db.execute(
            select(RunEvent.run_id, func.count())
            .where(RunEvent.outcome.in_(("failed", "fatal")))
            .where(RunEvent.run_id.in_([r.id for r in rows]))
            .group_by(RunEvent.run_id)
        ).all()
    )
    recent_jobs = list(db.scalars(select(AdminJob).order_by(AdminJob.id.desc()).limit(10)))
    return render_template(
        "admin/runs.html",
        runs=rows[:PER_PAGE],
        failed=failed,
        page=page,
        more=len(rows) > PER_PAGE,
        jobs=recent_jobs,
        form=StartRunForm(),
        sources_file=current_app.config["SOURCES_FILE"],
        queued=queue.listing(db),
        has_queue=queue.has_queue(db),
        queue_on=queue.uses_queue(current_app._get_current_object(), db),  # type: ignore[attr-defined]
        workers=queue.workers_alive(db, float(current_app.config["QUEUE_STALLED_AFTER"])),
    )


#: Outcomes a run report filters by, in the order its filter lists them.
OUTCOMES = (
    "new",
    "changed",
    "failed",
    "skipped",
    "gone",
    "disallowed",
    "unchanged",
    "not_modified",
)
#: Recorded outcomes behind a filter: "failed" also lists a whole run's fatal error.
_RECORDED_AS = {"failed": ("failed", "fatal")}
#: Listed first when nothing is filtered: what needs an admin's attention.
_PROBLEMS = ("failed", "fatal", "disallowed")


def _recorded(outcome: str) -> tuple[str, ...]:
    return _RECORDED_AS.get(outcome, (outcome,))


def outcome_counts(db: Session, run: Run) -> dict[str, int]:
    """How many URLs each filter lists, from one grouped query; the quiet outcomes (unchanged,
    not modified) are never recorded per URL, so theirs are the run's own counters."""
    rows = db.execute(
        select(RunEvent.outcome, func.count())
        .where(RunEvent.run_id == run.id)
        .group_by(RunEvent.outcome)
    )
    recorded: dict[str, int] = {outcome: count for outcome, count in rows}
    counts = {name: sum(recorded.get(o, 0) for o in _recorded(name)) for name in OUTCOMES}
    for name in QUIET_OUTCOMES:
        counts[name] = int(getattr(run, name) or 0)
    counts["all"] = sum(n for o, n in recorded.items() if o not in QUIET_OUTCOMES)
    return counts


@bp.route("/runs/<int:run_id>")
def run_detail(run_id: int) -> str:
    """One run: counts, then its URLs (problems first), paged and filtered by ``?outcome=``;
    a changed URL shows old → new per field, marking the fields whose correction was kept."""
    db = get_session()
    _refresh(db)
    run = db.get(Run, run_id)
    if run is None:
        abort(404)
    outcome = request.args.get("outcome", "")
    if outcome not in OUTCOMES:
        outcome = ""
    page = _page()
    query = select(RunEvent).where(RunEvent.run_id == run_id)
    if outcome:
        query = query.where(RunEvent.outcome.in_(_recorded(outcome)))
    else:
        query = query.where(RunEvent.outcome.not_in(QUIET_OUTCOMES))
    problems_first = case((RunEvent.outcome.in_(_PROBLEMS), 0), else_=1)
    events = list(
        db.scalars(
            query.order_by(problems_first, RunEvent.id)
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE + 1)
        )
    )
    return render_template(
        "admin/run.html",
        run=run,
        events=events[:PER_PAGE],
        outcome=outcome,
        outcomes=OUTCOMES,
        counts=outcome_counts(db, run),
        quiet=outcome in QUIET_OUTCOMES,
        page=page,
        more=len(events) > PER_PAGE,
        change_text=change_text,
    )


@bp.route("/runs/start", methods=["POST"])
def start_run() -> BaseResponse:
    """Start a scrape, re-extraction or reindex in a background process."""
    form = StartRunForm()
    if not form.validate():
        flash(gettext("Choose a run to start."))
        return redirect(url_for("admin.runs"))
    db = get_session()
    kind = form.kind.data or "scrape"
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if queue.uses_queue(app, db):
        return _enqueue(db, kind)
    try:
        job = jobs.start(app, db, kind, user_name())
    except jobs.JobRefused as exc:
        flash(gettext("Not started: %(reason)s.", reason=exc))
        return redirect(url_for("admin.runs"))
    audit(db, "run.start", f"job {job.id}", kind=kind)
    db.commit()
    return redirect(url_for("admin.job_detail", job_id=job.id))


def _enqueue(db: Session, kind: str) -> BaseResponse:
    """Queue the run for the workers (PostgreSQL) and say what was queued."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        queued = queue.enqueue_kind(app, kind)
    except (queue.QueueUnavailable, SourcesError) as exc:
        flash(gettext("Not queued: %(reason)s.", reason=exc))
        return redirect(url_for("admin.runs"))
    if not queued:
        flash(gettext("Nothing to queue: no source is enabled."))
    for item in queued:
        flash(gettext("Queue: %(job)s.", job=item.text()))
    ids = [item.job_id for item in queued if item.job_id is not None]
    audit(db, "run.enqueue", ", ".join(f"queue job {i}" for i in ids), kind=kind)
    db.commit()
    return redirect(url_for("admin.runs"))


def _job_or_404(job_id: int) -> AdminJob:
    job = get_session().get(AdminJob, job_id)
    if job is None:
        abort(404)
    return job


@bp.route("/jobs/<int:job_id>")
def job_detail(job_id: int) -> str:
    """A background job's progress (the page refreshes itself while it runs) and result."""
    db = get_session()
    _refresh(db)
    job = _job_or_404(job_id)
    state = jobs.progress(current_app._get_current_object(), db, job)  # type: ignore[attr-defined]
    return render_template("admin/job.html", job=job, state=state, active=jobs.ACTIVE)


@bp.route("/api/jobs/<int:job_id>")
def job_status(job_id: int) -> Any:
    """A background job's progress as JSON (for scripts and polling)."""
    db = get_session()
    _refresh(db)
    job = _job_or_404(job_id)
    return jsonify(jobs.progress(current_app._get_current_object(), db, job))  # type: ignore[attr-defined]


@bp.route("/api/runs/<int:run_id>")
def run_status(run_id: int) -> Any:
    """One run's counts and failed URLs as JSON."""
    db = get_session()
    run = db.get(Run, run_id)
    if run is None:
        abort(404)
    failures = db.scalars(
        select(RunEvent).where(RunEvent.run_id == run_id, RunEvent.outcome == "failed")
    )
    return jsonify(
        {
            "id": run.id,
            "kind": run.kind,
            "status": run.status,
            "counts": {name: getattr(run, name) for name in RUN_COUNTERS},
            "failed": [{"url": e.url, "reason": e.detail} for e in failures],
        }
    )


@bp.route("/audit")
def audit_log() -> str:
    """Every admin action, newest first: who, when, what."""
    db = get_session()
    page = _page()
    entries = list(
        db.scalars(
            select(AuditEntry)
            .order_by(AuditEntry.id.desc())
            .offset((page - 1) * PER_PAGE)
            .limit(PER_PAGE + 1)
        )
    )
    return render_template(
        "admin/audit.html", entries=entries[:PER_PAGE], page=page, more=len(entries) > PER_PAGE
    )

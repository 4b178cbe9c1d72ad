"""Runs started from the admin area: a ``cio-talks`` CLI process in the background, one at a time.

The web process never scrapes itself: it starts the same command an operator would type
(``scrape``, ``reextract`` or ``reindex``) with the app's settings passed as
``CIO_TALKS_*`` variables, so the child opens the same database, index, archive and lock
file. The run lock is the one the CLI takes, so a browser-started run and a cron run
exclude each other. A watcher thread waits for the child and records its result; progress
is read from the run's events as they are committed.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive.config import ENV_PREFIX
from archive.db import new_session
from archive.lock import RunLock, RunLocked, process_alive
from archive.models import AdminJob, RunEvent, utcnow

log = logging.getLogger(__name__)

#: The CLI arguments of each kind of job.
JOB_COMMANDS: dict[str, tuple[str, ...]] = {
    "scrape": ("scrape", "--json"),
    "reextract": ("reextract", "--json"),
    "reindex": ("reindex",),
}
ACTIVE = ("starting", "running")
#: App settings handed to the child as CIO_TALKS_* variables.
ENV_KEYS = (
    "INSTANCE_DIR",
    "DATABASE_URL",
    "INDEX_DIR",
    "ARCHIVE_DIR",
    "LOCK_FILE",
    "SOURCES_FILE",
    "RULES_DIR",
    "CONTACT",
    "MAX_PAGES",
    "CRAWL_DELAY",
    "PER_PAGE",
    "ADMIN_SOURCE_HOSTS",
    "ALLOW_PRIVATE_SOURCES",
    "SECRET_KEY",
    "WRITER_NICE",
)
TAIL = 4000
_watched: dict[int, threading.Thread] = {}
_watched_lock = threading.Lock()


class JobRefused(RuntimeError):
    """A job cannot start now (another run holds the lock); the message says which."""


def env_value(value: Any) -> str:
    """A config value as an environment string (lists comma-separated, booleans 1/0)."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return str(value)


def child_env(config: Mapping[str, Any], base: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a job: ours plus the app's settings, so the child sees the same state."""
    env = dict(os.environ if base is None else base)
    for key in ENV_KEYS:
        if key in config and config[key] is not None:
            env[ENV_PREFIX + key] = env_value(config[key])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def command(kind: str) -> list[str]:
    """The command line of a job: the ``cio-talks`` commands through ``flask --app archive``."""
    return [sys.executable, "-m", "flask", "--app", "archive", *JOB_COMMANDS[kind]]


def lock_holder(lock_file: Path) -> dict[str, Any] | None:
    """What holds the run lock, or None when it is free."""
    lock = RunLock(lock_file)
    try:
        lock.acquire(kind="probe")
    except RunLocked:
        return lock.holder() or {"pid": "unknown"}
    lock.release()
    return None


def job_dir(app: Flask) -> Path:
    """Where the jobs' output files are kept."""
    return Path(app.config["INSTANCE_DIR"]) / "admin-jobs"


def refresh_stale(db: Session) -> None:
    """Mark jobs whose process vanished without being watched here (e.g. a server restart)."""
    for job in db.scalars(select(AdminJob).where(AdminJob.status.in_(ACTIVE))):
        with _watched_lock:
            watched = job.id in _watched
        if not watched and not process_alive(job.pid):
            job.status = "lost"
            job.finished_at = job.finished_at or utcnow()
    db.commit()


def start(app: Flask, db: Session, kind: str, user: str) -> AdminJob:
    """Start a background job of ``kind`` for ``user``; JobRefused when a run is in progress."""
    if kind not in JOB_COMMANDS:
        raise ValueError(f"unknown job {kind!r}")
    refresh_stale(db)
    running = db.scalar(select(AdminJob).where(AdminJob.status.in_(ACTIVE)).limit(1))
    if running is not None:
        raise JobRefused(f"job {running.id} ({running.kind}) is still running")
    holder = lock_holder(Path(app.config["LOCK_FILE"]))
    if holder is not None:
        who = ", ".join(f"{k} {v}" for k, v in holder.items())
        raise JobRefused(f"another run is in progress ({who})")
    job = AdminJob(kind=kind, user=user, status="starting", started_at=utcnow())
    db.add(job)
    db.commit()
    folder = job_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    out_path, err_path = folder / f"{job.id}.out", folder / f"{job.id}.err"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        process = subprocess.Popen(
            command(kind),
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
            env=child_env(app.config),
            cwd=str(app.config["INSTANCE_DIR"]),
            start_new_session=True,  # not killed with the web server's process group
        )
    job.pid = process.pid
    job.status = "running"
    db.commit()
    watcher = threading.Thread(
        target=_watch, args=(app, job.id, process), name=f"admin-job-{job.id}", daemon=True
    )
    with _watched_lock:
        _watched[job.id] = watcher
    watcher.start()
    log.info("job %d (%s) started by %s as pid %d", job.id, kind, user, process.pid)
    return job


def join(job_id: int, timeout: float | None = None) -> bool:
    """Wait until this process has recorded the end of job ``job_id``; False on timeout."""
    with _watched_lock:
        watcher = _watched.get(job_id)
    if watcher is None:
        return True
    watcher.join(timeout)
    return not watcher.is_alive()


def outcome(exit_code: int) -> str:
    """A job's status from its exit code (the CLI's 0 ok, 1 some pages failed, 2 nothing ran)."""
    return {0: "ok", 1: "partial"}.get(exit_code, "failed")


def tail(path: Path, size: int = TAIL) -> str:
    """The last ``size`` characters of a text file ('' when missing)."""
    try:
        with path.open("rb") as handle:
            handle.seek(max(0, path.stat().st_size - size))
            return handle.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def parse_report(stdout: str) -> dict[str, Any]:
    """The CLI's JSON run report from a job's output ({} when there is none)."""
    try:
        data = json.loads(stdout)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _watch(app: Flask, job_id: int, process: subprocess.Popen[bytes]) -> None:
    """Wait for the child and record its result."""
    code = process.wait()
    folder = job_dir(app)
    stdout = (folder / f"{job_id}.out").read_text(encoding="utf-8", errors="replace")
    stderr = tail(folder / f"{job_id}.err")
    report = parse_report(stdout)
    summary = stdout if not report else _report_text(report)
    try:
        with new_session(app) as db:
            job = db.get(AdminJob, job_id)
            if job is not None:
                job.exit_code = code
                job.status = outcome(code)
                job.finished_at = utcnow()
                if isinstance(report.get("run"), int):
                    job.run_id = report["run"]
                job.output = (summary + ("\n" + stderr if stderr else ""))[-TAIL:]
                db.commit()
    except Exception:
        log.exception("could not record the end of job %d", job_id)
    finally:
        with _watched_lock:
            _watched.pop(job_id, None)


def _report_text(report: dict[str, Any]) -> str:
    counts = report.get("counts") or {}
    lines = [", ".join(f"{name} {value}" for name, value in counts.items())]
    if report.get("fatal"):
        lines.append(f"nothing could run: {report['fatal']}")
    for event in report.get("events") or []:
        if event.get("outcome") == "failed":
            lines.append(f"failed: {event.get('url')} — {event.get('detail')}")
    return "\n".join(lines)


def progress(app: Flask, db: Session, job: AdminJob) -> dict[str, Any]:
    """What a job has done so far: its run (once known) and the pages per outcome."""
    if job.run_id is None and job.status in ACTIVE:
        holder = RunLock(Path(app.config["LOCK_FILE"])).holder()
        if holder.get("pid") == job.pid and isinstance(holder.get("run"), int):
            job.run_id = holder["run"]
            db.commit()
    outcomes: dict[str, int] = {}
    if job.run_id is not None:
        rows = db.execute(
            select(RunEvent.outcome, func.count())
            .where(RunEvent.run_id == job.run_id)
            .group_by(RunEvent.outcome)
        )
        outcomes = {str(name): int(count) for name, count in rows}
    return {
        "id": job.id,
        "kind": job.kind,
        "status": job.status,
        "user": job.user,
        "started_at": job.started_at.isoformat(),
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "exit_code": job.exit_code,
        "run_id": job.run_id,
        "pages": sum(outcomes.values()),
        "outcomes": outcomes,
        "output": job.output if job.status not in ACTIVE else tail(job_dir(app) / f"{job.id}.err"),
    }

"""The job queue on PostgreSQL, through procrastinate: queueing jobs and reading the queue.

On PostgreSQL, scrapes, re-extractions and reindexes can be queued (``cio-talks scrape
--enqueue``, the admin's run buttons) and done by ``cio-talks worker`` processes on any
machine that reaches the database; the tasks themselves are in archive.tasks. SQLite has no
queue: there the admin's runs stay in-process background jobs (archive.admin.jobs), as before.

A scrape is queued per source with a queueing lock (``scrape:<source>``): procrastinate
refuses a second job with that lock while one waits, and the same string as its ``lock``
keeps two of them from running at once. procrastinate's schema comes with the migrations
(0006_queue); the dashboard reads its documented tables through our own session.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import procrastinate
from flask import Flask
from procrastinate.exceptions import AlreadyEnqueued
from sqlalchemy import select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from archive.models import Run
from archive.sources import NamedSource, load_sources, plan

log = logging.getLogger(__name__)

#: Job kinds an operator can queue, as procrastinate task names.
KINDS = ("scrape", "reextract", "reindex")
#: The queue's states the dashboard lists, in procrastinate's words and ours.
SHOWN = {"todo": "queued", "doing": "doing", "failed": "failed"}
SHOWN_LIMIT = 50


class QueueUnavailable(RuntimeError):
    """The queue cannot be used with this database; the message says why."""


@dataclass(frozen=True)
class Queued:
    """The result of queueing one job: its id, or None when one with its lock already waits."""

    task: str
    label: str
    job_id: int | None

    def text(self) -> str:
        """One line for a terminal or a flash message."""
        if self.job_id is None:
            return f"{self.task} {self.label}: already queued"
        return f"{self.task} {self.label}: queued as job {self.job_id}"


def is_postgres(app: Flask) -> bool:
    """True when the app's database is PostgreSQL (the only one the queue runs on)."""
    return make_url(app.config["DATABASE_URL"]).get_backend_name() == "postgresql"


def conninfo(app: Flask) -> str:
    """The database URL as a libpq connection string (what psycopg's pools take)."""
    url = make_url(app.config["DATABASE_URL"]).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def queue_app(app: Flask) -> procrastinate.App:
    """The procrastinate app of ``app``, its tasks registered (built once per Flask app)."""
    if not is_postgres(app):
        raise QueueUnavailable(
            "the job queue needs PostgreSQL (set CIO_TALKS_DATABASE_URL); "
            "on SQLite run the command without --enqueue"
        )
    cached = app.extensions.get("cio_queue")
    if isinstance(cached, procrastinate.App):
        return cached
    from archive import tasks

    connector = procrastinate.PsycopgConnector(conninfo=conninfo(app), min_size=1, max_size=16)
    papp = procrastinate.App(connector=connector)
    tasks.register(papp, app)
    app.extensions["cio_queue"] = papp
    return papp


def lock_key(task: str, label: str) -> str:
    """The queueing lock (and lock) of a job: one per task and source or host list."""
    return f"{task}:{label}" if label else task


def defer(papp: procrastinate.App, task: str, labels: Sequence[str], **kwargs: Any) -> Queued:
    """Queue one ``task`` job on an open ``papp``; ``labels`` name what it works on (and make
    its lock)."""
    label = ",".join(labels)
    key = lock_key(task, label)
    try:
        job_id = papp.configure_task(task, lock=key, queueing_lock=key).defer(**kwargs)
    except AlreadyEnqueued:
        log.info("%s not queued: one is waiting already", key)
        return Queued(task, label, None)
    log.info("%s queued as job %d", key, job_id)
    return Queued(task, label, job_id)


def enqueue(app: Flask, task: str, labels: Sequence[str] = ("",), **kwargs: Any) -> Queued:
    """Queue one ``task`` job from outside a worker (CLI, admin): opens the queue for it."""
    papp = queue_app(app)
    with papp.open():
        return defer(papp, task, labels, **kwargs)


def scrape_targets(app: Flask, args: Iterable[str]) -> list[str]:
    """What to scrape for SOURCE arguments: a configured source's name stands for its URL;
    no arguments means every enabled configured source."""
    sources = load_sources(Path(app.config["SOURCES_FILE"]))
    by_name = {s.name: s.url for s in sources}
    given = [by_name.get(arg, arg) for arg in args]
    return given or plan(sources).args


def enqueue_scrapes(app: Flask, args: Iterable[str]) -> list[Queued]:
    """Queue one scrape per source (see scrape_targets), each under its own lock."""
    targets = scrape_targets(app, args)
    papp = queue_app(app)
    with papp.open():
        return [defer(papp, "scrape", [url], source=url) for url in targets]


def enqueue_kind(app: Flask, kind: str, hosts: Sequence[str] = ()) -> list[Queued]:
    """Queue what an admin's run button or a CLI ``--enqueue`` asks for."""
    if kind == "scrape":
        return enqueue_scrapes(app, [])
    if kind == "reextract":
        return [enqueue(app, "reextract", sorted(hosts) or ("",), hosts=sorted(hosts))]
    if kind == "reindex":
        return [enqueue(app, "reindex")]
    raise ValueError(f"unknown job {kind!r}")


# -- reading the queue ---------------------------------------------------------------------
def has_queue(db: Session) -> bool:
    """True when this database holds procrastinate's tables (PostgreSQL after migrating)."""
    if db.get_bind().dialect.name != "postgresql":
        return False
    return bool(db.scalar(text("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")))


def workers_alive(db: Session, within: float) -> int:
    """Workers whose last heartbeat is under ``within`` seconds old (0 without a queue)."""
    if not has_queue(db):
        return 0
    count = db.scalar(
        text(
            "SELECT count(*) FROM procrastinate_workers "
            "WHERE last_heartbeat > now() - make_interval(secs => :within)"
        ),
        {"within": within},
    )
    return int(count or 0)


def uses_queue(app: Flask, db: Session) -> bool:
    """Whether the admin's run buttons queue jobs: QUEUE "on" (PostgreSQL), or "auto" while
    a worker is alive; otherwise runs stay in-process background jobs as on SQLite."""
    mode = app.config.get("QUEUE", "auto")
    if mode == "off" or not is_postgres(app) or not has_queue(db):
        return False
    return mode == "on" or workers_alive(db, float(app.config["QUEUE_STALLED_AFTER"])) > 0


def job_label(task: str, args: Mapping[str, Any]) -> str:
    """What a job works on, for people: its source, its hosts, or nothing."""
    if task == "scrape":
        return str(args.get("source", ""))
    if task == "reextract":
        return ", ".join(str(h) for h in args.get("hosts") or []) or "every talk"
    return ""


def listing(db: Session, limit: int = SHOWN_LIMIT) -> list[dict[str, Any]]:
    """The queued, running and failed jobs, newest first, with their last event's time."""
    if not has_queue(db):
        return []
    rows = db.execute(
        text(
            "SELECT j.id, j.task_name, j.status::text AS status, j.args, j.attempts, "
            "j.scheduled_at, (SELECT max(e.at) FROM procrastinate_events e "
            "WHERE e.job_id = j.id) AS changed_at "
            "FROM procrastinate_jobs j WHERE j.status::text IN ('todo', 'doing', 'failed') "
            "ORDER BY j.id DESC LIMIT :limit"
        ),
        {"limit": limit},
    ).mappings()
    return [
        {
            "id": row["id"],
            "task": row["task_name"],
            "state": SHOWN[row["status"]],
            "target": job_label(row["task_name"], row["args"] or {}),
            "attempts": row["attempts"],
            "scheduled_at": row["scheduled_at"],
            "changed_at": row["changed_at"],
        }
        for row in rows
    ]


# -- periodic re-scrapes ---------------------------------------------------------------------
def due_sources(
    sources: Iterable[NamedSource], last_scraped: Mapping[str, dt.datetime], now: dt.datetime
) -> list[NamedSource]:
    """Enabled sources with ``rescrape_days`` whose last scrape is that old, or never ran."""
    due = []
    for source in sources:
        if not source.enabled or source.rescrape_days is None:
            continue
        last = last_scraped.get(source.url)
        if last is None or now - last >= dt.timedelta(days=source.rescrape_days):
            due.append(source)
    return due


def last_scrapes(db: Session, urls: Iterable[str], lookback: int = 1000) -> dict[str, dt.datetime]:
    """When each of ``urls`` was last scraped (a run that was not lost), from recent runs."""
    wanted, last = set(urls), dict[str, dt.datetime]()
    runs = db.scalars(
        select(Run)
        .where(Run.kind == "scrape", Run.status != "lost")
        .order_by(Run.id.desc())
        .limit(lookback)
    )
    for run in runs:
        for url in set(run.sources or []) & wanted:
            last.setdefault(url, run.started_at)
    return last

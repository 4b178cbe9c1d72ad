"""The work a ``cio-talks worker`` does: scrape, re-extract, reindex, and the periodic chores.

Each task runs in the worker's process (procrastinate runs sync tasks in threads) with the
worker's Flask app, through the same code as the CLI commands, so a queued scrape writes the
same run row, WARC records and index entries as ``cio-talks scrape``. A run that could not
run at all (another run holds this machine's run lock, the site is down) raises RunFailed:
procrastinate retries it QUEUE_RETRIES times, the n-th retry QUEUE_BACKOFF ** n seconds later.
A run whose some pages failed is done (its run report says which).

Periodic tasks, deferred by any running worker: ``rescrape_due`` queues the configured
sources whose ``rescrape_days`` have passed; ``retry_stalled`` puts back in the queue the
jobs of workers that stopped sending heartbeats (killed, or their machine lost): procrastinate
marks such workers stalled but leaves their jobs "doing", so retrying them is ours to do;
``prune_jobs`` deletes week-old succeeded jobs, so the chores' rows do not pile up, and
``prune_changes`` the index change log's rows older than CHANGES_KEEP_DAYS.
"""

from __future__ import annotations

import logging
from pathlib import Path

import procrastinate
from flask import Flask
from procrastinate.retry import RetryStrategy

from archive import changelog, replica
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest, Options
from archive.lock import RunLock, RunLocked
from archive.models import utcnow
from archive.report import Report
from archive.sources import load_sources

log = logging.getLogger(__name__)

#: How often the periodic chores run (cron, minutes).
RESCRAPE_CRON = "*/15 * * * *"
STALLED_CRON = "* * * * *"
PRUNE_CRON = "17 4 * * *"
#: Succeeded jobs are deleted once this old (their runs stay); failed ones stay until retried.
KEEP_SUCCEEDED_HOURS = 7 * 24


class RunFailed(RuntimeError):
    """A queued run could not run at all; the job is retried with backoff."""


def reindex(app: Flask) -> int:
    """Rebuild the index from the database under the run lock; RunLocked when a run holds it."""
    lock = RunLock(Path(app.config["LOCK_FILE"]))
    lock.acquire(kind="reindex")
    try:
        upgrade(engine_of(app))
        with new_session(app) as session:
            return replica.reindex(session, app.config["INDEX_DIR"])
    finally:
        lock.release()


def _checked(report: Report) -> dict[str, object]:
    """The run's counts, or RunFailed when nothing could run (so the job is retried)."""
    if report.fatal:
        raise RunFailed(report.fatal)
    return {"run": report.run_id, "counts": dict(report.counts)}


async def retry_stalled_jobs(papp: procrastinate.App, stalled_after: float) -> list[int]:
    """Queue again the jobs still "doing" on workers silent for ``stalled_after`` seconds."""
    stalled = await papp.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
    retried = []
    for job in stalled:
        await papp.job_manager.retry_job(job)
        retried.append(int(job.id or 0))
    if retried:
        log.warning("jobs %s of stalled workers queued again", ", ".join(map(str, retried)))
    return retried


def register(papp: procrastinate.App, app: Flask) -> None:
    """Register the archive's tasks on ``papp``, bound to ``app`` and its settings."""
    retry = RetryStrategy(
        max_attempts=int(app.config["QUEUE_RETRIES"]),  # procrastinate: retries, not runs
        exponential_wait=int(app.config["QUEUE_BACKOFF"]),
    )

    @papp.task(name="scrape", retry=retry)
    def scrape(source: str) -> dict[str, object]:
        return _checked(Ingest(app, Options()).scrape([source]))

    @papp.task(name="reextract", retry=retry)
    def reextract(hosts: list[str]) -> dict[str, object]:
        return _checked(Ingest(app, Options()).reextract(hosts))

    @papp.task(name="reindex", retry=retry)
    def reindex_task() -> int:
        try:
            return reindex(app)
        except RunLocked as exc:
            raise RunFailed(str(exc)) from None

    @papp.periodic(cron=RESCRAPE_CRON)
    @papp.task(name="rescrape_due", queueing_lock="rescrape_due")
    def rescrape_due(timestamp: int) -> list[str]:
        from archive import queue

        sources = load_sources(Path(app.config["SOURCES_FILE"]))
        with new_session(app) as session:
            last = queue.last_scrapes(session, [s.url for s in sources])
        due = queue.due_sources(sources, last, utcnow())
        # Inside the worker its queue is open already: defer through it, do not reopen it.
        return [queue.defer(papp, "scrape", [s.url], source=s.url).text() for s in due]

    @papp.periodic(cron=STALLED_CRON)
    @papp.task(name="retry_stalled", queueing_lock="retry_stalled")
    async def retry_stalled(timestamp: int) -> list[int]:
        return await retry_stalled_jobs(papp, float(app.config["QUEUE_STALLED_AFTER"]))

    @papp.periodic(cron=PRUNE_CRON)
    @papp.task(name="prune_jobs", queueing_lock="prune_jobs")
    async def prune_jobs(timestamp: int) -> None:
        await papp.job_manager.delete_old_jobs(nb_hours=KEEP_SUCCEEDED_HOURS)

    @papp.periodic(cron=PRUNE_CRON)
    @papp.task(name="prune_changes", queueing_lock="prune_changes")
    def prune_changes(timestamp: int) -> int:
        with new_session(app) as session:
            gone = changelog.prune(session, float(app.config["CHANGES_KEEP_DAYS"]))
            session.commit()
        return gone

    del scrape, reextract, reindex_task, rescrape_due, retry_stalled, prune_jobs  # on papp
    del prune_changes

"""``cio-talks worker``: do the queued jobs (PostgreSQL only), and queueing from the CLI."""

from __future__ import annotations

import asyncio
import logging
import socket
import sys
from collections.abc import Callable

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from archive import queue
from archive.db import engine_of, upgrade
from archive.sources import SourcesError
from archive.tasks import retry_stalled_jobs

log = logging.getLogger(__name__)


def report_queued(work: Callable[[], list[queue.Queued]]) -> None:
    """Queue jobs and print one line each; exit 2 with one line when the queue is unusable."""
    try:
        queued = work()
    except (queue.QueueUnavailable, SourcesError) as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    if not queued:
        click.echo("nothing to queue: give SOURCES or configure them (cio-talks sources)", err=True)
        sys.exit(2)
    for item in queued:
        click.echo(item.text())


async def _work(app: Flask, concurrency: int, until_empty: bool) -> None:
    papp = queue.queue_app(app)
    async with papp.open_async():
        # Jobs left "doing" by a worker that died go back in the queue before this one
        # starts (and every minute after, through the retry_stalled periodic task).
        await retry_stalled_jobs(papp, float(app.config["QUEUE_STALLED_AFTER"]))
        await papp.run_worker_async(
            concurrency=concurrency,
            wait=not until_empty,
            name=f"{socket.gethostname()}-worker",
            update_heartbeat_interval=float(app.config["QUEUE_HEARTBEAT"]),
            stalled_worker_timeout=float(app.config["QUEUE_STALLED_AFTER"]),
        )


@click.command("worker")
@click.option(
    "--concurrency",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Jobs this worker runs at once (runs of one machine still take its run lock in turn).",
)
@click.option("--until-empty", is_flag=True, help="Stop once no job is waiting (cron, tests).")
@with_appcontext
def worker_command(concurrency: int, until_empty: bool) -> None:
    """Do queued scrapes, re-extractions and reindexes until stopped (Ctrl+C, SIGTERM).

    Runs on any machine that reaches the PostgreSQL database; start as many as you like.
    """
    from archive.cli import yield_cpu

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        queue.queue_app(app)
    except queue.QueueUnavailable as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    upgrade(engine_of(app))
    yield_cpu(app)
    click.echo(f"worker on {socket.gethostname()}: {concurrency} job(s) at a time")
    asyncio.run(_work(app, concurrency, until_empty))

"""The ``cio-talks`` command line: one click group wired to the Flask app."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy import select

from archive import queue, replica, server, store, tasks
from archive.admin.cli import admin_group
from archive.cli_data import COMMANDS as data_commands
from archive.cli_organisations import organisations_group
from archive.cli_profiles import profiles_group
from archive.cli_queue import report_queued, worker_command
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest, Options
from archive.lock import RunLocked
from archive.models import Run, Speaker
from archive.priority import yield_cpu
from archive.report import Report, as_dict, changed_field_lines, summary
from archive.samples import sample_dir

log = logging.getLogger(__name__)
ENQUEUE_HELP = "Queue it for a `cio-talks worker` instead of running it here (PostgreSQL)"


def _progress() -> Any:
    """A progress callback: a tqdm counter on a terminal, log lines otherwise."""
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(unit="page", desc="pages", leave=False)

        def tick(_url: str, _outcome: str) -> None:
            bar.update(1)

        return tick

    def line(url: str, outcome: str) -> None:
        log.info("%s %s", outcome, url)

    return line


def _finish(report: Report, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(as_dict(report), indent=2))
    else:
        for text in summary(report):
            click.echo(text)
    sys.exit(report.exit_code)


def _configured_sources(app: Flask) -> list[str]:
    from archive.cli_data import configured_plan

    return configured_plan(app).args


@click.command("scrape")
@click.argument("sources", nargs=-1)
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--refetch", is_flag=True, help="Re-extract pages even when their bytes are unchanged."
)
@click.option("--max-pages", type=int, default=None, help="Stop after this many pages.")
@click.option("--delay", type=float, default=None, help="Seconds between requests to one host.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.option("--enqueue", is_flag=True, help=ENQUEUE_HELP + " (one job per source).")
@with_appcontext
def scrape_command(
    sources: tuple[str, ...],
    dry_run: bool,
    refetch: bool,
    max_pages: int | None,
    delay: float | None,
    as_json: bool,
    enqueue: bool,
) -> None:
    """Archive, extract and store talks from SOURCES.

    A SOURCE is an event or listing URL (pagination and sitemaps on the same site are
    followed), a saved HTML file, a folder of them, a .txt file of URLs or a WARC file.
    Without SOURCES the configured sources are scraped. Exit 0 all good, 1 some pages
    failed, 2 nothing could run. With --enqueue, a SOURCE may also be a configured source's
    name, and the scrapes are queued for `cio-talks worker` (PostgreSQL).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if enqueue:
        if dry_run or refetch or max_pages is not None or delay is not None or as_json:
            click.echo("--enqueue queues a plain scrape: drop the other options", err=True)
            sys.exit(2)
        report_queued(lambda: queue.enqueue_scrapes(app, sources))
        return
    args = list(sources) or _configured_sources(app)
    if not args:
        click.echo(
            "nothing to scrape: give SOURCES or configure them (cio-talks sources)", err=True
        )
        sys.exit(2)
    yield_cpu(app)
    options = Options(
        dry_run=dry_run, refetch=refetch, max_pages=max_pages, delay=delay, progress=_progress()
    )
    _finish(Ingest(app, options).scrape(args), as_json)


@click.command("reextract")
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="Print the run report as JSON.")
@click.option(
    "--host",
    "hosts",
    multiple=True,
    help="Every archived page of this host instead (talks or not); repeatable.",
)
@click.option("--enqueue", is_flag=True, help=ENQUEUE_HELP + ".")
@with_appcontext
def reextract_command(dry_run: bool, as_json: bool, hosts: tuple[str, ...], enqueue: bool) -> None:
    """Re-run extraction on every talk's archived page (no network), e.g. after rule edits.

    With --host, on every archived page of that host, so pages the rules had skipped may
    become talks (after teaching the site a profile, say).
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if enqueue:
        report_queued(lambda: queue.enqueue_kind(app, "reextract", hosts))
        return
    yield_cpu(app)
    ingest = Ingest(app, Options(dry_run=dry_run, progress=_progress()))
    _finish(ingest.reextract(list(hosts)), as_json)


@click.command("extract")
@click.argument("sources", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per source (JSON Lines).")
@with_appcontext
def extract_command(sources: tuple[str, ...], as_json: bool) -> None:
    """Print what would be extracted from SOURCES (files, file:// or http(s) URLs); store nothing.

    With --json, one object per source per line, in the order given (the extraction contract).
    The instance's rules folder counts: profiles learned with `cio-talks profiles` apply.
    """
    from archive.crawling import app_fetch_config
    from archive.extracting import extract_sources
    from archive.teach import current_rules

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    config = app_fetch_config(app, delay=0.0)
    for result in extract_sources(list(sources), current_rules(app), config):
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            click.echo(f"== {result['source']}")
            for key, value in result.items():
                if key != "source":
                    click.echo(f"  {key}: {value}")


@click.command("reindex")
@click.option("--enqueue", is_flag=True, help=ENQUEUE_HELP + ".")
@with_appcontext
def reindex_command(enqueue: bool) -> None:
    """Rebuild the search index from the database and swap it in atomically.

    Holds the run lock, so no scrape writes to the index meanwhile; exits 2 when a run holds it.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if enqueue:
        report_queued(lambda: queue.enqueue_kind(app, "reindex"))
        return
    yield_cpu(app)
    try:
        count = tasks.reindex(app)
    except RunLocked as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    click.echo(f"indexed {count} talks")


@click.command("search")
@click.argument("query", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the results as JSON.")
@click.option("--limit", type=int, default=10, show_default=True)
@with_appcontext
def search_command(query: tuple[str, ...], as_json: bool, limit: int) -> None:
    """Search the archive from the shell (same query syntax as the site)."""
    from archive import search

    req = search.request_from_args({"q": " ".join(query), "per_page": str(limit)})
    with new_session() as session:
        page = search.run(session, req)
        rows = [store.talk_contract(talk) for talk, _snippet in page.talks]
    if page.notice:
        click.echo(page.notice, err=True)
    if as_json:
        click.echo(
            json.dumps(
                {"total": page.result.total, "results": rows, "suggestion": page.result.suggestion},
                ensure_ascii=False,
            )
        )
        return
    click.echo(f"{page.result.total} talks")
    for row in rows:
        names = ", ".join(s["name"] for s in row["speakers"])
        click.echo(
            f"{row['id']:>5}  {row['date'] or '          '}  {row['topic'] or row['title']}"
            f"  — {names}"
        )
    if page.result.suggestion:
        click.echo(f"did you mean: {page.result.suggestion}")


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker.")
@click.option(
    "--workers",
    default=None,
    type=click.IntRange(min=1),
    help="Worker processes (default: CIO_TALKS_WORKERS, else one per core); "
    "1 runs waitress, more run gunicorn.",
)
@click.option(
    "--index-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="This node's own index folder (default: CIO_TALKS_INDEX_DIR, else the instance's); "
    "it follows the database's change log and is built from the database when empty.",
)
@with_appcontext
def serve_command(
    host: str, port: int, threads: int, workers: int | None, index_dir: Path | None
) -> None:
    """Serve the site with a production WSGI server: gunicorn with one worker process per core
    by default, or waitress when there is one worker."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if index_dir is not None:
        # gunicorn's workers build their apps from the environment: tell them too.
        os.environ["CIO_TALKS_INDEX_DIR"] = str(index_dir.resolve())
        app.config["INDEX_DIR"] = index_dir.resolve()
    count = server.worker_count(workers, app.config.get("WORKERS"))
    click.echo(f"serving CIO Talks Archive on http://{host}:{port}/ ({count} worker(s))")
    server.serve(app, host, port, threads, count)


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Ingest and index only.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool) -> None:
    """Ingest the bundled sample pages, build the index and serve the site."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    report = Ingest(app, Options()).scrape([str(sample_dir())])
    for text in summary(report):
        click.echo(text)
    if report.fatal:
        sys.exit(2)
    with new_session() as session:
        count = replica.reindex(session, app.config["INDEX_DIR"])
    click.echo(f"indexed {count} talks")
    if not no_serve:
        click.echo(f"CIO Talks Archive demo: open http://{host}:{port}/ (Ctrl+C stops it)")
        server.serve(app, host, port, threads=8, workers=1)


@click.group("db")
def db_group() -> None:
    """Database maintenance."""


@db_group.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Apply the migrations (creates the schema on an empty database)."""
    upgrade(engine_of())
    click.echo("database is up to date")


@click.group("runs", invoke_without_command=True)
@click.pass_context
@with_appcontext
def runs_group(ctx: click.Context) -> None:
    """List past scrape runs (``runs show N`` for one run's report)."""
    if ctx.invoked_subcommand:
        return
    upgrade(engine_of())
    with new_session() as session:
        for run in session.scalars(select(Run).order_by(Run.id.desc()).limit(50)):
            click.echo(
                f"{run.id:>4}  {run.started_at:%Y-%m-%d %H:%M}  {run.kind:<9} {run.status:<8} "
                f"new {run.new}, changed {run.changed}, unchanged {run.unchanged}, "
                f"skipped {run.skipped}, failed {run.failed}"
            )


@runs_group.command("show")
@click.argument("run_id", type=int)
@with_appcontext
def runs_show(run_id: int) -> None:
    """One run's counts and every failed, changed or skipped URL with its reason."""
    with new_session() as session:
        run = session.get(Run, run_id)
        if run is None:
            raise click.ClickException(f"no run {run_id}")
        click.echo(
            f"run {run.id} ({run.kind}, {run.status}) started {run.started_at:%Y-%m-%d %H:%M:%S}"
            f"{' finished ' + format(run.finished_at, '%H:%M:%S') if run.finished_at else ''}"
        )
        click.echo("sources: " + ", ".join(run.sources or []))
        from archive.models import RUN_COUNTERS

        click.echo(", ".join(f"{name} {getattr(run, name)}" for name in RUN_COUNTERS))
        for event in run.events:
            detail = f" — {event.detail}" if event.detail else ""
            click.echo(f"  {event.outcome}: {event.url}{detail}")
            for text in changed_field_lines(event.changes or {}):
                click.echo(f"      {text}")
        if run.warning_counts:
            click.echo(
                "warnings per field: "
                + ", ".join(f"{k} {v}" for k, v in sorted(run.warning_counts.items()))
            )


@click.group("speakers")
def speakers_group() -> None:
    """Speaker records."""


@speakers_group.command("merge")
@click.argument("keep")
@click.argument("drop")
@with_appcontext
def speakers_merge(keep: str, drop: str) -> None:
    """Merge speaker DROP into KEEP (ids or names); both names stay as aliases."""
    with new_session() as session:
        first, second = _speaker(session, keep), _speaker(session, drop)
        talk_ids = {a.talk_id for a in [*first.appearances, *second.appearances]}
        moved = store.merge_speakers(session, first, second)
        replica.commit(session, current_app.config["INDEX_DIR"], talk_ids)
    click.echo(f"merged {drop!r} into {first.name!r}: {moved} talks moved")


def _speaker(session: Any, ref: str) -> Speaker:
    speaker = session.get(Speaker, int(ref)) if ref.isdigit() else store.find_speaker(session, ref)
    if speaker is None:
        raise click.ClickException(f"no speaker {ref!r}")
    return speaker


COMMANDS = (
    *data_commands,
    scrape_command,
    reextract_command,
    extract_command,
    reindex_command,
    worker_command,
    search_command,
    serve_command,
    demo_command,
    db_group,
    runs_group,
    speakers_group,
    organisations_group,
    profiles_group,
    admin_group,
)


def init_app(app: Flask) -> None:
    """Register every command on ``app.cli`` so ``flask --app archive`` has them too."""
    for command in COMMANDS:
        app.cli.add_command(command)


def _create_app() -> Flask:
    from archive import create_app

    return create_app()


main = FlaskGroup(
    name="cio-talks",
    create_app=_create_app,
    add_version_option=False,
    help="CIO Talks Archive: scrape, archive, index and search CIO talks.",
)

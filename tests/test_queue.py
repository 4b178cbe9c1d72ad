"""The PostgreSQL job queue (procrastinate): queueing, workers, locks, retries, stalled jobs,
the CLI and the admin dashboard. Skipped without CIO_TALKS_TEST_POSTGRES_URL; the SQLite
default keeps its in-process jobs (tests/test_admin_runs.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import TOKEN, add_admin, signed_in_client
from conftest import POSTGRES_URL, _reset_postgres, make_app
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select, text
from werkzeug import Request, Response

from archive import queue
from archive.db import engine_of, new_session, upgrade
from archive.lock import RunLock
from archive.models import Run, Talk
from archive.samples import sample_dir
from archive.sources import NamedSource

QUEUE_SETTINGS = {
    "QUEUE_RETRIES": 2,
    "QUEUE_BACKOFF": 2,
    "QUEUE_HEARTBEAT": 1.0,
    "QUEUE_STALLED_AFTER": 3.0,
    "CRAWL_DELAY": 0.0,
}


@pytest.fixture
def pg_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on a freshly emptied PostgreSQL database, migrated (queue schema included)."""
    if not POSTGRES_URL:
        pytest.skip("CIO_TALKS_TEST_POSTGRES_URL is not set")
    _reset_postgres(POSTGRES_URL)
    app = make_app(tmp_path / "instance", POSTGRES_URL, **QUEUE_SETTINGS)
    upgrade(engine_of(app))
    yield app
    engine_of(app).dispose()


def jobs_table(app: Flask) -> list[dict[str, Any]]:
    """Every job of the queue as procrastinate recorded it, oldest first."""
    with new_session(app) as db:
        rows = db.execute(
            text(
                "SELECT id, task_name, status::text AS status, attempts, args "
                "FROM procrastinate_jobs WHERE task_name IN ('scrape', 'reextract', 'reindex') "
                "ORDER BY id"
            )
        ).mappings()
        return [dict(row) for row in rows]


def events(app: Flask, job_id: int) -> list[tuple[str, dt.datetime]]:
    with new_session(app) as db:
        rows = db.execute(
            text("SELECT type::text, at FROM procrastinate_events WHERE job_id = :id ORDER BY id"),
            {"id": job_id},
        )
        return [(str(kind), at) for kind, at in rows]


def work(app: Flask) -> None:
    """Run a worker in this process until the queue has nothing ready."""
    result = app.test_cli_runner().invoke(args=["worker", "--until-empty"])
    assert result.exit_code == 0, result.output + repr(result.exception)


def one_page_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_bytes((sample_dir() / "aaberg-2019.html").read_bytes())
    return folder


def test_scrape_enqueue_from_the_cli_is_done_by_a_worker(pg_app: Flask, tmp_path: Path) -> None:
    folder = one_page_folder(tmp_path)
    runner = pg_app.test_cli_runner()
    queued = runner.invoke(args=["scrape", "--enqueue", str(folder)])
    assert queued.exit_code == 0, queued.output
    assert f"scrape {folder}: queued as job" in queued.output
    with new_session(pg_app) as db:
        assert db.scalar(select(func.count()).select_from(Run)) == 0  # nothing ran yet
    work(pg_app)
    [job] = jobs_table(pg_app)
    assert job["status"] == "succeeded" and job["args"] == {"source": str(folder)}
    with new_session(pg_app) as db:
        run = db.scalar(select(Run))
        assert run is not None and run.status == "ok" and run.sources == [str(folder)]
        assert run.new == 1
        assert db.scalar(select(Talk.topic)) == "Cloud First in a Ministry"


def test_a_configured_source_is_queued_by_name(pg_app: Flask, tmp_path: Path) -> None:
    folder = one_page_folder(tmp_path)
    Path(pg_app.config["SOURCES_FILE"]).write_text(
        json.dumps({"sources": [{"name": "saved", "url": str(folder), "rescrape_days": 7}]})
    )
    [by_name] = queue.enqueue_scrapes(pg_app, ["saved"])
    assert by_name.label == str(folder) and by_name.job_id is not None


def test_the_queueing_lock_refuses_a_second_scrape_of_one_source(
    pg_app: Flask, tmp_path: Path
) -> None:
    first = queue.enqueue_scrapes(pg_app, ["https://a.example/talks/"])
    again = pg_app.test_cli_runner().invoke(
        args=["scrape", "--enqueue", "https://a.example/talks/"]
    )
    other = queue.enqueue_scrapes(pg_app, ["https://b.example/talks/"])
    assert first[0].job_id is not None and other[0].job_id is not None
    assert again.exit_code == 0 and "https://a.example/talks/: already queued" in again.output
    assert [j["args"]["source"] for j in jobs_table(pg_app)] == [
        "https://a.example/talks/",
        "https://b.example/talks/",
    ]


def test_a_failing_run_is_retried_after_its_backoff(pg_app: Flask, tmp_path: Path) -> None:
    folder = one_page_folder(tmp_path)
    [queued] = queue.enqueue_scrapes(pg_app, [str(folder)])
    lock = RunLock(pg_app.config["LOCK_FILE"])
    lock.acquire(kind="scrape", run=99)  # the machine is busy: the first attempt cannot run
    try:
        work(pg_app)
    finally:
        lock.release()
    [job] = jobs_table(pg_app)
    assert job["status"] == "todo" and job["attempts"] == 1  # waiting for its retry
    time.sleep(QUEUE_SETTINGS["QUEUE_BACKOFF"] + 0.5)  # first retry: backoff ** 1 seconds
    work(pg_app)
    [job] = jobs_table(pg_app)
    assert job["status"] == "succeeded" and job["attempts"] == 2
    history = events(pg_app, int(queued.job_id or 0))
    kinds = [kind for kind, _at in history]
    assert [k for k in kinds if k != "scheduled"] == [
        "deferred", "started", "deferred_for_retry", "started", "succeeded"
    ]  # fmt: skip
    retried_at = next(at for kind, at in history if kind == "deferred_for_retry")
    second_start = [at for kind, at in history if kind == "started"][1]
    assert second_start - retried_at >= dt.timedelta(seconds=QUEUE_SETTINGS["QUEUE_BACKOFF"])
    with new_session(pg_app) as db:
        assert db.scalar(select(func.count()).select_from(Talk)) == 1


def test_a_run_that_keeps_failing_ends_failed_and_the_dashboard_lists_the_queue(
    pg_app: Flask, tmp_path: Path
) -> None:
    pg_app.config["QUEUE_BACKOFF"] = 0  # retry at once: 0 ** n seconds
    missing = str(tmp_path / "no-such-folder")
    queue.enqueue_scrapes(pg_app, [missing])
    work(pg_app)
    queue.enqueue_scrapes(pg_app, ["https://waiting.example/"])
    [failed, waiting] = jobs_table(pg_app)
    assert failed["status"] == "failed" and failed["attempts"] == 3  # one run, two retries
    add_admin(pg_app)
    client = signed_in_client(pg_app)
    page = client.get("/admin/runs").get_data(as_text=True)
    assert "<h2>Queue</h2>" in page and "0 workers alive" in page
    for job, state, attempts in ((failed, "failed", 3), (waiting, "queued", 0)):
        row = (
            f"<td>{job['id']}</td><td>scrape</td><td>{job['args']['source']}</td>\n"
            f'      <td class="status status-{state}">{state}</td>\n      <td>{attempts}</td>'
        )
        assert row in page


def test_admin_run_buttons_queue_while_a_worker_is_alive(pg_app: Flask, tmp_path: Path) -> None:
    folder = one_page_folder(tmp_path)
    Path(pg_app.config["SOURCES_FILE"]).write_text(
        json.dumps({"sources": [{"name": "saved", "url": str(folder)}]})
    )
    add_admin(pg_app)
    client = signed_in_client(pg_app)
    with new_session(pg_app) as db:  # a worker's heartbeat, as procrastinate records it
        db.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
        db.commit()
    token = TOKEN.search(client.get("/admin/runs").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    started = client.post("/admin/runs/start", data={"csrf_token": token, "kind": "scrape"})
    assert started.status_code == 302 and started.location == "/admin/runs"
    page = client.get("/admin/runs").get_data(as_text=True)
    assert f"Queue: scrape {folder}: queued as job" in page
    [job] = jobs_table(pg_app)
    assert job["status"] == "todo" and job["args"] == {"source": str(folder)}


def test_admin_runs_stay_in_process_without_a_worker(pg_app: Flask) -> None:
    with new_session(pg_app) as db:
        assert queue.has_queue(db) and not queue.uses_queue(pg_app, db)
        pg_app.config["QUEUE"] = "on"
        assert queue.uses_queue(pg_app, db)
        pg_app.config["QUEUE"] = "off"
        db.execute(text("INSERT INTO procrastinate_workers DEFAULT VALUES"))
        assert not queue.uses_queue(pg_app, db)


def test_enqueue_on_sqlite_is_one_clear_line(tmp_path: Path) -> None:
    app = make_app(tmp_path / "instance", f"sqlite:///{tmp_path / 'db.sqlite3'}")
    result = app.test_cli_runner().invoke(args=["scrape", "--enqueue", "https://a.example/"])
    assert result.exit_code == 2
    assert result.output.strip().startswith("the job queue needs PostgreSQL")
    mixed = app.test_cli_runner().invoke(args=["scrape", "--enqueue", "--dry-run", "x"])
    assert mixed.exit_code == 2 and "drop the other options" in mixed.output
    worker = app.test_cli_runner().invoke(args=["worker"])
    assert worker.exit_code == 2 and "needs PostgreSQL" in worker.output
    engine_of(app).dispose()


NOW = dt.datetime(2026, 12, 7, 12, 0)


@pytest.mark.parametrize(
    ("days", "enabled", "last", "due"),
    [
        (7, True, None, True),  # never scraped
        (7, True, NOW - dt.timedelta(days=7), True),
        (7, True, NOW - dt.timedelta(days=6, hours=23), False),
        (1, True, NOW - dt.timedelta(days=2), True),
        (None, True, None, False),  # no re-scrape asked for
        (7, False, None, False),  # switched off
    ],
)
def test_which_sources_are_due_for_a_rescrape(
    days: int | None, enabled: bool, last: dt.datetime | None, due: bool
) -> None:
    source = NamedSource("s", "https://s.example/", enabled=enabled, rescrape_days=days)
    scraped = {source.url: last} if last else {}
    assert queue.due_sources([source], scraped, NOW) == ([source] if due else [])


def test_a_due_source_is_queued_by_the_periodic_task(pg_app: Flask, tmp_path: Path) -> None:
    folder = one_page_folder(tmp_path)
    Path(pg_app.config["SOURCES_FILE"]).write_text(
        json.dumps({"sources": [{"name": "weekly", "url": str(folder), "rescrape_days": 7}]})
    )
    papp = queue.queue_app(pg_app)
    with papp.open():
        papp.configure_task("rescrape_due").defer(timestamp=int(time.time()))
    work(pg_app)  # runs rescrape_due, which queues the scrape, which this worker then does
    assert [(j["task_name"], j["status"]) for j in jobs_table(pg_app)] == [("scrape", "succeeded")]
    with new_session(pg_app) as db:
        assert db.scalar(select(Run.sources)) == [str(folder)]


# -- a worker killed mid-job ---------------------------------------------------------------
def slow_site(server: HTTPServer, pages: list[Path], delay: float) -> str:
    """A listing linking saved sample pages, each answered after ``delay`` seconds."""
    server.expect_request("/robots.txt").respond_with_data("", status=404)
    links = "".join(f'<li><a href="/cio/{p.name}">{p.stem}</a></li>' for p in pages)
    server.expect_request("/cio/").respond_with_data(
        f"<html><body><h1>Talks</h1><ul>{links}</ul></body></html>", content_type="text/html"
    )
    for page in pages:

        def slow(_request: Request, body: bytes = page.read_bytes()) -> Response:
            time.sleep(delay)
            return Response(body, content_type="text/html; charset=utf-8")

        server.expect_request(f"/cio/{page.name}").respond_with_handler(slow)
    return server.url_for("/cio/")


def cli_process(
    app: Flask, log: Path, args: list[str], **settings: object
) -> subprocess.Popen[bytes]:
    """A ``cio-talks`` command in a process of its own on ``app``'s database and instance,
    with further CIO_TALKS_* ``settings``, its log written to ``log``."""
    env = dict(os.environ)
    for key, value in {
        "INSTANCE_DIR": app.config["INSTANCE_DIR"],
        "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret",
        "WRITER_NICE": 0,
        "ALLOW_PRIVATE_SOURCES": 1,
        **QUEUE_SETTINGS,
        **settings,
    }.items():
        env[f"CIO_TALKS_{key}"] = str(value)
    with log.open("wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "archive", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=err,
        )


def worker_process(app: Flask, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``cio-talks worker`` in a process of its own, its log written to ``log``."""
    return cli_process(app, log, ["worker", *args])


def wait_until(check: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"{what} not within {timeout} s")


def talk_count(app: Flask) -> int:
    with new_session(app) as db:
        return int(db.scalar(select(func.count()).select_from(Talk)) or 0)


@pytest.mark.slow
def test_a_job_of_a_killed_worker_is_retried_by_the_next_worker(
    pg_app: Flask, httpserver: HTTPServer, tmp_path: Path
) -> None:
    pages = sorted(p for p in (sample_dir()).glob("*-20*.html"))[:12]
    url = slow_site(httpserver, pages, delay=0.4)
    [queued] = queue.enqueue_scrapes(pg_app, [url])
    first = worker_process(pg_app, tmp_path / "first.log")
    try:
        wait_until(lambda: talk_count(pg_app) >= 2, 60, "two talks stored by the first worker")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    stored_before = talk_count(pg_app)
    assert stored_before < len(pages)  # killed mid-job
    assert jobs_table(pg_app)[0]["status"] == "doing"  # left behind by the dead worker
    time.sleep(QUEUE_SETTINGS["QUEUE_STALLED_AFTER"] + 1)  # its heartbeat is now stale
    second = worker_process(pg_app, tmp_path / "second.log", "--until-empty")
    assert second.wait(120) == 0, (tmp_path / "second.log").read_text()
    [job] = jobs_table(pg_app)
    assert job["id"] == queued.job_id and job["status"] == "succeeded"
    assert [kind for kind, _at in events(pg_app, job["id"])].count("started") == 2
    with new_session(pg_app) as db:
        runs = list(db.scalars(select(Run).order_by(Run.id)))
        assert [r.status for r in runs] == ["lost", "ok"]  # the killed run is marked lost
        talks = list(db.scalars(select(Talk.source_url)))
    # No duplicates: the retry added each talk the killed run had not stored, once.
    assert len(talks) == len(set(talks)) == stored_before + runs[1].new
    assert runs[1].new > 0 and runs[1].failed == 0


def test_the_queue_migration_comes_and_goes_on_postgresql_only(
    pg_app: Flask, tmp_path: Path
) -> None:
    from alembic import command

    from archive.db import alembic_config

    def procrastinate_objects(app: Flask) -> int:
        with engine_of(app).connect() as conn:
            return int(
                conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM pg_class WHERE relname LIKE 'procrastinate%')"
                        " + (SELECT count(*) FROM pg_proc WHERE proname LIKE 'procrastinate%')"
                        " + (SELECT count(*) FROM pg_type WHERE typname LIKE 'procrastinate%')"
                    )
                ).scalar_one()
            )

    assert procrastinate_objects(pg_app) > 0
    engine = engine_of(pg_app)
    config = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, "0005_login")
    assert procrastinate_objects(pg_app) == 0
    upgrade(engine)
    assert procrastinate_objects(pg_app) > 0
    sqlite = make_app(tmp_path / "lite", f"sqlite:///{tmp_path / 'lite.sqlite3'}")
    upgrade(engine_of(sqlite))  # nothing of the queue on SQLite, and no error
    with new_session(sqlite) as db:
        assert not queue.has_queue(db) and queue.listing(db) == []
    engine_of(sqlite).dispose()


def test_week_old_succeeded_jobs_are_pruned_and_failed_ones_kept(
    pg_app: Flask, tmp_path: Path
) -> None:
    pg_app.config["QUEUE_BACKOFF"] = 0
    queue.enqueue_scrapes(pg_app, [str(one_page_folder(tmp_path))])
    queue.enqueue_scrapes(pg_app, [str(tmp_path / "no-such-folder")])
    work(pg_app)
    assert sorted(j["status"] for j in jobs_table(pg_app)) == ["failed", "succeeded"]
    with new_session(pg_app) as db:  # both finished eight days ago
        db.execute(text("UPDATE procrastinate_events SET at = now() - interval '8 days'"))
        db.commit()
    papp = queue.queue_app(pg_app)
    with papp.open():
        papp.configure_task("prune_jobs").defer(timestamp=int(time.time()))
    work(pg_app)
    assert [j["status"] for j in jobs_table(pg_app)] == ["failed"]
    with new_session(pg_app) as db:
        # The runs stay: the scrape's, and one per attempt of the failing one.
        assert db.scalar(select(func.count()).select_from(Run)) == 1 + 3

"""A run killed with SIGKILL never records its end: the next run (or the admin runs page,
once the process is gone) marks it "lost" instead of leaving it "running" forever."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from adminkit import add_admin, signed_in_client
from flask import Flask
from sqlalchemy import select

from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest
from archive.lock import RunLock, process_alive
from archive.models import Run
from archive.samples import sample_dir

CLI = Path(sys.executable).with_name("cio-talks")
SAMPLE = sample_dir() / "aaberg-2019.html"


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers: a run crawling it sits
    in its first request until it is killed."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/talks/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    listener.close()


def statuses(app: Flask) -> dict[int, str]:
    with new_session(app) as session:
        return {run.id: run.status for run in session.scalars(select(Run).order_by(Run.id))}


def killed_run(app: Flask, url: str) -> int:
    """Start `cio-talks scrape URL` in a subprocess, kill -9 it once its run is recorded as
    running, and return that run's id."""
    upgrade(engine_of(app))  # the schema first, so its runs can be watched from here
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(app.config["INSTANCE_DIR"]),
        "CIO_TALKS_DATABASE_URL": str(app.config["DATABASE_URL"]),
        "CIO_TALKS_SECRET_KEY": "test",
        "CIO_TALKS_ALLOW_PRIVATE_SOURCES": "1",
        "CIO_TALKS_CRAWL_TIMEOUT": "120",
    }
    proc = subprocess.Popen(
        [str(CLI), "scrape", url, "--delay", "0"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            running = [i for i, status in statuses(app).items() if status == "running"]
            if running:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run ended before it could be killed"
        assert running, "the run never started"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert statuses(app)[running[0]] == "running"  # nobody recorded its end
    return running[0]


@pytest.mark.slow
def test_sigkilled_run_is_marked_lost_by_the_next_run(app: Flask, silent_server: str) -> None:
    lost = killed_run(app, silent_server)
    report = Ingest(app).scrape([str(SAMPLE)])
    assert report.exit_code == 0, report.events
    after = statuses(app)
    assert after[lost] == "lost"
    assert after[report.run_id] == "ok"  # type: ignore[index]
    add_admin(app)
    page = signed_in_client(app).get("/admin/runs").get_data(as_text=True)
    assert '<td class="status status-lost">lost</td>' in page


@pytest.mark.slow
def test_sigkilled_run_shows_lost_on_the_admin_runs_page(app: Flask, silent_server: str) -> None:
    lost = killed_run(app, silent_server)
    assert not RunLock(Path(app.config["LOCK_FILE"])).holder_alive()
    add_admin(app)
    page = signed_in_client(app).get("/admin/runs").get_data(as_text=True)
    assert '<td class="status status-lost">lost</td>' in page
    assert statuses(app)[lost] == "lost"


def test_a_live_lock_holder_keeps_its_run_running(app: Flask) -> None:
    add_admin(app)
    with new_session(app) as session:
        session.add(Run(kind="scrape", sources=[], status="running"))
        session.commit()
    lock = RunLock(Path(app.config["LOCK_FILE"]))
    lock.acquire(kind="scrape", run=1)  # this test's process: alive
    try:
        assert process_alive(os.getpid()) and lock.holder_alive()
        signed_in_client(app).get("/admin/runs")
        assert statuses(app) == {1: "running"}
    finally:
        lock.release()

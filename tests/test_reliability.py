"""Crash safety and fault tolerance: SIGKILL mid-run, a fault-injecting server, round trips."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from benchtools import load_bench
from flask import Flask
from sqlalchemy import func, select

from archive import check, transfer
from archive.db import engine_of, new_session
from archive.ingest import Ingest
from archive.models import Page, Talk
from archive.warcs import warc_store
from index import writer

ROOT = Path(__file__).resolve().parent.parent
CLI = Path(sys.executable).with_name("cio-talks")


bench_crawl = load_bench("crawl")
generate = load_bench("generate")
N_TALKS = 40


def assert_consistent(app: Flask, expected_talks: int) -> None:
    """Complete, no duplicates, index equal to the database, and `check` clean."""
    with new_session(app) as session:
        talks = session.scalar(select(func.count()).select_from(Talk))
        urls = session.scalar(select(func.count(func.distinct(Talk.source_url))))
        dupes = session.execute(
            select(Page.url, Page.content_hash)
            .group_by(Page.url, Page.content_hash)
            .having(func.count() > 1)
        ).all()
        ids = set(session.scalars(select(Talk.id)))
        assert talks == urls == expected_talks
        assert dupes == []
        assert writer.indexed_ids(Path(app.config["INDEX_DIR"])) == ids
        result = check.run_check(session, app.config["INDEX_DIR"], warc_store(app))
        assert result.clean, result.problems


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [2, 12, 30])
def test_sigkill_then_rerun_completes(app: Flask, kill_after: int) -> None:
    files, truth = generate.build_site(N_TALKS, seed=kill_after)
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(app.config["INSTANCE_DIR"]),
        "CIO_TALKS_DATABASE_URL": str(app.config["DATABASE_URL"]),
        "CIO_TALKS_SECRET_KEY": "test",
        "CIO_TALKS_CRAWL_DELAY": "0",
        "CIO_TALKS_ALLOW_PRIVATE_SOURCES": "1",  # the site is a loopback server
    }
    with bench_crawl.serve(files) as server:
        start = server.url + "events/"
        proc = subprocess.Popen(
            [str(CLI), "scrape", start, "--delay", "0"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if server.counts[0] > kill_after:  # robots.txt, then pages
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL, "the run ended before it could be killed"
        app.config.update(CRAWL_DELAY=0.0)
        report = Ingest(app).scrape([start])
        assert report.exit_code == 0, report.events
    assert_consistent(app, len(truth))
    if str(app.config["DATABASE_URL"]).startswith("sqlite"):
        with new_session(app) as session:
            before = transfer.export_document(session)
        from archive import create_app

        other = create_app(
            {
                "INSTANCE_DIR": str(Path(app.config["INSTANCE_DIR"]).parent / "copy"),
                "DATABASE_URL": f"sqlite:///{Path(app.config['INSTANCE_DIR']).parent}/copy.db",
                "SECRET_KEY": "test",
            }
        )
        from archive.db import upgrade

        upgrade(engine_of(other))
        with new_session(other) as session:
            transfer.import_document(session, before)
            session.commit()
            assert transfer.export_document(session) == before
        engine_of(other).dispose()


class FaultHandler(BaseHTTPRequestHandler):
    """Good event pages under /ok/, and one kind of misbehaviour per path under /fault/."""

    protocol_version = "HTTP/1.1"
    pages: dict[str, bytes] = {}

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def send(self, status: int, body: bytes, ctype: str = "text/html", **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path
        if path == "/robots.txt":
            self.send(200, b"", "text/plain")
        elif path == "/site/":
            links = [*self.pages, *(f"/site/fault-{name}.html" for name, _ in FAULTS)]
            html = "".join(f'<a href="{link}">{link}</a>' for link in links)
            self.send(200, f"<html><body>{html}</body></html>".encode())
        elif path in self.pages:
            self.send(200, self.pages[path])
        elif path == "/site/fault-500.html":
            self.send(500, b"oops")
        elif path == "/site/fault-503.html":
            self.send(503, b"busy", Retry_After="0")
        elif path == "/site/fault-429.html":
            self.send(429, b"slow down", Retry_After="0")
        elif path == "/site/fault-reset.html":
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
        elif path == "/site/fault-timeout.html":
            time.sleep(2.5)  # past the 1.5 s timeout below
            self.send(200, b"<html>late</html>")
        elif path == "/site/fault-truncated.html":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", "5000")
            self.end_headers()
            self.wfile.write(b"<html><body><h1>Half a page")
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
        elif path == "/site/fault-huge.html":
            self.send(200, b"<html>" + b"a" * 300_000 + b"</html>")
        elif path == "/site/fault-binary.html":
            self.send(200, bytes(range(256)) * 4, "image/png")
        elif path == "/site/fault-loop.html":
            self.send(302, b"", Location="/site/fault-loop2.html")
        elif path == "/site/fault-loop2.html":
            self.send(302, b"", Location="/site/fault-loop.html")
        else:
            self.send(404, b"no")


FAULTS = [
    ("500", "HTTP 500 after 1 retries"),
    ("503", "HTTP 503 after 1 retries"),
    ("429", "HTTP 429 after 1 retries"),
    ("reset", "connection"),
    ("timeout", "timeout after 1.5 s"),
    ("truncated", "while reading the body"),
    ("huge", "body larger than 200000 bytes"),
    ("binary", "binary body (image/png)"),
    ("loop", "redirect loop"),
]


@pytest.fixture
def fault_server() -> Iterator[str]:
    files, _truth = generate.build_site(7, seed=3)
    FaultHandler.pages = {
        f"/site/{Path(p).name}": body
        for p, body in files.items()
        if Path(p).name.startswith("talk-")
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), FaultHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/site/"
    server.shutdown()
    server.server_close()


def test_faults_end_reported_and_nothing_half_written(app: Flask, fault_server: str) -> None:
    app.config.update(
        CRAWL_DELAY=0.0,
        CRAWL_TIMEOUT=1.5,  # 0.5 s was reached by a robots.txt fetch on a busy runner
        CRAWL_RETRIES=1,
        CRAWL_BACKOFF=0.01,
        CRAWL_MAX_BYTES=200_000,
    )
    report = Ingest(app).scrape([fault_server])
    assert report.exit_code == 1
    failed = {
        url.rsplit("/", 1)[-1]: detail
        for url, outcome, detail in report.events
        if outcome == "failed"
    }
    for name, reason in FAULTS:
        assert reason in failed.get(f"fault-{name}.html", ""), (name, failed)
    assert report.counts["failed"] == len(FAULTS)
    assert report.counts["new"] == len(FaultHandler.pages)
    with new_session(app) as session:
        bad = [u for u in session.scalars(select(Page.url)) if "/fault-" in u]
        assert bad == []
        assert not session.scalars(select(Talk).where(Talk.source_url.contains("/fault-"))).all()
    assert_consistent(app, len(FaultHandler.pages))

"""Two web nodes and two workers on one PostgreSQL database, each node with its own index.

A scrape queued from node A's admin page is done by one of the workers; both nodes' indexes
follow the change log and answer a search for the new talk within 10 s. Skipped without
CIO_TALKS_TEST_POSTGRES_URL; slow (real processes).
"""

from __future__ import annotations

import http.cookiejar
import json
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import PASSWORD, TOKEN, add_admin
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select, text
from test_queue import cli_process, jobs_table, pg_app, wait_until

from archive import replica
from archive.db import new_session
from archive.models import Run, Talk, TalkChange
from archive.samples import sample_dir

__all__ = ["pg_app"]  # the fixture, used by name

PAGE = "aaberg-2019.html"  # its topic: "Cloud First in a Ministry"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Browser:
    """An HTTP client with cookies for one node, on loopback only."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            _NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))

    def post(self, path: str, form: dict[str, str]) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode()
        return self._open(urllib.request.Request(self.base + path, data=data))

    def token(self, path: str) -> str:
        status, body = self.get(path)
        assert status == 200, (path, status)
        found = TOKEN.search(body)
        assert found, f"no CSRF token on {path}"
        return found.group(1)

    def _open(self, request: urllib.request.Request) -> tuple[int, str]:
        try:
            with self.opener.open(request, timeout=10) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def up(browser: Browser) -> bool:
    try:
        return browser.get("/")[0] == 200
    except OSError:
        return False


def found_by_index(browser: Browser, query: str) -> set[int]:
    """Talk ids a node's search API answers from its own index (a database fallback, which
    carries a notice, does not count)."""
    try:
        status, body = browser.get("/api/v1/talks?" + urllib.parse.urlencode({"q": query}))
    except OSError:
        return set()
    data = json.loads(body) if status == 200 else {}
    if "notice" in data:
        return set()
    return {int(item["id"]) for item in data.get("results", [])}


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@pytest.fixture
def cluster(pg_app: Flask, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Node A (gunicorn, two workers sharing one folder) and node B (waitress), each with its
    own index folder, and two queue workers with folders of their own."""
    processes: list[subprocess.Popen[bytes]] = []
    nodes: dict[str, Any] = {}
    for name, workers in (("a", 2), ("b", 1)):
        port = free_port()
        folder = tmp_path / f"node-{name}"
        args = ["serve", "--port", str(port), "--workers", str(workers), "--threads", "2"]
        args += ["--index-dir", str(folder)]
        processes.append(cli_process(pg_app, tmp_path / f"serve-{name}.log", args))
        nodes[name] = {"browser": Browser(port), "index": folder}
    nodes["workers"] = {n: tmp_path / f"worker-{n}-index" for n in (1, 2)}
    for number in (1, 2):
        processes.append(
            cli_process(
                pg_app,
                tmp_path / f"worker-{number}.log",
                ["worker"],
                INDEX_DIR=nodes["workers"][number],
            )
        )
    try:
        for name in ("a", "b"):
            node = nodes[name]
            wait_until(lambda node=node: up(node["browser"]), 60, f"node {name} answering")
        yield nodes
    finally:
        for process in processes:
            stop(process)


def workers_alive(app: Flask) -> int:
    with new_session(app) as db:
        return int(db.scalar(text("SELECT count(*) FROM procrastinate_workers")) or 0)


@pytest.mark.slow
def test_a_scrape_queued_on_one_node_is_searchable_on_both_within_ten_seconds(
    pg_app: Flask, cluster: dict[str, Any], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cio/").respond_with_data(
        f'<html><body><h1>Talks</h1><a href="/cio/{PAGE}">talk</a></body></html>',
        content_type="text/html",
    )
    httpserver.expect_request(f"/cio/{PAGE}").respond_with_data(
        (sample_dir() / PAGE).read_bytes(), content_type="text/html; charset=utf-8"
    )
    Path(pg_app.config["SOURCES_FILE"]).write_text(
        json.dumps({"sources": [{"name": "loopback", "url": httpserver.url_for("/cio/")}]})
    )
    add_admin(pg_app)
    wait_until(lambda: workers_alive(pg_app) >= 2, 60, "both workers registered")

    admin = cluster["a"]["browser"]
    token = admin.token("/admin/login")
    signed = admin.post(
        "/admin/login", {"csrf_token": token, "name": "alice", "password": PASSWORD}
    )
    assert signed[0] == 302, signed
    token = admin.token("/admin/runs")
    started = admin.post("/admin/runs/start", {"csrf_token": token, "kind": "scrape"})
    assert started[0] == 302, started

    def committed() -> bool:
        with new_session(pg_app) as db:
            return bool(db.scalar(select(func.count()).select_from(Talk)))

    wait_until(committed, 60, "the talk stored by a worker")
    seen_at = time.monotonic()
    with new_session(pg_app) as db:
        talk_id = int(db.scalar(select(Talk.id)) or 0)
    for name in ("a", "b"):
        wait_until(
            lambda name=name: talk_id in found_by_index(cluster[name]["browser"], "Ministry"),
            10 - (time.monotonic() - seen_at),
            f"node {name} finding the new talk",
        )

    wait_until(lambda: jobs_table(pg_app)[0]["status"] == "succeeded", 30, "the job finished")
    [job] = jobs_table(pg_app)
    with new_session(pg_app) as db:
        runs = list(db.scalars(select(Run)))
        started_by = db.execute(
            text(
                "SELECT count(*) FROM procrastinate_events WHERE job_id = :id AND type = 'started'"
            ),
            {"id": job["id"]},
        ).scalar()
        newest = int(db.scalar(select(func.max(TalkChange.seq))) or 0)
    assert started_by == 1 and len(runs) == 1 and runs[0].status == "ok"
    assert runs[0].new == 1
    # the worker that ran the scrape brought its own index up; the other never wrote one
    followed = [replica.applied_seq(cluster["workers"][n]) for n in (1, 2)]
    assert sorted(followed, key=lambda seq: seq is not None) == [None, newest]
    for name in ("a", "b"):
        wait_until(
            lambda name=name: replica.applied_seq(cluster[name]["index"]) == newest,
            10,
            f"node {name}'s applied sequence",
        )

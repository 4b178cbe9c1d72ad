"""The site keeps answering, with no 5xx, while a scrape writes, the index is rebuilt, or an
admin hides and shows a talk again and again (issue 13, row 4: facet counts under writes)."""

from __future__ import annotations

import http.client
import json
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from adminkit import add_admin, set_hidden, signed_in_client
from benchtools import load_bench
from flask import Flask
from sqlalchemy import select
from werkzeug.serving import make_server

from archive import indexing
from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Talk
from archive.samples import sample_dir
from index.search import close_searchers

PATHS = [
    "/?q=health+care",
    "/?q=cloud&industry=Financial+services",
    "/api/v1/talks?q=data&per_page=5",
    "/api/v1/talks?theme=Health+care+IT&sort=newest",
    "/speakers",
    "/stats",
]


@pytest.fixture
def served(app: Flask) -> Iterator[tuple[Flask, int]]:
    """The app, loaded with the samples, behind a real threaded server on loopback."""
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, server.server_port
    server.shutdown()
    thread.join(timeout=10)


def _client(port: int, stop: threading.Event, statuses: Counter[int], offset: int) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = offset
    while not stop.is_set():
        connection.request("GET", PATHS[i % len(PATHS)])
        response = connection.getresponse()
        response.read()
        statuses[response.status] += 1
        i += 1
    connection.close()
    close_searchers()


@pytest.mark.slow
def test_no_5xx_while_scraping_and_reindexing(served: tuple[Flask, int], tmp_path: Path) -> None:
    app, port = served
    files, _truth = load_bench("generate").build_site(60, seed=7)
    site = tmp_path / "site"
    for relative, body in files.items():
        target = site / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
    stop = threading.Event()
    statuses: Counter[int] = Counter()
    clients = [threading.Thread(target=_client, args=(port, stop, statuses, n)) for n in range(4)]
    for client in clients:
        client.start()
    try:
        report = Ingest(app).scrape([str(site)])
        with new_session(app) as session:
            indexing.rebuild(session, app.config["INDEX_DIR"])
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=60)
    assert report.counts["new"] >= 60
    assert sum(statuses.values()) >= 20
    assert set(statuses) == {200}, statuses


SEARCHES = [
    "/?q=cloud",
    "/api/v1/talks?per_page=5",
    "/api/v1/talks?q=data&sort=newest",
    "/?industry=Financial+services",
    "/api/v1/suggest?q=a",
]


def _searcher(
    port: int, stop: threading.Event, statuses: Counter[int], totals: list[tuple[int, int]]
) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        connection.request("GET", SEARCHES[i % len(SEARCHES)])
        response = connection.getresponse()
        body = response.read()
        statuses[response.status] += 1
        if i % len(SEARCHES) == 1 and response.status == 200:
            data = json.loads(body)
            totals.append((data["total"], sum(c for _v, c in _pairs(data["facets"]["language"]))))
        i += 1
    connection.close()
    close_searchers()


def _pairs(items: list[dict[str, object]]) -> list[tuple[str, int]]:
    return [(str(item["value"]), int(str(item["count"]))) for item in items]


@pytest.mark.slow
def test_facet_counts_hold_while_a_talk_is_hidden_and_shown_again(
    served: tuple[Flask, int],
) -> None:
    app, port = served
    add_admin(app)
    admin = signed_in_client(app)
    with new_session(app) as db:
        talk_id = db.scalars(select(Talk.id).order_by(Talk.id).limit(1)).one()
    stop = threading.Event()
    statuses: Counter[int] = Counter()
    totals: list[tuple[int, int]] = []
    threads = [
        threading.Thread(target=_searcher, args=(port, stop, statuses, totals)) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    try:
        for _round in range(30):
            set_hidden(admin, talk_id, True)
            set_hidden(admin, talk_id, False)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert sum(statuses.values()) >= 100
    assert set(statuses) == {200}, statuses
    # Every talk has one language, so the language counts add up to the total of the same answer.
    assert totals and all(total == counted for total, counted in totals), totals[:5]

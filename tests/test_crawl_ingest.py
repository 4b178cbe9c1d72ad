"""Whole scrape runs against a loopback site: every crawl case ends as specified in the report."""

from __future__ import annotations

import hashlib
import importlib.util
import socket
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import func, select
from werkzeug import Request, Response

from archive.db import new_session
from archive.ingest import Ingest, Options
from archive.models import Page, Run, RunEvent, Talk
from archive.report import Report
from index import writer
from scraper.model import FetchedPage
from scraper.warc import LocalWarcStore

ROOT = Path(__file__).resolve().parent.parent
LAST_MODIFIED = "Tue, 01 Oct 2024 08:00:00 GMT"


def load_generator() -> ModuleType:
    """bench/generate.py, which is a script folder rather than a package."""
    name = "cio_bench_generate"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


gen = load_generator()
TALKS = gen.plan_talks(8, seed=7)  # one of every layout, and one more
PAGES: dict[str, bytes] = {f"/cio/{t.slug}.html": gen.page_bytes(t) for t in TALKS}
LATIN = next(t for t in TALKS if t.layout == "table_latin1")


def conditional(body: bytes, content_type: str = "text/html; charset=utf-8") -> Callable:
    """A handler with an ETag and a Last-Modified that answers 304 to matching validators."""
    etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'

    def handler(request: Request) -> Response:
        headers = {"ETag": etag, "Last-Modified": LAST_MODIFIED}
        if request.headers.get("If-None-Match") == etag or (
            "If-None-Match" not in request.headers
            and request.headers.get("If-Modified-Since") == LAST_MODIFIED
        ):
            return Response(status=304, headers=headers)
        return Response(body, content_type=content_type, headers=headers)

    return handler


def listing(links: list[str], next_page: str | None) -> bytes:
    items = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    pager = f'<a rel="next" href="{next_page}">next</a>' if next_page else ""
    return f"<html><body><h1>Talks</h1><ul>{items}</ul>{pager}</body></html>".encode()


def serve_good_site(
    server: HTTPServer, robots: str = "User-agent: *\nDisallow:\n", more: str | None = None
) -> None:
    """A listing in two pages linking every generated event page; robots.txt; a sitemap.

    ``more`` is a further listing page the second one links to as its next page."""
    paths = list(PAGES)
    server.expect_request("/robots.txt").respond_with_data(robots, content_type="text/plain")
    server.expect_request("/sitemap.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url_for('/cio/only-in-sitemap.html')}</loc></url></urlset>",
        content_type="application/xml",
    )
    server.expect_request("/cio/page/2/").respond_with_handler(
        conditional(listing(paths[4:], more))
    )
    server.expect_request("/cio/").respond_with_handler(
        conditional(listing(paths[:4], "/cio/page/2/"))
    )
    for path, body in PAGES.items():
        ctype = "text/html; charset=utf-8"  # wrong for the ISO-8859-1 page: on purpose
        server.expect_request(path).respond_with_handler(conditional(body, ctype))
    extra = gen.Talk(
        "only-in-sitemap", "seminar_panel", "en", "Agile Delivery at Scale",
        TALKS[0].date, "14:00", "15:30", TALKS[1].speakers,
    )  # fmt: skip
    server.expect_request("/cio/only-in-sitemap.html").respond_with_handler(
        conditional(gen.page_bytes(extra))
    )


def configure(app: Flask, **extra: object) -> None:
    """Fast crawling: no delay, one retry, and a timeout a loaded CI machine does not reach.

    (0.5 s once failed a robots.txt fetch on a busy 2-core runner; only the fault test,
    which needs a page to time out, shortens it.)
    """
    settings: dict[str, object] = {
        "CRAWL_DELAY": 0.0,
        "CRAWL_TIMEOUT": 10.0,
        "CRAWL_RETRIES": 1,
        "CRAWL_BACKOFF": 0.01,
        "CRAWL_MAX_BYTES": 200_000,
        "CRAWL_SITEMAP": True,
    }
    app.config.update({**settings, **extra})


def outcomes(report: Report) -> dict[str, tuple[str, str]]:
    """Path → (outcome, detail) of the run's notable events."""
    return {url.split("/", 3)[-1]: (outcome, detail) for url, outcome, detail in report.events}


def count(app: Flask, model: type) -> int:
    with new_session(app) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def warc_bytes(app: Flask) -> int:
    folder = Path(app.config["ARCHIVE_DIR"])
    return sum(p.stat().st_size for p in folder.glob("*.warc.gz")) if folder.exists() else 0


def index_state(app: Flask) -> dict[str, tuple[int, int]]:
    folder = Path(app.config["INDEX_DIR"])
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def reset_connection(request: Request) -> Response:
    """Close the client's socket with SO_LINGER 0, which makes the kernel send a RST."""
    sock: socket.socket = request.environ["werkzeug.socket"]
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.shutdown(socket.SHUT_RDWR)
    return Response(b"", status=200)


def slow(_request: Request) -> Response:
    time.sleep(2.5)  # past the fault test's 1.5 s timeout; the server is single-threaded
    return Response(PAGES[next(iter(PAGES))], content_type="text/html")


class Flaky:
    """429 with Retry-After the first time, then the page."""

    def __init__(self, body: bytes) -> None:
        self.body, self.calls = body, 0
        self.times: list[float] = []

    def __call__(self, _request: Request) -> Response:
        self.calls += 1
        self.times.append(time.monotonic())
        if self.calls == 1:
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        return Response(self.body, content_type="text/html; charset=utf-8")


FAULTS = [
    ("private-event.html", "disallowed", "robots.txt"),
    ("reset.html", "failed", "connection"),
    ("loop-a.html", "failed", "redirect loop"),
    ("huge.html", "failed", "body larger than 200000 bytes"),
    ("binary.html", "failed", "binary body (application/octet-stream)"),
    ("unavailable.html", "failed", "HTTP 503 after 1 retries"),
    ("missing.html", "failed", "HTTP 404"),
    ("slow.html", "failed", "timeout after 1.5 s"),
]


def serve_faults(server: HTTPServer, flaky: Flaky) -> None:
    """Fault pages linked from a third listing page; robots.txt forbids the private one."""
    serve_good_site(server, "User-agent: *\nDisallow: /cio/private-\n", more="/cio/page/3/")
    faults = [f"/cio/{name}" for name, _o, _d in FAULTS] + ["/cio/busy.html"]
    server.expect_request("/cio/page/3/").respond_with_handler(conditional(listing(faults, None)))
    server.expect_request("/cio/private-event.html").respond_with_data("secret")
    server.expect_request("/cio/slow.html").respond_with_handler(slow)
    server.expect_request("/cio/reset.html").respond_with_handler(reset_connection)
    for a, b in (("a", "b"), ("b", "a")):
        server.expect_request(f"/cio/loop-{a}.html").respond_with_data(
            "", status=302, headers={"Location": f"/cio/loop-{b}.html"}
        )
    server.expect_request("/cio/huge.html").respond_with_data(
        b"<html>" + b"x" * 300_000 + b"</html>", content_type="text/html"
    )
    server.expect_request("/cio/binary.html").respond_with_data(
        bytes(range(256)) * 8, content_type="application/octet-stream"
    )
    server.expect_request("/cio/unavailable.html").respond_with_data(
        "down", status=503, headers={"Retry-After": "1"}
    )
    server.expect_request("/cio/missing.html").respond_with_data("no", status=404)
    server.expect_request("/cio/busy.html").respond_with_handler(flaky)


def test_every_crawl_case_ends_as_specified(app: Flask, httpserver: HTTPServer) -> None:
    configure(app, CRAWL_TIMEOUT=1.5)
    flaky = Flaky(gen.page_bytes(TALKS[2]))
    serve_faults(httpserver, flaky)
    start = httpserver.url_for("/cio/")

    started = time.monotonic()
    report = Ingest(app).scrape([start])
    elapsed = time.monotonic() - started

    seen = outcomes(report)
    for name, outcome, detail in FAULTS:
        assert seen[f"cio/{name}"][0] == outcome, (name, seen.get(f"cio/{name}"))
        assert detail in seen[f"cio/{name}"][1], (name, seen[f"cio/{name}"])
    assert report.counts["new"] == len(PAGES) + 2  # events, the sitemap-only one, busy.html
    assert seen["cio/only-in-sitemap.html"][0] == "new"
    assert report.counts["disallowed"] == 1
    assert report.counts["failed"] == len(FAULTS) - 1
    assert report.exit_code == 1
    requested = [req.path for req, _resp in httpserver.log]
    assert "/cio/private-event.html" not in requested
    # 429 then success: Retry-After honoured (one second) before the second request.
    assert flaky.calls == 2
    assert flaky.times[1] - flaky.times[0] >= 0.9
    assert seen.get("cio/busy.html", ("new", ""))[0] == "new"
    assert elapsed < 20
    with new_session(app) as session:
        run = session.scalars(select(Run)).one()
        assert run.status == "partial" and run.failed == len(FAULTS) - 1
        failed = session.scalars(select(RunEvent).where(RunEvent.outcome == "failed")).all()
        assert all(e.detail for e in failed)
        latin = session.scalar(select(Talk).where(Talk.source_url.endswith(LATIN.slug + ".html")))
        assert latin is not None and latin.topic == LATIN.topic  # ISO-8859-1 despite the header
        assert "\ufffd" not in (latin.abstract or "")
        # nothing half-written: every failed URL has neither a page row nor a talk
        failed_urls = {e.url for e in failed}
        assert not session.scalars(select(Page).where(Page.url.in_(failed_urls))).all()
        assert not session.scalars(select(Talk).where(Talk.source_url.in_(failed_urls))).all()


def test_unchanged_site_second_run_is_conditional_and_writes_nothing(
    app: Flask, httpserver: HTTPServer
) -> None:
    configure(app)
    serve_good_site(httpserver)
    start = httpserver.url_for("/cio/")
    first = Ingest(app).scrape([start])
    assert first.exit_code == 0, first.events
    assert first.counts["new"] == len(PAGES) + 1
    pages, talks, archive = count(app, Page), count(app, Talk), warc_bytes(app)
    index = index_state(app)
    with new_session(app) as session:
        stamps = {r[0]: r[1] for r in session.execute(select(Talk.id, Talk.updated_at))}
    httpserver.clear_log()

    second = Ingest(app).scrape([start])
    assert second.exit_code == 0, second.events
    assert (second.counts["new"], second.counts["changed"]) == (0, 0)
    assert second.counts["not_modified"] == len(PAGES) + 3  # events, sitemap page, 2 listings
    for request, response in httpserver.log:
        if request.path in ("/robots.txt", "/sitemap.xml"):
            continue
        assert request.headers.get("If-None-Match") or request.headers.get("If-Modified-Since")
        assert response.status_code == 304, request.path
    assert (count(app, Page), count(app, Talk)) == (pages, talks)
    assert warc_bytes(app) == archive
    assert index_state(app) == index
    with new_session(app) as session:
        assert {r[0]: r[1] for r in session.execute(select(Talk.id, Talk.updated_at))} == stamps


def test_changed_and_vanished_pages(app: Flask, httpserver: HTTPServer) -> None:
    configure(app, CRAWL_SITEMAP=False)
    changed, vanishing = TALKS[0], TALKS[3]
    state = {"version": 1}
    paths = list(PAGES)

    def page(path: str) -> Callable:
        def handler(request: Request) -> Response:
            if state["version"] == 2 and path.endswith(vanishing.slug + ".html"):
                return Response("gone", status=410)
            body = PAGES[path]
            if state["version"] == 2 and path.endswith(changed.slug + ".html"):
                body = gen.page_bytes(
                    gen.Talk(**{**vars(changed), "topic": "Agile Delivery at Scale"})
                )
            return conditional(body)(request)

        return handler

    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/cio/").respond_with_handler(conditional(listing(paths, None)))
    for path in paths:
        httpserver.expect_request(path).respond_with_handler(page(path))
    start = httpserver.url_for("/cio/")
    assert Ingest(app).scrape([start]).counts["new"] == len(PAGES)
    state["version"] = 2
    report = Ingest(app).scrape([start])
    seen = outcomes(report)
    assert seen[f"cio/{changed.slug}.html"][0] == "changed"
    assert "topic" in seen[f"cio/{changed.slug}.html"][1]
    assert seen[f"cio/{vanishing.slug}.html"] == ("gone", "HTTP 410")
    assert report.counts["not_modified"] == len(PAGES) - 1  # the listing too; 2 pages moved
    with new_session(app) as session:
        event = session.scalars(select(RunEvent).where(RunEvent.outcome == "changed")).one()
        assert "topic" in event.fields
        gone = session.scalar(
            select(Talk).where(Talk.source_url.endswith(vanishing.slug + ".html"))
        )
        assert gone is not None and gone.gone  # flagged, never deleted
        assert count(app, Talk) == len(PAGES)
    assert report.exit_code == 0


def test_dry_run_writes_nothing(app: Flask, httpserver: HTTPServer) -> None:
    configure(app)
    serve_good_site(httpserver)
    report = Ingest(app, Options(dry_run=True)).scrape([httpserver.url_for("/cio/")])
    assert report.run_id is None and report.counts["new"] == len(PAGES) + 1
    assert count(app, Page) == count(app, Talk) == count(app, Run) == 0
    assert warc_bytes(app) == 0
    assert writer.indexed_ids(Path(app.config["INDEX_DIR"])) == set()


def test_warc_file_source(app: Flask, tmp_path: Path) -> None:
    archive = tmp_path / "given"
    with LocalWarcStore(archive) as store:
        for talk in TALKS[:3]:
            store.write(
                FetchedPage(
                    f"https://events.example.org/{talk.slug}.html",
                    200,
                    gen.page_bytes(talk),
                    {"Content-Type": "text/html; charset=utf-8"},
                    fetched_at="2024-10-01T08:00:00Z",
                )
            )
    (path,) = archive.glob("*.warc.gz")
    report = Ingest(app).scrape([str(path)])
    assert report.counts["new"] == 3, report.events
    with new_session(app) as session:
        urls = set(session.scalars(select(Talk.source_url)))
    assert urls == {f"https://events.example.org/{t.slug}.html" for t in TALKS[:3]}
    again = Ingest(app).scrape([str(path)])
    assert (again.counts["new"], again.counts["unchanged"]) == (0, 3)

"""Crawl benchmark: scrape a generated site served on loopback, then re-run it incrementally."""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import logging
import multiprocessing
import os
import platform
import resource
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
LAST_MODIFIED = "Tue, 01 Oct 2024 08:00:00 GMT"


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cio_bench_generate", HERE / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("cio_bench_generate", module)
    spec.loader.exec_module(module)
    return module


class _Handler(BaseHTTPRequestHandler):
    """Serves the site's files with an ETag and a Last-Modified, answering 304 when they match."""

    server: _SiteServer
    protocol_version = "HTTP/1.1"

    def setup(self) -> None:
        """No Nagle delay: headers and body go out as separate writes."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path.endswith("/"):
            path += "index.html"
        key = path.lstrip("/")
        with self.server.counts.get_lock():
            self.server.counts[0] += 1
            if "If-None-Match" in self.headers or "If-Modified-Since" in self.headers:
                self.server.counts[1] += 1
        if key == "robots.txt":
            self._send(200, b"User-agent: *\nDisallow:\n", "text/plain", None)
            return
        body = self.server.files.get(key)
        if body is None:
            self._send(404, b"not found", "text/plain", None)
            return
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        if self.headers.get("If-None-Match") == etag:
            self._send(304, b"", None, etag)
            return
        self._send(200, body, "text/html", etag)

    def _send(self, status: int, body: bytes, ctype: str | None, etag: str | None) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        if etag:
            self.send_header("ETag", etag)
            self.send_header("Last-Modified", LAST_MODIFIED)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if body:
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the benchmark prints its own figures."""


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, files: dict[str, bytes], counts: Any) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.files = files
        self.counts = counts  # shared [requests, conditional requests]


def _serve_forever(files: dict[str, bytes], counts: Any, port: Any) -> None:
    server = _SiteServer(files, counts)
    port.value = server.server_address[1]
    server.serve_forever()


@dataclass
class Site:
    """A site served by another process, so the server does not compete for the crawler's GIL."""

    url: str
    counts: Any

    def reset(self) -> None:
        """Zero the request counters."""
        with self.counts.get_lock():
            self.counts[0] = self.counts[1] = 0


@contextmanager
def serve(files: dict[str, bytes]) -> Iterator[Site]:
    """Serve ``files`` (relative path → bytes) on a free loopback port from a child process."""
    context = multiprocessing.get_context("fork")
    counts, port = context.Array("i", 2), context.Value("i", 0)
    process = context.Process(target=_serve_forever, args=(files, counts, port), daemon=True)
    process.start()
    try:
        while not port.value:
            time.sleep(0.01)
        yield Site(f"http://127.0.0.1:{port.value}/", counts)
    finally:
        process.terminate()
        process.join(timeout=5)


def run_benchmark(n: int, seed: int, profile: Path | None = None) -> dict[str, float]:
    """Scrape ``n`` generated pages twice into a temporary instance; return the figures."""
    from archive import create_app
    from archive.db import engine_of
    from archive.ingest import Ingest, Options
    from archive.report import Report

    files, _truth = _generator().build_site(n, seed)
    with tempfile.TemporaryDirectory(prefix="cio-bench-crawl-") as tmp, serve(files) as server:
        app = create_app(
            {
                "INSTANCE_DIR": str(Path(tmp) / "instance"),
                "DATABASE_URL": f"sqlite:///{Path(tmp) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "CRAWL_DELAY": 0.0,
                "MAX_PAGES": n * 2 + 100,
                "ALLOW_PRIVATE_SOURCES": True,  # the generated site is on loopback
            }
        )
        start = server.url + "events/"
        options = Options(delay=0.0)
        t0 = time.perf_counter()
        first: Report
        if profile:
            import cProfile

            cProfile.runctx(
                "report = Ingest(app, options).scrape([start])",
                globals(),
                ns := {"Ingest": Ingest, "app": app, "options": options, "start": start},
                str(profile),
            )
            first = ns["report"]  # type: ignore[assignment]
        else:
            first = Ingest(app, options).scrape([start])
        first_time = time.perf_counter() - t0
        server.reset()
        t0 = time.perf_counter()
        second = Ingest(app, options).scrape([start])
        second_time = time.perf_counter() - t0
        conditional = server.counts[1]
        engine_of(app).dispose()
    return {
        "pages": first.counts["fetched"],
        "new": first.counts["new"],
        "failed": first.counts["failed"] + second.counts["failed"],
        "first_s": first_time,
        "pages_per_s": first.counts["fetched"] / first_time,
        "second_s": second_time,
        "second_not_modified": second.counts["not_modified"],
        "second_conditional_requests": conditional,
        "second_share": second_time / first_time,
    }


def main() -> None:
    """Command line: ``python bench/crawl.py [--pages 1000] [--seed 1] [--profile FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--profile", type=Path, default=None, help="write cProfile stats here")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    figures = run_benchmark(args.pages, args.seed, args.profile)
    machine = f"{platform.machine()} {platform.processor() or ''}".strip()
    print(f"machine: {machine}, {os.cpu_count()} CPUs, python {platform.python_version()}")
    print(f"date: {time.strftime('%Y-%m-%d')}")
    print(f"command: python bench/crawl.py --pages {args.pages} --seed {args.seed}")
    print(
        f"first run: {figures['pages']:.0f} pages ({figures['new']:.0f} new talks) in "
        f"{figures['first_s']:.1f} s = {figures['pages_per_s']:.1f} pages/s (goal >= 50)"
    )
    print(
        f"second run: {figures['second_s']:.2f} s, {figures['second_not_modified']:.0f} not "
        f"modified, {figures['second_conditional_requests']:.0f} conditional requests = "
        f"{figures['second_share'] * 100:.1f} % of the first (goal <= 10 %)"
    )
    print(f"failed pages: {figures['failed']:.0f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak_mb:.0f} MB resident (the crawling process, both runs)")


if __name__ == "__main__":
    main()

"""Fetcher cost per request: conditional GETs answered 304 over one keep-alive loopback connection.

Every request goes through the connection guard (address check on connect, a deadline timer
per request), so this is the figure to watch when the guard changes.
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.queues import Queue
from typing import Any


class _NotModified(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        self.send_response(304)
        self.send_header("ETag", '"same"')
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


def _serve(ports: Queue[int]) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _NotModified)
    ports.put(server.server_address[1])
    server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    from scraper.fetch import FetchConfig, Fetcher

    ports: Queue[int] = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(ports,), daemon=True)
    server.start()
    port = ports.get()
    try:
        with Fetcher(FetchConfig(delay=0, allow_private=True)) as fetcher:
            fetcher.fetch(f"http://127.0.0.1:{port}/warm-up", etag='"same"')
            for _round in range(args.rounds):
                started = time.perf_counter()
                for n in range(args.requests):
                    page = fetcher.fetch(f"http://127.0.0.1:{port}/p{n}", etag='"same"')
                    assert page.not_modified, page.error
                took = time.perf_counter() - started
                each = took / args.requests * 1e6
                print(f"{args.requests} conditional requests in {took:.2f} s = {each:.0f} µs each")
    finally:
        server.terminate()


if __name__ == "__main__":
    main()

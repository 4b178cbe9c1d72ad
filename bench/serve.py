"""Throughput of ``cio-talks serve`` under 32 concurrent clients while a scrape and a reindex run.

    .venv/bin/python bench/serve.py [--talks 10000] [--seconds 30] [--clients 32] [--threads 8]

A copy of the generated archive (bench/index_build.py) is served by ``cio-talks serve``
(waitress) on loopback. Client threads (http.client, keep-alive) request search pages and API
searches with all facets for the given time, while the project's CLI scrapes the bundled
sample pages into the same instance and then rebuilds the index, over and over. Prints and
appends to bench/out/serve.jsonl: requests/s, p50/p95 latency as the clients see it, errors
(anything but 200, or a failed connection), and what the writers did meanwhile.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import index_build as gen
from search import MIXED, distinct_requests, percentiles

CLI = Path(sys.executable).with_name("cio-talks")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(port: int, timeout: float = 60.0) -> None:
    """Block until the server answers on ``port``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/talks?per_page=1")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the server did not come up")


def client(port: int, paths: list[str], stop: threading.Event, out: dict[str, Any]) -> None:
    """One keep-alive client requesting ``paths`` in turn until told to stop."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = 0
    while not stop.is_set():
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        elapsed = (time.perf_counter() - started) * 1000
        with out["lock"]:
            out["times"].append(elapsed)
            if not ok:
                out["errors"] += 1
    conn.close()


def writers(env: dict[str, str], stop: threading.Event, log: list[dict[str, Any]]) -> None:
    """Scrape the bundled samples, then reindex, again and again until told to stop."""
    from archive.samples import sample_dir

    while not stop.is_set():
        for args in (["scrape", "--refetch", str(sample_dir())], ["reindex"]):
            started = time.perf_counter()
            done = subprocess.run([str(CLI), *args], env=env, capture_output=True, text=True)
            log.append(
                {
                    "command": args[0],
                    "seconds": round(time.perf_counter() - started, 1),
                    "exit": done.returncode,
                }
            )
            if stop.is_set():
                return


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="cio-talks serve --workers")
    parser.add_argument("--no-writers", action="store_true", help="Serve only (a baseline).")
    args = parser.parse_args()
    source = gen.ensure_archive(args.talks, args.seed)
    instance = gen.OUT / f"serve-{args.talks}"
    shutil.rmtree(instance, ignore_errors=True)
    shutil.copytree(source, instance)
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(instance),
        "CIO_TALKS_DATABASE_URL": f"sqlite:///{instance / 'cio_talks.sqlite3'}",
        "CIO_TALKS_SECRET_KEY": "bench",
        "CIO_TALKS_CRAWL_DELAY": "0",
    }
    port = free_port()
    server = subprocess.Popen(
        [
            str(CLI),
            *("serve", "--port", str(port), "--threads", str(args.threads)),
            *("--workers", str(args.workers)),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port)
        requests = MIXED + distinct_requests(400, args.seed + 3)
        paths = [
            f"{base}?{urlencode({**r, 'per_page': 20})}"
            for r in requests
            for base in ("/", "/api/v1/talks")
        ]
        out: dict[str, Any] = {"times": [], "errors": 0, "lock": threading.Lock()}
        stop = threading.Event()
        log: list[dict[str, Any]] = []
        writer = threading.Thread(target=writers, args=(env, stop, log))
        clients = [
            threading.Thread(target=client, args=(port, paths[k::3] + paths, stop, out))
            for k in range(args.clients)
        ]
        started = time.perf_counter()
        for thread in [*clients, *([] if args.no_writers else [writer])]:
            thread.start()
        time.sleep(args.seconds)
        stop.set()
        for thread in clients:
            thread.join()
        elapsed = time.perf_counter() - started
        if not args.no_writers:
            writer.join()
    finally:
        server.terminate()
        server.wait(30)
    row = {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "talks": args.talks,
        "clients": args.clients,
        "threads": args.threads,
        "workers": args.workers,
        "with_writers": not args.no_writers,
        "seconds": round(elapsed, 1),
        "requests": len(out["times"]),
        "rps": round(len(out["times"]) / elapsed, 1),
        **{k: v for k, v in percentiles(out["times"]).items() if k != "n"},
        "errors": out["errors"],
        "writers": log,
        "machine": gen.machine(),
    }
    print(json.dumps(row, indent=2))
    with (gen.OUT / "serve.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()

"""Throughput of ``cio-talks serve`` under 32 concurrent clients, idle and while a scrape and a
reindex run, side by side in one run.

    .venv/bin/python bench/serve.py [--talks 10000] [--seconds 30] [--clients 32] [--threads 8]
        [--workers N] [--load auto|wrk|python] [--no-writers | --no-idle] [--writers-nice 0]

A copy of the generated archive (bench/index_build.py) is served by ``cio-talks serve`` on
loopback, as it starts by default (one worker process per core) unless ``--workers`` is given.
After a short warm-up, 32 keep-alive clients request search pages and API searches with all
facets for the given time with nothing else running (idle), then while the project's CLI
scrapes the bundled sample pages into the same instance and then rebuilds the index, over and
over (load: as long again, and further periods as long until one scrape and one reindex have
finished); the writers lower their own CPU priority as they do in use
(``CIO_TALKS_WRITER_NICE``). The clients are either ``wrk`` (one C process,
one event-loop thread and connection per client, each cycling through its request order in a
Lua script; the default when ``wrk`` is installed) or Python threads (``http.client``) in
this process, which on a small machine take CPU the server would otherwise get. Prints and
appends to bench/out/serve.jsonl, per phase: requests/s, p50/p95 latency as the clients see
it, errors (anything but 200, or a failed connection), the load average before, and what the
writers did meanwhile; and requests/s under load as a share of idle.
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
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import index_build as gen
from search import MIXED, distinct_requests, percentiles

CLI = Path(sys.executable).with_name("cio-talks")
# Where in its request cycle each client starts, per phase: far enough apart that a phase
# asks mostly what the server has not answered before, as the one before it did.
WARMUP_START, IDLE_START, LOAD_START = 0.9, 0.0, 0.5
PERIOD_STEP = 0.08  # further on for each further period under load


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


def client(
    port: int, paths: list[str], stop: threading.Event, out: dict[str, Any], start: float = 0.0
) -> None:
    """One keep-alive client requesting ``paths`` in turn, from the ``start`` share of the way
    through, until told to stop."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    i = int(len(paths) * start)
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


# Thread k of wrk requests the same cycle as Python client k: every third path from the k-th,
# then all of them (with one connection per thread, wrk's threads are the clients), from
# the same share of the way through (each phase starts elsewhere, so it is not served from
# the caches the phase before filled). Anything
# but a 200 counts as an error, like the Python clients (wrk itself counts only >= 400).
WRK_SCRIPT = """
local paths = %(paths)s
local threads = {}
function setup(thread)
  thread:set("k", #threads)
  table.insert(threads, thread)
end
function init(args)
  cycle = {}
  for j = k + 1, #paths, 3 do table.insert(cycle, wrk.format("GET", paths[j])) end
  for j = 1, #paths do table.insert(cycle, wrk.format("GET", paths[j])) end
  i = math.floor(#cycle * %(start)s)
  non200 = 0
end
function request()
  i = i %% #cycle + 1
  return cycle[i]
end
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("non200") end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, ' ..
    '"non200": %%d, "socket_errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    bad, e.connect + e.read + e.write + e.timeout))
end
"""


def run_wrk(
    port: int, paths: list[str], args: argparse.Namespace, start: float = 0.0
) -> dict[str, Any]:
    """Drive the server with wrk for ``args.seconds``; its figures, as the Python load's."""
    table = "{" + ", ".join(json.dumps(p) for p in paths) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % {"paths": table, "start": repr(start)})
    try:
        done = subprocess.run(
            [
                "wrk",
                *("-t", str(args.wrk_threads or args.clients), "-c", str(args.clients)),
                *("-d", f"{args.seconds:g}s", "--timeout", "30s", "-s", script.name),
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        os.unlink(script.name)
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    seconds = result["duration_us"] / 1e6
    return {
        "seconds": round(seconds, 1),
        "requests": result["requests"],
        "rps": round(result["requests"] / seconds, 1),
        "p50": round(result["p50_us"] / 1000, 1),
        "p95": round(result["p95_us"] / 1000, 1),
        "errors": result["non200"] + result["socket_errors"],
    }


def run_threads(
    port: int, paths: list[str], args: argparse.Namespace, start: float = 0.0
) -> dict[str, Any]:
    """Drive the server with ``args.clients`` Python threads for ``args.seconds``."""
    out: dict[str, Any] = {"times": [], "errors": 0, "lock": threading.Lock()}
    stop = threading.Event()
    clients = [
        threading.Thread(target=client, args=(port, paths[k::3] + paths, stop, out, start))
        for k in range(args.clients)
    ]
    started = time.perf_counter()
    for thread in clients:
        thread.start()
    time.sleep(args.seconds)
    stop.set()
    for thread in clients:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "seconds": round(elapsed, 1),
        "requests": len(out["times"]),
        "rps": round(len(out["times"]) / elapsed, 1),
        **{k: v for k, v in percentiles(out["times"]).items() if k != "n"},
        "errors": out["errors"],
    }


def writers(
    env: dict[str, str], stop: threading.Event, log: list[dict[str, Any]], niceness: int = 0
) -> None:
    """Scrape the bundled samples, then reindex, again and again until told to stop
    (at a lower CPU priority when ``niceness`` is above 0)."""
    from archive.samples import sample_dir

    nice = ["nice", "-n", str(niceness)] if niceness else []
    while not stop.is_set():
        for args in (["scrape", "--refetch", str(sample_dir())], ["reindex"]):
            started = time.perf_counter()
            command = [*nice, str(CLI), *args]
            done = subprocess.run(command, env=env, capture_output=True, text=True)
            log.append(
                {
                    "command": args[0],
                    "seconds": round(time.perf_counter() - started, 1),
                    "exit": done.returncode,
                }
            )
            if stop.is_set():
                return


def measure(
    port: int,
    paths: list[str],
    args: argparse.Namespace,
    load: str,
    env: dict[str, str] | None,
    start: float,
) -> dict[str, Any]:
    """One phase: the clients for ``args.seconds`` from ``start`` through their request
    cycles, with the writers running when ``env`` is given; the figures, the load average
    before and what the writers did.

    With the writers, the clients go on for further periods of ``args.seconds`` (each from a
    little further on in their cycles) until a scrape and a reindex have both finished, at most
    ``args.max_periods`` in all: on a busy machine one scrape alone can outlast 30 s.
    """
    measure_load = run_wrk if load == "wrk" else run_threads
    stop = threading.Event()
    log: list[dict[str, Any]] = []
    load_before = os.getloadavg()[0]
    writer = None
    if env is not None:
        writer = threading.Thread(target=writers, args=(env, stop, log, args.writers_nice))
        writer.start()
    periods: list[dict[str, Any]] = []
    try:
        while True:
            periods.append(measure_load(port, paths, args, start + PERIOD_STEP * len(periods)))
            done = {entry["command"] for entry in log}
            if env is None or {"scrape", "reindex"} <= done or len(periods) >= args.max_periods:
                break
    finally:
        stop.set()
        if writer is not None:
            writer.join()
    seconds = sum(period["seconds"] for period in periods)
    requests = sum(period["requests"] for period in periods)
    return {
        "with_writers": env is not None,
        "load_average_before": round(load_before, 2),
        "seconds": round(seconds, 1),
        "requests": requests,
        "rps": round(requests / seconds, 1) if seconds else 0.0,
        "p50": max(period["p50"] for period in periods),  # the worst period's
        "p95": max(period["p95"] for period in periods),
        "errors": sum(period["errors"] for period in periods),
        "periods": periods,
        "writers": log,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--talks", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument(
        "--workers",
        type=int,
        default=None,
        help="cio-talks serve --workers (default: not given, so serve's own default)",
    )
    parser.add_argument(
        "--warmup", type=float, default=10.0, help="seconds of load before measuring (not counted)"
    )
    parser.add_argument(
        "--max-periods",
        type=int,
        default=6,
        help="under load, at most this many periods of --seconds until a scrape and a reindex "
        "have both finished",
    )
    parser.add_argument(
        "--no-writers", action="store_true", help="Measure idle only (no scrape + reindex phase)."
    )
    parser.add_argument(
        "--no-idle", action="store_true", help="Measure under the writers only (no idle phase)."
    )
    parser.add_argument(
        "--writers-nice",
        type=int,
        default=0,
        help="also run the scrape and reindex under nice -n N (0: as the commands set it)",
    )
    parser.add_argument(
        "--load",
        choices=("auto", "wrk", "python"),
        default="auto",
        help="load generator: wrk (auto picks it when installed) or Python client threads",
    )
    parser.add_argument(
        "--wrk-threads",
        type=int,
        default=0,
        help="wrk -t; default: one per client, each with its own request cycle",
    )
    args = parser.parse_args()
    if args.no_writers and args.no_idle:
        parser.error("--no-writers and --no-idle leave nothing to measure")
    load = args.load
    if load == "auto":
        load = "wrk" if shutil.which("wrk") else "python"
    elif load == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (Debian/Ubuntu: apt-get install wrk); or --load python")
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
    workers = [] if args.workers is None else ["--workers", str(args.workers)]
    command = [str(CLI), "serve", "--port", str(port), "--threads", str(args.threads), *workers]
    server = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    banner = ""
    if server.stdout is not None:  # the "serving … (N worker(s))" line; the rest is drained
        banner = server.stdout.readline().decode().strip()
        threading.Thread(target=server.stdout.read, daemon=True).start()
    phases: dict[str, dict[str, Any]] = {}
    try:
        wait_for(port)
        requests = MIXED + distinct_requests(400, args.seed + 3)
        paths = [
            f"{base}?{urlencode({**r, 'per_page': 20})}"
            for r in requests
            for base in ("/", "/api/v1/talks")
        ]
        if args.warmup > 0:  # every worker process up and its searcher open
            warmup = argparse.Namespace(**{**vars(args), "seconds": args.warmup})
            (run_wrk if load == "wrk" else run_threads)(port, paths, warmup, WARMUP_START)
        if not args.no_idle:
            phases["idle"] = measure(port, paths, args, load, None, IDLE_START)
        if not args.no_writers:
            phases["load"] = measure(port, paths, args, load, env, LOAD_START)
    finally:
        server.terminate()
        server.wait(30)
    row = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "talks": args.talks,
        "load_generator": load,
        "clients": args.clients,
        "threads": args.threads,
        "workers": args.workers,
        "server": banner,
        "writers_nice": args.writers_nice,
        **phases,
        "machine": gen.machine(),
    }
    if "idle" in phases and "load" in phases:
        row["load_over_idle"] = round(phases["load"]["rps"] / phases["idle"]["rps"], 3)
    print(json.dumps(row, indent=2))
    for name, phase in phases.items():
        print(
            f"{name:>4}: {phase['rps']:.1f} requests/s, p95 {phase['p95']:.1f} ms, "
            f"{phase['errors']} errors (load average {phase['load_average_before']} before)"
        )
    if "load_over_idle" in row:
        print(f"under load / idle: {row['load_over_idle']:.1%}")
    with (gen.OUT / "serve.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()

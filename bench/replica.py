"""How soon web nodes answer a change, and what the follower costs per applied change.

    .venv/bin/python bench/replica.py [--database postgresql|sqlite] [--talks 2000]
        [--runs 7] [--interval 5]

N generated talks (bench/index_build.py's generator) are stored in a fresh database: on
PostgreSQL the one named by CIO_TALKS_BENCH_POSTGRES_URL (its public schema is emptied first),
on SQLite a new file. Then:

- **cost per change**: the change log is given k rows (k = 1, 10, 100, 1000 talks re-logged,
  their content unchanged) and one in-process catch-up of a node folder applies them; the
  seconds per applied change are reported, median over ``--runs``.
- **latency**: two ``cio-talks serve`` processes (one waitress worker each, each with its own
  index folder, following every ``--interval`` seconds, on PostgreSQL also woken by NOTIFY)
  are started; per run one talk gets a new title word and is committed with its log row, and
  both nodes' search API is polled every 10 ms until each answers it from its index. Reported:
  the seconds from the commit until each node, and both, answered; median and max over runs.

Prints a table and appends a JSON line to bench/out/replica.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from index_build import machine, talk_extractions  # noqa: E402
from sqlalchemy import create_engine, select, text  # noqa: E402

from archive import changelog, create_app, replica, store  # noqa: E402
from archive.db import engine_of, new_session, upgrade  # noqa: E402
from archive.models import Talk  # noqa: E402

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def fresh_database(kind: str, instance: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{instance / 'bench.sqlite3'}"
    url = os.environ.get("CIO_TALKS_BENCH_POSTGRES_URL")
    if not url:
        sys.exit("set CIO_TALKS_BENCH_POSTGRES_URL to a database this benchmark may empty")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


def fill(app: Any, talks: int) -> None:
    upgrade(engine_of(app))
    with new_session(app) as session:
        for number, extraction in enumerate(talk_extractions(talks, 7), start=1):
            talk, _outcome, _fields = store.upsert(session, extraction, None)
            session.flush()
            changelog.record(session, [talk.id])
            if number % 500 == 0:
                session.commit()
        session.commit()


def cost_per_change(app: Any, folder: Path, runs: int) -> dict[str, float]:
    """Median seconds per applied change for catch-ups of k rows."""
    with new_session(app) as session:
        ids = list(session.scalars(select(Talk.id).order_by(Talk.id)))
        replica.catch_up(session, folder)
    costs: dict[str, float] = {}
    for k in (1, 10, 100, 1000):
        if k > len(ids):
            break
        per_change = []
        for run in range(runs):
            chosen = [ids[(run * k + i) % len(ids)] for i in range(k)]
            with new_session(app) as session:
                changelog.record(session, chosen)
                session.commit()
                result = replica.catch_up(session, folder)
            assert result is not None and result.changes == k, result
            per_change.append(result.seconds / k)
        costs[str(k)] = statistics.median(per_change)
    return costs


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def answers(port: int, word: str) -> bool:
    query = urllib.parse.urlencode({"q": word})
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/api/v1/talks?{query}", timeout=5
        ) as r:
            body = json.loads(r.read())
    except OSError:
        return False
    return "notice" not in body and body.get("total", 0) > 0


def start_nodes(url: str, instance: Path, interval: float) -> list[tuple[int, Any]]:
    nodes = []
    for name in ("a", "b"):
        port = free_port()
        env = dict(os.environ)
        env.update(
            CIO_TALKS_INSTANCE_DIR=str(instance),
            CIO_TALKS_DATABASE_URL=url,
            CIO_TALKS_SECRET_KEY="bench",
            CIO_TALKS_FOLLOW_INTERVAL=str(interval),
            PYTHONPATH=str(ROOT),
        )
        args = [sys.executable, "-m", "flask", "--app", "archive", "serve", "--port", str(port)]
        args += ["--workers", "1", "--index-dir", str(instance / f"node-{name}")]
        log = (instance / f"serve-{name}.log").open("wb")
        nodes.append((port, subprocess.Popen(args, env=env, stdout=log, stderr=log)))
    return nodes


def latency(app: Any, instance: Path, url: str, runs: int, interval: float) -> dict[str, Any]:
    nodes = start_nodes(url, instance, interval)
    try:
        with new_session(app) as session:
            newest = changelog.newest(session)
            talk_id = int(session.scalar(select(Talk.id).order_by(Talk.id)) or 0)
        deadline = time.monotonic() + 600
        for name in ("a", "b"):  # each node builds its index from the database first
            while replica.applied_seq(instance / f"node-{name}") != newest:
                if time.monotonic() > deadline:
                    raise SystemExit(f"node {name} never caught up; see {instance}")
                time.sleep(0.2)
        time.sleep(1.0)
        per_node: dict[int, list[float]] = {port: [] for port, _p in nodes}
        both = []
        for run in range(runs):
            word = "replicaprobe" + LETTERS[run % 26] + LETTERS[(run // 26) % 26]
            with new_session(app) as session:
                talk = session.get(Talk, talk_id)
                assert talk is not None
                talk.title = f"Probe {word}"
                changelog.record(session, [talk_id])
                session.commit()
            committed = time.monotonic()
            waiting = {port for port, _p in nodes}
            while waiting and time.monotonic() - committed < 60:
                for port in list(waiting):
                    if answers(port, word):
                        per_node[port].append(time.monotonic() - committed)
                        waiting.discard(port)
                time.sleep(0.01)
            if waiting:
                raise SystemExit(f"run {run}: nodes on {sorted(waiting)} never answered")
            both.append(max(times[-1] for times in per_node.values()))
            time.sleep(0.3 + (run % 3) * interval / 3)  # commits land at varied phases
    finally:
        for _port, process in nodes:
            process.terminate()
            process.wait(30)
    return {
        "both_median_s": statistics.median(both),
        "both_max_s": max(both),
        "node_median_s": [statistics.median(t) for t in per_node.values()],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", choices=("postgresql", "sqlite"), default="postgresql")
    parser.add_argument("--talks", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--interval", type=float, default=5.0)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-replica-") as tmp:
        instance = Path(tmp) / "instance"
        instance.mkdir()
        url = fresh_database(args.database, instance)
        app = create_app({"INSTANCE_DIR": str(instance), "DATABASE_URL": url, "WRITER_NICE": 0})
        started = time.perf_counter()
        fill(app, args.talks)
        filled = time.perf_counter() - started
        costs = cost_per_change(app, instance / "bench-node", args.runs)
        seen = latency(app, instance, url, args.runs, args.interval)
        engine_of(app).dispose()
    row = {
        "date": dt.date.today().isoformat(),
        "database": args.database,
        "talks": args.talks,
        "runs": args.runs,
        "interval_s": args.interval,
        "fill_s": round(filled, 1),
        "cost_per_change_ms": {k: round(v * 1000, 2) for k, v in costs.items()},
        **{
            k: (round(v, 3) if isinstance(v, float) else [round(x, 3) for x in v])
            for k, v in seen.items()
        },
        "load_before": load,
        "machine": machine(),
    }
    print(f"{args.database}, {args.talks} talks, {args.runs} runs, interval {args.interval:g} s")
    for k, ms in row["cost_per_change_ms"].items():
        print(f"  catch-up of {k:>4} change(s): {ms:8.2f} ms per change")
    print(
        f"  commit → both nodes answer: median {row['both_median_s']:.3f} s, "
        f"max {row['both_max_s']:.3f} s (per node medians {row['node_median_s']})"
    )
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "replica.jsonl").open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main()

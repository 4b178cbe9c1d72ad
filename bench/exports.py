"""Export and feed benchmark: every download format over a generated archive, server-side.

    .venv/bin/python bench/exports.py [--sizes 2000] [--rounds 3]

For each size the generated archive (bench/index_build.py) is opened in a production-like app
and each export of every talk (no search parameters) and of one filtered search
(industry "Health care") is downloaded through the Flask test client, its stream read to the
end. The median of the rounds is reported, with the body size. Results are printed and
appended to bench/out/exports.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import statistics
import time
from typing import Any

import index_build as gen

PATHS = (
    "/export.csv",
    "/export.json",
    "/export.bib",
    "/export.ris",
    "/export.csl.json",
    "/export.datapackage.zip",
    "/talks.ics",
    "/feed.atom",
)
SEARCHES: dict[str, dict[str, str]] = {"all": {}, "health care": {"industry": "Health care"}}


def time_exports(n: int, seed: int, rounds: int) -> list[dict[str, Any]]:
    """Median seconds and bytes of every export and feed, for each search."""
    app = gen.make_app(gen.ensure_archive(n, seed))
    client = app.test_client()
    rows = []
    for label, params in SEARCHES.items():
        for path in PATHS:
            times, size = [], 0
            for _ in range(rounds):
                started = time.perf_counter()
                response = client.get(path, query_string=params)
                size = len(response.get_data())
                times.append(time.perf_counter() - started)
                assert response.status_code == 200, (path, response.status_code)
            rows.append(
                {
                    "talks": n,
                    "search": label,
                    "path": path,
                    "seconds": round(statistics.median(times), 2),
                    "kb": round(size / 1024),
                }
            )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    gen.OUT.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    print("| talks | search | export | seconds | KB |\n|---:|---|---|---:|---:|")
    with (gen.OUT / "exports.jsonl").open("a", encoding="utf-8") as out:
        for n in args.sizes:
            for row in time_exports(n, args.seed, args.rounds):
                print(
                    f"| {row['talks']} | {row['search']} | `{row['path']}` | "
                    f"{row['seconds']} | {row['kb']} |"
                )
                out.write(json.dumps({**row, "at": stamp, "machine": gen.machine()}) + "\n")


if __name__ == "__main__":
    main()

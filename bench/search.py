"""Search benchmark: our search page and API against Datasette (SQLite FTS5) on the same talks.

    .venv/bin/python bench/search.py [--sizes 10000 100000] [--rounds 5] [--no-datasette]
        [--no-http]

For each size the generated archive (bench/index_build.py) is opened in a production-like app
and every request of a fixed mixed set (browse, words, phrases, synonyms, fielded queries,
filters, date sort, deep pages, typos; always all facets and 20 rows) is timed in-process
through the Flask test client, so the figure is server-side time. The speaker directory
(one page of 50 rows, for each of a fixed set of name, role, industry, organisation, letter
and page views) and its CSV export are timed the same way. "warm" repeats the set after
one untimed pass (the state a busy site is in); "first" runs 200 seeded, never-seen requests
after that (result caches cannot help; searchers, per-index arrays and the posting lists
earlier requests decoded, and the filter sets they kept, are warm); "first cold" does the
same with the decoded posting lists, phrase matches and kept filter sets dropped before each
request; "matching first" times the index's
matching and scoring alone for 300 never-seen queries, nothing kept between them; "first
http" sends 200 never-seen requests to ``cio-talks serve`` (one worker) over loopback.

Datasette is installed only in bench/.venv-datasette (created here on first use) and serves
the same talks from one SQLite table with an FTS5 index, facets year and language plus
_facet_array on industries, themes and organisations, suggest_facets off. It is timed through
its in-process client (``datasette.client``), the same footing as the Flask test client.
Results are printed and appended to bench/out/search.jsonl.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import index_build as gen

DATASETTE_VENV = gen.ROOT / "bench" / ".venv-datasette"
DATASETTE_VERSION = "0.65.5"
YEARS = [str(y) for y in range(2005, 2025)]

MIXED: list[dict[str, Any]] = [
    {},
    {"q": "cloud"},
    {"q": "strategy"},
    {"q": "sikkerhed"},
    {"q": "digital transformation"},
    {"q": "healthcare"},
    {"q": "health care"},
    {"q": "sundheds-it"},
    {"q": "speaker:Nielsen"},
    {"q": "org:Nordic"},
    {"q": '"data driven"'},
    {"industry": "Health care"},
    {"q": "data", "year": "2015"},
    {"q": "strategi", "lang": "da"},
    {"q": "cloud", "sort": "newest"},
    {"q": "data", "page": "3"},
    {"q": "strategy secuirty"},
    {"q": "patient data"},
    {"q": "ledelse OR leadership"},
    {"industry": "Financial services", "lang": "en", "sort": "oldest"},
]


#: Speaker directory views: everyone, each filter alone and combined, a letter, a deep page.
DIRECTORY: list[dict[str, Any]] = [
    {},
    {"role": "CIO"},
    {"industry": "financ"},
    {"org": "bank"},
    {"q": "niel"},
    {"letter": "M"},
    {"role": "CIO", "industry": "Financial services"},
    {"role": "CTO", "org": "nordic", "letter": "A"},
    {"page": "12"},
]


def distinct_requests(n: int, seed: int) -> list[dict[str, Any]]:
    """N seeded requests unlikely to repeat: 1–2 words, sometimes a filter, sort or page."""
    rng = random.Random(seed)
    words = gen.EN_WORDS + gen.DA_WORDS + gen._LEXICON[:400]
    out = []
    for _ in range(n):
        req: dict[str, Any] = {"q": " ".join(rng.sample(words, rng.choice((1, 1, 2))))}
        roll = rng.random()
        if roll < 0.2:
            req["industry"] = rng.choice(gen.INDUSTRIES)
        elif roll < 0.35:
            req["year"] = rng.choice(YEARS)
        elif roll < 0.45:
            req["lang"] = rng.choice(("en", "da"))
        if rng.random() < 0.2:
            req["sort"] = "newest"
        if rng.random() < 0.1:
            req["page"] = "2"
        out.append(req)
    return out


def percentiles(times: list[float]) -> dict[str, float]:
    """Median and 95th percentile in milliseconds."""
    ordered = sorted(times)
    p95 = ordered[max(0, round(0.95 * len(ordered)) - 1)]
    return {"p50": round(statistics.median(ordered), 1), "p95": round(p95, 1), "n": len(ordered)}


def time_ours(instance: Path, rounds: int, seed: int) -> dict[str, dict[str, float]]:
    """Our search page and API, server-side through the Flask test client."""
    app = gen.make_app(instance)
    client = app.test_client()
    out: dict[str, dict[str, float]] = {}
    for name, path in (("page", "/"), ("api", "/api/v1/talks")):

        def get(req: dict[str, Any], path: str = path) -> float:
            url = path + "?" + urlencode({**req, "per_page": 20})
            started = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code}")
            return elapsed

        for req in MIXED:
            get(req)
        out[f"{name} warm"] = percentiles([get(r) for _ in range(rounds) for r in MIXED])
        fresh = distinct_requests(200, seed + (1 if name == "page" else 2))
        out[f"{name} first"] = percentiles([get(r) for r in fresh])
        # The same kind of requests with the decoded posting lists and phrase matches of
        # earlier requests forgotten before each one (a server that has just started).
        cold = distinct_requests(200, seed + (3 if name == "page" else 4))
        out[f"{name} first cold"] = percentiles([forget_then(get, r) for r in cold])
    return out


def forget_then(get: Any, req: dict[str, Any]) -> float:
    """``get(req)`` after dropping what earlier searches left decoded (postings, phrases)
    and the filter sets they kept (index.filtersets)."""
    from index import filtersets, postings, ranking

    postings.clear_cache()
    ranking.PHRASES.clear()
    filtersets.clear()
    return float(get(req))


def time_directory(instance: Path, rounds: int) -> dict[str, dict[str, float]]:
    """The speaker directory page (50 rows) and its CSV export, server-side."""
    client = gen.make_app(instance).test_client()

    def get(path: str, req: dict[str, Any]) -> float:
        url = path + ("?" + urlencode(req) if req else "")
        started = time.perf_counter()
        response = client.get(url)
        response.get_data()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        return elapsed

    for req in DIRECTORY:
        get("/speakers", req)
    out = {
        "directory": percentiles([get("/speakers", r) for _ in range(rounds) for r in DIRECTORY])
    }
    out["directory csv"] = percentiles([get("/speakers.csv", r) for r in DIRECTORY])
    return out


def time_matching(instance: Path, seed: int) -> dict[str, float]:
    """Matching and scoring alone (no page, no facets, nothing kept from earlier queries)
    for 300 never-seen queries, as the search page matches (index.ranking).

    The part of a never-seen search that grows with the archive: every free-text field a
    word is looked up in adds a posting list to read and score.
    """
    from index import postings, ranking
    from index.query import make_parser
    from index.writer import open_current

    _, ix = open_current(Path(gen.make_app(instance).config["INDEX_DIR"]))
    times = []
    with ix.searcher() as searcher:
        parser = make_parser(searcher.schema)
        fresh = distinct_requests(200, seed + 1) + distinct_requests(200, seed + 2)
        for req in fresh[:300]:
            q = parser.parse(req["q"])
            postings.clear_cache()
            ranking.PHRASES.clear()
            started = time.perf_counter()
            ranking.rank(searcher, q).top(20)
            times.append((time.perf_counter() - started) * 1000)
    ix.close()
    return percentiles(times)


def time_http(instance: Path, seed: int) -> dict[str, dict[str, float]]:
    """Never-seen searches through HTTP: ``cio-talks serve`` (one worker process) on the
    archive, 200 seeded requests one after another over a keep-alive connection, timed as
    the client sees them; after the mixed set once, so its searcher is open."""
    import http.client
    import os

    from serve import free_port, wait_for

    port = free_port()
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(instance),
        "CIO_TALKS_DATABASE_URL": f"sqlite:///{instance / 'cio_talks.sqlite3'}",
        "CIO_TALKS_SECRET_KEY": "bench",
    }
    cli = Path(sys.executable).with_name("cio-talks")
    command = [str(cli), "serve", "--port", str(port), "--workers", "1"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    out: dict[str, dict[str, float]] = {}
    try:
        wait_for(port)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

        def get(path: str) -> float:
            started = time.perf_counter()
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{path} answered {response.status}")
            return (time.perf_counter() - started) * 1000

        for name, base in (("page", "/"), ("api", "/api/v1/talks")):
            for req in MIXED:
                get(f"{base}?{urlencode({**req, 'per_page': 20})}")
            fresh = distinct_requests(200, seed + (5 if name == "page" else 6))
            times = [get(f"{base}?{urlencode({**r, 'per_page': 20})}") for r in fresh]
            out[f"{name} first http"] = percentiles(times)
        conn.close()
    finally:
        server.terminate()
        server.wait(30)
    return out


def datasette_python() -> Path:
    """The benchmark-only venv's Python with Datasette installed (created on first use)."""
    python = DATASETTE_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(DATASETTE_VENV)], check=True)
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", f"datasette=={DATASETTE_VERSION}"],
            check=True,
        )
    return python


def export_sqlite(instance: Path) -> Path:
    """One ``talks`` table with JSON array columns and an FTS5 index, from our database."""
    target = instance / "datasette.db"
    if target.exists():
        return target
    source = sqlite3.connect(instance / "cio_talks.sqlite3")
    rows = source.execute(
        """
        SELECT t.id, t.title, t.topic, t.abstract, t.date, t.language, t.industries, t.themes,
               COALESCE(json_group_array(DISTINCT s.name), '[]'),
               COALESCE(json_group_array(DISTINCT o.name), '[]')
        FROM talks t
        LEFT JOIN appearances a ON a.talk_id = t.id
        LEFT JOIN speakers s ON s.id = a.speaker_id
        LEFT JOIN organisations o ON o.id = a.organisation_id
        GROUP BY t.id
        """
    ).fetchall()
    source.close()
    db = sqlite3.connect(target)
    db.executescript(
        """
        CREATE TABLE talks (id INTEGER PRIMARY KEY, title TEXT, topic TEXT, abstract TEXT,
            date TEXT, year INTEGER, language TEXT, industries TEXT, themes TEXT,
            speakers TEXT, organisations TEXT);
        CREATE VIRTUAL TABLE talks_fts USING fts5(title, topic, abstract, speakers,
            content='talks', content_rowid='id');
        """
    )
    for r in rows:
        year = int(str(r[4])[:4]) if r[4] else None
        db.execute(
            "INSERT INTO talks VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (r[0], r[1], r[2], r[3], r[4], year, r[5], r[6], r[7], r[8], r[9]),
        )
    db.execute(
        "INSERT INTO talks_fts(rowid, title, topic, abstract, speakers) "
        "SELECT id, title, topic, abstract, speakers FROM talks"
    )
    db.executescript(
        "CREATE INDEX talks_year ON talks(year); CREATE INDEX talks_date ON talks(date);"
    )
    db.commit()
    db.close()
    return target


def datasette_path(req: dict[str, Any], json_api: bool) -> str:
    """The Datasette URL equivalent to one of our requests (all facets, 20 rows)."""
    params: list[tuple[str, str]] = [("_size", "20")]
    if req.get("q"):
        params.append(("_search", req["q"]))
    if req.get("industry"):
        params.append(("industries__arraycontains", req["industry"]))
    if req.get("year"):
        params.append(("year", req["year"]))
    if req.get("lang"):
        params.append(("language", req["lang"]))
    if req.get("sort") == "newest":
        params.append(("_sort_desc", "date"))
    elif req.get("sort") == "oldest":
        params.append(("_sort", "date"))
    params += [("_facet", "year"), ("_facet", "language")]
    params += [("_facet_array", c) for c in ("industries", "themes", "organisations")]
    return f"/datasette/talks{'.json' if json_api else ''}?{urlencode(params)}"


_DATASETTE_TIMER = """
import asyncio, json, sys, time
from datasette.app import Datasette
db, rounds, paths = sys.argv[1], int(sys.argv[2]), json.loads(sys.stdin.read())
async def main():
    ds = Datasette([db], settings={"suggest_facets": False, "facet_time_limit_ms": 60000,
                                   "sql_time_limit_ms": 60000})
    await ds.invoke_startup()
    out = {}
    for name, group in paths.items():
        times = []
        warm = name.endswith("warm")
        for path in group:
            if warm:
                await ds.client.get(path)
        for _ in range(rounds if warm else 1):
            for path in group:
                t = time.perf_counter()
                r = await ds.client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{path}: {r.status_code}")
        out[name] = times
    print(json.dumps(out))
asyncio.run(main())
"""


def time_datasette(
    instance: Path, rounds: int, seed: int, sample: int
) -> dict[str, dict[str, float]]:
    """Datasette's HTML table page and JSON API on the same request sets, in-process.

    Datasette takes seconds per request at 100,000 talks, so only the first ``sample`` of the
    never-seen requests are sent to it.
    """
    db = export_sqlite(instance)
    paths = {}
    for name, as_json in (("page", False), ("api", True)):
        paths[f"{name} warm"] = [datasette_path(r, as_json) for r in MIXED]
        fresh = distinct_requests(200, seed + (1 if name == "page" else 2))[:sample]
        paths[f"{name} first"] = [datasette_path(r, as_json) for r in fresh]
    done = subprocess.run(
        [str(datasette_python()), "-c", _DATASETTE_TIMER, str(db), str(rounds)],
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        check=True,
    )
    times = json.loads(done.stdout)
    return {name: percentiles(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-datasette", action="store_true")
    parser.add_argument(
        "--no-http", action="store_true", help="skip the never-seen searches through HTTP"
    )
    parser.add_argument("--datasette-rounds", type=int, default=2)
    parser.add_argument("--datasette-sample", type=int, default=40)
    args = parser.parse_args()
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    print("| talks | system | measure | p50 ms | p95 ms | requests |")
    print("|---:|---|---|---:|---:|---:|")
    for n in args.sizes:
        instance = gen.ensure_archive(n, args.seed)
        ours = time_ours(instance, args.rounds, args.seed)
        ours["matching first"] = time_matching(instance, args.seed)
        ours.update(time_directory(instance, args.rounds))
        if not args.no_http:
            ours.update(time_http(instance, args.seed))
        systems = {"ours": ours}
        if not args.no_datasette:
            systems["datasette"] = time_datasette(
                instance, args.datasette_rounds, args.seed, args.datasette_sample
            )
        for system, figures in systems.items():
            for measure, row in figures.items():
                print(f"| {n} | {system} | {measure} | {row['p50']} | {row['p95']} | {row['n']} |")
                record = {"date": stamp, "talks": n, "system": system, "measure": measure}
                with (gen.OUT / "search.jsonl").open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps({**record, **row, "machine": gen.machine()}) + "\n")


if __name__ == "__main__":
    main()

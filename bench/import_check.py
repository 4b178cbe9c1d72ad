"""What checking an import file costs: parse, bounds, schema and row checks, by archive size.

    .venv/bin/python bench/import_check.py [--copies 50 500]

Exports the bundled samples (scraped into a temporary SQLite archive), makes an archive of
``copies`` times as many talks, pages, speakers and organisations (new ids, URLs and names),
and times each step of archive.import_check on it, as `cio-talks import` runs them before it
writes anything. Results are printed and appended to bench/out/import_check.jsonl.
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from archive import create_app, import_check
from archive.db import engine_of, new_session
from archive.ingest import Ingest
from archive.samples import sample_dir
from archive.transfer import export_document, table_rows

OUT = Path(__file__).resolve().parent / "out" / "import_check.jsonl"


def sample_export() -> dict[str, Any]:
    """The export of an archive of the bundled samples."""
    base = Path(tempfile.mkdtemp(prefix="import-check-"))
    app = create_app(
        {
            "INSTANCE_DIR": str(base / "instance"),
            "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
            "SECRET_KEY": "bench",
        }
    )
    Ingest(app).scrape([str(sample_dir())])
    with new_session(app) as session:
        document = export_document(session)
    engine_of(app).dispose()
    return document


def scaled(document: dict[str, Any], copies: int) -> dict[str, Any]:
    """``copies`` copies of every talk, page, speaker and organisation, ids kept distinct."""
    big = copy.deepcopy(document)
    big["overrides"], big["runs"] = [], []
    spans = {key: max((r["id"] for r in document[key]), default=0) for key in document if key in (
        "talks", "pages", "speakers", "organisations")}  # fmt: skip
    for key in spans:
        rows = []
        for k in range(copies):
            for row in document[key]:
                new = copy.deepcopy(row)
                new["id"] = row["id"] + k * spans[key]
                new.pop("aliases", None)
                if key == "talks":
                    new["source_url"] += f"#copy-{k}"
                    record = new["record"]
                    record["appearances"] = []
                    if record.get("page_id"):
                        record["page_id"] += k * spans["pages"]
                if key == "pages":
                    new["run_id"] = None
                if key == "organisations":
                    new["name"] += f" ({k})"
                rows.append(new)
        big[key] = rows
    return big


def measure(document: dict[str, Any], copies: int) -> dict[str, Any]:
    raw = json.dumps(scaled(document, copies)).encode("utf-8")
    times = {}
    start = time.perf_counter()
    parsed, problem = import_check.parse(raw)
    times["parse"] = time.perf_counter() - start
    assert problem is None, problem
    start = time.perf_counter()
    problem = import_check.document_problem(parsed)
    times["bounds and schema"] = time.perf_counter() - start
    assert problem is None, problem
    start = time.perf_counter()
    problem = import_check.rows_problem(table_rows(parsed))
    times["rows"] = time.perf_counter() - start
    assert problem is None, problem
    return {
        "talks": len(parsed["talks"]),
        "pages": len(parsed["pages"]),
        "megabytes": round(len(raw) / 1e6, 1),
        "seconds": {step: round(s, 2) for step, s in times.items()},
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, nargs="+", default=[50, 500])
    args = parser.parse_args()
    document = sample_export()
    OUT.parent.mkdir(exist_ok=True)
    print("talks  pages    MB  parse  bounds+schema  rows  peak MB")
    for copies in args.copies:
        result = measure(document, copies) | {"machine": platform.machine(), "at": time.time()}
        s = result["seconds"]
        print(
            f"{result['talks']:>6} {result['pages']:>6} {result['megabytes']:>5} "
            f"{s['parse']:>6} {s['bounds and schema']:>14} {s['rows']:>5} {result['peak_mb']:>8}"
        )
        with OUT.open("a", encoding="utf-8") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()

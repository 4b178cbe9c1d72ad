"""Benchmark: does teaching a site by example help on real sites, and never hurt?

Usage: ``.venv/bin/python bench/profiles_real.py CORPUS [--scorer PATH] [--examples 1 2]``.

CORPUS is a folder of real pages with ``truth.json`` and ``SOURCES.tsv`` (the ``site`` column
groups pages by site; pages without a site are left out). For every site with four pages or
more, and for each number of examples asked for, a fixed rotation over the site's event pages
(sorted by file name) picks the examples: rotation i takes event pages i, i+1, … . For each
rotation the script does what issue 11's Done-when says:

1. a fresh instance (a temporary ``CIO_TALKS_INSTANCE_DIR``);
2. ``cio-talks profiles learn NAME EXAMPLES.jsonl --apply`` with the examples' true values;
3. the shared scorer runs ``cio-talks extract --json`` on the site's remaining pages (a
   temporary corpus folder of links to them and their truth), and on every page of the
   other sites, whose results must not change.

"before" is the same scorer on the same remaining pages with no profile. The pages are read
where they are; nothing of the corpus is copied into the project.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
#: the CLI of this checkout (not whichever cio-talks is installed)
_LAUNCH = 'import sys; from archive.cli import main; sys.argv[0] = "cio-talks"; main()'
CLI = [sys.executable, "-c", _LAUNCH]


def example_fields(truth: dict[str, Any]) -> dict[str, Any]:
    """A truth entry as an example's fields (the keys of `cio-talks extract --json`)."""
    keys = ("title", "topic", "series", "host", "date", "start_time", "end_time", "location")
    fields: dict[str, Any] = {k: truth[k] for k in keys if k in truth}
    if "last_updated" in truth:
        fields["last_updated"] = truth["last_updated"]
    if "abstract_start" in truth:
        fields["abstract"] = truth["abstract_start"]
    if "speakers" in truth:
        fields["speakers"] = [
            {
                k: v
                for k, v in {
                    "name": s["name"],
                    "role": s.get("role"),
                    "organisation": s.get("organisation"),
                    "bio": s.get("bio_start"),
                }.items()
                if k == "name" or k in s or (k == "bio" and "bio_start" in s)
            }
            for s in truth["speakers"]
        ]
    return fields


def sites_of(corpus: Path, truth: dict[str, Any]) -> dict[str, list[str]]:
    """Pages by site (SOURCES.tsv's ``site`` column), sites of four pages or more."""
    by_site: dict[str, list[str]] = defaultdict(list)
    with (corpus / "SOURCES.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            site = (row.get("site") or "").strip()
            if site and row["file"] in truth:
                by_site[site].append(row["file"])
    return {s: sorted(p) for s, p in by_site.items() if len(p) >= 4}


def load_scorer(path: Path) -> Any:
    """The shared scorer as a module, so its own check_page scores every page."""
    spec = importlib.util.spec_from_file_location("score_extraction", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot read the scorer {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer: Any, names: list[str], truth: dict, got: dict[str, str]) -> tuple[int, int]:
    """(passed, checks) of the shared scorer's checks on these pages."""
    passed = total = 0
    for name in names:
        try:
            page = json.loads(got[name])
        except json.JSONDecodeError:
            page = {}
        checks = scorer.check_page(truth[name], page)
        passed += sum(1 for _, ok, _ in checks if ok)
        total += len(checks)
    return passed, total


def outputs(names: list[str], corpus: Path, env: dict) -> list[str]:
    """`cio-talks extract --json` lines for these pages (to compare other sites' pages)."""
    done = subprocess.run(
        [*CLI, "extract", "--json", *(str(corpus / n) for n in names)],
        capture_output=True, text=True, env=env, check=True,
    )  # fmt: skip
    return done.stdout.splitlines()


def rotation(events: list[str], i: int, k: int) -> list[str]:
    return [events[(i + j) % len(events)] for j in range(k)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--scorer", type=Path, help="score_extraction.py (default: ../tools/)")
    parser.add_argument("--examples", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--sites", nargs="*", help="only these sites")
    parser.add_argument("--no-others", action="store_true", help="skip the other-sites check")
    parser.add_argument("-v", "--verbose", action="store_true", help="every rotation's score")
    args = parser.parse_args()
    corpus = args.corpus.resolve()
    scorer = load_scorer(
        (args.scorer or corpus.parent.parent / "tools" / "score_extraction.py").resolve()
    )
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    sites = sites_of(corpus, truth)
    if args.sites:
        sites = {s: p for s, p in sites.items() if s in args.sites}
    base_env = {**os.environ, "PYTHONPATH": str(ROOT)}
    all_sited = sorted(p for pages in sites.values() for p in pages)
    with tempfile.TemporaryDirectory() as tmp:
        plain_env = {**base_env, "CIO_TALKS_INSTANCE_DIR": str(Path(tmp) / "plain")}
        plain = dict(zip(all_sited, outputs(all_sited, corpus, plain_env), strict=True))
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    print(f"{'site':45} {'k':>2} {'runs':>4} {'before':>7} {'after':>7}  worst  other-sites")
    for site, pages in sites.items():
        events = [p for p in pages if truth[p].get("is_event")]
        others = [p for p in all_sited if p not in pages]
        for k in args.examples:
            runs = len(events) if k < len(events) else 1
            b = a = n = changed_others = 0
            worst = 1.0
            for i in range(runs):
                chosen = rotation(events, i, k)
                rest = [p for p in pages if p not in chosen]
                with tempfile.TemporaryDirectory() as tmp:
                    env = {**base_env, "CIO_TALKS_INSTANCE_DIR": str(Path(tmp) / "inst")}
                    jsonl = Path(tmp) / "examples.jsonl"
                    lines = [
                        json.dumps({"source": str(corpus / p), "fields": example_fields(truth[p])})
                        for p in chosen
                    ]
                    jsonl.write_text("\n".join(lines) + "\n", encoding="utf-8")
                    learned = subprocess.run(
                        [*CLI, "profiles", "learn", "site", str(jsonl), "--apply"],
                        capture_output=True, text=True, env=env, check=False,
                    )  # fmt: skip
                    if learned.returncode != 0:
                        print(f"  learn failed ({chosen}): {learned.stdout[-300:]}")
                    names = rest + ([] if args.no_others else others)
                    got = dict(zip(names, outputs(names, corpus, env), strict=True))
                before, after = score(scorer, rest, truth, plain), score(scorer, rest, truth, got)
                changed_others += sum(1 for p in others if p in got and got[p] != plain[p])
                b, a, n = b + before[0], a + after[0], n + before[1]
                worst = min(worst, after[0] / after[1] - before[0] / before[1])
                if args.verbose:
                    print(f"  {chosen}: {before[0]}/{before[1]} -> {after[0]}/{after[1]}")
            t = totals[k]
            t[0], t[1], t[2], t[3] = t[0] + b, t[1] + a, t[2] + n, t[3] + changed_others
            print(
                f"{site[:45]:45} {k:>2} {runs:>4} {b / n:7.3f} {a / n:7.3f}  {worst:+.3f}"
                f"  {changed_others}"
            )
    for k, (b, a, n, changed) in sorted(totals.items()):
        print(f"{'all sites':45} {k:>2} {'':4} {b / n:7.3f} {a / n:7.3f}         {changed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

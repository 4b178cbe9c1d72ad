"""Benchmark: extracted pages per second on one core, after warm-up, over sample page folders.

Usage: ``.venv/bin/python bench/extraction.py [FOLDER ...] [--rounds N]``. Without folders it
reads the bundled sample pages (archive/samples/pages); given folders add their *.html pages.
Each round extracts every page once; the median round's rate is reported with the machine's
CPU model, core count, Python version and the date, so figures from different runs compare.

The samples are small (2.5 KiB on average) while real event pages weigh about 46 KiB, most of
it navigation, scripts, sidebars and footers. So every page is also measured wrapped in such
furniture (``realistic``), generated the same way on every run, and both figures are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "archive" / "samples" / "pages"
sys.path.insert(0, str(ROOT))

from scraper.extract import extract, load_rules  # noqa: E402 - after the path set-up above


def cpu_model() -> str:
    """The CPU's model name (Linux /proc/cpuinfo, else what platform reports)."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def pin_to_one_core() -> str:
    """Run on a single core where the OS allows it; say which."""
    if hasattr(os, "sched_setaffinity") and hasattr(os, "sched_getaffinity"):
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return f"pinned to core {core}"
    return "not pinned (no sched_setaffinity on this OS); single-threaded"


def load_pages(folders: list[Path]) -> list[tuple[str, bytes]]:
    """(file URI, bytes) of every *.html page in the folders, in name order."""
    pages = []
    for folder in folders:
        for path in sorted(folder.glob("*.html")):
            pages.append((path.resolve().as_uri(), path.read_bytes()))
    return pages


def _furniture(seed: int) -> tuple[str, str]:
    """Site furniture of real weight around a page's content: (before, after) HTML."""
    links = "".join(
        f'<li class="menu-item"><a href="/section-{seed}-{i}/">Section {i} of the faculty</a>'
        f'<ul class="sub-menu"><li><a href="/section-{i}/a">Overview {i}</a></li>'
        f'<li><a href="/section-{i}/b">People {i}</a></li></ul></li>'
        for i in range(60)
    )
    script = "".join(
        f"window.dataLayer=window.dataLayer||[];dataLayer.push({{'event':'view','id':{i}}});"
        for i in range(150)
    )
    sidebar = "".join(
        f'<li class="event-teaser"><a href="/events/{i}">Research seminar {i}</a>'
        f'<span class="date">{1 + i % 28}.{1 + i % 12}.2023</span></li>'
        for i in range(25)
    )
    footer = "".join(
        f'<div class="footer-col"><h4>Contact {i}</h4><p>Building {i}, Campus Road {i}, '
        f"1234 City</p><p>Phone +45 1234 56{i:02d}</p></div>"
        for i in range(12)
    )
    before = (
        f'<div id="cookie-banner" class="cookie-consent"><p>We use cookies.</p>'
        f'<button>Accept</button></div><header class="site-header"><div class="logo">'
        f'<a href="/">University of Example</a></div><nav class="main-nav"><ul>{links}</ul>'
        f'</nav></header><nav class="breadcrumb"><a href="/">Home</a> / <a href="/events">'
        f"Events</a></nav><script>{script}</script>"
    )
    after = (
        f'<aside class="sidebar"><h3>Other events</h3><ul>{sidebar}</ul></aside>'
        f'<footer class="site-footer">{footer}<p>© 2023 University of Example</p></footer>'
        f"<script>{script}</script>"
    )
    return before, after


def realistic(body: bytes, seed: int) -> bytes:
    """The page with furniture of real weight put around its content inside <body>."""
    before, after = (part.encode() for part in _furniture(seed))
    low = body.lower()
    start = low.find(b"<body")
    start = low.find(b">", start) + 1 if start >= 0 else 0
    end = low.rfind(b"</body>")
    end = end if end >= 0 else len(body)
    return body[:start] + before + body[start:end] + after + body[end:]


def one_round(pages: list[tuple[str, bytes]]) -> float:
    """Seconds taken to extract every page once."""
    rules = load_rules()
    begin = time.perf_counter()
    for url, body in pages:
        extract(body, url, rules=rules)
    return time.perf_counter() - begin


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="extra folders of *.html pages")
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds (default 7)")
    args = parser.parse_args(argv)
    folders = [SAMPLES, *args.folders]
    pages = load_pages(folders)
    if not pages:
        print("no pages found in", ", ".join(map(str, folders)), file=sys.stderr)
        return 1
    pinning = pin_to_one_core()
    heavy = [(url, realistic(body, i)) for i, (url, body) in enumerate(pages)]
    one_round(pages)  # warm-up: imports, caches, compiled patterns, rules
    one_round(heavy)
    rates = [len(pages) / one_round(pages) for _ in range(max(1, args.rounds))]
    heavy_rates = [len(heavy) / one_round(heavy) for _ in range(max(1, args.rounds))]
    kib = sum(len(b) for _, b in pages) / len(pages) / 1024
    heavy_kib = sum(len(b) for _, b in heavy) / len(heavy) / 1024
    print(f"date:     {dt.datetime.now(dt.UTC).isoformat(timespec='seconds')}")
    print(f"cpu:      {cpu_model()} ({os.cpu_count()} logical cores; {pinning})")
    print(f"python:   {platform.python_implementation()} {platform.python_version()}")
    print(f"platform: {platform.platform()}")
    print(f"pages:    {len(pages)} from {', '.join(str(f) for f in folders)}")
    print(f"rounds:   {len(rates)} after 1 warm-up round")
    print(f"pages as they are ({kib:.1f} KiB on average):")
    print(f"  rates:  {', '.join(f'{r:.1f}' for r in rates)} pages/s")
    print(f"  median: {statistics.median(rates):.1f} pages/s on one core")
    print(f"pages in real-weight furniture ({heavy_kib:.1f} KiB on average):")
    print(f"  rates:  {', '.join(f'{r:.1f}' for r in heavy_rates)} pages/s")
    print(f"  median: {statistics.median(heavy_rates):.1f} pages/s on one core")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak:     {peak_mb:.0f} MB resident (this process)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

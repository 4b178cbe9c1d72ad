"""Benchmark: the extractor's HTML layer on lxml directly against BeautifulSoup4 over lxml.

Usage: ``.venv/bin/python bench/html_parsers.py [--rounds N]``. Both sides read the same pages
(the bundled samples wrapped in real-weight furniture, as bench/extraction.py builds them) and
do the same work: parse, then walk every element once collecting its text and class names,
which is what the block finder does. The figure is pages per second on one core, the median
of the rounds, measured side by side in one run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bs4 import BeautifulSoup  # noqa: E402
from extraction import SAMPLES, load_pages, pin_to_one_core, realistic  # noqa: E402

from scraper.extract.decode import decode_html  # noqa: E402
from scraper.extract.page import parse  # noqa: E402


def with_lxml(text: str) -> int:
    """The extractor's own path: parse and find the page's blocks."""
    return len(parse(text).blocks)


def with_soup(text: str) -> int:
    """The same walk over BeautifulSoup's tree (lxml as its parser)."""
    soup = BeautifulSoup(text, "lxml")
    count = 0
    for el in soup.find_all(True):
        _ = " ".join(el.get("class") or []) + (el.get("id") or "")
        count += sum(1 for s in el.find_all(string=True, recursive=False) if s.strip())
    return count


def rate(texts: list[str], work: Callable[[str], int]) -> float:
    """Pages per second for one pass of work over texts."""
    begin = time.perf_counter()
    for text in texts:
        work(text)
    return len(texts) / (time.perf_counter() - begin)


def main(argv: list[str] | None = None) -> int:
    """Run both sides in alternation and print their medians and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    print(pin_to_one_core())
    pages = load_pages([SAMPLES])
    texts = [decode_html(realistic(body, i), None)[0] for i, (_, body) in enumerate(pages)]
    kib = sum(len(t.encode()) for t in texts) / len(texts) / 1024
    results: dict[str, list[float]] = {"lxml (ours)": [], "BeautifulSoup4 + lxml": []}
    for _ in range(max(1, args.rounds)):
        results["lxml (ours)"].append(rate(texts, with_lxml))
        results["BeautifulSoup4 + lxml"].append(rate(texts, with_soup))
    print(f"{len(texts)} pages, {kib:.1f} KiB on average")
    for name, rates in results.items():
        print(f"{name:24} median {statistics.median(rates):7.1f} pages/s  ({rates})")
    ours, soup = (statistics.median(r) for r in results.values())
    print(f"ratio: lxml path is {ours / soup:.1f}x the BeautifulSoup path")
    return 0


if __name__ == "__main__":
    sys.exit(main())

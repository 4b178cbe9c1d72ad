"""``cio-talks extract``: read sources and extract them without storing anything."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scraper.extract import extract
from scraper.extract.rules import Rules, load_rules
from scraper.fetch import FetchConfig, Fetcher
from scraper.model import Extraction, FetchedPage
from scraper.sources import load_file


def read_source(source: str, fetcher: Fetcher) -> FetchedPage:
    """A file, file:// URL or http(s) URL as a fetched page (an unreadable one has .error)."""
    if source.lower().startswith(("http://", "https://")):
        return fetcher.fetch(source)
    path = source[len("file://") :] if source.startswith("file://") else source
    return load_file(Path(path))


def extract_sources(
    sources: list[str], rules: Rules | None = None, config: FetchConfig | None = None
) -> Iterator[dict[str, Any]]:
    """One extraction dict per source, in order; unreadable sources give a warning, not a crash.

    ``rules`` are the instance's (its rules folder's profiles included); default: the package's.
    ``config``: how to fetch URLs (the app's, see archive.crawling.app_fetch_config).
    """
    rules = rules or load_rules()
    with Fetcher(config or FetchConfig(delay=0.0)) as fetcher:
        for source in sources:
            page = read_source(source, fetcher)
            if page.error:
                result = Extraction(source=source, warnings=[f"source: {page.error}"]).to_dict()
            else:
                result = extract(
                    page.body, page.url, content_type=page.content_type, rules=rules
                ).to_dict()
            result["source"] = source
            yield result

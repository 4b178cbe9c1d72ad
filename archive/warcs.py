"""Which page archive the app uses: the one place a :class:`WarcStore` is chosen.

Every reader and writer of archived pages (runs, re-extraction, the archived-copy page, the
review page, teaching, check, import) asks for its store here, so another implementation
behind :class:`scraper.warc_store.WarcStore` would be a change to this module alone. Today
it is always the local folder ``ARCHIVE_DIR``.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from scraper.warc import LocalWarcStore
from scraper.warc_store import WarcStore


def warc_store(app: Flask | None = None) -> WarcStore:
    """A fresh store on the app's archive (a ``with`` block keeps its read files open)."""
    return LocalWarcStore(Path((app or current_app).config["ARCHIVE_DIR"]))

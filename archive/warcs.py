"""Which page archive the app uses: the one place a :class:`WarcStore` is chosen.

Every reader and writer of archived pages (runs, re-extraction, the archived-copy page, the
review page, teaching, check, import) asks for its store here, so another implementation
behind :class:`scraper.warc_store.WarcStore` would be a change to this module alone. The
default is the local folder ``ARCHIVE_DIR``; :func:`use_store` gives an app another one.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app

from scraper.warc import LocalWarcStore
from scraper.warc_store import WarcStore

#: The app extension holding another store's factory (given the app), for embedding and tests.
FACTORY = "cio_warc_store"


def use_store(app: Flask, factory: Callable[[Flask], WarcStore]) -> None:
    """Make every archive reader and writer of ``app`` use the stores ``factory`` makes."""
    app.extensions[FACTORY] = factory


def warc_store(app: Flask | None = None) -> WarcStore:
    """A fresh store on the app's archive (a ``with`` block keeps its read files open)."""
    app = app or current_app
    factory: Callable[[Flask], WarcStore] | None = app.extensions.get(FACTORY)
    if factory is not None:
        return factory(app)
    return LocalWarcStore(Path(app.config["ARCHIVE_DIR"]))

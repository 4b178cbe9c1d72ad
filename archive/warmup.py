"""Readying a serving process before its first request: the index opened and its per-state
arrays built and the query parser's synonym matcher compiled by one search (together 2.3 s
at 100,000 talks, which the first visitor used to wait), the search page's templates
compiled, then everything made so far set aside from the garbage collector.

A serving process holds about 190,000 container objects that live as long as it does (the
app's modules, templates, SQLAlchemy's mappings, the index's facet arrays). CPython's full
collection walks all of them; at 100,000 talks that took 77–137 ms, landing on one request
in 100 to 150. ``gc.freeze`` moves the objects alive at that moment to a generation
the collector never walks, so later full collections see only what came after. Objects that
were garbage are collected first, so nothing is kept alive by the freeze.
"""

from __future__ import annotations

import gc
import logging
import time

from flask import Flask

from archive import search
from archive.db import get_session

log = logging.getLogger(__name__)


def settle(app: Flask) -> None:
    """One word search through the app and one rendering of the search page (a failure
    is logged, never raised: serving goes on without it), a full collection, then
    ``gc.freeze``."""
    began = time.perf_counter()
    try:
        with app.test_request_context("/"):
            # A word, so the query parser's synonym matcher is compiled now too (0.3 s).
            search.results(get_session(), search.request_from_args({"q": "cio"}))
    except Exception as exc:  # an empty or broken index: the first request finds out
        log.warning("warming the search up before serving failed: %s", exc)
    try:
        with app.test_request_context("/"):
            app.view_functions["search.index"]()  # its templates compiled
    except Exception as exc:
        log.warning("rendering the search page before serving failed: %s", exc)
    gc.collect()
    gc.freeze()
    log.info(
        "ready to serve: %d objects set aside from the garbage collector in %.2f s",
        gc.get_freeze_count(),
        time.perf_counter() - began,
    )

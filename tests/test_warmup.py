"""Readying a serving process (archive.warmup): the index's arrays built by one search, then
the objects alive set aside from the garbage collector."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from flask import Flask

from archive import warmup
from index import facets
from index import search as index_search


@pytest.fixture
def unfrozen() -> Iterator[None]:
    """Leave the test process's collector as it was found."""
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_settle_builds_the_index_arrays_then_freezes(site: Flask, unfrozen: None) -> None:
    # the site is the session's: an earlier test's search may sit in the result cache, and
    # a cached answer reads no index arrays
    index_search._result_cache.clear()
    facets._snapshots.clear()
    assert gc.get_freeze_count() == 0
    warmup.settle(site)
    assert facets._snapshots, "the warm-up search did not read the index"
    assert gc.get_freeze_count() > 1000


def test_settle_survives_an_index_that_cannot_be_searched(
    site: Flask, unfrozen: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("no index")

    monkeypatch.setattr(warmup.search, "results", broken)
    warmup.settle(site)  # logged, not raised
    assert gc.get_freeze_count() > 1000

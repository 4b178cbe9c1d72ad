"""Each thread's open searcher on each index folder, kept current and dropped when it fails.

Opening a searcher costs tens of milliseconds, so it is never done per request: every call
refreshes the thread's searcher (cheap when nothing changed) and reopens it when a rebuild
swapped in a new generation. A damaged index raises :class:`IndexUnreadableError`, never
whatever whoosh tripped over, and the thread's searcher is dropped so the next call opens the
index afresh (a rebuild may have replaced it meanwhile).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.index import EmptyIndexError
from whoosh.searching import Searcher

from index.generations import (
    IndexMissingError,
    IndexUnreadableError,
    current_generation,
    open_current,
    open_searcher,
    reading,
    unreadable,
)
from index.query import make_parser, make_words_parser

log = logging.getLogger(__name__)

_OPEN_ATTEMPTS = 10
_local = threading.local()


class Slot:
    """A thread's open searcher on one index folder and the generation it reads."""

    def __init__(self, generation: Path, searcher: Searcher, version: int | None = None) -> None:
        self.generation = generation
        self.searcher = searcher
        # the whoosh commit (TOC generation) the searcher was opened on: a reader's own
        # generation() is None on an index with no segments, which reopened on every request
        self.version = version
        schema = searcher.schema
        self.parser = make_parser(schema)
        self.words_parser = make_words_parser(schema)

    def __del__(self) -> None:
        # Index files are read through open file handles (no memory maps): a thread that ends
        # without close_searchers() drops its slot here, and the handles are closed with it.
        try:
            if not self.searcher.is_closed:
                self.searcher.close()
        except Exception:  # a finaliser has nobody to report to
            pass


def slot_for(index_dir: Path) -> Slot | None:
    """This thread's searcher on the live generation (None when there is no index).

    A rebuild may swap in a new generation, and a later one delete the old, between reading
    ``CURRENT`` and opening or refreshing; each such race is retried with a fresh look.
    """
    slots: dict[str, Slot] = _local.__dict__.setdefault("slots", {})
    key = os.fspath(index_dir)
    last: Exception | None = None
    for _attempt in range(_OPEN_ATTEMPTS):
        gen = current_generation(Path(index_dir))
        slot = slots.pop(key, None)
        if slot is not None and slot.generation == gen:
            try:
                with reading(gen):
                    _refresh(slot)
            except (EmptyIndexError, OSError) as exc:
                last = exc
                _close_quietly(slot)
                continue
            slots[key] = slot
            return slot
        if slot is not None:
            _close_quietly(slot)
        if gen is None:
            return None
        try:
            gen, ix = open_current(Path(index_dir))
            with reading(gen):
                version = ix.latest_generation()  # read first: a commit meanwhile, one reopen
                slots[key] = Slot(gen, open_searcher(ix), version)
        except (IndexMissingError, EmptyIndexError, OSError) as exc:
            last = exc
            log.debug("retrying to open %s: %s", index_dir, exc)
            continue
        return slots[key]
    raise IndexMissingError(f"could not open the search index in {index_dir}: {last}")


def _refresh(slot: Slot) -> None:
    """Keep the slot's searcher while its commit is the latest, else open one on the latest.

    Not whoosh's ``Searcher.refresh``: it reuses the open reader of every segment whose id it
    still knows, deletions included, so a document replaced in an older segment (a talk
    re-indexed after a correction or a re-scrape) would be found twice, old and new.
    """
    ix = slot.searcher._ix
    if ix is None:
        return
    version = ix.latest_generation()
    if version == slot.version:
        return
    fresh = open_searcher(ix)
    slot.searcher.close()
    slot.searcher, slot.version = fresh, version


def _close_quietly(slot: Slot) -> None:
    try:
        slot.searcher.close()
    except Exception as exc:  # closing a searcher on deleted files must not fail a request
        log.debug("closing an old searcher: %s", exc)


@contextmanager
def guarded(index_dir: Path) -> Iterator[None]:
    """Turn a failure to read the index into IndexUnreadableError and drop the searcher."""
    try:
        yield
    except (IndexUnreadableError, IndexMissingError):
        _forget(index_dir)
        raise
    except Exception as exc:  # whoosh reading a damaged file fails in many ways
        slot = _forget(index_dir)
        where = slot.generation if slot else current_generation(index_dir) or Path(index_dir)
        raise unreadable(where, exc) from exc


def _forget(index_dir: Path) -> Slot | None:
    slots: dict[str, Slot] = _local.__dict__.setdefault("slots", {})
    slot = slots.pop(os.fspath(index_dir), None)
    if slot is not None:
        _close_quietly(slot)
    return slot


def close_searchers() -> None:
    """Close this thread's searchers (tests, and workers before they exit)."""
    slots: dict[str, Slot] = _local.__dict__.setdefault("slots", {})
    for slot in slots.values():
        slot.searcher.close()
    slots.clear()

"""Arrays kept per segment between searches, within a memory budget, least recently used
dropped first.

Segments never change apart from deletions, so what was read or computed from one segment
(a decoded posting list, a phrase's matching documents) stays true for it; the deletions of
the reader at hand are applied on every use (:func:`without_deleted`).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.reading import IndexReader, SegmentReader


class Kept:
    """A thread-safe LRU of tuples of arrays, bounded by their total size in bytes."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[NDArray[Any], ...]] = OrderedDict()
        self._bytes = 0

    def get(self, key: Hashable) -> tuple[NDArray[Any], ...] | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: Hashable, arrays: tuple[NDArray[Any], ...]) -> None:
        size = sum(a.nbytes for a in arrays)
        with self._lock:
            if key in self._entries or size > self.budget:
                return
            self._entries[key] = arrays
            self._bytes += size
            while self._bytes > self.budget:
                _old, dropped = self._entries.popitem(last=False)
                self._bytes -= sum(a.nbytes for a in dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)


def segment_key(reader: IndexReader, *parts: Hashable) -> tuple[Hashable, ...] | None:
    """A key naming ``reader``'s segment and ``parts``; None for a reader of no segment."""
    segment = reader.segment() if isinstance(reader, SegmentReader) else None
    return (segment.segment_id(), *parts) if segment is not None else None


def without_deleted(
    reader: IndexReader, ids: NDArray[np.int64], *aligned: NDArray[Any]
) -> tuple[NDArray[Any], ...]:
    """``ids`` (and arrays aligned with them) without the documents ``reader`` has deleted."""
    deleted = getattr(reader, "deleted_docs_set", None)
    if not deleted or not len(ids):
        return (ids, *aligned)
    keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
    return (ids[keep], *(a[keep] for a in aligned))

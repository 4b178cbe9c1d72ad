"""Filter sets kept across requests: the documents a set of filters allows, and their facet
counts, per index state and change-log position.

Every search with filters needs the mask of the documents they allow (a posting list per
selected value, combined), and a search without query text shows the facet counts of exactly
those documents, whatever its order or page. Both depend on the filters and on what the index
holds, nothing else, so they are worked out once and kept, keyed by:

- the index state: the generation and the reader layout (:func:`index.facets.layout`), which
  moves with every write to the folder, whether or not a change-log entry caused it;
- the position: a token the caller gives for the data the index reflects. The archive passes
  the change-log sequence the folder has applied (``archive.replica``), so each change-log
  entry a node applies retires every kept set of its folder at once.

Entries are kept per folder for one state only: the first lookup with another state drops the
folder's entries before anything is looked up, so nothing computed on an older state can be
served. This module knows neither the database nor the change log: the position is opaque.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from index.facets import Snapshot

Counts = dict[str, list[tuple[str, int]]]
#: Filter sets kept per folder (each a mask of a byte per document: 100 kB at 100,000 talks).
KEEP = 128


@dataclass
class FilterSet:
    """The live documents a filter set allows (a read-only mask) and, once asked for, their
    facet counts."""

    allowed: NDArray[np.bool_]
    _counts: Counts | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def counts(self, snap: Snapshot) -> Counts:
        """Facet counts of the allowed documents, computed on first use and then kept."""
        with self._lock:
            if self._counts is None:
                self._counts = snap.counts(self.allowed)
            return self._counts


@dataclass
class _Folder:
    state: tuple[Hashable, ...]
    sets: OrderedDict[str, FilterSet] = field(default_factory=OrderedDict)


_lock = threading.Lock()
_folders: dict[str, _Folder] = {}


def lookup(
    folder: str,
    state: tuple[Hashable, ...],
    key: str,
    make: Callable[[], NDArray[np.bool_]],
) -> FilterSet:
    """The kept filter set ``key`` (the filter query's repr) of ``folder`` in ``state`` (index
    state and position), made with ``make`` when this state has not seen it yet."""
    with _lock:
        kept = _folders.get(folder)
        if kept is None or kept.state != state:
            kept = _folders[folder] = _Folder(state)  # a new state: everything older goes
        found = kept.sets.get(key)
        if found is not None:
            kept.sets.move_to_end(key)
            return found
    mask = make()
    mask.flags.writeable = False  # shared by every thread; callers combine, never change
    made = FilterSet(mask)
    with _lock:
        if _folders.get(folder) is kept:  # not retired while the mask was being made
            kept.sets[key] = made
            while len(kept.sets) > KEEP:
                kept.sets.popitem(last=False)
    return made


def clear() -> None:
    """Forget every kept filter set (tests, benchmarks)."""
    with _lock:
        _folders.clear()

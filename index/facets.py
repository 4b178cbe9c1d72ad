"""Per-generation arrays of facet values and dates, shared by all threads, for fast counting.

Whoosh's own facet collectors call Python code per matching document and facet; here each
document's facet values are read from the index columns once per index state (per segment, so
an update that adds a small segment re-reads only that one) and kept as tuples of interned
keys, and as two aligned arrays of (document, key) pairs, so counting a result set is one
gather and one ``numpy.bincount``. The same arrays give date orders for browsing without
scoring.
"""

from __future__ import annotations

import heapq
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import chain
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.reading import IndexReader

from index.schema import FACET_FIELDS

_SEP = "\x1f"
_SEGMENT_CACHE_SIZE = 64
_SNAPSHOT_CACHE_SIZE = 4
#: Counting scans every pair once the result set holds more than 1/_SCAN_FROM of the
#: documents (measured at 100,000 talks: gathering costs more from about a third on).
_SCAN_FROM = 3


@dataclass(frozen=True)
class _SegmentData:
    keys: list[tuple[str, ...]]
    newest: list[int]
    oldest: list[int]


@dataclass(frozen=True)
class Snapshot:
    """Facet keys and date sort keys per document number of one index state."""

    keys: list[tuple[str, ...]]
    newest: list[int]
    oldest: list[int]
    live: frozenset[int]
    by_newest: list[int]
    by_oldest: list[int]
    #: ``live`` as a mask over document numbers, for array arithmetic (index.ranking).
    live_mask: NDArray[np.bool_]
    #: Every document's facet keys as numbers (``pair_keys[doc_start[d]:doc_start[d + 1]]``),
    #: numbered by facet and then value, so counting a result set is one gather and one
    #: ``numpy.bincount``; ``key_values[k]`` is the value of key ``k`` and ``facet_ranges``
    #: each facet's run of key numbers.
    doc_start: NDArray[np.int64]
    pair_keys: NDArray[np.int64]
    key_values: list[str]
    facet_ranges: dict[str, tuple[int, int]]
    #: The document of each pair (aligned with ``pair_keys``): a result set holding a large
    #: share of the index is counted by one pass over every pair instead of a gather.
    pair_docs: NDArray[np.int32]
    #: ``key_values`` as an array of objects: a facet's values in count order are picked by
    #: one take, not a Python loop over thousands of organisations.
    value_array: NDArray[np.object_]

    def counts(
        self, docs: Iterable[int] | NDArray[np.int64] | NDArray[np.bool_]
    ) -> dict[str, list[tuple[str, int]]]:
        """Facet name → (value, count) pairs over ``docs`` (document numbers, or a mask over
        them), most frequent first, ties in alphabetical order."""
        mask: NDArray[np.bool_] | None = None
        if isinstance(docs, np.ndarray) and docs.dtype == np.bool_:
            mask = docs.astype(np.bool_, copy=False)
            chosen = np.flatnonzero(mask)
        elif isinstance(docs, np.ndarray):
            chosen = docs.astype(np.int64, copy=False)  # not element by element
        else:
            chosen = np.fromiter(docs, dtype=np.int64)
        size = len(self.doc_start) - 1
        if len(chosen) * _SCAN_FROM > size:
            # A large share of the index: one pass over every pair beats gathering theirs.
            if mask is None or len(mask) != size:
                mask = np.zeros(size, dtype=np.bool_)
                mask[chosen] = True
            picked = self.pair_keys[mask[self.pair_docs]]
        else:
            starts = self.doc_start[chosen]
            lengths = self.doc_start[chosen + 1] - starts
            # The positions of the chosen documents' pairs: each start repeated over its
            # length, plus the offset inside the run.
            ends = np.cumsum(lengths)
            where = np.arange(int(ends[-1]) if len(ends) else 0) + np.repeat(
                starts - ends + lengths, lengths
            )
            picked = self.pair_keys[where]
        tally = np.bincount(picked, minlength=len(self.key_values))
        facets: dict[str, list[tuple[str, int]]] = {}
        for name, (low, high) in self.facet_ranges.items():
            part = tally[low:high]
            found = np.flatnonzero(part)
            # Keys are numbered in value order within a facet, so ``found`` breaks count ties.
            order = found[np.lexsort((found, -part[found]))]
            picked = self.value_array[low + order].tolist()
            facets[name] = list(zip(picked, part[order].tolist(), strict=True))
        return facets

    def ordered(
        self, docs: frozenset[int] | set[int] | None, newest: bool, limit: int
    ) -> list[int]:
        """The first ``limit`` of ``docs`` (None: every live document) in date order."""
        order = self.by_newest if newest else self.by_oldest
        if docs is None:
            return order[:limit]
        if len(docs) * 8 < len(order):
            # A small set: sorting it beats walking the whole date order.
            keys = self.newest if newest else self.oldest
            sign = -1 if newest else 1
            return heapq.nsmallest(limit, docs, key=lambda d: (sign * keys[d], d))
        picked: list[int] = []
        for docnum in order:
            if docnum in docs:
                picked.append(docnum)
                if len(picked) >= limit:
                    break
        return picked


_lock = threading.Lock()
_segments: OrderedDict[tuple[Any, ...], _SegmentData] = OrderedDict()
_snapshots: OrderedDict[tuple[Any, ...], Snapshot] = OrderedDict()


def layout(reader: IndexReader) -> tuple[tuple[str, int, int], ...]:
    """What document numbers mean in ``reader``: its segments in order, each with its size and
    live count (deletions in a segment only grow, so the count pins them down).

    Two readers with the same layout number the same documents alike, whatever generation
    number they report; a reader that kept an older segment's reader across a refresh does
    not share one with a reader freshly opened on the same generation.
    """
    return tuple(
        (_segment_name(leaf), leaf.doc_count_all(), leaf.doc_count())
        for leaf, _base in reader.leaf_readers()
    )


def _segment_name(leaf: IndexReader) -> str:
    segment = leaf.segment()
    return segment.segment_id() if segment is not None else f"reader-{id(leaf)}"


def snapshot(prefix: tuple[Any, ...], reader: IndexReader) -> Snapshot:
    """The snapshot of ``reader``, built once per layout (``prefix`` names the index folder
    and generation; the layout is read from the reader itself, never taken on trust)."""
    state = (*prefix, layout(reader))
    with _lock:
        found = _snapshots.get(state)
        if found is not None:
            _snapshots.move_to_end(state)
            return found
        keys: list[tuple[str, ...]] = []
        newest: list[int] = []
        oldest: list[int] = []
        live: list[int] = []
        for leaf, base in reader.leaf_readers():
            data = _segment(prefix, leaf)
            keys.extend(data.keys)
            newest.extend(data.newest)
            oldest.extend(data.oldest)
            live.extend(base + docnum for docnum in leaf.all_doc_ids())
        # Ties keep document order, so pages are stable from one request to the next.
        by_newest = sorted(live, key=lambda d: -newest[d])
        by_oldest = sorted(live, key=oldest.__getitem__)
        mask = np.zeros(len(keys), dtype=np.bool_)
        mask[np.asarray(live, dtype=np.int64)] = True
        mask.flags.writeable = False  # shared by every thread; callers combine, never change
        built = Snapshot(
            keys, newest, oldest, frozenset(live), by_newest, by_oldest, mask, *_numbered(keys)
        )
        _snapshots[state] = built
        while len(_snapshots) > _SNAPSHOT_CACHE_SIZE:
            _snapshots.popitem(last=False)
        return built


def _numbered(
    keys: list[tuple[str, ...]],
) -> tuple[
    NDArray[np.int64],
    NDArray[np.int64],
    list[str],
    dict[str, tuple[int, int]],
    NDArray[np.int32],
    NDArray[np.object_],
]:
    """The snapshot's numbered keys: document starts, key numbers, values, facet ranges,
    each pair's document, and the values as an array."""
    by_facet: dict[str, list[str]] = {name: [] for name in FACET_FIELDS}
    for key in set(chain.from_iterable(keys)):
        name, value = key.split(_SEP, 1)
        by_facet[name].append(value)
    number: dict[str, int] = {}
    values: list[str] = []
    ranges: dict[str, tuple[int, int]] = {}
    for name, found in by_facet.items():
        low = len(values)
        for value in sorted(found):
            number[f"{name}{_SEP}{value}"] = len(values)
            values.append(value)
        ranges[name] = (low, len(values))
    lengths = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    starts = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(lengths, out=starts[1:])
    pair_keys = np.fromiter(
        map(number.__getitem__, chain.from_iterable(keys)), dtype=np.int64, count=int(starts[-1])
    )
    pair_docs = np.repeat(np.arange(len(keys), dtype=np.int32), lengths)
    value_array = np.empty(len(values), dtype=object)
    value_array[:] = values
    return starts, pair_keys, values, ranges, pair_docs, value_array


def _segment(prefix: tuple[Any, ...], leaf: IndexReader) -> _SegmentData:
    """Column values of one segment (segments never change apart from deletions)."""
    key = (*prefix, _segment_name(leaf))
    found = _segments.get(key)
    if found is not None:
        _segments.move_to_end(key)
        return found
    size = leaf.doc_count_all()
    per_facet = [_facet_keys(leaf, name, field, size) for name, field in FACET_FIELDS.items()]
    keys = [tuple(chain.from_iterable(values)) for values in zip(*per_facet, strict=True)]
    data = _SegmentData(
        keys=keys if keys else [() for _ in range(size)],
        newest=_ints(leaf, "newest", size),
        oldest=_ints(leaf, "oldest", size),
    )
    _segments[key] = data
    while len(_segments) > _SEGMENT_CACHE_SIZE:
        _segments.popitem(last=False)
    return data


def _facet_keys(leaf: IndexReader, name: str, field: str, size: int) -> list[tuple[str, ...]]:
    interned: dict[bytes, str] = {}

    def key(raw: bytes) -> str:
        found = interned.get(raw)
        if found is None:
            found = interned[raw] = f"{name}{_SEP}{raw.decode('utf-8')}"
        return found

    if not leaf.has_column(field):
        return [() for _ in range(size)]
    out: list[tuple[str, ...]] = []
    for value in leaf.column_reader(field, translate=False):
        if isinstance(value, list):
            out.append(tuple(key(v) for v in value if v))
        else:
            out.append((key(value),) if value else ())
    return out


def _ints(leaf: IndexReader, field: str, size: int) -> list[int]:
    if not leaf.has_column(field):
        return [0] * size
    return [int(v) for v in leaf.column_reader(field, translate=True)]


def split_facets(facets: Mapping[str, list[tuple[str, int]]]) -> dict[str, list[tuple[str, int]]]:
    """A copy of facet counts the caller may change without touching the cached lists."""
    return {name: list(pairs) for name, pairs in facets.items()}

"""A term's postings in one segment as two arrays: document numbers and weights.

Whoosh's matcher reads postings one block at a time through small file reads, unpickles the
block, and undoes the delta coding of its document numbers in a Python generator, before any
document is scored; for a word found in thousands of talks that is most of a query's time.
Here the term's whole extent is read at once and each block's document numbers are undone
with a cumulative sum. The block format is Whoosh 2.7's ("W3Bl" header; per block a signed
length, a pickled info tuple, the pickled, maybe compressed, ids/weights/values), which the
project pins; any posting list in another form is read through the matcher instead.
"""

from __future__ import annotations

import io
import pickle
import struct
import threading
import zlib
from collections import OrderedDict
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader, SegmentReader

_BLOCK_LENGTH = struct.Struct("!i")
#: Posting lists at least this long are kept decoded, within ``CACHE_BYTES`` in all.
CACHED_FROM = 1024
CACHE_BYTES = 64 * 1024 * 1024

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str, bytes], tuple[NDArray[np.int32], NDArray[np.float32]]] = (
    OrderedDict()
)
_cached_bytes = 0

Ids = NDArray[np.int64]
Weights = NDArray[np.float64]


def term(reader: IndexReader, fieldname: str, text: bytes) -> tuple[Ids, Weights]:
    """Document numbers (ascending) and weights of one term's postings in one segment
    ``reader``, deleted documents left out.

    Long posting lists are kept decoded (segments never change apart from deletions, which
    are applied on every use), up to a memory budget, least recently used dropped first: a
    word common enough to be costly to decode is also one that many queries share.
    """
    key = _cache_key(reader, fieldname, text)
    found = None
    if key is not None:
        with _lock:
            found = _cache.get(key)
            if found is not None:
                _cache.move_to_end(key)
    if found is not None:
        ids, weights = found[0].astype(np.int64), found[1].astype(np.float64)
        deleted = getattr(reader, "deleted_docs_set", None)
    else:
        ids, weights, deleted = _decode(reader.postings(fieldname, text))
        if key is not None and len(ids) >= CACHED_FROM:
            _remember(key, ids, weights)
    if deleted and len(ids):
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        ids, weights = ids[keep], weights[keep]
    return ids, weights


def _decode(matcher: Matcher) -> tuple[Ids, Weights, Any]:
    """Every posting under ``matcher`` (deleted ones too) and the deleted set it filtered."""
    deleted: Any = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted = matcher._ids
        matcher = matcher.child
    found = _whole_extent(matcher) if isinstance(matcher, W3LeafMatcher) else None
    ids, weights = found if found is not None else _one_by_one(matcher)
    return ids, weights, deleted


def _cache_key(reader: IndexReader, fieldname: str, text: bytes) -> tuple[str, str, bytes] | None:
    segment = reader.segment() if isinstance(reader, SegmentReader) else None
    return (segment.segment_id(), fieldname, text) if segment is not None else None


def _remember(key: tuple[str, str, bytes], ids: Ids, weights: Weights) -> None:
    global _cached_bytes
    entry = (ids.astype(np.int32), weights.astype(np.float32))  # Whoosh's weights are 32-bit
    size = entry[0].nbytes + entry[1].nbytes
    with _lock:
        if key in _cache or size > CACHE_BYTES:
            return
        _cache[key] = entry
        _cached_bytes += size
        while _cached_bytes > CACHE_BYTES:
            _old, (old_ids, old_weights) = _cache.popitem(last=False)
            _cached_bytes -= old_ids.nbytes + old_weights.nbytes


def clear_cache() -> None:
    """Forget every decoded posting list (benchmarks measure decoding from the files)."""
    global _cached_bytes
    with _lock:
        _cache.clear()
        _cached_bytes = 0


def _whole_extent(matcher: W3LeafMatcher) -> tuple[Ids, Weights] | None:
    """Decode every block of the term's extent from one read; None if it is not W3 blocks."""
    if matcher._byteids:
        return None
    extent = matcher._length
    if isinstance(extent, tuple):  # Whoosh 2.7 keeps the extent's length as a 1-tuple
        extent = extent[0]
    raw = matcher._postfile.get(matcher._startoffset, int(extent))
    if raw[: len(WHOOSH3_HEADER_MAGIC)] != WHOOSH3_HEADER_MAGIC:
        return None
    stream = io.BytesIO(raw)
    position = len(WHOOSH3_HEADER_MAGIC)
    ids: list[Ids] = []
    weights: list[Weights] = []
    while position < len(raw):
        (length,) = _BLOCK_LENGTH.unpack_from(raw, position)
        last = length < 0
        following = position + _BLOCK_LENGTH.size + abs(length)
        stream.seek(position + _BLOCK_LENGTH.size)
        count, _maxid, _maxweight, compression, _minlen, _maxlen = pickle.load(stream)
        data = raw[stream.tell() : following]
        block_ids, block_weights, _values = pickle.loads(
            zlib.decompress(data) if compression else data
        )
        ids.append(np.cumsum(np.asarray(block_ids, dtype=np.int64)))
        if block_weights is None:
            weights.append(np.ones(count))
        elif isinstance(block_weights, float):
            weights.append(np.full(count, block_weights))
        else:
            weights.append(np.asarray(block_weights, dtype=np.float64))
        if last:
            break
        position = following
    if not ids:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(ids), np.concatenate(weights)


def _one_by_one(matcher: Matcher) -> tuple[Ids, Weights]:
    """Any other matcher (inlined postings of rare words, other codecs), posting by posting."""
    found: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        found.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(found, dtype=np.int64), np.asarray(weights, dtype=np.float64)

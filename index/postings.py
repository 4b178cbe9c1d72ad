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
import zlib
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3LeafMatcher
from whoosh.matching import Matcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import IndexReader

from index import kept

_BLOCK_LENGTH = struct.Struct("!i")
#: Posting lists at least this long are kept decoded (64 MB in all).
CACHED_FROM = 1024

KEPT = kept.Kept(64 * 1024 * 1024)

Ids = NDArray[np.int64]
Weights = NDArray[np.float64]


def term(reader: IndexReader, fieldname: str, text: bytes) -> tuple[Ids, Weights]:
    """Document numbers (ascending) and weights of one term's postings in one segment
    ``reader``, deleted documents left out.

    Long posting lists are kept decoded (:mod:`index.kept`), up to a memory budget: a word
    common enough to be costly to decode is also one that many queries share.
    """
    key = kept.segment_key(reader, fieldname, text)
    found = KEPT.get(key) if key is not None else None
    if found is not None:
        ids, weights = found[0].astype(np.int64), found[1].astype(np.float64)
    else:
        ids, weights = _decode(reader.postings(fieldname, text))
        if key is not None and len(ids) >= CACHED_FROM:
            # 32-bit is exact: document numbers of a segment, and Whoosh's own weights.
            KEPT.put(key, (ids.astype(np.int32), weights.astype(np.float32)))
    ids, weights = kept.without_deleted(reader, ids, weights)
    return ids, weights


def clear_cache() -> None:
    """Forget every decoded posting list (benchmarks measure decoding from the files)."""
    KEPT.clear()


def with_values(
    reader: IndexReader, fieldname: str, text: bytes
) -> tuple[Ids, Weights, NDArray[np.object_]]:
    """Like :func:`term`, with each posting's encoded value (its positions, for phrases);
    never kept, as values are much bigger than numbers."""
    values: list[Any] = []
    ids, weights = _decode(reader.postings(fieldname, text), values)
    encoded = np.empty(len(values), dtype=object)
    encoded[:] = values
    found, kept_weights, kept_values = kept.without_deleted(reader, ids, weights, encoded)
    return found, kept_weights, kept_values


def _decode(matcher: Matcher, values: list[Any] | None = None) -> tuple[Ids, Weights]:
    """Every posting under ``matcher``, deleted ones too (a deletion filter around it is
    taken off: the caller applies the reader's deletions), values appended when asked."""
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        matcher = matcher.child
    found = _whole_extent(matcher, values) if isinstance(matcher, W3LeafMatcher) else None
    if found is None:
        if values is not None:
            values.clear()
        found = _one_by_one(matcher, values)
    return found


def _whole_extent(
    matcher: W3LeafMatcher, values: list[Any] | None = None
) -> tuple[Ids, Weights] | None:
    """Decode every block of the term's extent from one read (each posting's encoded value
    appended to ``values`` when given); None if it is not W3 blocks."""
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
        block_ids, block_weights, block_values = pickle.loads(
            zlib.decompress(data) if compression else data
        )
        if values is not None:
            values.extend(block_values)
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


def _one_by_one(matcher: Matcher, values: list[Any] | None = None) -> tuple[Ids, Weights]:
    """Any other matcher (inlined postings of rare words, other codecs), posting by posting."""
    found: list[int] = []
    weights: list[float] = []
    while matcher.is_active():
        found.append(matcher.id())
        weights.append(matcher.weight())
        if values is not None:
            values.append(matcher.value())
        matcher.next()
    return np.asarray(found, dtype=np.int64), np.asarray(weights, dtype=np.float64)

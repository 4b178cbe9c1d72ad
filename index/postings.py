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

_BLOCK_LENGTH = struct.Struct("!i")

Ids = NDArray[np.int64]
Weights = NDArray[np.float64]


def arrays(matcher: Matcher) -> tuple[Ids, Weights]:
    """Document numbers (ascending) and weights of the postings ``matcher`` reads, without
    the documents a deletion filter around it leaves out."""
    deleted: Any = None
    if isinstance(matcher, FilterMatcher) and matcher._exclude:
        deleted = matcher._ids
        matcher = matcher.child
    found = _whole_extent(matcher) if isinstance(matcher, W3LeafMatcher) else None
    ids, weights = found if found is not None else _one_by_one(matcher)
    if deleted and len(ids):
        keep = ~np.isin(ids, np.fromiter(deleted, dtype=np.int64, count=len(deleted)))
        ids, weights = ids[keep], weights[keep]
    return ids, weights


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

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
        quick = None if values is not None else _numbers_only(data, bool(compression), count)
        if quick is not None:
            ids.append(np.cumsum(quick[0]))
            weights.append(quick[1])
        else:
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


#: How a pickled block (protocol 2) of more than three postings begins: the protocol, then
#: the mark of the tuple of delta-coded document numbers.
_BLOCK_START = b"\x80\x02("
#: The end of that tuple: TUPLE, then BINPUT 0 (it is the first object the pickle memoises).
_IDS_END = b"tq\x00"
#: A weight in a pickled tuple of weights: BINFLOAT and eight big-endian bytes.
_FLOAT = np.dtype([("op", "u1"), ("value", ">f8")])
#: What may follow the weights: the values as a tuple (MARK or EMPTY_TUPLE), None, or one
#: bytes object (GLOBAL: protocol 2 pickles bytes by a call to ``_codecs.encode``).
_VALUES_START = (b"(", b")", b"N", b"c")


def _numbers_only(data: bytes, compressed: bool, count: int) -> tuple[Ids, Weights] | None:
    """A block's delta-coded document numbers and its weights without unpickling the rest.

    The pickled block is ``(ids, weights, values)`` in that order, and ``values`` (a bytes
    object per posting: the positions of a text field) costs most of the unpickling while
    scoring a term never reads it. So only the head of the block is decompressed (at most
    what numbers and weights can take), the numbers are unpickled alone, and a tuple of
    weights, fixed-width floats, is read as an array. Anything not in exactly that shape
    (three postings or fewer, integers for weights, a count that disagrees) answers None
    and the caller unpickles the whole block, so the result never differs from it.
    """
    if count <= 3:
        return None
    # Numbers take at most five bytes each (BININT), weights nine; plus marks and memo codes.
    limit = 14 * count + 16
    head = zlib.decompressobj().decompress(data, limit) if compressed else data[:limit]
    if not head.startswith(_BLOCK_START):
        return None
    end = head.find(_IDS_END, len(_BLOCK_START))
    if end < 0:
        return None
    try:
        numbers = pickle.loads(head[: end + len(_IDS_END)] + b".")
    except pickle.UnpicklingError:
        return None
    if not isinstance(numbers, tuple) or len(numbers) != count:
        return None
    at = end + len(_IDS_END)
    kind = head[at : at + 1]
    if kind == b"N":  # every weight 1.0
        weights = np.ones(count)
    elif kind == b"G":  # one weight shared by every posting...
        if head[at + 9 : at + 10] not in _VALUES_START:  # ...not the first of a short tuple
            return None
        weights = np.full(count, struct.unpack_from(">d", head, at + 1)[0])
    elif kind == b"(":
        stop = at + 1 + _FLOAT.itemsize * count
        if head[stop : stop + 1] != b"t":
            return None
        floats = np.frombuffer(head, dtype=_FLOAT, count=count, offset=at + 1)
        if not (floats["op"] == ord("G")).all():
            return None
        weights = floats["value"].astype(np.float64)
    else:
        return None
    return np.asarray(numbers, dtype=np.int64), weights


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

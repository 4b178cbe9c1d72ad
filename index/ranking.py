"""Relevance ranking of a parsed query with array arithmetic instead of a matcher per document.

Whoosh scores a query by walking a tree of matchers in Python, one call chain per matching
document and clause; at 100,000 talks a common word matches thousands of documents in three
fields each, and a never-seen query spends most of its time there. Here each term's postings
are read block by block into arrays, BM25F is computed for the whole block at once with the
same statistics Whoosh uses (global idf and average field length, each document's encoded
field length), and ``And`` / ``Or`` become sums over dense per-document arrays. The result
is the set of matching documents and their scores, equal to Whoosh's own up to the order in
which floating-point sums are added.

Anything this module does not evaluate itself (phrases, prefixes, ranges, ``Not``, coordinated
``Or``) is evaluated by Whoosh's own matcher for that clause, so every query gets an answer
with Whoosh's meaning; only the common clauses are fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.reading import IndexReader, SegmentReader
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from index import kept, postings

_LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float64)
#: Decoded field lengths per segment and field, 64 MB in all (8 bytes a document).
LENGTHS = kept.Kept(64 * 1024 * 1024)
#: Phrase matches per segment (document numbers and scores), 16 MB in all.
PHRASES = kept.Kept(16 * 1024 * 1024)

Mask = NDArray[np.bool_]
Scores = NDArray[np.float64]


@dataclass(frozen=True)
class Ranking:
    """Matching document numbers (ascending) and their scores, aligned."""

    docs: NDArray[np.int64]
    scores: Scores

    def top(self, limit: int) -> list[tuple[int, float]]:
        """The ``limit`` best documents, highest score first, ties by document number (the
        order Whoosh's collector gives)."""
        if limit <= 0 or not len(self.docs):
            return []
        if limit < len(self.docs):
            # Everything scoring at least the limit-th best score, then an exact sort of those.
            cut = np.partition(self.scores, len(self.scores) - limit)[len(self.scores) - limit]
            picked = np.flatnonzero(self.scores >= cut)
        else:
            picked = np.arange(len(self.docs))
        order = picked[np.lexsort((self.docs[picked], -self.scores[picked]))][:limit]
        return [
            (int(d), float(s)) for d, s in zip(self.docs[order], self.scores[order], strict=True)
        ]


def rank(searcher: Searcher, q: wq.Query, allowed: Mask | None = None) -> Ranking:
    """Every document matching ``q`` (and ``allowed``, a mask over document numbers) with its
    relevance score under the searcher's weighting."""
    mask, scores = _evaluate(searcher, q, searcher.doc_count_all(), scored=True)
    if allowed is not None:
        mask &= allowed
    docs = np.flatnonzero(mask)
    return Ranking(docs.astype(np.int64), scores[docs])


def matching(searcher: Searcher, q: wq.Query) -> Mask:
    """The mask of documents matching ``q`` (filters, date-ordered browsing): the clauses
    ranking does not evaluate itself are matched without scoring."""
    return _evaluate(searcher, q, searcher.doc_count_all(), scored=False)[0]


def _evaluate(searcher: Searcher, q: wq.Query, size: int, scored: bool) -> tuple[Mask, Scores]:
    if isinstance(q, wq.Term):
        return _term(searcher, q, size, scored)
    if type(q) is wq.Phrase and q.slop == 1 and len(q.words) > 1 and _positional(searcher, q):
        return _phrase(searcher, q, size, scored)
    if type(q) in (wq.And, wq.Or) and _plain(q):
        parts = [_evaluate(searcher, sub, size, scored) for sub in q.subqueries]
        if not parts:
            return np.zeros(size, dtype=np.bool_), np.zeros(size)
        masks = [m for m, _ in parts]
        combine = np.logical_and if isinstance(q, wq.And) else np.logical_or
        mask = combine.reduce(masks)
        scores = np.sum([s for _, s in parts], axis=0)
        scores[~mask] = 0.0
        if q.boost != 1.0:
            scores *= q.boost
        return mask, scores
    return _by_matcher(searcher, q, size, scored)


def _positional(searcher: Searcher, q: wq.Phrase) -> bool:
    """A phrase on a field that keeps positions (Whoosh refuses any other)."""
    try:
        field = searcher.schema[q.fieldname]
    except KeyError:
        return False
    return bool(field.format) and bool(field.format.supports("positions"))


def _plain(q: wq.CompoundQuery) -> bool:
    """An ``Or`` without a coordination bonus or a minimum match (those need Whoosh)."""
    return not getattr(q, "scale", None) and not getattr(q, "minmatch", 0)


def _term(searcher: Searcher, q: wq.Term, size: int, scored: bool) -> tuple[Mask, Scores]:
    mask = np.zeros(size, dtype=np.bool_)
    scores = np.zeros(size)
    schema = searcher.schema
    if q.fieldname not in schema:
        return mask, scores
    try:
        text = schema[q.fieldname].to_bytes(q.text)
    except ValueError:
        return mask, scores
    if (q.fieldname, text) not in searcher.reader():
        return mask, scores
    scorer = searcher.weighting.scorer(searcher, q.fieldname, text)
    if not isinstance(scorer, (BM25FScorer, WeightScorer)):
        return _by_matcher(searcher, q, size, scored)
    for leaf, offset in searcher.leaf_searchers():
        reader = leaf.reader()
        if (q.fieldname, text) not in reader:
            continue
        ids, weights = postings.term(reader, q.fieldname, text)
        if not scored:
            mask[ids + offset] = True
            continue
        mask[ids + offset] = True
        scores[ids + offset] = _scored(scorer, weights, reader, q.fieldname, ids)
    if q.boost != 1.0:
        scores *= q.boost
    return mask, scores


def _scored(
    scorer: Any, weights: Scores, reader: IndexReader, fieldname: str, ids: NDArray[np.int64]
) -> Scores:
    """BM25F (or the plain weight, for a field without lengths) of postings of one term."""
    if not isinstance(scorer, BM25FScorer):
        return weights
    lengths = _lengths(reader, fieldname)[ids]
    norm = scorer.K1 * ((1 - scorer.B) + scorer.B * lengths / scorer.avgfl)
    return np.asarray(scorer.idf * ((weights * (scorer.K1 + 1)) / (weights + norm)))


def _phrase(searcher: Searcher, q: wq.Phrase, size: int, scored: bool) -> tuple[Mask, Scores]:
    """Words at consecutive positions (Whoosh's phrase of slop 1): the documents holding every
    word found as arrays, their positions compared one candidate at a time; scored, as
    Whoosh does, by the sum of the words' own scores times the phrase's boost."""
    mask = np.zeros(size, dtype=np.bool_)
    scores = np.zeros(size)
    field = searcher.schema[q.fieldname]
    try:
        words = [field.to_bytes(word) for word in q.words]
    except ValueError:
        return mask, scores
    reader = searcher.reader()
    if any((q.fieldname, word) not in reader for word in words):
        return mask, scores
    scorers = [searcher.weighting.scorer(searcher, q.fieldname, word) for word in words]
    if not all(isinstance(s, (BM25FScorer, WeightScorer)) for s in scorers):
        return _by_matcher(searcher, q, size, scored)
    for leaf, offset in searcher.leaf_searchers():
        sub = leaf.reader()
        if any((q.fieldname, word) not in sub for word in words):
            continue
        key = kept.segment_key(sub, "phrase", q.fieldname, tuple(words))
        hit = PHRASES.get(key) if key is not None else None
        if hit is None:
            found, total = _phrase_in_segment(sub, field, q.fieldname, words, scorers)
            if key is not None:
                PHRASES.put(key, (found.astype(np.int32), total))
        else:
            found, total = hit[0].astype(np.int64), hit[1]
        found, total = kept.without_deleted(sub, found, total)
        mask[found + offset] = True
        scores[found + offset] = total * q.boost
    return mask, scores


def _phrase_in_segment(
    reader: IndexReader, field: Any, fieldname: str, words: list[bytes], scorers: list[Any]
) -> tuple[NDArray[np.int64], Scores]:
    """One segment's documents with the words at consecutive positions, and their scores
    before the phrase's boost. Kept per segment (``PHRASES``): the phrases of theme labels
    that synonyms add to queries recur in query after query."""
    decode = field.format.decode_positions
    lists = [postings.with_values(reader, fieldname, word) for word in words]
    common = lists[0][0]
    for ids, _weights, _values in lists[1:]:
        common = np.intersect1d(common, ids, assume_unique=True)
    if not len(common):
        return common, np.zeros(0)
    where = [np.searchsorted(ids, common).tolist() for ids, _w, _v in lists]
    keep = np.zeros(len(common), dtype=np.bool_)
    for k in range(len(common)):
        starts = set(decode(lists[0][2][where[0][k]]))
        for i in range(1, len(lists)):
            following = set(decode(lists[i][2][where[i][k]]))
            starts = {p for p in starts if p + i in following}
            if not starts:
                break
        keep[k] = bool(starts)
    found = common[keep]
    total = np.zeros(len(found))
    for scorer, (ids, weights, _values) in zip(scorers, lists, strict=True):
        at = np.searchsorted(ids, found)
        total += _scored(scorer, weights[at], reader, fieldname, found)
    return found, total


def _by_matcher(searcher: Searcher, q: wq.Query, size: int, scored: bool) -> tuple[Mask, Scores]:
    """Whoosh's own matcher for a clause this module does not evaluate (exact, slower);
    unscored, only its document numbers are read (as Whoosh's filters do)."""
    mask = np.zeros(size, dtype=np.bool_)
    scores = np.zeros(size)
    for leaf, offset in searcher.leaf_searchers():
        matcher = q.matcher(leaf)
        if not scored:
            ids = np.fromiter(matcher.all_ids(), dtype=np.int64)
            mask[ids + offset] = True
            continue
        found: list[int] = []
        values: list[float] = []
        while matcher.is_active():
            found.append(matcher.id())
            values.append(matcher.score())
            matcher.next()
        if found:
            where = np.asarray(found, dtype=np.int64) + offset
            mask[where] = True
            scores[where] = values
    return mask, scores


def _lengths(reader: IndexReader, fieldname: str) -> NDArray[np.float64]:
    """Every document's encoded length of ``fieldname`` in one segment (decoded), read once
    per segment (``LENGTHS``): segments never change apart from deletions."""
    key = kept.segment_key(reader, "lengths", fieldname)
    found = LENGTHS.get(key) if key is not None else None
    if found is not None:
        return found[0]
    size = reader.doc_count_all()
    column = None
    if isinstance(reader, SegmentReader):
        column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
    # Whoosh's default length for a field without a lengths column is 1.
    lengths = np.ones(size) if column is None else _LENGTH_OF_BYTE[_length_codes(column, size)]
    if key is not None:
        LENGTHS.put(key, (lengths,))
    return lengths


def _length_codes(column: Any, size: int) -> NDArray[np.uint8]:
    """The one-byte length codes of a lengths column: its bytes as they lie in the file when
    it is the fixed one-byte column Whoosh 2.7 writes, else read one document at a time."""
    if getattr(column, "_fixedlen", None) == 1 and hasattr(column, "_dbfile"):
        count = min(size, column._count)
        codes = np.zeros(size, dtype=np.uint8)
        if count:
            raw = column._dbfile.get(column._basepos, count)
            codes[:count] = np.frombuffer(raw, dtype=np.uint8)
        return codes
    return np.fromiter((column[d] for d in range(size)), dtype=np.uint8, count=size)

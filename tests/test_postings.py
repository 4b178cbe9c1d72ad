"""Decoding posting lists as arrays (index.postings): the head-only read of a block (numbers
and weights, the positions skipped) must give exactly what unpickling the whole block gives,
and fall back to that for any block not in the shape it expects."""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from indexdocs import talk

from index import postings, writer
from index.searchers import close_searchers, slot_for


def _full(block: bytes, compressed: bool) -> tuple[np.ndarray, np.ndarray]:
    """The reference: the whole block unpickled, as the slow path reads it."""
    ids, weights, _values = pickle.loads(zlib.decompress(block) if compressed else block)
    count = len(ids)
    if weights is None:
        w = np.ones(count)
    elif isinstance(weights, float):
        w = np.full(count, weights)
    else:
        w = np.asarray(weights, dtype=np.float64)
    return np.asarray(ids, dtype=np.int64), w


def _block(ids: tuple[int, ...], weights: object, values: object, compressed: bool) -> bytes:
    """A block pickled as Whoosh 2.7 writes it (protocol 2, maybe zlib-compressed)."""
    data = pickle.dumps((ids, weights, values), 2)
    return zlib.compress(data, 3) if compressed else data


def _deltas(rng: random.Random, count: int, big: bool) -> tuple[int, ...]:
    """Delta-coded document numbers: the first absolute, the rest small gaps (some large)."""
    first = rng.randint(0, 200_000 if big else 200)
    gaps = [rng.choice((1, 2, 3, 300, 70_000)) if big else rng.randint(1, 9) for _ in range(count)]
    return (first, *gaps[1:])


@pytest.mark.parametrize("compressed", [True, False])
@pytest.mark.parametrize("big", [True, False])
@pytest.mark.parametrize("count", [4, 5, 17, 128])
@pytest.mark.parametrize("kind", ["tuple", "none", "one"])
def test_head_read_equals_the_whole_block(
    compressed: bool, big: bool, count: int, kind: str
) -> None:
    rng = random.Random(count * 7 + big)
    ids = _deltas(rng, count, big)
    weights: object = {
        "tuple": tuple(float(rng.randint(1, 9)) + rng.random() for _ in range(count)),
        "none": None,
        "one": 2.5,
    }[kind]
    values = tuple(bytes(rng.randrange(256) for _ in range(rng.randint(0, 12))) for _ in ids)
    block = _block(ids, weights, values, compressed)
    quick = postings._numbers_only(block, compressed, count)
    assert quick is not None, "a block in Whoosh's usual shape was not read quickly"
    expected = _full(block, compressed)
    assert np.array_equal(quick[0], expected[0])
    assert np.array_equal(quick[1], expected[1])
    assert quick[1].dtype == np.float64


@pytest.mark.parametrize(
    ("ids", "weights"),
    [
        ((5, 1, 2), (1.0, 2.0, 3.0)),  # three postings: pickled without a mark
        ((5, 1, 2, 4), (1, 2, 3, 4)),  # integer weights are not fixed-width floats
        ((5, 1, 2, 4), (1.5, 2.0, 3.0)),  # fewer weights than postings
        ((5, 1, 2, 4), 3),  # one integer weight
    ],
)
def test_other_shapes_fall_back(ids: tuple[int, ...], weights: object) -> None:
    block = _block(ids, weights, tuple(b"x" for _ in ids), compressed=True)
    assert postings._numbers_only(block, True, len(ids)) is None


def test_a_count_that_disagrees_falls_back() -> None:
    block = _block((5, 1, 2, 4, 1), (1.0, 2.0, 3.0, 4.0, 5.0), (b"",) * 5, compressed=False)
    assert postings._numbers_only(block, False, 6) is None
    assert postings._numbers_only(block, False, 5) is not None


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """An index whose common words have posting lists of many blocks, in two segments."""
    rng = random.Random(3)
    words = ["cloud", "bank", "data", "patient", "energy", "retail", "network", "risk"]

    def doc(number: int) -> dict[str, object]:
        text = " ".join(rng.choice(words) for _ in range(rng.randint(1, 40)))
        return talk(
            number,
            text[:30],
            url=f"https://example.org/{number}",
            abstract=text,
            speakers=["Anna Berg"],
            organisations=["Cloud Group"],
        )

    folder = tmp_path_factory.mktemp("postings") / "index"
    writer.rebuild(folder, [doc(n) for n in range(1, 1201)], procs=1)
    writer.update(folder, [doc(n) for n in range(1190, 1301)])
    yield folder
    close_searchers()


def test_term_postings_equal_whooshs_matcher(
    index_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every posting list of the body field read as arrays equals Whoosh's own reading of it,
    document by document and weight by weight, deletions left out."""
    quick: list[bool] = []
    head_read = postings._numbers_only

    def counted(data: bytes, compressed: bool, count: int) -> object:
        found = head_read(data, compressed, count)
        quick.append(found is not None)
        return found

    monkeypatch.setattr(postings, "_numbers_only", counted)
    slot = slot_for(index_dir)
    assert slot is not None
    postings.clear_cache()
    checked = 0
    for leaf, _offset in slot.searcher.leaf_searchers():
        reader = leaf.reader()
        for text in list(reader.field_terms("body")):
            ids, weights = postings.term(reader, "body", text)
            matcher = reader.postings("body", text)
            expected: list[tuple[int, float]] = []
            while matcher.is_active():
                if not reader.is_deleted(matcher.id()):
                    expected.append((matcher.id(), matcher.weight()))
                matcher.next()
            assert ids.tolist() == [d for d, _ in expected], text
            assert weights.tolist() == [w for _, w in expected], text
            checked += 1
    assert checked >= 8
    assert sum(quick) >= 8, "the blocks were not read by their heads"

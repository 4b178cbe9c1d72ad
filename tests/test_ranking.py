"""The array ranking (index.ranking) gives Whoosh's own matches and scores for every kind of
query the search box and the filters produce, on an index of several segments with deletions."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from whoosh import query as wq

from index import postings, ranking, writer
from index.query import filter_query, make_parser, make_words_parser, parse_user_query
from index.searchers import close_searchers, slot_for

WORDS = [
    *("cloud", "bank", "hospital", "patient", "records", "data", "platform", "security"),
    *("strategy", "leadership", "transformation", "sundhed", "sikkerhed", "ledelse"),
    *("digital", "shipping", "energy", "retail", "public", "sector", "analytics", "network"),
    *("procurement", "outsourcing", "identity"),
]
INDUSTRIES = ["Health care", "Financial services", "Energy", "Public sector"]
THEMES = ["Health care IT", "Cloud computing", "IT security", "Data & analytics"]
NAMES = ["Anna Berg", "Per Nielsen", "Mette Holm", "Jonas Lind", "Sara Quist"]


def _doc(number: int, rng: random.Random) -> dict[str, Any]:
    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    return {
        "id": number,
        "url": f"https://example.org/talks/{number}",
        "title": words(rng.randint(2, 6)),
        "topic": "",
        "abstract": words(rng.randint(5, 60)),
        "speakers": [rng.choice(NAMES)],
        "bios": words(rng.randint(0, 20)),
        "organisations": [f"{rng.choice(WORDS).title()} Group"],
        "industries": rng.sample(INDUSTRIES, rng.randint(0, 2)),
        "themes": rng.sample(THEMES, rng.randint(0, 2)),
        "language": rng.choice(("en", "da")),
        "date": dt.date(2010 + number % 12, 1 + number % 12, 1 + number % 27),
        "series": None,
        "location": None,
    }


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A rebuilt index of 400 talks, then two updates (new segments, replaced documents) and
    a deletion, so documents are spread over segments and some are deleted."""
    rng = random.Random(11)
    folder = tmp_path_factory.mktemp("ranking") / "index"
    writer.rebuild(folder, [_doc(n, rng) for n in range(1, 401)], procs=1)
    writer.update(folder, [_doc(n, rng) for n in range(380, 431)])
    writer.update(folder, [_doc(n, rng) for n in (5, 17, 431, 432)])
    writer.delete(folder, [3, 40, 41, 399])
    yield folder
    close_searchers()


QUERIES = [
    "cloud",
    "cloud bank",
    "patient records",
    "cloud OR energy",
    "cloud AND NOT bank",
    '"patient records"',
    '"patient records data"',
    '"data data"',
    '"public sector" cloud',
    'theme:"cloud computing"',
    'theme:"health care it" OR security',
    "secur*",
    "speaker:Nielsen",
    "org:cloud",
    "title:strategy data",
    "(cloud OR hospital) AND sikkerhed",
    "ledelse^2 digital",
    "nosuchword",
    "cloud nosuchword",
]


def _whoosh(searcher: Any, q: wq.Query, fq: wq.Query | None) -> dict[int, float]:
    results = searcher.search(q, filter=fq, limit=None, terms=False)
    return {hit.docnum: hit.score for hit in results}


@pytest.mark.parametrize("text", QUERIES)
@pytest.mark.parametrize("filtered", [False, True])
def test_array_ranking_matches_whoosh(index_dir: Path, text: str, filtered: bool) -> None:
    slot = slot_for(index_dir)
    assert slot is not None
    searcher = slot.searcher
    assert len(searcher.reader().leaf_readers()) > 1 and searcher.reader().has_deletions()
    q, _ = parse_user_query(make_parser(searcher.schema), make_words_parser(searcher.schema), text)
    assert q is not None
    fq = filter_query({"industry": ["Health care", "Energy"]}) if filtered else None
    expected = _whoosh(searcher, q, fq)
    reader = searcher.reader()
    allowed = np.array([not reader.is_deleted(d) for d in range(searcher.doc_count_all())])
    if fq is not None:
        allowed &= ranking.matching(searcher, fq)
    found = ranking.rank(searcher, q, allowed)
    got = dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))
    assert set(got) == set(expected)
    for docnum, score in expected.items():
        assert got[docnum] == pytest.approx(score, rel=1e-6)
    # The top of the list is Whoosh's order (ties: lower document number first).
    whoosh_order = sorted(expected, key=lambda d: (-round(expected[d], 9), d))[:20]
    ours = [d for d, _ in found.top(20)]
    assert [round(expected[d], 6) for d in ours] == [round(expected[d], 6) for d in whoosh_order]


def test_top_breaks_ties_by_document_number() -> None:
    found = ranking.Ranking(np.array([2, 5, 7, 9]), np.array([1.0, 3.0, 3.0, 0.5]))
    assert found.top(3) == [(5, 3.0), (7, 3.0), (2, 1.0)]
    assert found.top(10) == [(5, 3.0), (7, 3.0), (2, 1.0), (9, 0.5)]
    assert found.top(0) == []


def test_matching_gives_the_filter_set(index_dir: Path) -> None:
    slot = slot_for(index_dir)
    assert slot is not None
    searcher = slot.searcher
    fq = filter_query({"industry": ["Health care"]}, dt.date(2012, 1, 1), dt.date(2016, 12, 31))
    assert fq is not None
    live = {d for d in range(searcher.doc_count_all()) if not searcher.reader().is_deleted(d)}
    expected = set(searcher.docs_for_query(fq)) & live
    got = set(np.flatnonzero(ranking.matching(searcher, fq)).tolist()) & live
    assert got == expected and got


def test_kept_posting_lists_follow_later_deletions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A decoded posting list is kept across searches; a talk deleted afterwards (same
    segment, one more deletion) is left out of the next search all the same."""
    monkeypatch.setattr(postings, "CACHED_FROM", 1)
    postings.clear_cache()
    rng = random.Random(5)
    folder = tmp_path / "index"
    writer.rebuild(folder, [_doc(n, rng) for n in range(1, 121)], procs=1)
    q = wq.Term("body", "cloud")

    def ours() -> dict[int, float]:
        slot = slot_for(folder)
        assert slot is not None
        searcher = slot.searcher
        found = ranking.rank(searcher, q)  # no mask of live documents: postings decide
        expected = _whoosh(searcher, q, None)
        got = dict(zip(found.docs.tolist(), found.scores.tolist(), strict=True))
        assert got.keys() == expected.keys()
        assert list(got.values()) == pytest.approx([expected[d] for d in got])
        return {int(searcher.stored_fields(d)["id"]): s for d, s in got.items()}

    first = ours()
    assert len(postings.KEPT), "the posting list was not kept"
    victim = next(iter(first))
    writer.delete(folder, [victim])
    second = ours()
    assert victim not in second and set(second) == set(first) - {victim}
    close_searchers()
    postings.clear_cache()

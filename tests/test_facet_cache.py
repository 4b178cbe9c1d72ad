"""Filter sets and their facet counts kept across requests (index.filtersets): served again
for the same filters, index state and change-log position, and never after any of the three
changed (an applied change-log entry, or an index write the log did not cause)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from flask import Flask
from indexdocs import talk
from sqlalchemy import select

from archive import changelog, replica
from archive import search as archive_search
from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Talk
from archive.samples import sample_dir
from index import facets, filtersets, ranking, writer
from index.search import SearchRequest, close_searchers, search
from index.searchers import slot_for


def doc(talk_id: int, industries: list[str], year: int) -> dict[str, Any]:
    return talk(
        talk_id,
        f"Talk {talk_id} on cloud platforms",
        abstract="Cloud platforms and data.",
        speakers=[f"Speaker {talk_id % 3}"],
        organisations=[f"Org {talk_id % 4}"],
        industries=industries,
        date=dt.date(year, 1, 1 + talk_id % 27),
    )


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    """Twelve talks, half in health care, over three years; nothing kept from other tests."""
    index_dir = tmp_path / "index"
    docs = [doc(n, ["Health care"] if n % 2 else ["Energy"], 2010 + n % 3) for n in range(1, 13)]
    writer.rebuild(index_dir, docs, procs=1)
    filtersets.clear()
    yield index_dir
    close_searchers()
    filtersets.clear()


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    """How often filter masks and facet counts are worked out from the index."""
    counted = {"matching": 0, "counts": 0}
    matching, counts = ranking.matching, facets.Snapshot.counts

    def counting_matching(*args: Any) -> Any:
        counted["matching"] += 1
        return matching(*args)

    def counting_counts(self: facets.Snapshot, docs: Any) -> Any:
        counted["counts"] += 1
        return counts(self, docs)

    monkeypatch.setattr(ranking, "matching", counting_matching)
    monkeypatch.setattr(facets.Snapshot, "counts", counting_counts)
    return counted


def health(**extra: Any) -> SearchRequest:
    return SearchRequest(industry=["Health care"], **extra)


def test_filter_counts_are_kept_across_requests_orders_and_pages(
    folder: Path, calls: dict[str, int]
) -> None:
    first = search(folder, health(), position=5)
    assert calls == {"matching": 1, "counts": 1}
    assert first.total == 6
    assert dict(first.facets["industry"]) == {"Health care": 6}
    for request in (health(sort="oldest"), health(page=2, per_page=4), health(per_page=3)):
        again = search(folder, request, position=5)
        assert again.total == first.total
        assert again.facets == first.facets
    assert calls == {"matching": 1, "counts": 1}, "the kept filter set was worked out again"


def test_a_query_reuses_the_kept_mask_but_counts_its_own_matches(
    folder: Path, calls: dict[str, int]
) -> None:
    search(folder, health(), position=5)
    found = search(folder, health(q="cloud"), position=5)
    assert calls["matching"] == 1, "the filters' mask was worked out again"
    assert found.total == 6
    assert calls["counts"] == 2  # the query's matches are counted, not the filters'


def test_a_new_position_retires_what_was_kept(folder: Path, calls: dict[str, int]) -> None:
    """A change-log entry applied (the position moves) drops the folder's kept sets even
    when the index itself did not move."""
    state = ("generation", ("layout",))
    kept = filtersets.lookup(str(folder), (*state, 7), "f", lambda: np.ones(3, dtype=np.bool_))
    assert filtersets.lookup(str(folder), (*state, 7), "f", lambda: np.zeros(3, np.bool_)) is kept
    moved = filtersets.lookup(str(folder), (*state, 8), "f", lambda: np.zeros(3, np.bool_))
    assert moved is not kept and not moved.allowed.any()
    # The older position's set is gone, not merely shadowed.
    back = filtersets.lookup(str(folder), (*state, 7), "f", lambda: np.zeros(3, np.bool_))
    assert back is not kept

    search(folder, health(), position=1)
    search(folder, health(), position=2)
    assert calls == {"matching": 2, "counts": 2}


def test_an_index_write_without_a_log_entry_is_not_served_stale(
    folder: Path, calls: dict[str, int]
) -> None:
    before = search(folder, health(), position=3)
    writer.update(folder, [doc(40, ["Health care"], 2012), doc(41, ["Health care"], 2012)])
    after = search(folder, health(), position=3)
    assert after.total == before.total + 2
    assert dict(after.facets["industry"])["Health care"] == 8
    assert dict(after.facets["year"])["2012"] == dict(before.facets["year"])["2012"] + 2


def test_kept_counts_are_not_changed_by_what_a_caller_does_with_them(folder: Path) -> None:
    first = search(folder, health(), position=1)
    first.facets["industry"].clear()
    assert dict(search(folder, health(), position=1).facets["industry"]) == {"Health care": 6}


def test_a_change_log_entry_applied_by_the_node_updates_the_counts(app: Flask) -> None:
    """Through the archive: hiding a talk writes a change-log row; once the node applied it,
    the same filtered search counts one talk fewer (nothing kept from before is served)."""
    report = Ingest(app).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    index_dir = Path(app.config["INDEX_DIR"])
    with new_session(app) as db:
        talk = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).first()
        assert talk is not None and talk.date is not None
        talk_id, year = talk.id, str(talk.date.year)

    def counts() -> tuple[int, dict[str, int]]:
        with app.test_request_context("/"), new_session(app) as db:
            page = archive_search.run(db, archive_search.request_from_args({"year": year}))
            return page.result.total, dict(page.result.facets["year"])

    total, years = counts()
    assert counts() == (total, years)  # served again from what was kept
    seq = archive_search.position(index_dir)
    with new_session(app) as db:
        hidden = db.get(Talk, talk_id)
        assert hidden is not None
        hidden.hidden = True
        changelog.record(db, [talk_id])
        db.commit()
    assert counts() == (total, years), "the node has not applied the entry yet"
    with new_session(app) as db:
        applied = replica.catch_up(db, index_dir)
    assert applied is not None and applied.changes == 1
    assert archive_search.position(index_dir) == (seq or 0) + 1
    after_total, after_years = counts()
    assert after_total == total - 1
    assert after_years.get(year, 0) == years[year] - 1


@pytest.mark.parametrize("scan_from", [1, 3, 10**9])
def test_counts_agree_however_the_result_set_is_given_or_counted(
    folder: Path, monkeypatch: pytest.MonkeyPatch, scan_from: int
) -> None:
    """Counting by one pass over every pair or by gathering the chosen documents' pairs, from
    a mask, an array or a set of document numbers: the same counts as tallying by hand."""
    monkeypatch.setattr(facets, "_SCAN_FROM", scan_from)
    writer.update(folder, [doc(50, ["Health care", "Energy"], 2011)])  # a second segment
    slot = slot_for(folder)
    assert slot is not None
    snap = facets.snapshot((str(folder), slot.generation.name), slot.searcher.reader())
    rng = np.random.default_rng(scan_from)
    for share in (0.0, 0.2, 0.5, 1.0):
        mask = (rng.random(len(snap.keys)) < share) & snap.live_mask
        expected: dict[str, dict[str, int]] = {}
        for docnum in np.flatnonzero(mask).tolist():
            for key in snap.keys[docnum]:
                name, value = key.split("\x1f", 1)
                expected.setdefault(name, {}).setdefault(value, 0)
                expected[name][value] += 1
        ids = np.flatnonzero(mask)
        for given in (mask, ids, set(ids.tolist())):
            found = snap.counts(given)
            assert {k: dict(v) for k, v in found.items() if v} == expected
            for pairs in found.values():  # most frequent first, ties alphabetical
                assert pairs == sorted(pairs, key=lambda p: (-p[1], p[0]))

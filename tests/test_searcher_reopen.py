"""The searcher is reopened when the index changed, and only then (opens counted)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_search import talk
from whoosh.index import FileIndex

from index import searchers, writer
from index.search import SearchRequest, close_searchers, search


@pytest.fixture
def opens(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every searcher opened on an index, by any path (first open or reopen)."""
    close_searchers()
    opened: list[int] = []
    real = searchers.open_searcher

    def counting(ix: FileIndex) -> Any:
        opened.append(1)
        return real(ix)

    monkeypatch.setattr(searchers, "open_searcher", counting)
    yield opened
    close_searchers()


@pytest.mark.parametrize(
    "docs", [[talk(1, "Cloud strategy"), talk(2, "Cloud security")], []], ids=["talks", "empty"]
)
def test_an_unchanged_index_is_opened_once(
    tmp_path: Path, opens: list[int], docs: list[dict[str, Any]]
) -> None:
    writer.rebuild(tmp_path, docs)
    for _ in range(25):
        assert search(tmp_path, SearchRequest(q="cloud")).total == len(docs)
        assert search(tmp_path, SearchRequest()).total == len(docs)
    assert len(opens) == 1


def test_a_commit_reopens_the_searcher_once(tmp_path: Path, opens: list[int]) -> None:
    writer.rebuild(tmp_path, [talk(1, "Cloud strategy")])
    assert search(tmp_path, SearchRequest(q="cloud")).total == 1
    writer.update(tmp_path, [talk(2, "Cloud migration")])
    for _ in range(10):
        assert search(tmp_path, SearchRequest(q="cloud")).total == 2
    assert len(opens) == 2
    writer.delete(tmp_path, [1])
    for _ in range(10):
        assert search(tmp_path, SearchRequest(q="cloud")).total == 1
    assert len(opens) == 3


def test_a_new_generation_reopens_the_searcher_once(tmp_path: Path, opens: list[int]) -> None:
    writer.rebuild(tmp_path, [])
    assert search(tmp_path, SearchRequest()).total == 0
    writer.rebuild(tmp_path, [talk(1, "Cloud strategy"), talk(2, "Ports")])
    for _ in range(10):
        assert search(tmp_path, SearchRequest()).total == 2
    assert len(opens) == 2

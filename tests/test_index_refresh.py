"""A searcher kept open across index updates sees replaced documents once, not twice."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from indexdocs import talk

from index import writer
from index.search import SearchRequest, close_searchers, search


def doc(talk_id: int, title: str, organisation: str) -> dict[str, Any]:
    return talk(talk_id, title, organisations=[organisation])


@pytest.fixture(autouse=True)
def _close_searchers() -> Iterator[None]:
    yield
    close_searchers()


def test_an_open_searcher_sees_each_replaced_document_once(tmp_path: Path) -> None:
    writer.update(tmp_path, [doc(1, "Cloud at a bank", "Fenwick Bank"), doc(2, "Ports", "Havn")])
    assert search(tmp_path, SearchRequest()).total == 2  # this thread's searcher is now open
    writer.update(tmp_path, [doc(1, "Cloud at a bank", "Fenwick Bank plc")])
    result = search(tmp_path, SearchRequest())
    assert result.total == 2
    assert dict(result.facets["organisation"]) == {"Fenwick Bank plc": 1, "Havn": 1}
    assert search(tmp_path, SearchRequest(q="cloud")).total == 1

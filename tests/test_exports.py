"""CSV, JSON and BibTeX exports: same parameters as the search page, every match, streamed."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from flask.testing import FlaskClient

from archive.spreadsheet import BOM, cell
from archive.views import exports
from archive.views.exports import CSV_COLUMNS

SEARCHES = [
    {},
    {"q": "health care"},
    {"theme": "Health care IT"},
    {"industry": "Health care", "year": "2014"},
    {"q": "cloud", "sort": "oldest"},
    {"from": "2015", "to": "2018-06"},
    {"q": "((( broken", "lang": "da"},
    {"q": "nothing-matches-this-zzzz"},
]


def api_ids(client: FlaskClient, params: dict[str, str]) -> list[int]:
    """Every matching id through the API, page by page (the reference for the exports)."""
    ids: list[int] = []
    page = 1
    while True:
        data = client.get("/api/v1/talks", query_string={**params, "page": page, "per_page": 7})
        body = data.get_json()
        ids += [r["id"] for r in body["results"]]
        if page * 7 >= body["total"]:
            return ids
        page += 1


@pytest.mark.parametrize("params", SEARCHES)
def test_csv_export_has_every_match_in_order(client: FlaskClient, params: dict[str, str]) -> None:
    response = client.get("/export.csv", query_string={**params, "page": "3", "per_page": "2"})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.is_streamed
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert [int(r["id"]) for r in rows] == api_ids(client, params)
    for row in rows:
        assert set(row) == set(CSV_COLUMNS)
        assert row["url"].startswith("http://archive.test/talks/")


@pytest.mark.parametrize("params", SEARCHES[:4])
def test_json_export_is_the_contract(client: FlaskClient, params: dict[str, str]) -> None:
    response = client.get("/export.json", query_string=params)
    assert response.mimetype == "application/json" and response.is_streamed
    talks = json.loads(response.get_data(as_text=True))
    assert [t["id"] for t in talks] == api_ids(client, params)
    for talk in talks[:3]:
        assert talk == {
            **client.get(f"/api/v1/talks/{talk['id']}").get_json(),
            "url": talk["url"],
        }


def test_bibtex_export(client: FlaskClient) -> None:
    response = client.get("/export.bib", query_string={"theme": "Health care IT"})
    assert response.mimetype == "application/x-bibtex"
    text = response.get_data(as_text=True)
    entries = re.findall(r"^@misc\{(\w+),", text, re.M)
    assert len(entries) == len(api_ids(client, {"theme": "Health care IT"})) >= 2
    assert len(set(entries)) == len(entries)
    assert text.count("{") == text.count("}")


def test_export_pages_through_the_index_in_chunks(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "CHUNK", 4)
    calls: list[int] = []
    real_run = exports.search.run

    def counting_run(session, request):  # type: ignore[no-untyped-def]
        calls.append(request.per_page)
        return real_run(session, request)

    monkeypatch.setattr(exports.search, "run", counting_run)
    text = client.get("/export.csv").get_data(as_text=True).removeprefix(BOM)
    rows = list(csv.DictReader(io.StringIO(text)))
    total = client.get("/api/v1/talks").get_json()["total"]
    assert len(rows) == total > 8
    assert len({r["id"] for r in rows}) == total
    assert calls.count(4) == -(-total // 4)


def test_search_page_links_to_exports_with_its_parameters(client: FlaskClient) -> None:
    html = client.get("/?q=health+care&theme=Health+care+IT&page=2&per_page=5").get_data(
        as_text=True
    )
    assert "Export:" in html
    for fmt in ("csv", "json", "bib"):
        link = re.search(rf'href="(/export\.{fmt}\?[^"]*)"', html)
        assert link, fmt
        url = link.group(1).replace("&amp;", "&")
        assert "q=health+care" in url and "theme=Health+care+IT" in url
        assert "page=" not in url


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=HYPERLINK(1)", "'=HYPERLINK(1)"),
        ("+1", "'+1"),
        ("@x", "'@x"),
        ("-1", "'-1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("CIO = boss", "CIO = boss"),
        ("plain", "plain"),
        (None, ""),
    ],
)
def test_csv_cells_never_start_a_formula(value: str | None, expected: str) -> None:
    assert cell(value) == expected

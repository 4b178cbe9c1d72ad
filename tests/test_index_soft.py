"""An index that fails soft (issue 13, rows 3 and 4).

Row 3: one truncated segment file. The process must not die (no memory-mapped reads), the
site, the API, exports and autocomplete answer from the database with a notice, ``check``
names the broken generation and file, ``check --repair`` builds a new one, and a scrape
rebuilds it instead of refusing to run. Row 4: facet counts stay consistent while the index
changes under concurrent searches.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import add_admin, set_hidden, signed_in_client
from flask import Flask
from sqlalchemy import select
from test_index_refresh import doc

from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Talk
from archive.samples import sample_dir
from index import facets, writer
from index.generations import open_current, open_reader
from index.search import SearchRequest, close_searchers, search

NOTICE = "Search index unavailable — results from the database, facets off."


@pytest.fixture(autouse=True)
def _close_searchers() -> Iterator[None]:
    yield
    close_searchers()


def truncate_largest_segment(index_dir: Path) -> Path:
    """Cut the live generation's largest segment file to half its size; returns the file."""
    gen = writer.current_generation(index_dir)
    assert gen is not None
    segment = max(gen.glob("*.seg"), key=lambda p: p.stat().st_size)
    os.truncate(segment, segment.stat().st_size // 2)
    return segment


@pytest.fixture
def broken(app: Flask) -> tuple[Flask, Path]:
    """The app loaded with the samples, then one segment of its index cut in half."""
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    close_searchers()
    return app, truncate_largest_segment(Path(app.config["INDEX_DIR"]))


# -- no memory maps ------------------------------------------------------------------------------

SERVING = """
import os, sys
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_index_refresh import doc
from index import writer
from index.search import SearchRequest, search

index_dir = Path({index_dir!r})
writer.rebuild(index_dir, [doc(i, f"Cloud talk {{i}}", "Org") for i in range(1, 2000)], procs=1)
print(search(index_dir, SearchRequest(q="cloud")).total)
segment = next(writer.current_generation(index_dir).glob("*.seg"))
os.truncate(segment, 1000)  # under the searcher this thread keeps open
for words in ("talk", "cloud 7", ""):
    try:
        search(index_dir, SearchRequest(q=words, page=2))
    except Exception as exc:
        print(type(exc).__name__, exc)
"""


def test_a_segment_truncated_under_an_open_searcher_does_not_kill_the_process(
    tmp_path: Path,
) -> None:
    script = SERVING.format(tests=str(Path(__file__).parent), index_dir=str(tmp_path / "ix"))
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parent.parent,
    )
    # With memory-mapped segments the reads past the new end are SIGBUS (-7): no Python left.
    assert done.returncode == 0, (done.returncode, done.stderr[-2000:])
    lines = done.stdout.splitlines()
    assert lines[0] == "1999"
    assert len(lines) == 4 and all(line.startswith("IndexUnreadableError ") for line in lines[1:])
    assert "cannot be read" in lines[1] and "check --repair" in lines[1]


# -- the site answers from the database ----------------------------------------------------------


def test_search_page_answers_from_the_database_with_a_notice(
    broken: tuple[Flask, Path], caplog: pytest.LogCaptureFixture
) -> None:
    app, segment = broken
    client = app.test_client()
    response = client.get("/?q=health")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert NOTICE in page
    with new_session(app) as db:
        health = db.scalars(
            select(Talk).where(Talk.hidden.is_(False), Talk.abstract.ilike("%health%"))
        ).all()
    assert health and all(f"/talks/{talk.id}-" in page for talk in health[:5])
    assert any(segment.parent.name in r.getMessage() for r in caplog.records)


def test_api_talk_pages_exports_and_suggest_answer_with_a_broken_index(
    broken: tuple[Flask, Path],
) -> None:
    app, _segment = broken
    client = app.test_client()
    with new_session(app) as db:
        visible = db.scalars(select(Talk).where(Talk.hidden.is_(False)).order_by(Talk.id)).all()
        speaker = visible[0].appearances[0].speaker.name
    api = client.get("/api/v1/talks", query_string={"per_page": "100"})
    assert api.status_code == 200
    body = api.get_json()
    assert body["notice"] == NOTICE
    assert body["total"] == len(visible)
    assert {r["id"] for r in body["results"]} == {t.id for t in visible}
    assert all(counts == [] for counts in body["facets"].values())
    dated = [r["date"] for r in body["results"] if r["date"]]
    assert dated == sorted(dated, reverse=True)  # newest first, as the notice says

    talk = client.get(f"/talks/{visible[0].id}", follow_redirects=True)
    assert talk.status_code == 200 and (visible[0].topic or visible[0].title) in talk.get_data(
        as_text=True
    )
    export = client.get("/export.csv")
    assert export.status_code == 200
    assert len(export.get_data(as_text=True).strip().splitlines()) > len(visible)  # header too
    suggest = client.get("/api/v1/suggest", query_string={"q": speaker.split()[0]})
    assert suggest.status_code == 200 and speaker in suggest.get_json()
    industries = client.get("/industries")
    assert industries.status_code == 200 and NOTICE in industries.get_data(as_text=True)


def test_filters_apply_in_the_database_search(broken: tuple[Flask, Path]) -> None:
    app, _segment = broken
    with new_session(app) as db:
        talks = db.scalars(select(Talk).where(Talk.hidden.is_(False))).all()
    industry = Counter(i for t in talks for i in t.industries).most_common(1)[0][0]
    year = Counter(t.date.year for t in talks if t.date).most_common(1)[0][0]
    client = app.test_client()
    by_industry = client.get("/api/v1/talks", query_string={"industry": industry}).get_json()
    assert by_industry["total"] == sum(industry in t.industries for t in talks)
    by_year = client.get("/api/v1/talks", query_string={"year": str(year)}).get_json()
    assert by_year["total"] == sum(bool(t.date and t.date.year == year) for t in talks)


def test_hiding_a_talk_with_a_broken_index_hides_it_from_the_database_search(
    broken: tuple[Flask, Path],
) -> None:
    app, _segment = broken
    with new_session(app) as db:
        talk_id = db.scalars(select(Talk.id).where(Talk.hidden.is_(False))).first()
    assert talk_id is not None
    add_admin(app)
    set_hidden(signed_in_client(app), talk_id, True)
    found = app.test_client().get("/api/v1/talks", query_string={"per_page": "100"}).get_json()
    assert talk_id not in {r["id"] for r in found["results"]}


# -- check, repair, scrape -----------------------------------------------------------------------


def test_check_names_the_broken_generation_and_repair_builds_a_new_one(
    broken: tuple[Flask, Path],
) -> None:
    app, segment = broken
    runner = app.test_cli_runner()
    checked = runner.invoke(args=["check"])
    assert checked.exit_code == 1, checked.output
    assert f"{segment.parent.name}/{segment.name}" in checked.output
    assert "truncated" in checked.output

    repaired = runner.invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "Aborted" not in repaired.output
    assert "rebuilt the search index" in repaired.output
    live = writer.current_generation(Path(app.config["INDEX_DIR"]))
    assert live is not None and live.name != segment.parent.name
    again = runner.invoke(args=["check", "--json"])
    assert again.exit_code == 0 and json.loads(again.output)["found"] == []
    api = app.test_client().get("/api/v1/talks").get_json()
    assert "notice" not in api and any(api["facets"].values())


def test_scrape_rebuilds_a_broken_index_instead_of_refusing(broken: tuple[Flask, Path]) -> None:
    app, segment = broken
    result = app.test_cli_runner().invoke(args=["scrape", str(sample_dir())])
    assert result.exit_code == 0, result.output
    live = writer.current_generation(Path(app.config["INDEX_DIR"]))
    assert live is not None and live.name != segment.parent.name
    with new_session(app) as db:
        visible = len(db.scalars(select(Talk.id).where(Talk.hidden.is_(False))).all())
    assert writer.document_count(Path(app.config["INDEX_DIR"])) == visible


def test_cli_search_says_where_its_answers_came_from(broken: tuple[Flask, Path]) -> None:
    app, _segment = broken
    result = app.test_cli_runner().invoke(args=["search", "health"])
    assert result.exit_code == 0, result.output
    assert NOTICE in result.output and "talks" in result.output


# -- facet counts under concurrent writes --------------------------------------------------------


def _talks(count: int) -> list[dict[str, Any]]:
    return [doc(i, f"Cloud talk {i}", f"Org {i % 4}") for i in range(1, count + 1)]


def test_a_facet_snapshot_belongs_to_the_reader_it_was_built_from(tmp_path: Path) -> None:
    """Two readers that a caller names alike (same folder and generation label) but that number
    documents differently each get counts of their own documents."""
    writer.update(tmp_path, _talks(3))
    _gen, ix = open_current(tmp_path)
    first = open_reader(ix)
    writer.update(tmp_path, [doc(10, "Ports", "Havn"), doc(11, "Rail", "Havn")])
    second = open_reader(ix)
    try:
        label = (str(tmp_path), "generation label")
        assert facets.snapshot(label, first).counts(first.all_doc_ids())["organisation"] == [
            ("Org 1", 1),
            ("Org 2", 1),
            ("Org 3", 1),
        ]
        counted = facets.snapshot(label, second).counts(second.all_doc_ids())
        assert dict(counted["organisation"]) == {"Havn": 2, "Org 1": 1, "Org 2": 1, "Org 3": 1}
    finally:
        first.close()
        second.close()


def test_searches_stay_consistent_while_a_talk_is_deleted_and_added_again(
    tmp_path: Path,
) -> None:
    talks = _talks(200)
    writer.rebuild(tmp_path, talks, procs=1)
    stop = threading.Event()
    errors: Counter[str] = Counter()
    answers: list[tuple[int, int]] = []

    def searching(offset: int) -> None:
        queries = ["cloud", "", "talk 7", "cloud talk"]
        i = offset
        while not stop.is_set():
            request = SearchRequest(q=queries[i % 4], sort=("relevance", "newest")[i % 2])
            try:
                result = search(tmp_path, request)
            except Exception as exc:  # every failure is counted, none may happen
                errors[f"{type(exc).__name__}: {exc}"] += 1
            else:
                answers.append((result.total, sum(n for _v, n in result.facets["organisation"])))
            i += 1
        close_searchers()

    threads = [threading.Thread(target=searching, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    try:
        for _round in range(30):
            writer.delete(tmp_path, [7])
            writer.update(tmp_path, [talks[6]])
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert len(answers) >= 30
    assert all(total == counted for total, counted in answers)  # one organisation per talk

"""`cio-talks check`: database, index and archive agree; drift is found, reported and repaired."""

from __future__ import annotations

import json
from pathlib import Path

from flask import Flask
from sqlalchemy import select

from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Page, Talk
from archive.samples import sample_dir
from archive.store import talk_document
from index import writer
from index.schema import to_fields


def check(app: Flask, *args: str) -> tuple[int, dict]:
    result = app.test_cli_runner().invoke(args=["check", "--json", *args])
    return result.exit_code, json.loads(result.output)


def test_clean_archive_passes(app: Flask) -> None:
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    code, found = check(app)
    assert code == 0 and found["found"] == []
    assert found["talks"] == found["indexed"] == found["pages_read"] > 30


def test_index_drift_is_found_and_repaired(app: Flask) -> None:
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    index_dir = Path(app.config["INDEX_DIR"])
    with new_session(app) as session:
        talks = session.scalars(select(Talk).order_by(Talk.id)).all()
        missing, stale, doubled = talks[0], talks[1], talks[2]
        writer.delete(index_dir, [missing.id])
        writer.update(index_dir, [{**talk_document(stale), "title": "An outdated title"}])
        orphan = {**talk_document(doubled), "id": 99999}
        writer.update(index_dir, [orphan])
        _gen, ix = writer.open_current(index_dir)
        w = ix.writer()
        w.add_document(**to_fields(talk_document(doubled)))  # a second copy of one talk
        w.commit()
        ix.close()
    code, found = check(app)
    assert code == 1
    kinds = {(p["kind"], p["talk_id"]) for p in found["found"]}
    assert kinds == {
        ("missing", missing.id),
        ("stale", stale.id),
        ("duplicate", doubled.id),
        ("orphan", 99999),
    }
    stale_detail = next(p["detail"] for p in found["found"] if p["kind"] == "stale")
    assert "title" in stale_detail

    result = app.test_cli_runner().invoke(args=["check", "--repair"])
    assert result.exit_code == 0, result.output
    assert "removed 1 orphan" in result.output and "re-indexed 3 talk(s)" in result.output
    assert "0 problem(s) remain" in result.output
    assert check(app)[0] == 0
    assert writer.document_count(index_dir) == len(talks)


def test_archive_problems_are_reported_not_repaired(app: Flask) -> None:
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    with new_session(app) as session:
        talk = session.scalars(select(Talk).order_by(Talk.id)).first()
        assert talk is not None and talk.page_id is not None
        page = session.get(Page, talk.page_id)
        assert page is not None
        page.content_hash = "0" * 64
        other = session.scalars(select(Talk).order_by(Talk.id.desc())).first()
        assert other is not None
        other.page_id = None
        session.commit()
        broken = {("archive", talk.id), ("no_page", other.id)}
    code, found = check(app)
    assert code == 1
    assert {(p["kind"], p["talk_id"]) for p in found["found"]} == broken
    code, found = check(app, "--repair")
    assert code == 1
    assert any("cannot repair" in line for line in found["repaired"])
    assert {(p["kind"], p["talk_id"]) for p in found["remaining"]} == broken

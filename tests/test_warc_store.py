"""Every reader and writer of the page archive goes through the WarcStore interface: with an
in-memory store in place of the folder, runs, re-extraction, the archived copy, the review
page, check and import work, and the archive folder is never touched."""

from __future__ import annotations

import copy
import dataclasses
import itertools
from pathlib import Path

import pytest
from adminkit import add_admin, signed_in_client
from conftest import make_app
from flask import Flask
from sqlalchemy import select

from archive import check, transfer
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest
from archive.models import Page, Talk
from archive.samples import sample_dir
from archive.warcs import FACTORY, use_store, warc_store
from scraper.model import FetchedPage
from scraper.warc import RecordRef, payload_digest


class MemoryStore:
    """Records kept in a dict shared by every store the factory makes (one 'bucket')."""

    def __init__(self, bucket: dict[str, FetchedPage], counter: itertools.count[int]) -> None:
        self.bucket = bucket
        self.counter = counter
        self.reads = 0

    def write(self, page: FetchedPage, request_headers: dict[str, str] | None = None) -> RecordRef:
        name = f"memory/{next(self.counter):06d}"
        self.bucket[name] = dataclasses.replace(page)
        return RecordRef(name, 0, len(page.body), f"<urn:{name}>", payload_digest(page.body))

    def write_revisit(self, page: FetchedPage, original: RecordRef) -> RecordRef:
        return self.write(dataclasses.replace(page, body=self.bucket[original.path].body))

    def read(self, ref: RecordRef) -> FetchedPage:
        self.reads += 1
        if ref.path not in self.bucket:
            raise ValueError(f"no record {ref.path}")
        return dataclasses.replace(self.bucket[ref.path])

    def name_problem(self, name: str) -> str | None:
        return None if name.startswith("memory/") else "is not a record of this bucket"

    def close(self) -> None:
        return None

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture
def bucket(app: Flask) -> dict[str, FetchedPage]:
    """The app's archive as an in-memory bucket."""
    records: dict[str, FetchedPage] = {}
    counter = itertools.count(1)
    use_store(app, lambda _app: MemoryStore(records, counter))
    return records


def test_runs_and_readers_use_the_configured_store(
    app: Flask, bucket: dict[str, FetchedPage]
) -> None:
    report = Ingest(app).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    assert not Path(app.config["ARCHIVE_DIR"]).exists()  # the folder was never written
    with new_session(app) as db:
        paths = set(db.scalars(select(Page.warc_path)))
        talk = db.scalar(select(Talk).order_by(Talk.id))
        assert talk is not None
    assert paths == set(bucket) and len(paths) == report.counts["fetched"]

    archived = app.test_client().get(f"/talks/{talk.id}/archived")
    assert archived.status_code == 200
    assert (talk.topic or talk.title or "") in archived.get_data(as_text=True)

    again = Ingest(app).reextract()
    assert again.exit_code == 0 and again.counts["failed"] == 0, again.events

    with new_session(app) as db:
        result = check.run_check(db, app.config["INDEX_DIR"], warc_store(app))
        with_pages = len(list(db.scalars(select(Talk.id).where(Talk.page_id.is_not(None)))))
    assert with_pages > 0 and result.pages_read == with_pages
    assert [p for p in result.problems if p.kind in ("archive", "no_page")] == []

    add_admin(app)
    review = signed_in_client(app).get("/admin/review")
    assert review.status_code == 200


def test_a_record_missing_from_the_store_is_reported_by_check(
    app: Flask, bucket: dict[str, FetchedPage]
) -> None:
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    with new_session(app) as db:
        talk = db.scalar(select(Talk).order_by(Talk.id))
        assert talk is not None and talk.page is not None
        lost = talk.page.warc_path
    del bucket[str(lost)]
    with new_session(app) as db:
        result = check.run_check(db, app.config["INDEX_DIR"], warc_store(app))
    assert [(p.kind, p.talk_id) for p in result.problems] == [("archive", talk.id)]
    assert app.test_client().get(f"/talks/{talk.id}/archived").status_code == 404


def test_an_import_asks_the_store_which_record_names_it_accepts(
    app: Flask, bucket: dict[str, FetchedPage], tmp_path: Path
) -> None:
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    with new_session(app) as db:
        document = transfer.export_document(db)
    target = make_app(tmp_path / "target", f"sqlite:///{tmp_path / 'target.sqlite3'}")
    use_store(target, app.extensions[FACTORY])  # the same bucket, seen from another node
    upgrade(engine_of(target))
    try:
        bad = copy.deepcopy(document)
        bad["pages"][0]["warc_path"] = "cio-talks-20261207000000-00000.warc.gz"
        refused = pytest.raises(transfer.TransferError, match="is not a record of this bucket")
        with new_session(target) as db, refused:
            transfer.import_document(db, bad, warc_store(target))
        with new_session(target) as db:
            counts = transfer.import_document(db, document, warc_store(target))
            db.commit()
            talk_id = db.scalar(select(Talk.id).where(Talk.page_id.is_not(None)))
        assert counts["pages"] == len(bucket)
        assert target.test_client().get(f"/talks/{talk_id}/archived").status_code == 200
    finally:
        engine_of(target).dispose()

"""Scrape runs over saved pages: idempotence, bad input, reports, re-extraction, locking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from archive.db import new_session
from archive.ingest import Ingest, Options, page_problem
from archive.lock import RunLock
from archive.models import Page, Run, RunEvent, Speaker, Talk
from archive.report import summary
from archive.samples import sample_dir
from scraper.model import FetchedPage


def count(app: Flask, model: type) -> int:
    with new_session(app) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_second_run_creates_nothing(app: Flask) -> None:
    first = Ingest(app).scrape([str(sample_dir())])
    assert first.exit_code == 0, first.events
    assert first.counts["new"] >= 30
    assert first.counts["skipped"] >= 3  # listing, news, about pages
    talks, pages = count(app, Talk), count(app, Page)
    second = Ingest(app).scrape([str(sample_dir())])
    assert (second.counts["new"], second.counts["changed"]) == (0, 0)
    assert "0 new, 0 changed" in summary(second)[0]
    assert (count(app, Talk), count(app, Page)) == (talks, pages)
    assert count(app, Run) == 2


def test_same_speaker_on_two_pages_is_one_record(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    original = sample_dir() / "buchwaldt-2014.html"
    shutil.copy(original, folder / "a.html")
    shutil.copy(original, folder / "b.html")
    report = Ingest(app).scrape([str(folder)])
    assert report.counts["new"] == 2
    assert count(app, Speaker) == 1


BAD_PAGES = [
    ("empty.html", b"", "empty page"),
    ("binary.html", bytes(range(256)) * 40, "binary content"),
    ("blank.html", b"   \n\n  ", "empty page"),
]


def test_bad_input_is_reported_and_the_run_goes_on(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    for name, body, _reason in BAD_PAGES:
        (folder / name).write_bytes(body)
    shutil.copy(sample_dir() / "buchwaldt-2014.html", folder / "good.html")
    report = Ingest(app).scrape([str(folder), str(tmp_path / "missing.html")])
    assert report.exit_code == 1
    assert report.counts["new"] == 1
    reasons = {
        Path(url).name: detail for url, outcome, detail in report.events if outcome == "failed"
    }
    for name, _body, reason in BAD_PAGES:
        assert reason in reasons[name]
    assert "no such file" in reasons["missing.html"]
    with new_session(app) as session:
        failed = session.scalars(select(RunEvent).where(RunEvent.outcome == "failed")).all()
        assert len(failed) == 4 and all(e.detail for e in failed)


@pytest.mark.parametrize(
    ("page", "reason"),
    [
        (
            FetchedPage("u", 200, b"%PDF-1.4 \x00\x01", {"Content-Type": "application/pdf"}),
            "binary content (application/pdf)",
        ),
        (
            FetchedPage("u", 200, b"just text", {"Content-Type": "text/plain"}),
            "not an HTML page (text/plain)",
        ),
        (FetchedPage("u", 500, b"oops", {}), "HTTP 500"),
        (FetchedPage("u", 0, b"", {}, error="timeout after 30 s"), "timeout after 30 s"),
        (FetchedPage("u", 200, b"<html><p>ok</p></html>", {"Content-Type": "text/html"}), None),
    ],
)
def test_page_problem(page: FetchedPage, reason: str | None) -> None:
    assert page_problem(page) == reason


def test_nothing_usable_exits_2(app: Flask, tmp_path: Path) -> None:
    report = Ingest(app).scrape([str(tmp_path / "nope")])
    assert report.exit_code == 2
    assert "no such file" in (report.fatal or "")


def test_second_run_while_locked_exits_2_naming_the_holder(app: Flask) -> None:
    lock = RunLock(app.config["LOCK_FILE"])
    lock.acquire(kind="scrape", run=41)
    try:
        report = Ingest(app).scrape([str(sample_dir())])
    finally:
        lock.release()
    assert report.exit_code == 2
    assert "run 41" in (report.fatal or "")


def test_dry_run_writes_nothing(app: Flask) -> None:
    report = Ingest(app, Options(dry_run=True)).scrape([str(sample_dir())])
    assert report.counts["new"] >= 30
    assert count(app, Talk) == 0 and count(app, Run) == 0
    assert not any(Path(app.config["ARCHIVE_DIR"]).glob("*.warc.gz"))


def test_reextract_rebuilds_from_the_archive(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    page = folder / "talk.html"
    shutil.copy(sample_dir() / "buchwaldt-2014.html", page)
    Ingest(app).scrape([str(folder)])
    page.unlink()  # no source left: only the WARC archive has the bytes
    with new_session(app) as session:
        talk = session.scalars(select(Talk)).one()
        talk.extracted = {**talk.extracted, "topic": "stale"}
        session.commit()
    report = Ingest(app).reextract()
    assert report.exit_code == 0
    assert report.counts["changed"] == 1
    with new_session(app) as session:
        assert session.scalars(select(Talk)).one().topic == (
            "Investing 1+ billion DKK in Health Care IT"
        )

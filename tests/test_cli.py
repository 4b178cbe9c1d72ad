"""The ``cio-talks`` command line through click's CliRunner."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskCliRunner

from archive.samples import sample_dir


def test_help_lists_the_commands(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["--help"])
    assert result.exit_code == 0
    for name in (
        "scrape",
        "extract",
        "reextract",
        "reindex",
        "search",
        "serve",
        "demo",
        "runs",
        "db",
        "speakers",
    ):
        assert name in result.output


def test_scrape_search_runs_round_trip(runner: FlaskCliRunner, tmp_path: Path) -> None:
    result = runner.invoke(args=["scrape", str(sample_dir())])
    assert result.exit_code == 0, result.output
    assert " new," in result.output
    again = runner.invoke(args=["scrape", str(sample_dir())])
    assert "0 new, 0 changed" in again.output
    found = runner.invoke(args=["search", "health", "care", "--json"])
    data = json.loads(found.output)
    assert data["total"] >= 4
    assert "Health care IT" in data["results"][0]["themes"]
    runs = runner.invoke(args=["runs"])
    assert runs.output.count("scrape") == 2
    shown = runner.invoke(args=["runs", "show", "1"])
    assert "skipped: " in shown.output and "not an event page" in shown.output


def test_scrape_exit_codes(runner: FlaskCliRunner, tmp_path: Path) -> None:
    (tmp_path / "bad.html").write_bytes(b"")
    shutil.copy(sample_dir() / "buchwaldt-2014.html", tmp_path / "good.html")
    partial = runner.invoke(args=["scrape", str(tmp_path)])
    assert partial.exit_code == 1
    assert "failed: " in partial.output and "empty page" in partial.output
    nothing = runner.invoke(args=["scrape", str(tmp_path / "missing")])
    assert nothing.exit_code == 2


def test_extract_json_prints_the_contract(runner: FlaskCliRunner) -> None:
    page = sample_dir() / "buchwaldt-2014.html"
    result = runner.invoke(args=["extract", "--json", str(page), str(page)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert len(lines) == 2
    assert lines[0]["source"] == str(page)
    assert lines[0]["date"] == "2014-05-06"
    assert lines[0]["speakers"][0]["name"] == "Per Buchwaldt"


def test_reindex_and_db_upgrade(runner: FlaskCliRunner, app: Flask) -> None:
    assert runner.invoke(args=["db", "upgrade"]).exit_code == 0
    runner.invoke(args=["scrape", str(sample_dir())])
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0
    assert "indexed" in result.output


def test_speakers_merge(runner: FlaskCliRunner, app: Flask) -> None:
    runner.invoke(args=["scrape", str(sample_dir())])
    result = runner.invoke(args=["speakers", "merge", "Per Buchwaldt", "Søren Åberg"])
    assert result.exit_code == 0, result.output
    assert "1 talks moved" in result.output
    missing = runner.invoke(args=["speakers", "merge", "Per Buchwaldt", "Nobody Atall"])
    assert missing.exit_code != 0 and "no speaker" in missing.output


def test_reindex_refuses_while_a_run_holds_the_lock(runner: FlaskCliRunner, app: Flask) -> None:
    from archive.lock import RunLock

    lock = RunLock(app.config["LOCK_FILE"])
    lock.acquire(kind="scrape", run=7)
    try:
        result = runner.invoke(args=["reindex"])
    finally:
        lock.release()
    assert result.exit_code == 2
    assert "run 7" in result.output


@pytest.mark.parametrize("workers", [1, 2])
def test_serve_answers_with_waitress_and_gunicorn(
    runner: FlaskCliRunner, app: Flask, workers: int
) -> None:
    assert runner.invoke(args=["scrape", str(sample_dir())]).exit_code == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(app.config["INSTANCE_DIR"]),
        "CIO_TALKS_DATABASE_URL": str(app.config["DATABASE_URL"]),
        "CIO_TALKS_SECRET_KEY": "test",
    }
    cli = Path(sys.executable).with_name("cio-talks")
    args = [str(cli), "serve", "--port", str(port), "--workers", str(workers), "--threads", "2"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        body = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/?q=health+care") as answer:
                    body = answer.read().decode("utf-8")
            except OSError:
                time.sleep(0.2)
        assert "Investing 1+ billion DKK in Health Care IT" in body
    finally:
        proc.terminate()
        proc.wait(timeout=30)

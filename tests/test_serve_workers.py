"""`cio-talks serve` starts one worker per usable core unless told otherwise, and the writer
commands give up CPU priority (WRITER_NICE) in every path, admin jobs included."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import make_app
from flask import Flask

from archive import priority, server
from archive.admin import jobs
from archive.config import load_settings
from archive.db import engine_of


@pytest.fixture
def app_with(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Apps on this test's database with further settings, their connections closed after."""
    made: list[Flask] = []

    def make(**settings: Any) -> Flask:
        made.append(make_app(tmp_path / "instance", database_url, **settings))
        return made[-1]

    yield make
    for application in made:
        engine_of(application).dispose()


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``serve`` would have started (the server itself is not run)."""
    calls: list[dict[str, Any]] = []

    def record(app: Flask, host: str, port: int, threads: int, workers: int) -> None:
        calls.append({"host": host, "port": port, "threads": threads, "workers": workers})

    monkeypatch.setattr(server, "serve", record)
    return calls


@pytest.mark.parametrize("cores", [{0}, {0, 1}, {0, 2, 5, 7}])
def test_usable_cores_follow_the_cpu_affinity(
    monkeypatch: pytest.MonkeyPatch, cores: set[int]
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: cores, raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 64)
    assert server.usable_cores() == len(cores)


@pytest.mark.parametrize(("count", "expected"), [(6, 6), (None, 1)])
def test_usable_cores_without_affinity_use_the_cpu_count(
    monkeypatch: pytest.MonkeyPatch, count: int | None, expected: int
) -> None:
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: count)
    assert server.usable_cores() == expected


@pytest.mark.parametrize(
    ("requested", "setting", "expected"),
    [(None, None, 3), (None, 5, 5), (2, 5, 2), (1, None, 1), (4, None, 4)],
)
def test_worker_count_prefers_the_option_then_the_setting_then_the_cores(
    monkeypatch: pytest.MonkeyPatch, requested: int | None, setting: int | None, expected: int
) -> None:
    monkeypatch.setattr(server, "usable_cores", lambda: 3)
    assert server.worker_count(requested, setting) == expected


@pytest.mark.parametrize(("value", "expected"), [("4", 4), ("auto", None), ("", None), (2, 2)])
def test_the_workers_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: Any, expected: int | None
) -> None:
    monkeypatch.setenv("CIO_TALKS_WORKERS", str(value))
    assert load_settings(tmp_path)["WORKERS"] == expected
    assert load_settings(tmp_path, {"WORKERS": value})["WORKERS"] == expected


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_bad_workers_setting_is_one_clear_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("CIO_TALKS_WORKERS", value)
    with pytest.raises(ValueError, match=r"CIO_TALKS_WORKERS must be a whole number.*auto"):
        load_settings(tmp_path)


def test_serve_defaults_to_one_worker_per_core(
    app: Flask, monkeypatch: pytest.MonkeyPatch, served: list[dict[str, Any]]
) -> None:
    monkeypatch.setattr(server, "usable_cores", lambda: 3)
    result = app.test_cli_runner().invoke(args=["serve", "--port", "5099"])
    assert result.exit_code == 0, result.output
    assert served == [{"host": "127.0.0.1", "port": 5099, "threads": 8, "workers": 3}]
    assert "(3 worker(s))" in result.output


def test_serve_takes_the_setting_and_the_option_over_it(
    app_with: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch, served: list[Any]
) -> None:
    monkeypatch.setattr(server, "usable_cores", lambda: 3)
    runner = app_with(WORKERS="5").test_cli_runner()
    assert runner.invoke(args=["serve"]).exit_code == 0
    assert runner.invoke(args=["serve", "--workers", "1"]).exit_code == 0
    assert [call["workers"] for call in served] == [5, 1]
    refused = runner.invoke(args=["serve", "--workers", "0"])
    assert refused.exit_code == 2
    assert served[2:] == []


def test_serve_index_dir_is_this_process_own_and_passed_to_its_workers(
    app: Flask, monkeypatch: pytest.MonkeyPatch, served: list[Any], tmp_path: Path
) -> None:
    # set here so that monkeypatch puts the variable back as it was after the test
    monkeypatch.setenv("CIO_TALKS_INDEX_DIR", str(tmp_path / "before"))
    folder = tmp_path / "node-b"
    result = app.test_cli_runner().invoke(args=["serve", "--index-dir", str(folder)])
    assert result.exit_code == 0, result.output
    assert app.config["INDEX_DIR"] == folder.resolve()
    # gunicorn's workers build their apps from the environment after the fork
    assert os.environ["CIO_TALKS_INDEX_DIR"] == str(folder.resolve())
    assert load_settings(tmp_path / "other")["INDEX_DIR"] == folder.resolve()


def test_follow_interval_setting_is_checked(tmp_path: Path) -> None:
    assert load_settings(tmp_path, {"FOLLOW_INTERVAL": "0"})["FOLLOW_INTERVAL"] == 0
    assert load_settings(tmp_path)["FOLLOW_INTERVAL"] == 5
    with pytest.raises(ValueError, match="CIO_TALKS_FOLLOW_INTERVAL must be a number of zero"):
        load_settings(tmp_path, {"FOLLOW_INTERVAL": "-1"})


@pytest.fixture
def niced(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The increments writers asked os.nice for (not applied: tests share one process)."""
    increments: list[int] = []
    monkeypatch.setattr(priority.os, "nice", lambda n: increments.append(n) or n)
    return increments


@pytest.mark.parametrize(
    "command",
    [["reindex"], ["reextract"], ["scrape", "{instance}/nothing-here"], ["import", "{export}"]],
)
def test_every_writer_command_lowers_its_priority(
    tmp_path: Path, app_with: Callable[..., Flask], niced: list[int], command: list[str]
) -> None:
    app = app_with(WRITER_NICE=7)
    instance = Path(app.config["INSTANCE_DIR"])
    runner = app.test_cli_runner()
    export = tmp_path / "export.json"
    if "{export}" in command:  # an export of the empty archive, imported back into it
        assert runner.invoke(args=["export", "--output", str(export)]).exit_code == 0
        assert niced == []
    args = [arg.format(instance=instance, export=export) for arg in command]
    result = runner.invoke(args=args)
    assert niced == [7], result.output


def test_reads_keep_their_priority(app: Flask, niced: list[int]) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["search", "cloud"]).exit_code == 0
    assert niced == []


def test_admin_jobs_pass_the_writer_priority_to_their_process() -> None:
    env = jobs.child_env({"WRITER_NICE": 7, "INSTANCE_DIR": "/srv/cio"}, base={})
    assert env["CIO_TALKS_WRITER_NICE"] == "7"

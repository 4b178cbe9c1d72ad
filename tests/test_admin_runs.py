"""Runs from the admin area: background jobs through the CLI, one at a time, results shown;
and the ``cio-talks admin`` account commands."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from adminkit import TOKEN, add_admin, signed_in_client
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import select
from werkzeug.security import check_password_hash

from archive.admin import jobs
from archive.db import engine_of, new_session, upgrade
from archive.lock import RunLock
from archive.models import AdminJob, AuditEntry, Talk, User
from archive.samples import sample_dir


@pytest.fixture
def signed_in(app: Flask) -> FlaskClient:
    """A client signed in as alice."""
    add_admin(app)
    return signed_in_client(app)


def configure_folder_source(app: Flask, folder: Path) -> None:
    """A configured source pointing at a folder of saved pages (written as the CLI reads it)."""
    Path(app.config["SOURCES_FILE"]).write_text(
        json.dumps({"version": 1, "sources": [{"name": "saved", "url": str(folder)}]})
    )


def start(client: FlaskClient, kind: str) -> Any:
    token = TOKEN.search(client.get("/admin/runs").get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    return client.post("/admin/runs/start", data={"csrf_token": token, "kind": kind})


def wait_for(client: FlaskClient, job_url: str, timeout: float = 90) -> dict[str, Any]:
    job_id = job_url.rsplit("/", 1)[1]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state: dict[str, Any] = client.get(f"/admin/api/jobs/{job_id}").get_json()
        if state["status"] not in jobs.ACTIVE:
            assert jobs.join(int(job_id), timeout=10)  # its watcher is done with the database
            return state
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {timeout} s")


def test_a_scrape_started_from_the_page_runs_in_the_background(
    app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / "aaberg-2019.html", folder / "a.html")
    (folder / "empty.html").write_bytes(b"")
    configure_folder_source(app, folder)
    started = start(signed_in, "scrape")
    assert started.status_code == 302 and started.location.startswith("/admin/jobs/")
    running = signed_in.get(started.location).get_data(as_text=True)
    assert "Job " in running
    state = wait_for(signed_in, started.location)
    assert state["status"] == "partial" and state["exit_code"] == 1, state
    assert state["run_id"] is not None and state["outcomes"]["new"] == 1
    assert "empty.html — empty page" in state["output"]
    page = signed_in.get(started.location).get_data(as_text=True)
    assert "Finished: partial" in page and 'http-equiv="refresh"' not in page
    runs = signed_in.get("/admin/runs").get_data(as_text=True)
    assert f"/admin/runs/{state['run_id']}" in runs
    report = signed_in.get(f"/admin/runs/{state['run_id']}").get_data(as_text=True)
    assert "empty.html" in report and "empty page" in report
    api = signed_in.get(f"/admin/api/runs/{state['run_id']}").get_json()
    assert api["counts"]["new"] == 1 and api["counts"]["failed"] == 1
    assert api["failed"][0]["reason"] == "empty page"
    with new_session(app) as db:
        assert db.scalar(select(Talk.topic)) == "Cloud First in a Ministry"
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "run.start"))
        assert entry is not None and entry.user == "alice" and entry.detail == {"kind": "scrape"}


def test_a_reindex_job_takes_the_lock_and_reports(app: Flask, signed_in: FlaskClient) -> None:
    started = start(signed_in, "reindex")
    state = wait_for(signed_in, started.location)
    assert state["status"] == "ok", state
    assert "indexed 0 talks" in state["output"]


def test_only_one_run_at_a_time(app: Flask, signed_in: FlaskClient) -> None:
    lock = RunLock(app.config["LOCK_FILE"])
    lock.acquire(kind="scrape", run=99)
    try:
        refused = start(signed_in, "scrape")
        assert refused.location == "/admin/runs"
        page = signed_in.get("/admin/runs").get_data(as_text=True)
        assert "Not started: another run is in progress" in page and "run 99" in page
    finally:
        lock.release()
    with new_session(app) as db:
        assert db.scalars(select(AdminJob)).first() is None


def test_a_job_whose_process_vanished_is_marked_lost(app: Flask, signed_in: FlaskClient) -> None:
    with new_session(app) as db:
        db.add(AdminJob(kind="scrape", user="alice", status="running", pid=2**22 + 12345))
        db.commit()
    state = signed_in.get("/admin/api/jobs/1").get_json()
    assert state["status"] == "lost"


def test_child_env_passes_the_instance_settings() -> None:
    config = {
        "DATABASE_URL": "sqlite:////x/db.sqlite3",
        "INDEX_DIR": Path("/x/index"),
        "ADMIN_SOURCE_HOSTS": ["a.example", ".b.example"],
        "ALLOW_PRIVATE_SOURCES": False,
        "TESTING": True,
    }
    env = jobs.child_env(config, base={"PATH": "/usr/bin"})
    assert env["CIO_TALKS_DATABASE_URL"] == "sqlite:////x/db.sqlite3"
    assert env["CIO_TALKS_INDEX_DIR"] == "/x/index"
    assert env["CIO_TALKS_ADMIN_SOURCE_HOSTS"] == "a.example,.b.example"
    assert env["CIO_TALKS_ALLOW_PRIVATE_SOURCES"] == "0"
    assert "CIO_TALKS_TESTING" not in env and env["PATH"] == "/usr/bin"


# -- the admin CLI ----------------------------------------------------------------------------


def test_admin_accounts_from_the_cli(app: Flask, runner: FlaskCliRunner) -> None:
    created = runner.invoke(
        args=["admin", "create-user", "bob"], input="s3cret-pass\ns3cret-pass\n"
    )
    assert created.exit_code == 0, created.output
    again = runner.invoke(args=["admin", "create-user", "bob"], input="s3cret-pass\ns3cret-pass\n")
    assert again.exit_code != 0 and "already exists" in again.output
    short = runner.invoke(args=["admin", "create-user", "carol"], input="short\nshort\n")
    assert short.exit_code != 0 and "at least 8" in short.output
    with new_session(app) as db:
        bob = db.scalar(select(User).where(User.name == "bob"))
        assert bob is not None and bob.password_hash.startswith("scrypt:")
        assert check_password_hash(bob.password_hash, "s3cret-pass")
        version = bob.session_version
    changed = runner.invoke(
        args=["admin", "set-password", "bob"], input="n3w-password\nn3w-password\n"
    )
    assert changed.exit_code == 0, changed.output
    missing = runner.invoke(
        args=["admin", "set-password", "eve"], input="n3w-password\nn3w-password\n"
    )
    assert missing.exit_code != 0 and "no account" in missing.output
    with new_session(app) as db:
        bob = db.scalar(select(User).where(User.name == "bob"))
        assert bob is not None and check_password_hash(bob.password_hash, "n3w-password")
        assert bob.session_version == version + 1  # its sessions are signed out
    listed = runner.invoke(args=["admin", "list"])
    assert listed.exit_code == 0 and "bob  last login never" in listed.output
    assert "carol" not in listed.output


def test_migration_0002_matches_the_admin_models(app: Flask) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from archive.models import Base

    upgrade(engine_of(app))
    with engine_of(app).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    ours = ("'users'", "'audit_log'", "'admin_jobs'")
    assert [d for d in diff if any(name in repr(d) for name in ours)] == []

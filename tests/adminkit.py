"""Helpers shared by the admin tests: an admin account, CSRF tokens and signing in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.admin.auth import hash_password
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest, Options
from archive.models import AdminJob, Talk, User
from archive.samples import sample_dir

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def add_admin(app: Flask, name: str = "alice") -> None:
    """Create the schema and one admin account with :data:`PASSWORD`."""
    upgrade(engine_of(app))
    with new_session(app) as db:
        db.add(User(name=name, password_hash=hash_password(PASSWORD)))
        db.commit()


def csrf_token(client: FlaskClient, url: str) -> str:
    """The CSRF token of the form on ``url``."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    found = TOKEN.search(page.get_data(as_text=True))
    assert found, f"no CSRF token on {url}"
    return found.group(1)


def login(client: FlaskClient, name: str = "alice", password: str = PASSWORD) -> Any:
    """Sign in through the form, token and all."""
    token = csrf_token(client, "/admin/login")
    return client.post(
        "/admin/login", data={"csrf_token": token, "name": name, "password": password}
    )


def signed_in_client(app: Flask) -> FlaskClient:
    """A client signed in as alice (who must exist)."""
    client = app.test_client()
    assert login(client).status_code == 302
    return client


def set_hidden(client: FlaskClient, talk_id: int, hidden: bool) -> None:
    """Hide a talk (or show it again) through the admin form, as a signed-in admin."""
    action = "hide" if hidden else "unhide"
    token = csrf_token(client, f"/admin/talks/{talk_id}/edit")
    response = client.post(f"/admin/talks/{talk_id}/{action}", data={"csrf_token": token})
    assert response.status_code == 302, (action, response.status_code)


def scrape(app: Flask, folder: Path) -> None:
    """Scrape a folder of pages; every page must go through."""
    report = Ingest(app).scrape([str(folder)])
    assert report.exit_code == 0, report.events


def talk_by_url_end(app: Flask, name: str) -> Talk:
    """The talk whose source URL ends with ``name``, detached from its session."""
    with new_session(app) as db:
        talk = db.scalar(select(Talk).where(Talk.source_url.endswith(name)))
        assert talk is not None
        db.expunge(talk)
        return talk


def load_admin_archive(app: Flask) -> list[int]:
    """The bundled samples with an admin account (alice), the last talk withdrawn and one
    finished admin job, so that every public and admin page kind has something to draw;
    the talk ids in order."""
    add_admin(app)
    report = Ingest(app, Options()).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    with new_session(app) as db:
        talks = list(db.scalars(select(Talk).order_by(Talk.id)))
        talks[-1].hidden = True
        ids = [talk.id for talk in talks]
        db.add(AdminJob(kind="reindex", user="alice", status="ok", exit_code=0, output="done"))
        db.commit()
    return ids

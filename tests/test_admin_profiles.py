"""Teaching a site in the admin area: choose corrected talks, preview, approve, re-extract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from adminkit import add_admin, csrf_token, signed_in_client
from flask import Flask
from flask.testing import FlaskClient
from profilekit import TRUTH, pages_of, serve_sites
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from archive import store
from archive.db import new_session
from archive.ingest import Ingest
from archive.models import AuditEntry, Talk

HOLLINGFORD = pages_of("hollingford_drupal")


@pytest.fixture
def loaded(app: Flask, httpserver: HTTPServer) -> dict[str, str]:
    """The fixture sites scraped into the archive; their URLs by truth name."""
    urls = serve_sites(httpserver)
    app.config.update(CRAWL_DELAY=0.0, CRAWL_RETRIES=1, CRAWL_BACKOFF=0.01)
    Ingest(app).scrape(list(urls.values()))
    return urls


@pytest.fixture
def admin(app: Flask) -> FlaskClient:
    add_admin(app)
    return signed_in_client(app)


def _talk_id(app: Flask, url: str) -> int:
    with new_session(app) as db:
        talk = db.scalar(select(Talk).where(Talk.source_url == url))
        assert talk is not None
        return talk.id


def _correct_organisation(admin: FlaskClient, app: Flask, url: str, organisation: str) -> int:
    talk_id = _talk_id(app, url)
    edit = f"/admin/talks/{talk_id}/edit"
    page = admin.get(edit).get_data(as_text=True)
    field = re.search(r'name="(speaker_\d+_organisation)"', page)
    assert field, "the talk has no speaker to correct"
    form = {
        name: value
        for name, value in re.findall(
            r'<(?:input|textarea)[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page
        )
    }
    form.update({field.group(1): organisation, "csrf_token": csrf_token(admin, edit)})
    for name in re.findall(r'<textarea[^>]*name="([^"]+)"', page):
        form.setdefault(name, "")
    response = admin.post(edit, data=form, follow_redirects=True)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return talk_id


def test_the_profiles_page_lists_hosts_and_profiles(
    app: Flask, admin: FlaskClient, loaded: dict[str, str]
) -> None:
    page = admin.get("/admin/profiles").get_data(as_text=True)
    assert "cbs-drupal-event" in page and "bundled" in page
    assert "localhost" in page and "Teach from examples" in page


def test_preview_then_approve_re_extracts_the_host(
    app: Flask, admin: FlaskClient, loaded: dict[str, str]
) -> None:
    ids = []
    for name in HOLLINGFORD[:2]:
        organisation = TRUTH[name]["speakers"][0]["organisation"]
        ids.append(_correct_organisation(admin, app, loaded[name], organisation))
    query = "&".join(f"talk={i}" for i in ids)
    page = admin.get(f"/admin/profiles/learn?host=localhost&name=hollingford&{query}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f"Preview on {len(TRUTH)} archived pages of localhost" in text
    assert "6 of them have this template's signature" in text
    assert "speaker.organisation" in text
    response = admin.post(
        "/admin/profiles/approve",
        data={
            "csrf_token": csrf_token(admin, "/admin/profiles"),
            "host": "localhost",
            "name": "hollingford",
            "talk": [str(i) for i in ids],
        },
        follow_redirects=True,
    )
    assert "Saved profile hollingford version 1" in response.get_data(as_text=True)
    assert (Path(app.config["RULES_DIR"]) / "profiles" / "hollingford.json").exists()
    with new_session(app) as db:
        for name in HOLLINGFORD[2:]:
            talk = db.scalar(select(Talk).where(Talk.source_url == loaded[name]))
            assert talk is not None
            got = {s["name"]: s["organisation"] for s in store.talk_contract(talk)["speakers"]}
            for person in TRUTH[name]["speakers"]:
                assert got.get(person["name"]) == person["organisation"], name
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "profile.approve"))
        assert entry is not None and entry.user == "alice"


def test_approval_needs_a_csrf_token(admin: FlaskClient, loaded: dict[str, str]) -> None:
    response = admin.post(
        "/admin/profiles/approve", data={"host": "localhost", "name": "x", "talk": "1"}
    )
    assert response.status_code == 400


def test_a_bad_name_is_refused_in_the_preview(
    app: Flask, admin: FlaskClient, loaded: dict[str, str]
) -> None:
    talk_id = _talk_id(app, loaded[HOLLINGFORD[0]])
    page = admin.get(f"/admin/profiles/learn?host=localhost&name=Bad%20Name&talk={talk_id}")
    assert page.status_code == 400
    assert "profile name" in page.get_data(as_text=True)


def test_profiles_need_sign_in(app: Flask, client: FlaskClient) -> None:
    assert app.test_client().get("/admin/profiles").status_code in (302, 401)

"""The admin area's defences: anonymous access, sessions, CSRF, sign-in limits, headers."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from adminkit import (
    PASSWORD,
    add_admin,
    csrf_token,
    login,
    scrape,
    signed_in_client,
    talk_by_url_end,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.admin.auth import hash_password
from archive.db import new_session
from archive.models import Override, Talk, User
from archive.samples import sample_dir


@pytest.fixture
def admin_app(app: Flask) -> Flask:
    """The per-test app with its schema and one admin account, alice."""
    add_admin(app)
    return app


@pytest.fixture
def signed_in(admin_app: Flask) -> FlaskClient:
    """A client signed in as alice."""
    return signed_in_client(admin_app)


def admin_rules(app: Flask) -> list[tuple[str, str]]:
    """(url, method) of every admin endpoint but login, ids filled with 1."""
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("admin.") or rule.endpoint == "admin.login":
            continue
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: "1" if "int:" in m.group(0) else "x", rule.rule)
        method = "GET" if "GET" in (rule.methods or ()) else "POST"
        rules.append((url, method))
    return rules


# -- anonymous access -------------------------------------------------------------------------


def test_every_admin_url_refuses_anonymous_access(admin_app: Flask) -> None:
    client = admin_app.test_client()
    rules = admin_rules(admin_app)
    assert len(rules) >= 15
    assert ("/admin/api/jobs/1", "GET") in rules
    for url, method in rules:
        response = client.open(url, method=method)
        if url.startswith("/admin/api/"):
            assert response.status_code == 401, url
            assert response.get_json() == {"error": "authentication required"}
        else:
            assert response.status_code == 302, (url, method)
            assert response.location.startswith("/admin/login"), url
    with new_session(admin_app) as db:
        assert db.scalars(select(Override)).first() is None


def test_login_redirects_back_only_to_admin_pages(admin_app: Flask) -> None:
    client = admin_app.test_client()
    token = csrf_token(client, "/admin/login")
    form = {"csrf_token": token, "name": "alice", "password": PASSWORD}
    assert client.post("/admin/login?next=/admin/audit", data=form).location == "/admin/audit"
    client = admin_app.test_client()
    form["csrf_token"] = csrf_token(client, "/admin/login")
    response = client.post("/admin/login?next=https://evil.example/admin", data=form)
    assert response.location == "/admin/"


# -- sessions and cookies ---------------------------------------------------------------------


def test_session_cookie_is_httponly_lax_and_secure_only_over_https(admin_app: Flask) -> None:
    plain = login(admin_app.test_client())
    cookie = plain.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    https = admin_app.test_client()
    token = csrf_token(https, "https://archive.test/admin/login")
    response = https.post(
        "https://archive.test/admin/login",
        data={"csrf_token": token, "name": "alice", "password": PASSWORD},
        headers={"Referer": "https://archive.test/admin/login"},  # checked over HTTPS
    )
    assert response.status_code == 302
    assert "Secure" in response.headers["Set-Cookie"]


def test_logout_ends_the_session(signed_in: FlaskClient) -> None:
    assert signed_in.get("/admin/").status_code == 200
    token = csrf_token(signed_in, "/admin/")
    assert signed_in.post("/admin/logout", data={"csrf_token": token}).status_code == 302
    assert signed_in.get("/admin/").status_code == 302


def test_a_password_change_signs_out_other_sessions(
    admin_app: Flask, signed_in: FlaskClient
) -> None:
    with new_session(admin_app) as db:
        user = db.scalar(select(User).where(User.name == "alice"))
        assert user is not None
        user.password_hash = hash_password("another password")
        db.commit()
    assert signed_in.get("/admin/").status_code == 302


# -- CSRF -------------------------------------------------------------------------------------


def test_csrf_is_enabled_in_these_tests(admin_app: Flask) -> None:
    assert admin_app.config["TESTING"] is True
    assert admin_app.config.get("WTF_CSRF_ENABLED", True) is True


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_post_without_a_valid_csrf_token_is_refused(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path, token: str | None
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / "aaberg-2019.html", folder / "a.html")
    scrape(admin_app, folder)
    talk = talk_by_url_end(admin_app, "a.html")
    data = {"topic": "Forged topic"}
    if token:
        data["csrf_token"] = token
    posts = [
        (f"/admin/talks/{talk.id}/edit", data),
        (f"/admin/talks/{talk.id}/hide", {"csrf_token": token} if token else {}),
        ("/admin/runs/start", {"kind": "reindex", **({"csrf_token": token} if token else {})}),
        ("/admin/logout", {"csrf_token": token} if token else {}),
    ]
    for url, form in posts:
        response = signed_in.post(url, data=form)
        assert response.status_code == 400, url
        assert "CSRF" in response.get_data(as_text=True)
    # The login form needs its token too.
    anonymous = admin_app.test_client()
    refused = anonymous.post("/admin/login", data={"name": "alice", "password": PASSWORD})
    assert refused.status_code == 400
    with new_session(admin_app) as db:
        fresh = db.get(Talk, talk.id)
        assert fresh is not None and fresh.topic == "Cloud First in a Ministry"
        assert not fresh.hidden and not fresh.overrides
    assert signed_in.get("/admin/").status_code == 200  # still signed in


# -- sign-in limits (the attacks on them: tests/test_admin_throttle.py) ------------------------


def test_successful_logins_do_not_use_up_the_limit(admin_app: Flask) -> None:
    for _ in range(30):
        assert login(admin_app.test_client()).status_code == 302


# -- headers ----------------------------------------------------------------------------------


def assert_security_headers(response: Any, url: str) -> None:
    csp = response.headers.get("Content-Security-Policy", "")
    assert csp and "unsafe-inline" not in csp, url
    assert "frame-ancestors 'none'" in csp, url
    assert response.headers.get("X-Content-Type-Options") == "nosniff", url
    assert response.headers.get("Referrer-Policy"), url


def test_security_headers_on_every_admin_page(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / "aaberg-2019.html", folder / "a.html")
    scrape(admin_app, folder)
    anonymous = admin_app.test_client()
    for url, method in [*admin_rules(admin_app), ("/admin/login", "GET")]:
        assert_security_headers(anonymous.open(url, method=method), url)
        if method == "GET":
            response = signed_in.get(url)
            assert response.status_code in (200, 404), url
            assert_security_headers(response, url)
    page = signed_in.get("/admin/talks/1/edit").get_data(as_text=True)
    assert "style=" not in page and "<script" not in page and " on" + "click" not in page

"""Attacks on admin sessions: a cookie kept past its lifetime, a cookie copied before sign-out
or a password change, and the Secure flag lost behind a TLS proxy."""

from __future__ import annotations

import datetime as dt
import time
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import pytest
from adminkit import PASSWORD, add_admin, csrf_token, login, signed_in_client
from conftest import make_app
from flask import Flask
from flask.testing import FlaskClient

from archive.admin.base import SESSION_SINCE
from archive.config import load_settings
from archive.db import engine_of

HOST = "archive.test"


@pytest.fixture
def admin_app(app: Flask) -> Flask:
    """The per-test app with its schema and one admin account, alice."""
    add_admin(app)
    return app


def app_with(tmp_path: Path, database_url: str, **settings: Any) -> Flask:
    """An app with ``settings`` and alice's account."""
    application = make_app(tmp_path / "custom", database_url, **settings)
    add_admin(application)
    return application


def cookie_expiry(response: Any) -> dt.datetime:
    """When the session cookie set by ``response`` expires."""
    header = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    expires = next(p for p in header.split(";") if p.strip().lower().startswith("expires="))
    return parsedate_to_datetime(expires.split("=", 1)[1].strip())


def session_cookie(client: FlaskClient) -> str:
    """The value of ``client``'s session cookie."""
    cookie = client.get_cookie("session", domain=HOST)
    assert cookie is not None
    return cookie.value


def replaying(app: Flask, value: str) -> FlaskClient:
    """A new client (another browser) sending a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie("session", value, domain=HOST)
    return thief


def sign_out(client: FlaskClient) -> None:
    token = csrf_token(client, "/admin/")
    assert client.post("/admin/logout", data={"csrf_token": token}).status_code == 302


# -- lifetime ---------------------------------------------------------------------------------


def test_a_session_cookie_lasts_twelve_hours_not_flasks_month(admin_app: Flask) -> None:
    response = login(admin_app.test_client())
    left = cookie_expiry(response) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(hours=11, minutes=58) < left <= dt.timedelta(hours=12)


def test_the_session_lifetime_is_configurable(tmp_path: Path, database_url: str) -> None:
    application = app_with(tmp_path, database_url, SESSION_HOURS="1.5")
    left = cookie_expiry(login(application.test_client())) - dt.datetime.now(dt.UTC)
    assert dt.timedelta(minutes=88) < left <= dt.timedelta(minutes=90)
    engine_of(application).dispose()


@pytest.mark.parametrize(("hours_ago", "signed_in"), [(11.9, True), (12.1, False)])
def test_a_cookie_renewed_past_the_lifetime_is_signed_out_by_the_server(
    admin_app: Flask, hours_ago: float, signed_in: bool
) -> None:
    # A freshly signed cookie whose sign-in is older than the lifetime: what a cookie kept
    # alive by renewing it on every request would look like after that long.
    client = signed_in_client(admin_app)
    with client.session_transaction() as session:
        session[SESSION_SINCE] = int(time.time() - hours_ago * 3600)
    assert client.get("/admin/").status_code == (200 if signed_in else 302)
    assert (client.get("/admin/api/jobs/1").status_code == 401) is not signed_in


def test_a_session_without_a_sign_in_time_is_refused(admin_app: Flask) -> None:
    client = signed_in_client(admin_app)
    with client.session_transaction() as session:
        del session[SESSION_SINCE]
    assert client.get("/admin/").status_code == 302


# -- copied cookies ---------------------------------------------------------------------------


def test_a_cookie_copied_before_logout_is_signed_out_after_it(admin_app: Flask) -> None:
    owner = signed_in_client(admin_app)
    copied = session_cookie(owner)
    assert replaying(admin_app, copied).get("/admin/").status_code == 200  # the copy works…
    sign_out(owner)
    thief = replaying(admin_app, copied)  # …until the owner signs out
    assert thief.get("/admin/").status_code == 302
    assert thief.get("/admin/api/jobs/1").status_code == 401
    assert login(owner).status_code == 302  # signing in again works, the old copy still not
    assert replaying(admin_app, copied).get("/admin/").status_code == 302


def test_a_cookie_copied_before_a_password_change_is_signed_out(admin_app: Flask) -> None:
    copied = session_cookie(signed_in_client(admin_app))
    changed = admin_app.test_cli_runner().invoke(
        args=["admin", "set-password", "alice"], input=f"{PASSWORD}!\n{PASSWORD}!\n"
    )
    assert changed.exit_code == 0, changed.output
    assert replaying(admin_app, copied).get("/admin/").status_code == 302
    assert login(admin_app.test_client(), password=f"{PASSWORD}!").status_code == 302


def test_signing_out_ends_the_other_sessions_of_the_account(admin_app: Flask) -> None:
    laptop, phone = signed_in_client(admin_app), signed_in_client(admin_app)
    sign_out(laptop)
    assert phone.get("/admin/").status_code == 302


# -- Secure behind a proxy --------------------------------------------------------------------


def login_via_proxy(app: Flask, headers: dict[str, str]) -> str:
    """Sign in with the proxy's ``headers``; the session cookie's Set-Cookie header."""
    client = app.test_client()
    token = csrf_token(client, "/admin/login")
    response = client.post(
        "/admin/login",
        data={"csrf_token": token, "name": "alice", "password": PASSWORD},
        headers={**headers, "Referer": f"https://{HOST}/admin/login"},
    )
    assert response.status_code == 302
    return next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))


TLS = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}


def test_the_cookie_is_secure_behind_a_tls_proxy_with_proxy_fix(
    tmp_path: Path, database_url: str
) -> None:
    application = app_with(tmp_path, database_url, PROXY_FIX="1")
    assert "; Secure" in login_via_proxy(application, TLS)
    assert "; Secure" not in login_via_proxy(application, {"X-Forwarded-Proto": "http"})
    engine_of(application).dispose()


def test_a_forwarded_scheme_is_not_believed_without_proxy_fix(admin_app: Flask) -> None:
    # Without a proxy to trust, anyone could send the header: it changes nothing.
    assert "; Secure" not in login_via_proxy(admin_app, TLS)


def test_secure_cookies_can_be_required_outright(tmp_path: Path, database_url: str) -> None:
    application = app_with(tmp_path, database_url, SECURE_COOKIES="1")
    assert "; Secure" in login_via_proxy(application, {})
    engine_of(application).dispose()


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("PROXY_FIX", "maybe", "CIO_TALKS_PROXY_FIX must be a number of proxies"),
        ("SESSION_HOURS", "0", "CIO_TALKS_SESSION_HOURS must be a number above zero"),
        ("LOGIN_DELAY_MAX", "soon", "CIO_TALKS_LOGIN_DELAY_MAX must be a number above zero"),
    ],
)
def test_bad_session_settings_are_named(
    tmp_path: Path, setting: str, value: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(tmp_path, {setting: value, "SECRET_KEY": "x"})


@pytest.mark.parametrize(("value", "proxies"), [("0", 0), ("true", 1), ("2", 2), ("", 0)])
def test_proxy_fix_takes_a_count_or_a_flag(tmp_path: Path, value: str, proxies: int) -> None:
    assert load_settings(tmp_path, {"PROXY_FIX": value, "SECRET_KEY": "x"})["PROXY_FIX"] == proxies

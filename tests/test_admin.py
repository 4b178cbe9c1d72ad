"""The admin area: sign-in, CSRF, rate limit and lockout, headers, corrections, merges, audit."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.admin import auth
from archive.admin.auth import hash_password
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest
from archive.models import AuditEntry, Override, Speaker, Talk, User
from archive.samples import sample_dir

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


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


@pytest.fixture
def admin_app(app: Flask) -> Flask:
    """The per-test app with its schema and one admin account, alice."""
    upgrade(engine_of(app))
    with new_session(app) as db:
        db.add(User(name="alice", password_hash=hash_password(PASSWORD)))
        db.commit()
    return app


@pytest.fixture
def signed_in(admin_app: Flask) -> FlaskClient:
    """A client signed in as alice."""
    client = admin_app.test_client()
    assert login(client).status_code == 302
    return client


def scrape(app: Flask, folder: Path) -> None:
    report = Ingest(app).scrape([str(folder)])
    assert report.exit_code == 0, report.events


def talk_by_url_end(app: Flask, name: str) -> Talk:
    with new_session(app) as db:
        talk = db.scalar(select(Talk).where(Talk.source_url.endswith(name)))
        assert talk is not None
        db.expunge(talk)
        return talk


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


# -- rate limit and lockout -------------------------------------------------------------------


def test_sixth_wrong_password_in_a_minute_is_refused_without_checking_it(
    admin_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = auth.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(auth, "check_password_hash", counting)
    client = admin_app.test_client()
    for attempt in range(5):
        response = login(client, password=f"wrong {attempt}")
        assert response.status_code == 401
    assert len(checked) == 5
    sixth = login(client, password=PASSWORD)  # even the right one: refused unchecked
    assert sixth.status_code == 429
    assert "Too many failed logins" in sixth.get_data(as_text=True)
    assert len(checked) == 5
    # The limit is per account name too: another address gets no fresh attempts at alice.
    other = admin_app.test_client()
    other.environ_base["REMOTE_ADDR"] = "192.0.2.7"
    assert login(other, password="wrong again").status_code == 429
    assert len(checked) == 5
    with new_session(admin_app) as db:
        actions = [e.action for e in db.scalars(select(AuditEntry))]
    assert actions.count("login.failed") == 5


def test_successful_logins_do_not_use_up_the_limit(admin_app: Flask) -> None:
    for _ in range(7):
        assert login(admin_app.test_client()).status_code == 302


def test_an_account_locks_after_repeated_failures(
    admin_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "LOCK_AFTER", 3)
    for attempt in range(3):
        client = admin_app.test_client()
        assert login(client, password=f"wrong {attempt}").status_code == 401
    checked: list[str] = []

    def spy(_hash: str, password: str) -> bool:
        checked.append(password)
        return True

    monkeypatch.setattr(auth, "check_password_hash", spy)
    locked = login(admin_app.test_client(), password=PASSWORD)
    assert locked.status_code == 423
    assert checked == []


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


# -- corrections ------------------------------------------------------------------------------


def edit_form(client: FlaskClient, talk_id: int) -> dict[str, str]:
    """The talk edit form's current values, token included."""
    html = client.get(f"/admin/talks/{talk_id}/edit").get_data(as_text=True)
    form = {"csrf_token": TOKEN.search(html).group(1)}  # type: ignore[union-attr]
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html):
        form.setdefault(name, unescape(value))
    for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>\s*([^<]*)</textarea>', html):
        form.setdefault(name, unescape(value))
    return form


def test_a_correction_survives_a_rescrape_of_a_changed_page(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    page = folder / "aaberg.html"
    original = (sample_dir() / "aaberg-2019.html").read_text(encoding="utf-8")
    page.write_text(original, encoding="utf-8")
    scrape(admin_app, folder)
    talk = talk_by_url_end(admin_app, "aaberg.html")
    assert talk.topic == "Cloud First in a Ministry"

    form = edit_form(signed_in, talk.id)
    assert form["topic"] == "Cloud First in a Ministry" and form["date"] == "2019-10-08"
    form["topic"] = "Cloud first in the Ministry of Housing"
    saved = signed_in.post(f"/admin/talks/{talk.id}/edit", data=form)
    assert saved.status_code == 302

    page.write_text(original.replace("Cloud First in a Ministry", "Clouds Over a Ministry"))
    second = Ingest(admin_app).scrape([str(folder)])
    assert second.counts["changed"] == 1, second.events

    with new_session(admin_app) as db:
        fresh = db.get(Talk, talk.id)
        assert fresh is not None
        assert fresh.topic == "Cloud first in the Ministry of Housing"
        assert fresh.extracted["topic"] == "Clouds Over a Ministry"
        (override,) = fresh.overrides
        assert (override.field, override.author) == ("topic", "alice")
        assert override.extracted == "Cloud First in a Ministry"
    html = signed_in.get(f"/admin/talks/{talk.id}/edit").get_data(as_text=True)
    assert "Cloud first in the Ministry of Housing" in html
    assert 'Extracted: <span class="value">Clouds Over a Ministry</span>' in html
    assert "Corrected by alice" in html
    public = signed_in.get(f"/talks/{talk.id}", follow_redirects=True).get_data(as_text=True)
    assert "Cloud first in the Ministry of Housing" in public


def test_undo_hide_and_unhide_are_audited(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / "aaberg-2019.html", folder / "a.html")
    scrape(admin_app, folder)
    talk = talk_by_url_end(admin_app, "a.html")
    form = edit_form(signed_in, talk.id)
    form.update(date="2019-10-09", themes="Cloud, Public sector", start_time="8:30")
    assert signed_in.post(f"/admin/talks/{talk.id}/edit", data=form).status_code == 302
    bad = edit_form(signed_in, talk.id)
    bad["date"] = "31/02/2019"
    assert signed_in.post(f"/admin/talks/{talk.id}/edit", data=bad).status_code == 400
    with new_session(admin_app) as db:
        fresh = db.get(Talk, talk.id)
        assert fresh is not None
        assert str(fresh.date) == "2019-10-09" and fresh.themes == ["Cloud", "Public sector"]
        assert {o.field for o in fresh.overrides} == {"date", "themes", "start_time"}
    token = csrf_token(signed_in, f"/admin/talks/{talk.id}/edit")
    undo = {"csrf_token": token, "field": "date"}
    assert signed_in.post(f"/admin/talks/{talk.id}/undo", data=undo).status_code == 302
    assert (
        signed_in.post(f"/admin/talks/{talk.id}/hide", data={"csrf_token": token}).status_code
        == 302
    )
    assert signed_in.get(f"/talks/{talk.id}", follow_redirects=True).status_code in (404, 410)
    with new_session(admin_app) as db:
        fresh = db.get(Talk, talk.id)
        assert fresh is not None and fresh.hidden and str(fresh.date) == "2019-10-08"
    assert (
        signed_in.post(f"/admin/talks/{talk.id}/unhide", data={"csrf_token": token}).status_code
        == 302
    )
    assert signed_in.get(f"/talks/{talk.id}", follow_redirects=True).status_code == 200
    audit = signed_in.get("/admin/audit").get_data(as_text=True)
    for action in ("talk.correct", "talk.undo", "talk.hide", "talk.unhide", "login"):
        assert f"<td>{action}</td>" in audit
    assert "<td>alice</td>" in audit


# -- speakers ---------------------------------------------------------------------------------


def test_a_merge_moves_every_talk_and_keeps_both_names(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    aaberg = (sample_dir() / "aaberg-2019.html").read_text(encoding="utf-8")
    (folder / "a1.html").write_text(aaberg, encoding="utf-8")
    second = aaberg.replace("8 oktober, 2019", "9 oktober, 2019").replace(
        "8. oktober", "9. oktober"
    )
    (folder / "a2.html").write_text(second, encoding="utf-8")
    shutil.copy(sample_dir() / "cole-2021.html", folder / "c.html")
    scrape(admin_app, folder)
    with new_session(admin_app) as db:
        speakers = {s.name: s.id for s in db.scalars(select(Speaker))}
    drop = next(i for n, i in speakers.items() if "berg" in n)
    keep = next(i for n, i in speakers.items() if "Cole" in n)
    drop_name = next(n for n, i in speakers.items() if i == drop)
    token = csrf_token(signed_in, f"/admin/speakers/{drop}/edit")
    merged = signed_in.post(
        f"/admin/speakers/{drop}/merge", data={"csrf_token": token, "into": str(keep)}
    )
    assert merged.location == f"/admin/speakers/{keep}/edit"
    with new_session(admin_app) as db:
        assert db.get(Speaker, drop) is None
        kept = db.get(Speaker, keep)
        assert kept is not None
        assert len(kept.appearances) == 3
        aliases = {a.name for a in kept.aliases}
        assert drop_name in aliases and kept.name in aliases
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "speaker.merge"))
        assert entry is not None and entry.detail["moved"] == 2 and entry.user == "alice"


def test_speaker_name_and_bio_corrections_can_be_undone(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / "cole-2021.html", folder / "c.html")
    scrape(admin_app, folder)
    with new_session(admin_app) as db:
        speaker = db.scalars(select(Speaker)).one()
        sid, old_name = speaker.id, speaker.name
    token = csrf_token(signed_in, f"/admin/speakers/{sid}/edit")
    data = {"csrf_token": token, "name": "Dr. " + old_name, "bio": "Corrected biography."}
    assert signed_in.post(f"/admin/speakers/{sid}/edit", data=data).status_code == 302
    page = folder / "c.html"
    changed = page.read_text(encoding="utf-8").replace("She started her career", "She began")
    assert "She began" in changed
    page.write_text(changed, encoding="utf-8")
    scrape(admin_app, folder)  # a re-run with a changed biography leaves both corrections alone
    with new_session(admin_app) as db:
        corrected = db.get(Speaker, sid)
        assert corrected is not None
        assert (corrected.name, corrected.bio) == ("Dr. " + old_name, "Corrected biography.")
        assert corrected.overrides["name"]["author"] == "alice"
        assert corrected.overrides["name"]["extracted"] == old_name
    undo = {"csrf_token": token, "field": "name"}
    assert signed_in.post(f"/admin/speakers/{sid}/undo", data=undo).status_code == 302
    with new_session(admin_app) as db:
        undone = db.get(Speaker, sid)
        assert undone is not None and undone.name == old_name
        assert "name" not in undone.overrides and "bio" in undone.overrides


# -- review queue -----------------------------------------------------------------------------


def test_review_queue_shows_flagged_talks_beside_their_archived_page(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    good = (sample_dir() / "aaberg-2019.html").read_text(encoding="utf-8")
    (folder / "good.html").write_text(good, encoding="utf-8")
    no_place = good.replace("Howitzvej 60, 5 sal, lokale 5.17", "").replace(
        "</body>", "<script>alert('x')</script></body>"
    )
    (folder / "old.html").write_text(
        no_place.replace("2019", "2018").replace("Cloud First in a Ministry", "Old talk"),
        encoding="utf-8",
    )
    (folder / "new.html").write_text(no_place.replace("Cloud First", "New First"), encoding="utf-8")
    scrape(admin_app, folder)
    html = signed_in.get("/admin/review").get_data(as_text=True)
    assert "empty: location" in html
    assert html.index("New First in a Ministry") < html.index("Old talk")
    assert "good.html" not in html
    assert "archived-body" in html and "CIO Talks med" in html
    assert "alert(" not in html

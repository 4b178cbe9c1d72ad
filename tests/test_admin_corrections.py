"""Corrections from the admin area: talk overrides that survive re-scrapes, undo, hide,
speaker edits and merges, and the review queue."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from adminkit import (
    TOKEN,
    add_admin,
    csrf_token,
    scrape,
    signed_in_client,
    talk_by_url_end,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.db import new_session
from archive.ingest import Ingest
from archive.models import AuditEntry, Speaker, Talk
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

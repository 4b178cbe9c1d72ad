"""Run reports that show old → new per changed field, and the run report's outcome filter."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from adminkit import add_admin, csrf_token, scrape, signed_in_client, talk_by_url_end
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from archive import store
from archive.admin import runs as runs_view
from archive.changes import MAX_CHARS, change_lines, field_changes, shorten, speakers_summary
from archive.db import new_session
from archive.ingest import Ingest
from archive.models import RunEvent, Speaker, Talk
from archive.report import Report, summary
from archive.samples import sample_dir

OLD_ORG, NEW_ORG = "Bolig- og Planministeriet", "Digitaliseringsstyrelsen"
AABERG = (sample_dir() / "aaberg-2019.html").read_text(encoding="utf-8")

# -- the pure part: what a change records ------------------------------------------------------

PER = {"name": "Per Buchwaldt", "role": "CIO", "organisation": "Region Zealand", "bio": "A."}


@pytest.mark.parametrize(
    ("field", "old", "new", "kept", "expected"),
    [
        ("topic", "Cloud", "Clouds", (), {"old": "Cloud", "new": "Clouds", "kept": False}),
        ("topic", "Cloud", "Clouds", ("topic",), {"old": "Cloud", "new": "Clouds", "kept": True}),
        ("location", None, "Room 5", (), {"old": None, "new": "Room 5", "kept": False}),
        ("location", "Room 5", "", (), {"old": "Room 5", "new": None, "kept": False}),
        ("date", "2019-10-08", "2019-10-09", (), {"old": "2019-10-08", "new": "2019-10-09"}),
        ("themes", ["Cloud"], ["Cloud", "AI"], (), {"old": ["Cloud"], "new": ["Cloud", "AI"]}),
        (
            "speakers",
            [PER],
            [{**PER, "organisation": "Region Sjælland"}],
            (),
            {
                "old": "Per Buchwaldt (CIO, Region Zealand)",
                "new": "Per Buchwaldt (CIO, Region Sjælland)",
            },
        ),
        (
            "speakers",
            [PER],
            [PER, {"name": "Ann Lee", "role": None, "organisation": None}],
            ("speakers",),
            {
                "old": "Per Buchwaldt (CIO, Region Zealand)",
                "new": "Per Buchwaldt (CIO, Region Zealand); Ann Lee",
                "kept": True,
            },
        ),
        (
            "speakers",
            [PER],
            [{**PER, "bio": "B."}],
            (),
            {
                "old": "Per Buchwaldt (CIO, Region Zealand)",
                "new": "Per Buchwaldt (CIO, Region Zealand) — changed: bio",
            },
        ),
        ("speakers", [], [{"name": "Ann Lee"}], (), {"old": None, "new": "Ann Lee"}),
    ],
)
def test_a_change_records_old_and_new(
    field: str, old: Any, new: Any, kept: tuple[str, ...], expected: dict[str, Any]
) -> None:
    change = field_changes({field: old}, {field: new}, [field], kept)[field]
    assert change == {"kept": False, **expected}


def test_long_values_are_stored_shortened() -> None:
    abstract = "Cloud computing in the public sector. " * 40
    change = field_changes({"abstract": abstract}, {"abstract": "Short."}, ["abstract"])
    old = change["abstract"]["old"]
    assert len(old) <= MAX_CHARS and old.endswith("…") and old.startswith("Cloud computing")
    assert shorten("a b c", 10) == "a b c"
    assert shorten("word " * 10, 12) == "word word…"


def test_speakers_summary_names_role_and_organisation() -> None:
    assert speakers_summary([]) is None
    assert speakers_summary([{"name": "Ann Lee", "organisation": "Maersk"}]) == "Ann Lee (Maersk)"


def test_the_terminal_summary_keeps_changes_short() -> None:
    changes = field_changes(
        {"topic": "A", "abstract": "x " * 400, "title": "T", "host": "H", "series": "S"},
        {"topic": "B", "abstract": "y", "title": "U", "host": "I", "series": "R"},
        ["topic", "abstract", "title", "host", "series"],
        kept=("topic",),
    )
    assert change_lines({"topic": changes["topic"]}) == ["topic: A → B (correction kept)"]
    report = Report(run_id=3)
    report.counts["changed"] = 1
    report.events.append(("http://x/a.html", "changed", "topic, abstract"))
    report.changes["http://x/a.html"] = changes
    lines = summary(report)
    assert lines[1] == "  changed: http://x/a.html — topic, abstract"
    assert lines[2] == "      topic: A → B (correction kept)"
    assert lines[3].startswith("      abstract: x x") and len(lines[3]) < 90
    assert lines[6] == "      … and 1 more field"


# -- re-scrapes through a loopback server -----------------------------------------------------


@pytest.fixture
def signed_in(app: Flask) -> FlaskClient:
    """A client signed in as alice."""
    add_admin(app)
    return signed_in_client(app)


class Site:
    """One event page on the loopback server, whose text a test can change between runs."""

    def __init__(self, server: HTTPServer) -> None:
        self.body = AABERG
        server.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
        server.expect_request("/cio/aaberg.html").respond_with_handler(self.page)
        self.url = server.url_for("/cio/aaberg.html")

    def page(self, _request: Request) -> Response:
        return Response(self.body, content_type="text/html; charset=utf-8")


def rescrape(app: Flask, site: Site) -> int:
    """Scrape the site's page; return the run's id (the run must go through)."""
    app.config.update(CRAWL_DELAY=0.0, CRAWL_RETRIES=1, CRAWL_BACKOFF=0.01)
    report = Ingest(app).scrape([site.url])
    assert report.exit_code == 0, report.events
    assert report.run_id is not None
    return report.run_id


def change_rows(html: str) -> dict[str, tuple[str, str, bool]]:
    """Field → (old, new, correction kept) of the change tables on a run report page."""
    rows = re.findall(
        r'<tr( class="kept")?>\s*<th scope="row">([^<]+)</th>\s*<td>(.*?)</td>\s*<td>(.*?)</td>',
        html,
        re.S,
    )
    return {
        unescape(field): (
            unescape(old),
            unescape(re.sub(r"<[^>]+>", "", new).replace("correction kept", "").strip()),
            bool(kept) and "correction kept" in new,
        )
        for kept, field, old, new in rows
    }


def test_a_changed_organisation_shows_old_and_new(
    app: Flask, signed_in: FlaskClient, httpserver: HTTPServer
) -> None:
    site = Site(httpserver)
    rescrape(app, site)
    site.body = AABERG.replace(OLD_ORG, NEW_ORG)
    run_id = rescrape(app, site)
    with new_session(app) as db:
        event = db.scalars(select(RunEvent).where(RunEvent.outcome == "changed")).one()
        assert event.changes["speakers"] == {
            "old": f"Søren Åberg (CIO, {OLD_ORG})",
            "new": f"Søren Åberg (CIO, {NEW_ORG})",
            "kept": False,
        }
    rows = change_rows(signed_in.get(f"/admin/runs/{run_id}").get_data(as_text=True))
    assert rows["speakers"] == (
        f"Søren Åberg (CIO, {OLD_ORG})",
        f"Søren Åberg (CIO, {NEW_ORG})",
        False,
    )
    assert "topic" not in rows and not any(kept for _old, _new, kept in rows.values())


def test_a_kept_correction_is_marked_beside_the_change(
    app: Flask, signed_in: FlaskClient, httpserver: HTTPServer
) -> None:
    site = Site(httpserver)
    rescrape(app, site)
    with new_session(app) as db:
        talk = db.scalars(select(Talk)).one()
        store.set_override(db, talk, "topic", "Cloud first in the Ministry of Housing", "alice")
        speaker = db.scalars(select(Speaker)).one()
        sid, bio = speaker.id, speaker.bio or ""
        db.commit()
    # the admin also corrects the speaker's name; the page then respells it and moves the org
    token = csrf_token(signed_in, f"/admin/speakers/{sid}/edit")
    data = {"csrf_token": token, "name": "Søren Åberg Hansen", "bio": bio}
    assert signed_in.post(f"/admin/speakers/{sid}/edit", data=data).status_code == 302
    site.body = AABERG.replace("Cloud First in a Ministry", "Clouds Over a Ministry").replace(
        "Søren Åberg", "Soeren Aaberg"
    )
    run_id = rescrape(app, site)
    rows = change_rows(signed_in.get(f"/admin/runs/{run_id}").get_data(as_text=True))
    assert rows["topic"] == ("Cloud First in a Ministry", "Clouds Over a Ministry", True)
    assert rows["speakers"] == (
        f"Søren Åberg (CIO, {OLD_ORG})",
        f"Soeren Aaberg (CIO, {OLD_ORG})",
        True,  # the site still shows the admin's name
    )
    assert rows["title"][2] is False
    # the shown value stayed the admin's; a later change of the organisation is shown, not kept
    site.body = site.body.replace(OLD_ORG, NEW_ORG)
    run_id = rescrape(app, site)
    rows = change_rows(signed_in.get(f"/admin/runs/{run_id}").get_data(as_text=True))
    assert rows["speakers"][1:] == (f"Soeren Aaberg (CIO, {NEW_ORG})", False)
    assert talk_by_url_end(app, "aaberg.html").topic == "Cloud first in the Ministry of Housing"


def edit_form(client: FlaskClient, url: str) -> dict[str, str]:
    """The values of the first form's inputs and text areas on ``url``, token included."""
    html = client.get(url).get_data(as_text=True)
    form = {"csrf_token": csrf_token(client, url)}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html):
        form.setdefault(name, unescape(value))
    for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>\s*([^<]*)</textarea>', html):
        form.setdefault(name, unescape(value))
    return form


def test_a_corrected_organisation_is_kept_when_the_page_moves_it(
    app: Flask, signed_in: FlaskClient, httpserver: HTTPServer
) -> None:
    site = Site(httpserver)
    rescrape(app, site)
    talk = talk_by_url_end(app, "aaberg.html")
    with new_session(app) as db:
        sid = db.scalars(select(Speaker.id)).one()
    form = edit_form(signed_in, f"/admin/talks/{talk.id}/edit")
    assert form[f"speaker_{sid}_organisation"] == OLD_ORG
    form[f"speaker_{sid}_organisation"] = "Ministry of Housing"
    assert signed_in.post(f"/admin/talks/{talk.id}/edit", data=form).status_code == 302
    site.body = AABERG.replace(OLD_ORG, NEW_ORG)
    run_id = rescrape(app, site)
    rows = change_rows(signed_in.get(f"/admin/runs/{run_id}").get_data(as_text=True))
    assert rows["speakers"] == (
        f"Søren Åberg (CIO, {OLD_ORG})",
        f"Søren Åberg (CIO, {NEW_ORG})",
        True,  # the site still shows the admin's organisation
    )
    shown = app.test_cli_runner().invoke(args=["runs", "show", str(run_id)])
    assert shown.exit_code == 0, shown.output
    assert (
        f"      speakers: Søren Åberg (CIO, {OLD_ORG}) → Søren Åberg (CIO, {NEW_ORG}) "
        "(correction kept)"
    ) in shown.output
    with new_session(app) as db:
        shown = db.scalars(select(Talk)).one().appearances[0].organisation
        assert shown is not None and shown.name == "Ministry of Housing"


# -- the outcome filter -----------------------------------------------------------------------


def test_the_outcome_filter_lists_only_matching_urls(
    app: Flask, signed_in: FlaskClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    for name in ("aaberg-2019.html", "cole-2021.html"):
        shutil.copy(sample_dir() / name, folder / name)
    scrape(app, folder)
    (folder / "cole-2021.html").write_text(
        (sample_dir() / "cole-2021.html").read_text(encoding="utf-8").replace("2021", "2022"),
        encoding="utf-8",
    )
    shutil.copy(sample_dir() / "about-cio-talks.html", folder / "about.html")
    shutil.copy(sample_dir() / "ashby-2019.html", folder / "ashby.html")
    (folder / "empty.html").write_bytes(b"")
    report = Ingest(app).scrape([str(folder)])
    assert report.counts["failed"] == 1 and report.counts["skipped"] == 1
    url = f"/admin/runs/{report.run_id}"

    def listed(query: str = "") -> set[str]:
        html = signed_in.get(url + query).get_data(as_text=True)
        return {Path(u).name for u in re.findall(r'<td class="url">(?:<a [^>]*>)?([^<]+)', html)}

    assert listed() == {"cole-2021.html", "about.html", "ashby.html", "empty.html"}
    assert listed("?outcome=changed") == {"cole-2021.html"}
    assert listed("?outcome=new") == {"ashby.html"}
    assert listed("?outcome=failed") == {"empty.html"}
    assert listed("?outcome=skipped") == {"about.html"}
    assert listed("?outcome=gone") == set()
    html = signed_in.get(url).get_data(as_text=True)
    for name, count in (("all", 4), ("new", 1), ("changed", 1), ("failed", 1), ("unchanged", 1)):
        assert f">{name} ({count})</a>" in html, name
    assert listed("?outcome=nonsense") == listed()  # an unknown outcome lists everything
    quiet = signed_in.get(url + "?outcome=unchanged").get_data(as_text=True)
    assert "1 unchanged: such pages are only counted" in quiet
    monkeypatch.setattr(runs_view, "PER_PAGE", 1)
    assert listed() == {"empty.html"}  # problems first
    assert listed("?page=2") | listed("?page=3") | listed("?page=4") == {
        "cole-2021.html",
        "about.html",
        "ashby.html",
    }
    first = signed_in.get(url + "?outcome=changed").get_data(as_text=True)
    assert "page=2" not in first  # one changed URL: one page
    assert listed("?outcome=changed&page=2") == set()
    assert f"{url}?page=2" in signed_in.get(url).get_data(as_text=True)

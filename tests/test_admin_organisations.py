"""Organisations corrected once are right everywhere and stay right after re-scrapes.

A loopback site serves three talk pages (two speakers of one bank; one speaker whose
organisation is spelled two ways). Admins rename, merge, set industries and correct one
speaker's organisation at one talk through the admin pages; the talk pages, the speaker
directory and the search facets follow at once, and a re-scrape of changed pages keeps it all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from adminkit import TOKEN, add_admin, csrf_token, signed_in_client
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from werkzeug import Request, Response

from archive.db import new_session
from archive.ingest import Ingest
from archive.models import AuditEntry, Organisation, Override, Speaker, Talk
from archive.samples import sample_dir

COLE = (sample_dir() / "cole-2021.html").read_text(encoding="utf-8")
OKAFOR = (sample_dir() / "okafor-raman-2021.html").read_text(encoding="utf-8")
#: The same speaker a year later, her employer's name abbreviated on the page.
COLE_LATER = COLE.replace("November 24, 2021", "November 23, 2022").replace(
    "Riverbend Media Group", "Riverbend Media Grp"
)


class Site:
    """A loopback site whose pages can be changed between runs."""

    def __init__(self, server: HTTPServer) -> None:
        self.pages = {
            "/cio/okafor.html": OKAFOR,
            "/cio/cole.html": COLE,
            "/cio/cole-later.html": COLE_LATER,
        }
        self.server = server
        links = "".join(f'<li><a href="{path}">{path}</a></li>' for path in self.pages)
        listing = f"<html><body><h1>Talks</h1><ul>{links}</ul></body></html>"
        server.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
        server.expect_request("/cio/").respond_with_data(listing, content_type="text/html")
        for path in self.pages:
            server.expect_request(path).respond_with_handler(self._handler(path))

    def _handler(self, path: str) -> Callable[[Request], Response]:
        def handler(_request: Request) -> Response:
            return Response(self.pages[path], content_type="text/html; charset=utf-8")

        return handler

    def scrape(self, app: Flask) -> dict[str, int]:
        """Crawl the site once; every page must go through."""
        app.config.update(CRAWL_DELAY=0.0, CRAWL_TIMEOUT=10.0, CRAWL_RETRIES=1)
        report = Ingest(app).scrape([self.server.url_for("/cio/")])
        assert report.exit_code == 0, report.events
        return dict(report.counts)

    def change_biographies(self) -> None:
        """A sentence of every biography changes, so the pages' speakers are rebuilt."""
        replace = {
            "ran the migration": "ran the whole migration",
            "She started her career": "She began her career",
        }
        for path, body in self.pages.items():
            for old, new in replace.items():
                body = body.replace(old, new)
            self.pages[path] = body


@pytest.fixture
def admin_app(app: Flask) -> Flask:
    """The per-test app with its schema and one admin account, alice."""
    add_admin(app)
    return app


@pytest.fixture
def signed_in(admin_app: Flask) -> FlaskClient:
    """A client signed in as alice."""
    return signed_in_client(admin_app)


@pytest.fixture
def site(admin_app: Flask, httpserver: HTTPServer) -> Site:
    """The loopback site, scraped once."""
    served = Site(httpserver)
    assert served.scrape(admin_app)["new"] == 3
    return served


def talk_id(app: Flask, path_end: str) -> int:
    with new_session(app) as db:
        found = db.scalar(select(Talk.id).where(Talk.source_url.endswith(path_end)))
        assert found is not None
        return int(found)


def org_id(app: Flask, name: str) -> int:
    with new_session(app) as db:
        found = db.scalar(select(Organisation.id).where(Organisation.name == name))
        assert found is not None, name
        return int(found)


def org_names(app: Flask) -> set[str]:
    with new_session(app) as db:
        return set(db.scalars(select(Organisation.name)))


def form_of(client: FlaskClient, url: str) -> dict[str, str]:
    """The values of the first form's inputs and text areas on ``url``, token included."""
    html = client.get(url).get_data(as_text=True)
    found = TOKEN.search(html)
    assert found, url
    form = {"csrf_token": found.group(1)}
    for name, value in re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html):
        form.setdefault(name, unescape(value))
    for name, value in re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>\s*([^<]*)</textarea>', html):
        form.setdefault(name, unescape(value))
    return form


def api_talk(client: FlaskClient, tid: int) -> dict[str, Any]:
    data = client.get(f"/api/v1/talks/{tid}").get_json()
    assert isinstance(data, dict)
    return data


def facet(client: FlaskClient, name: str) -> dict[str, int]:
    """The search facet ``name`` over every talk, value → count."""
    data = client.get("/api/v1/talks").get_json()
    return {entry["value"]: entry["count"] for entry in data["facets"][name]}


def directory(client: FlaskClient, **args: str) -> dict[str, dict[str, Any]]:
    """The speaker directory (JSON), filtered, by name."""
    data = client.get("/api/v1/speakers", query_string=args).get_json()
    return {row["name"]: row for row in data["results"]}


def talk_text(client: FlaskClient, tid: int) -> str:
    """A talk page's text without its markup (organisation names are links)."""
    html = client.get(f"/talks/{tid}", follow_redirects=True).get_data(as_text=True)
    return unescape(re.sub(r"<[^>]+>", "", html))


def speaker_orgs(client: FlaskClient, tid: int) -> dict[str, str | None]:
    return {s["name"]: s["organisation"] for s in api_talk(client, tid)["speakers"]}


# -- rename -----------------------------------------------------------------------------------


def assert_renamed(app: Flask, client: FlaskClient) -> None:
    okafor = talk_id(app, "okafor.html")
    assert set(speaker_orgs(client, okafor).values()) == {"Fenwick Bank plc"}
    page = talk_text(client, okafor)
    assert "CIO, Fenwick Bank plc" in page
    orgs = facet(client, "organisation")
    assert orgs.get("Fenwick Bank plc") == 1 and "Fenwick Bank" not in orgs
    found = directory(client, org="Fenwick Bank plc")
    assert set(found) == {"Daniel Okafor", "Priya Raman"}
    assert found["Priya Raman"]["organisation"] == "Fenwick Bank plc"
    html = client.get("/speakers").get_data(as_text=True)
    assert "Fenwick Bank plc" in html
    search = client.get("/api/v1/talks", query_string={"q": 'org:"Fenwick Bank plc"'}).get_json()
    assert search["total"] == 1
    assert org_names(app) >= {"Fenwick Bank plc"} and "Fenwick Bank" not in org_names(app)


def test_a_renamed_organisation_is_right_everywhere_and_after_a_rescrape(
    admin_app: Flask, signed_in: FlaskClient, site: Site
) -> None:
    listed = signed_in.get("/admin/organisations?q=fenw").get_data(as_text=True)
    fenwick = org_id(admin_app, "Fenwick Bank")
    assert f'/admin/organisations/{fenwick}/edit">Fenwick Bank</a>' in listed
    assert "Riverbend" not in listed

    form = form_of(signed_in, f"/admin/organisations/{fenwick}/edit")
    assert form["name"] == "Fenwick Bank" and form["industries"] == "Financial services"
    form["name"] = "Fenwick Bank plc"
    saved = signed_in.post(f"/admin/organisations/{fenwick}/edit", data=form)
    assert saved.status_code == 302
    assert_renamed(admin_app, signed_in)

    site.change_biographies()
    counts = site.scrape(admin_app)
    assert counts["changed"] == 3, counts
    assert_renamed(admin_app, signed_in)
    with new_session(admin_app) as db:
        org = db.get(Organisation, fenwick)
        assert org is not None and [a.name for a in org.aliases] == ["Fenwick Bank"]
        entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "organisation.rename"))
        assert entry is not None and entry.user == "alice"
        assert entry.detail == {"value": "Fenwick Bank plc", "was": "Fenwick Bank"}

    # a rename onto another record's name is refused: merge them instead
    form = form_of(signed_in, f"/admin/organisations/{fenwick}/edit")
    form["name"] = "Riverbend Media Group"
    refused = signed_in.post(f"/admin/organisations/{fenwick}/edit", data=form)
    assert refused.status_code == 400
    assert "merge them" in refused.get_data(as_text=True)


# -- a speaker's organisation at one talk, a merge and industries ----------------------------


RIVERBEND_INDUSTRIES = ["Media & entertainment", "Telecommunications"]


def assert_corrected(app: Flask, client: FlaskClient) -> None:
    okafor, cole, later = (talk_id(app, n) for n in ("okafor.html", "/cole.html", "later.html"))
    assert speaker_orgs(client, okafor) == {
        "Daniel Okafor": "Fenwick Bank",
        "Priya Raman": "Riverbend Media Group",
    }
    assert speaker_orgs(client, later) == {"Hannah Cole": "Riverbend Media Group"}
    assert api_talk(client, okafor)["industries"] == ["Financial services", *RIVERBEND_INDUSTRIES]
    assert api_talk(client, cole)["industries"] == RIVERBEND_INDUSTRIES
    assert api_talk(client, later)["industries"] == RIVERBEND_INDUSTRIES
    page = talk_text(client, okafor)
    assert "Head of Integration, Riverbend Media Group" in page
    assert "CIO, Fenwick Bank" in page

    orgs = facet(client, "organisation")
    assert orgs["Riverbend Media Group"] == 3 and orgs["Fenwick Bank"] == 1
    assert "Riverbend Media Grp" not in orgs
    industries = facet(client, "industry")
    assert industries["Telecommunications"] == 3 and industries["Financial services"] == 1

    telecoms = directory(client, industry="Telecommunications")
    assert set(telecoms) == {"Hannah Cole", "Priya Raman"}
    assert telecoms["Hannah Cole"]["organisations"] == ["Riverbend Media Group"]
    assert telecoms["Hannah Cole"]["talks"] == 2
    assert set(directory(client, industry="Financial services")) == {"Daniel Okafor"}
    html = client.get("/speakers", query_string={"org": "Riverbend Media Group"}).get_data(
        as_text=True
    )
    assert "Priya Raman" in html and "Hannah Cole" in html and "Daniel Okafor" not in html
    assert "Riverbend Media Grp" not in org_names(app)


def test_a_corrected_speaker_organisation_and_a_merge_stay_right_after_a_rescrape(
    admin_app: Flask, signed_in: FlaskClient, site: Site
) -> None:
    keep, drop = (
        org_id(admin_app, "Riverbend Media Group"),
        org_id(admin_app, "Riverbend Media Grp"),
    )
    token = csrf_token(signed_in, f"/admin/organisations/{drop}/edit")
    merged = signed_in.post(
        f"/admin/organisations/{drop}/merge",
        data={"csrf_token": token, "into": "Riverbend Media Group"},
    )
    assert merged.location == f"/admin/organisations/{keep}/edit"

    okafor = talk_id(admin_app, "okafor.html")
    form = form_of(signed_in, f"/admin/talks/{okafor}/edit")
    with new_session(admin_app) as db:
        priya = db.scalar(select(Speaker.id).where(Speaker.name == "Priya Raman"))
    assert form[f"speaker_{priya}_organisation"] == "Fenwick Bank"
    assert form[f"speaker_{priya}_role"] == "Head of Integration"
    form[f"speaker_{priya}_organisation"] = "Riverbend Media Group"
    assert signed_in.post(f"/admin/talks/{okafor}/edit", data=form).status_code == 302
    edit = signed_in.get(f"/admin/talks/{okafor}/edit").get_data(as_text=True)
    assert 'Extracted: <span class="value">Fenwick Bank</span>' in edit
    assert "Priya Raman, organisation" in edit

    form = form_of(signed_in, f"/admin/organisations/{keep}/edit")
    form["industries"] = ", ".join(RIVERBEND_INDUSTRIES)
    assert signed_in.post(f"/admin/organisations/{keep}/edit", data=form).status_code == 302
    assert_corrected(admin_app, signed_in)

    site.change_biographies()
    counts = site.scrape(admin_app)
    assert counts["changed"] == 3, counts
    assert_corrected(admin_app, signed_in)
    with new_session(admin_app) as db:
        org = db.get(Organisation, keep)
        assert org is not None and org.industries == RIVERBEND_INDUSTRIES
        assert org.overrides["industries"] == RIVERBEND_INDUSTRIES
        assert [a.name for a in org.aliases] == ["Riverbend Media Grp"]
        (override,) = db.scalars(select(Override).where(Override.talk_id == okafor))
        assert override.field == f"speaker:{priya}:organisation"
        assert (override.value, override.extracted) == ("Riverbend Media Group", "Fenwick Bank")
        actions = set(db.scalars(select(AuditEntry.action)))
    assert {"organisation.merge", "organisation.industries", "talk.correct-speaker"} <= actions
    assert Ingest(admin_app).reextract().exit_code == 0  # from the archive: still corrected
    assert_corrected(admin_app, signed_in)

    # undo the speaker's correction: her extracted organisation and its industries come back
    token = csrf_token(signed_in, f"/admin/talks/{okafor}/edit")
    undo = {"csrf_token": token, "field": f"speaker:{priya}:organisation"}
    assert signed_in.post(f"/admin/talks/{okafor}/undo", data=undo).status_code == 302
    assert speaker_orgs(signed_in, okafor)["Priya Raman"] == "Fenwick Bank"
    assert api_talk(signed_in, okafor)["industries"] == ["Financial services"]
    assert facet(signed_in, "industry")["Telecommunications"] == 2

    # undo the industries setting: the extracted industries come back on every talk
    token = csrf_token(signed_in, f"/admin/organisations/{keep}/edit")
    undone = signed_in.post(
        f"/admin/organisations/{keep}/industries/undo", data={"csrf_token": token}
    )
    assert undone.status_code == 302
    assert "Telecommunications" not in facet(signed_in, "industry")
    assert api_talk(signed_in, talk_id(admin_app, "/cole.html"))["industries"] == [
        "Media & entertainment"
    ]


def test_a_role_correction_series_and_host_survive_a_rescrape(
    admin_app: Flask, signed_in: FlaskClient, site: Site
) -> None:
    okafor = talk_id(admin_app, "okafor.html")
    with new_session(admin_app) as db:
        daniel = db.scalar(select(Speaker.id).where(Speaker.name == "Daniel Okafor"))
    form = form_of(signed_in, f"/admin/talks/{okafor}/edit")
    assert form["series"] == "CIO Talks"
    form.update(series="CIO Talks Harbourside", host="Harbourside Business School")
    form[f"speaker_{daniel}_role"] = "Chief Information Officer"
    assert signed_in.post(f"/admin/talks/{okafor}/edit", data=form).status_code == 302
    site.change_biographies()
    site.scrape(admin_app)
    data = api_talk(signed_in, okafor)
    assert (data["series"], data["host"]) == (
        "CIO Talks Harbourside",
        "Harbourside Business School",
    )
    roles = {s["name"]: s["role"] for s in data["speakers"]}
    assert roles == {
        "Daniel Okafor": "Chief Information Officer",
        "Priya Raman": "Head of Integration",
    }
    assert directory(signed_in)["Daniel Okafor"]["role"] == "Chief Information Officer"


# -- admin search, edit links, the organisations list -----------------------------------------


def test_admin_search_finds_talks_speakers_and_organisations(
    admin_app: Flask, signed_in: FlaskClient, site: Site
) -> None:
    okafor = talk_id(admin_app, "okafor.html")
    nav = signed_in.get("/admin/").get_data(as_text=True)
    assert 'action="/admin/search"' in nav and 'name="q"' in nav
    html = signed_in.get("/admin/search", query_string={"q": "one platform"}).get_data(as_text=True)
    assert f'href="/admin/talks/{okafor}/edit"' in html
    html = signed_in.get("/admin/search", query_string={"q": "raman"}).get_data(as_text=True)
    with new_session(admin_app) as db:
        priya = db.scalar(select(Speaker.id).where(Speaker.name == "Priya Raman"))
    assert f'href="/admin/speakers/{priya}/edit">Priya Raman</a>' in html
    assert "No organisations." in html
    html = signed_in.get("/admin/search", query_string={"q": "media gr"}).get_data(as_text=True)
    keep = org_id(admin_app, "Riverbend Media Group")
    assert f'href="/admin/organisations/{keep}/edit">Riverbend Media Group</a>' in html
    assert "Riverbend Media Grp</a>" in html
    wildcard = signed_in.get("/admin/search", query_string={"q": "%"}).get_data(as_text=True)
    assert "No talks." in wildcard and "No speakers." in wildcard
    assert admin_app.test_client().get("/admin/search?q=x").status_code == 302


def test_public_pages_link_to_their_edit_pages_for_signed_in_admins(
    admin_app: Flask, signed_in: FlaskClient, site: Site
) -> None:
    cole = talk_id(admin_app, "/cole.html")
    with new_session(admin_app) as db:
        hannah = db.scalar(select(Speaker.id).where(Speaker.name == "Hannah Cole"))
    anonymous = admin_app.test_client()
    for url, edit in [
        (f"/talks/{cole}", f'href="/admin/talks/{cole}/edit"'),
        (f"/speakers/{hannah}", f'href="/admin/speakers/{hannah}/edit"'),
    ]:
        assert edit in signed_in.get(url, follow_redirects=True).get_data(as_text=True)
        public = anonymous.get(url, follow_redirects=True)
        assert public.status_code == 200 and edit not in public.get_data(as_text=True)


def test_the_organisations_list_is_paged_and_searched(
    admin_app: Flask, signed_in: FlaskClient
) -> None:
    with new_session(admin_app) as db:
        db.add_all(Organisation(name=f"Org {n:03d}", industries=[]) for n in range(60))
        db.add(Organisation(name="100% Digital_Ltd", industries=["Technology"]))
        db.commit()
    first = signed_in.get("/admin/organisations").get_data(as_text=True)
    assert "Org 000" in first and "Org 048" in first and "Org 049" not in first
    assert 'href="/admin/organisations?page=2"' in first
    second = signed_in.get("/admin/organisations?page=2").get_data(as_text=True)
    assert "Org 049" in second and "Org 059" in second and "Org 000<" not in second
    percent = signed_in.get("/admin/organisations", query_string={"q": "0% d"})
    assert "100% Digital_Ltd" in percent.get_data(as_text=True)
    assert "Org 0" not in percent.get_data(as_text=True)
    found = signed_in.get("/admin/organisations", query_string={"q": "org 05", "page": "1"})
    assert found.get_data(as_text=True).count('href="/admin/organisations/') == 10


# -- speaker aliases --------------------------------------------------------------------------


def test_speaker_aliases_decide_identity(
    admin_app: Flask, signed_in: FlaskClient, tmp_path: Path
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "cole.html").write_text(COLE, encoding="utf-8")
    report = Ingest(admin_app).scrape([str(folder)])
    assert report.exit_code == 0
    with new_session(admin_app) as db:
        hannah = db.scalars(select(Speaker)).one()
        sid, own = hannah.id, hannah.aliases[0].id
    url = f"/admin/speakers/{sid}/edit"
    token = csrf_token(signed_in, url)
    add = {"csrf_token": token, "alias": "Hannah J. Cole"}
    assert signed_in.post(f"/admin/speakers/{sid}/aliases", data=add).status_code == 302
    again = signed_in.post(f"/admin/speakers/{sid}/aliases", data=add, follow_redirects=True)
    assert "already a spelling" in again.get_data(as_text=True)
    refused = signed_in.post(
        f"/admin/speakers/{sid}/aliases/{own}/remove",
        data={"csrf_token": token},
        follow_redirects=True,
    )
    assert "spells the speaker&#39;s name" in refused.get_data(as_text=True)

    # a page spelling the name the new way is the same speaker
    (folder / "cole-later.html").write_text(
        COLE_LATER.replace("Hannah Cole", "Hannah J. Cole"), encoding="utf-8"
    )
    assert Ingest(admin_app).scrape([str(folder)]).exit_code == 0
    with new_session(admin_app) as db:
        (speaker,) = db.scalars(select(Speaker))
        assert len(speaker.appearances) == 2
        added = next(a for a in speaker.aliases if a.name == "Hannah J. Cole")
        added_id = added.id
    removed = signed_in.post(
        f"/admin/speakers/{sid}/aliases/{added_id}/remove", data={"csrf_token": token}
    )
    assert removed.status_code == 302
    with new_session(admin_app) as db:
        speaker = db.get(Speaker, sid)
        assert speaker is not None and [a.name for a in speaker.aliases] == ["Hannah Cole"]
        actions = list(
            db.scalars(select(AuditEntry.action).where(AuditEntry.target == f"speaker {sid}"))
        )
    assert actions == ["speaker.alias-add", "speaker.alias-remove"]

"""In a real browser: correct a speaker's organisation, teach the site from two corrected
talks, approve the profile, and see every page of that template re-extracted."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from adminkit import PASSWORD
from flask import Flask
from profilekit import TRUTH, pages_of, serve_sites
from pytest_httpserver import HTTPServer
from sqlalchemy import select
from test_admin_browser import browser_page, live_app  # noqa: F401  (fixtures)

from archive import store
from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Talk

pytestmark = pytest.mark.browser

HOLLINGFORD = pages_of("hollingford_drupal")


def _talk_ids(app: Flask, urls: dict[str, str]) -> dict[str, int]:
    with new_session(app) as db:
        rows = db.execute(select(Talk.source_url, Talk.id)).all()
    by_url = dict(rows)
    return {name: by_url[url] for name, url in urls.items() if url in by_url}


def _organisations(app: Flask, url: str) -> list[str | None] | None:
    """The organisations of the talk at url, in speaker order (None: no talk there)."""
    with new_session(app) as db:
        talk = db.scalar(select(Talk).where(Talk.source_url == url))
        if talk is None:
            return None
        return [s["organisation"] for s in store.talk_contract(talk)["speakers"]]


def test_teach_a_site_in_the_browser(
    browser_page: Any,  # noqa: F811
    live_app: tuple[Flask, str],  # noqa: F811
    httpserver: HTTPServer,
) -> None:
    page, (app, base) = browser_page, live_app
    urls = serve_sites(httpserver)
    Ingest(app).scrape(list(urls.values()))
    ids = _talk_ids(app, urls)
    host = urlsplit(urls[HOLLINGFORD[0]]).hostname
    rest = HOLLINGFORD[2:]
    for name in rest:  # the page-text rules miss these organisations
        want = [s["organisation"] for s in TRUTH[name]["speakers"]]
        assert _organisations(app, urls[name]) != want
    others = {n: _organisations(app, u) for n, u in urls.items() if n not in HOLLINGFORD}

    page.goto(f"{base}/admin/login")
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    for name in HOLLINGFORD[:2]:
        page.goto(f"{base}/admin/talks/{ids[name]}/edit")
        organisation = TRUTH[name]["speakers"][0]["organisation"]
        page.fill("fieldset.speaker-fields input[id$=_organisation]", organisation)
        page.click("form.talk-form button[type=submit]")
        assert "Saved" in page.inner_text(".flashes")
        assert page.input_value("fieldset.speaker-fields input[id$=_organisation]") == organisation

    page.click("#teach-site")
    page.wait_for_url(f"**/admin/profiles/learn?host={host}*")
    page.fill("#profile-name", "hollingford")
    page.check(f"#talk-{ids[HOLLINGFORD[0]]}")
    page.check(f"#talk-{ids[HOLLINGFORD[1]]}")
    page.click("#choose button[type=submit]")
    page.wait_for_selector("#preview-counts")
    assert "6 of them have this template's signature" in page.inner_text("main")
    changes = page.inner_text("#preview-changes")
    for name in rest:
        assert urls[name] in changes
        assert TRUTH[name]["speakers"][0]["organisation"] in changes
    page.click("#approve button[type=submit]")
    page.wait_for_url(f"{base}/admin/profiles")
    assert "Saved profile hollingford version 1" in page.inner_text(".flashes")
    assert "hollingford" in page.inner_text("#profiles")

    for name in rest:
        want = [s["organisation"] for s in TRUTH[name]["speakers"]]
        assert _organisations(app, urls[name]) == want, name
    assert {n: _organisations(app, urls[n]) for n in others} == others
    page.goto(f"{base}/talks/{ids[rest[0]]}")
    assert TRUTH[rest[0]]["speakers"][0]["organisation"] in page.inner_text("main")

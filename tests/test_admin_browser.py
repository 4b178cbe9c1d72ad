"""In a real browser: sign in, correct a talk's topic, re-run a scrape, see the correction kept."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import PASSWORD, add_admin
from browserkit import ARGS, CHROMIUM
from flask import Flask
from pytest_httpserver import HTTPServer
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from archive import create_app
from archive.admin import jobs
from archive.db import engine_of, new_session
from archive.models import Talk
from archive.samples import sample_dir

OLD_TOPIC = "Cloud First in a Ministry"
NEW_TOPIC = "Clouds Over a Ministry"
CORRECTED = "Cloud first in the Ministry of Housing"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser_page() -> Iterator[Any]:
    """A Chromium page (the system's browser; skipped when it or playwright is missing)."""
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


@pytest.fixture
def live_app(tmp_path: Path) -> Iterator[tuple[Flask, str]]:
    """The app served over HTTP on a loopback port, with one admin account."""
    instance = tmp_path / "instance"
    app = create_app(
        {
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'browser.sqlite3'}",
            "SECRET_KEY": "browser-test",
            "ADMIN_SOURCE_HOSTS": ["127.0.0.1"],
            "ALLOW_PRIVATE_SOURCES": True,  # the test site is on loopback
            "CRAWL_DELAY": 0,
        }
    )
    add_admin(app)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app, f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)
        engine_of(app).dispose()


def serve_talk(httpserver: HTTPServer, body: dict[str, str]) -> str:
    """Serve the talk page (its text from ``body``, so the test can change it)."""
    httpserver.no_handler_status_code = 404

    def handler(_request: Request) -> Response:
        return Response(body["html"], content_type="text/html; charset=utf-8")

    httpserver.expect_request("/events/aaberg").respond_with_handler(handler)
    return f"http://127.0.0.1:{httpserver.port}/events/aaberg"


def run_scrape(page: Any, base: str) -> None:
    page.goto(f"{base}/admin/runs")
    page.select_option("select[name=kind]", "scrape")
    page.click("form.start-run button[type=submit]")
    page.wait_for_url("**/admin/jobs/*")
    page.wait_for_selector("#job-status:has-text('Finished')", timeout=90_000)
    assert "Finished: ok" in page.inner_text("#job-status")
    assert jobs.join(int(page.url.rsplit("/", 1)[1]), timeout=10)


def test_a_correction_made_in_the_browser_survives_a_rescrape(
    browser_page: Any, live_app: tuple[Flask, str], httpserver: HTTPServer
) -> None:
    page, (app, base) = browser_page, live_app
    body = {"html": (sample_dir() / "aaberg-2019.html").read_text(encoding="utf-8")}
    talk_url = serve_talk(httpserver, body)

    page.goto(f"{base}/admin/")
    assert "/admin/login" in page.url
    page.fill("input[name=name]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/admin/")

    page.goto(f"{base}/admin/sources")
    page.fill("form.source-form input[name=name]", "test-site")
    page.fill("form.source-form input[name=url]", talk_url)
    page.click("form.source-form button[type=submit]")
    assert "Source test-site added." in page.inner_text(".flashes")
    run_scrape(page, base)

    page.goto(f"{base}/admin/talks/1/edit")
    assert page.input_value("textarea[name=topic]") == OLD_TOPIC
    page.fill("textarea[name=topic]", CORRECTED)
    page.click("form.talk-form button[type=submit]")
    assert "Saved: topic." in page.inner_text(".flashes")

    body["html"] = body["html"].replace(OLD_TOPIC, NEW_TOPIC)
    run_scrape(page, base)

    page.goto(f"{base}/admin/talks/1/edit")
    assert page.input_value("textarea[name=topic]") == CORRECTED
    assert page.inner_text("#field-topic .extracted-value .value") == NEW_TOPIC
    assert "Corrected by alice" in page.inner_text("#field-topic")
    page.goto(f"{base}/talks/1")
    assert CORRECTED in page.content()
    with new_session(app) as db:
        talk = db.get(Talk, 1)
        assert talk is not None and talk.topic == CORRECTED
        assert talk.extracted["topic"] == NEW_TOPIC
        assert [(o.field, o.author) for o in talk.overrides] == [("topic", "alice")]

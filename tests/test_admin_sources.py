"""Admin sources: the allow-list and address checks that stop SSRF, and the sources pages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from adminkit import add_admin, csrf_token, signed_in_client
from flask import Flask
from flask.testing import FlaskClient
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from archive import safety
from archive.db import new_session
from archive.models import AuditEntry
from archive.safety import UnsafeURL, check_source_url, host_allowed
from scraper.fetch import FetchConfig, Fetcher
from scraper.fetch_guard import Resolver, Unresolvable

PUBLIC = "93.184.215.14"
HOSTS = ["events.example.org", ".example.edu", "127.0.0.1", "169.254.169.254", "10.0.0.1"]


def fake_dns(table: dict[str, list[str]]) -> Resolver:
    """A resolver answering from ``table`` (IP literals resolve to themselves)."""

    def resolve(host: str) -> list[str]:
        if re.fullmatch(r"[\d.]+|[0-9a-f:]+", host):
            return [host]
        if host not in table:
            raise Unresolvable(f"host {host} cannot be resolved")
        return table[host]

    return resolve


DNS = fake_dns(
    {
        "events.example.org": [PUBLIC],
        "cio.example.edu": [PUBLIC, "2606:2800:21f:cb07:6820:80da:af6b:8b2c"],
        "rebind.example.edu": [PUBLIC, "127.0.0.1"],
        "inside.example.edu": ["10.20.30.40"],
        "mapped.example.edu": ["::ffff:127.0.0.1"],
    }
)

REFUSED = [
    ("http://127.0.0.1/", "loopback"),
    ("http://127.0.0.1:8080/admin", "loopback"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://10.0.0.1/", "private"),
    ("http://evil.example.net/", "not on the allow-list"),
    ("http://events.example.org.evil.net/", "not on the allow-list"),
    ("http://badexample.edu/", "not on the allow-list"),
    ("http://rebind.example.edu/", "loopback"),
    ("http://inside.example.edu/", "private"),
    ("http://mapped.example.edu/", "loopback"),
    ("ftp://events.example.org/", "only http"),
    ("file:///etc/passwd", "only http"),
    ("javascript:alert(1)", "only http"),
    ("http://user:secret@events.example.org/", "user name or password"),
    ("http:///nohost", "no host"),
    ("http://unknown.example.edu/", "cannot be resolved"),
]


@pytest.mark.parametrize(("url", "reason"), REFUSED)
def test_unsafe_source_urls_are_refused(url: str, reason: str) -> None:
    with pytest.raises(UnsafeURL, match=reason):
        check_source_url(url, HOSTS, allow_private=False, resolver=DNS)


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("http://events.example.org/cio-talks", "http://events.example.org/cio-talks"),
        ("HTTPS://Events.Example.ORG", "https://events.example.org/"),
        ("https://cio.example.edu/x?page=2#top", "https://cio.example.edu/x?page=2"),
        ("https://cio.example.edu:8443/x", "https://cio.example.edu:8443/x"),
    ],
)
def test_safe_source_urls_pass_normalised(url: str, normalised: str) -> None:
    assert check_source_url(url, HOSTS, resolver=DNS) == normalised


def test_private_addresses_pass_only_when_configured() -> None:
    assert check_source_url("http://127.0.0.1:5000/", HOSTS, True, DNS) == "http://127.0.0.1:5000/"
    with pytest.raises(UnsafeURL, match="not on the allow-list"):
        check_source_url("http://192.168.1.1/", HOSTS, True, DNS)


def test_localhost_is_refused_after_real_resolution() -> None:
    with pytest.raises(UnsafeURL, match="loopback"):
        check_source_url("http://localhost/", ["localhost"])


def test_no_allow_list_refuses_everything() -> None:
    with pytest.raises(UnsafeURL, match="no source hosts are allowed"):
        check_source_url("https://events.example.org/", [], resolver=DNS)


@pytest.mark.parametrize(
    ("host", "allowed"),
    [
        ("events.example.org", True),
        ("EVENTS.example.org.", True),
        ("www.events.example.org", False),
        ("example.edu", True),
        ("a.b.example.edu", True),
        ("notexample.edu", False),
    ],
)
def test_host_allow_list_matching(host: str, allowed: bool) -> None:
    assert host_allowed(host, HOSTS) is allowed


# -- redirects: what the crawler's fetcher does with a redirect to loopback --------------------


def test_the_fetcher_refuses_a_redirect_to_another_host(httpserver: HTTPServer) -> None:
    port = httpserver.port
    httpserver.expect_request("/start").respond_with_data(
        "", status=302, headers={"Location": f"http://localhost:{port}/secret"}
    )
    httpserver.expect_request("/secret").respond_with_data(
        "<html>secret</html>", content_type="text/html"
    )
    with Fetcher(FetchConfig(delay=0, max_retries=0, allow_private=True)) as fetcher:
        page = fetcher.fetch(f"http://127.0.0.1:{port}/start")
        assert page.error == "redirect to disallowed host localhost" and page.body == b""
    # With private addresses off, not even the first request is made.
    with Fetcher(FetchConfig(delay=0, max_retries=0, allowed_hosts=("localhost",))) as fetcher:
        page = fetcher.fetch(f"http://127.0.0.1:{port}/start")
        assert page.error == "127.0.0.1 is a loopback address" and page.body == b""
    assert [r.path for r, _ in httpserver.log] == ["/start"]


# -- the sources pages ------------------------------------------------------------------------


@pytest.fixture
def signed_in(app: Flask, monkeypatch: pytest.MonkeyPatch) -> FlaskClient:
    add_admin(app)
    app.config["ADMIN_SOURCE_HOSTS"] = HOSTS
    app.config["ALLOW_PRIVATE_SOURCES"] = False
    monkeypatch.setattr(safety, "resolve", DNS)
    return signed_in_client(app)


def add_form(client: FlaskClient, name: str, url: str) -> dict[str, str]:
    token = csrf_token(client, "/admin/sources")
    return {"csrf_token": token, "name": name, "url": url, "enabled": "y"}


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/",
        "http://evil.example.net/",
        "http://inside.example.edu/",
    ],
)
def test_the_sources_form_refuses_ssrf_targets(
    app: Flask, signed_in: FlaskClient, url: str
) -> None:
    response = signed_in.post("/admin/sources", data=add_form(signed_in, "bad", url))
    assert response.status_code == 400
    assert "Refused:" in response.get_data(as_text=True)
    assert not Path(app.config["SOURCES_FILE"]).exists()


def test_sources_can_be_added_edited_disabled_and_enabled(
    app: Flask, signed_in: FlaskClient
) -> None:
    path = Path(app.config["SOURCES_FILE"])
    form = add_form(signed_in, "cbs", "https://events.example.org/cio-talks")
    form["max_pages"] = "40"
    form["deny"] = "/en/\n/archive/"
    assert signed_in.post("/admin/sources", data=form).status_code == 302
    assert signed_in.post("/admin/sources", data=form).status_code == 400  # name taken
    saved = json.loads(path.read_text())["sources"]
    assert [(s["name"], s["url"], s["max_pages"], s["deny"]) for s in saved] == [
        ("cbs", "https://events.example.org/cio-talks", 40, ["/en/", "/archive/"])
    ]
    edit = add_form(signed_in, "cbs", "http://10.0.0.1/")
    assert signed_in.post("/admin/sources/cbs/edit", data=edit).status_code == 400
    edit = add_form(signed_in, "cbs", "https://cio.example.edu/talks")
    assert signed_in.post("/admin/sources/cbs/edit", data=edit).status_code == 302
    assert json.loads(path.read_text())["sources"][0]["url"] == "https://cio.example.edu/talks"
    token = {"csrf_token": edit["csrf_token"]}
    assert signed_in.post("/admin/sources/cbs/disable", data=token).status_code == 302
    assert json.loads(path.read_text())["sources"][0]["enabled"] is False
    assert "disabled" in signed_in.get("/admin/sources").get_data(as_text=True)
    assert signed_in.post("/admin/sources/cbs/enable", data=token).status_code == 302
    assert json.loads(path.read_text())["sources"][0]["enabled"] is True
    assert signed_in.post("/admin/sources/nope/disable", data=token).status_code == 404
    with new_session(app) as db:
        actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions[-4:] == ["source.add", "source.edit", "source.disable", "source.enable"]

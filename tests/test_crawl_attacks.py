"""Attacks on a crawl and a run: internal start URLs, failing robots.txt, a site that is down,
huge robots.txt files, sitemaps on other hosts and sitemap indexes that would queue millions."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from archive.db import new_session
from archive.models import Run
from scraper.crawl import CrawlConfig, CrawlEvent, crawl
from scraper.fetch import FetchConfig, Fetcher
from scraper.robots import RobotsCache

EVENT = "<!doctype html><html><body><h1>A talk</h1></body></html>"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"


def fast(app: Flask, **extra: object) -> None:
    """No delay, a timeout a busy runner does not reach, one retry."""
    app.config.update(CRAWL_DELAY=0.0, CRAWL_TIMEOUT=10.0, CRAWL_RETRIES=1, CRAWL_BACKOFF=0.01)
    app.config.update(extra)


def serve_site(server: HTTPServer) -> str:
    server.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    server.expect_request("/cio/").respond_with_data(EVENT, content_type="text/html")
    return server.url_for("/cio/")


def only_run(app: Flask) -> Run:
    with new_session(app) as session:
        return session.scalars(select(Run)).one()


# -- private addresses, on every path -------------------------------------------------------


def test_a_crawl_started_on_loopback_is_refused_when_private_sources_are_off(
    app: Flask, httpserver: HTTPServer
) -> None:
    """The guard no longer switches itself off because the start URL resolves inside."""
    fast(app, ALLOW_PRIVATE_SOURCES=False)
    start = serve_site(httpserver)
    result = app.test_cli_runner().invoke(args=["scrape", start])
    assert result.exit_code == 1, result.output
    assert "host localhost resolves to a loopback address" in result.output
    assert httpserver.log == []
    assert only_run(app).status == "failed"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://127.0.0.1:8080/admin", "loopback"),
        ("http://10.0.0.1/", "private"),
        ("http://[::1]/", "loopback"),
        ("http://localhost/", "loopback"),
    ],
)
def test_cli_sources_add_refuses_internal_addresses(app: Flask, url: str, reason: str) -> None:
    app.config["ALLOW_PRIVATE_SOURCES"] = False
    result = app.test_cli_runner().invoke(args=["sources", "add", "meta", url])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: refused {url}: ")
    assert reason in lines[0]
    assert not Path(app.config["SOURCES_FILE"]).exists()


def test_cli_sources_add_takes_internal_addresses_when_allowed(app: Flask) -> None:
    app.config["ALLOW_PRIVATE_SOURCES"] = True
    result = app.test_cli_runner().invoke(args=["sources", "add", "intranet", "http://10.0.0.1/"])
    assert result.exit_code == 0, result.output
    assert json.loads(Path(app.config["SOURCES_FILE"]).read_text())["sources"][0]["name"] == (
        "intranet"
    )


def test_extract_refuses_an_internal_url_when_private_sources_are_off(
    app: Flask, httpserver: HTTPServer
) -> None:
    app.config["ALLOW_PRIVATE_SOURCES"] = False
    url = serve_site(httpserver)
    result = app.test_cli_runner().invoke(args=["extract", "--json", url])
    assert result.exit_code == 0
    warnings = json.loads(result.output)["warnings"]
    assert len(warnings) == 1
    assert warnings[0].startswith("source: host localhost resolves to a loopback address")
    assert httpserver.log == []


# -- a run whose site cannot be crawled fails -----------------------------------------------


@pytest.mark.parametrize("status", [503, 429, 500])
def test_robots_txt_failing_fails_the_run(app: Flask, httpserver: HTTPServer, status: int) -> None:
    fast(app)
    httpserver.expect_request("/robots.txt").respond_with_data("busy", status=status)
    start = httpserver.url_for("/cio/")
    result = app.test_cli_runner().invoke(args=["scrape", start])
    assert result.exit_code == 1, result.output
    origin = start.removesuffix("/cio/")
    expected = (
        f"failed: {origin}/robots.txt — robots.txt HTTP {status}; "
        "the site was not crawled in this run"
    )
    assert expected in result.output
    assert only_run(app).status == "failed"
    assert {r.path for r, _ in httpserver.log} == {"/robots.txt"}


def test_a_site_that_is_down_fails_the_run(app: Flask) -> None:
    fast(app)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    result = app.test_cli_runner().invoke(args=["scrape", f"http://127.0.0.1:{port}/cio/"])
    assert result.exit_code == 1, result.output
    assert "robots.txt not fetched (connection refused after 1 retries)" in result.output
    assert only_run(app).status == "failed"


def test_a_host_answering_503_again_and_again_is_given_up(
    app: Flask, httpserver: HTTPServer
) -> None:
    fast(app)  # one retry: two answers per page; the host is given up after eight in a row
    links = "".join(f'<a href="/cio/talk-{n}">Talk {n}</a>' for n in range(6))
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/cio/").respond_with_data(
        f"<html><body>{links}</body></html>", content_type="text/html"
    )
    for n in range(6):
        httpserver.expect_request(f"/cio/talk-{n}").respond_with_data("busy", status=503)
    result = app.test_cli_runner().invoke(args=["scrape", httpserver.url_for("/cio/")])
    assert result.exit_code == 1
    assert "gave up on localhost after 8 answers 429/503 in a row" in result.output
    asked = [r.path for r, _ in httpserver.log if r.path.startswith("/cio/talk-")]
    assert asked == [f"/cio/talk-{n}" for n in range(4) for _answer in (1, 2)]


def test_a_healthy_site_still_runs_ok(app: Flask, httpserver: HTTPServer) -> None:
    fast(app)
    result = app.test_cli_runner().invoke(args=["scrape", serve_site(httpserver)])
    assert result.exit_code == 0, result.output
    assert only_run(app).status == "ok"


# -- robots.txt and sitemap limits ----------------------------------------------------------


def run_crawl(server: HTTPServer, config: CrawlConfig) -> tuple[list[CrawlEvent], RobotsCache]:
    """A crawl from /cio/ with the default robots.txt cap; its events and its robots rules."""
    fetcher = Fetcher(FetchConfig(delay=0, allow_private=True, max_retries=0))
    robots = RobotsCache(fetcher.fetch_text, fetcher.config.user_agent)
    with fetcher:
        return list(crawl([server.url_for("/cio/")], fetcher, robots, config)), robots


def test_a_robots_txt_over_the_cap_disallows_the_site(httpserver: HTTPServer) -> None:
    """Before, a robots.txt over the body size limit (5 MB) was read as empty: all allowed."""
    padding = "# " + "x" * 1000 + "\n"
    huge = "User-agent: *\nDisallow: /cio/\n" + padding * 6000  # about 6 MB
    httpserver.expect_request("/robots.txt").respond_with_data(huge, content_type="text/plain")
    httpserver.expect_request("/cio/").respond_with_data(EVENT, content_type="text/html")
    events, robots = run_crawl(httpserver, CrawlConfig())
    assert [e.kind for e in events] == ["discovered", "disallowed"]
    assert list(robots.problems.values()) == ["robots.txt unusable (body larger than 512 KB)"]
    assert [r.path for r, _ in httpserver.log] == ["/robots.txt"]


def test_a_robots_txt_under_the_cap_is_obeyed(httpserver: HTTPServer) -> None:
    rules = "User-agent: *\nDisallow: /cio/private\n" + "# comment\n" * 1000
    httpserver.expect_request("/robots.txt").respond_with_data(rules, content_type="text/plain")
    httpserver.expect_request("/cio/").respond_with_data(EVENT, content_type="text/html")
    events, robots = run_crawl(httpserver, CrawlConfig())
    assert [e.kind for e in events] == ["discovered", "page"] and not robots.problems


def test_a_robots_txt_sitemap_on_another_host_is_not_fetched(httpserver: HTTPServer) -> None:
    elsewhere = f"http://127.0.0.1:{httpserver.port}/sitemap.xml"  # same server, other name
    httpserver.expect_request("/robots.txt").respond_with_data(
        f"User-agent: *\nDisallow:\nSitemap: {elsewhere}\n", content_type="text/plain"
    )
    httpserver.expect_request("/cio/").respond_with_data(EVENT, content_type="text/html")
    events, _robots = run_crawl(httpserver, CrawlConfig(sitemap=True))
    refused = [e for e in events if e.kind == "disallowed"]
    assert [(e.url, e.reason) for e in refused] == [(elsewhere, "sitemap on another host")]
    assert "/sitemap.xml" not in [r.path for r, _ in httpserver.log]


def test_a_sitemap_index_cannot_queue_more_than_max_pages(httpserver: HTTPServer) -> None:
    """An index of 200 sitemaps of 500 URLs each would queue 25,000 URLs from 50 sitemaps."""
    base = httpserver.url_for("/")
    children = "".join(f"<sitemap><loc>{base}sitemap-{n}.xml</loc></sitemap>" for n in range(200))
    httpserver.expect_request("/robots.txt").respond_with_data(
        f"User-agent: *\nDisallow:\nSitemap: {base}index.xml\n", content_type="text/plain"
    )
    httpserver.expect_request("/index.xml").respond_with_data(
        f'<sitemapindex xmlns="{SITEMAP_NS}">{children}</sitemapindex>',
        content_type="application/xml",
    )
    for n in range(200):
        urls = "".join(f"<url><loc>{base}cio/{n}-{i}</loc></url>" for i in range(500))
        httpserver.expect_request(f"/sitemap-{n}.xml").respond_with_data(
            f'<urlset xmlns="{SITEMAP_NS}">{urls}</urlset>', content_type="application/xml"
        )
    httpserver.expect_request("/cio/").respond_with_data(EVENT, content_type="text/html")
    httpserver.no_handler_status_code = 404
    events, _robots = run_crawl(httpserver, CrawlConfig(sitemap=True, max_pages=5))
    assert len([e for e in events if e.kind == "discovered"]) == 5
    sitemaps = [r.path for r, _ in httpserver.log if r.path.endswith(".xml")]
    assert sitemaps == ["/index.xml", "/sitemap-0.xml"]

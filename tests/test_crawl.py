"""Crawling a small loopback site: pagination, scope, robots.txt, sitemaps and 304s."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from scraper.crawl import CrawlConfig, CrawlEvent, crawl, extract_links, parse_sitemap
from scraper.fetch import FetchConfig, Fetcher
from scraper.model import FetchedPage
from scraper.robots import RobotsCache

LISTING_1 = """<html><body><h1>CIO Talks</h1>
<a href="event-1">Talk one</a> <a href="/cio-talks/event-2#top">Talk two</a>
<a href="private-event">Hidden</a> <a href="/about">About us</a>
<a href="https://elsewhere.example.org/cio-talks/x">Partner</a>
<a href="mailto:cio@example.test">Mail</a> <a href="/cio-talks/programme.pdf">PDF</a>
<a href="?page=2">Næste</a></body></html>"""
LISTING_2 = """<html><head><link rel="next" href="/cio-talks/?page=3"></head><body>
<a href="event-3">Talk three</a> <a href="event-missing">Gone</a>
<a href="/cio-talks/">1</a></body></html>"""
LISTING_3 = """<html><body><a href="event-4">Talk four</a></body></html>"""
EVENT = """<html><body><h1>Talk</h1><a href="/cio-talks/">Back</a>
<a href="event-1">Related</a></body></html>"""


class FakeTime:
    """Records the waits the fetcher asks for instead of waiting."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


def html(body: str, **headers: str) -> Callable[[Request], Response]:
    def handler(request: Request) -> Response:
        return Response(body, content_type="text/html; charset=utf-8", headers=headers)

    return handler


def build_site(
    server: HTTPServer,
    robots: str | None = None,
    robots_status: int = 200,
    listing: Callable[[Request], Response] | None = None,
) -> None:
    if robots is None:
        robots = (
            "User-agent: *\nDisallow: /cio-talks/private\nCrawl-delay: 2\n"
            f"Sitemap: {server.url_for('/sitemap_index.xml')}\n"
        )
    server.expect_request("/robots.txt").respond_with_data(
        robots, status=robots_status, content_type="text/plain"
    )
    server.expect_request("/cio-talks/", query_string="page=2").respond_with_handler(
        html(LISTING_2)
    )
    server.expect_request("/cio-talks/", query_string="page=3").respond_with_handler(
        html(LISTING_3)
    )
    server.expect_request("/cio-talks/").respond_with_handler(listing or html(LISTING_1))
    for n in (1, 2, 3, 4, 5):
        server.expect_request(f"/cio-talks/event-{n}").respond_with_handler(html(EVENT))
    server.expect_request("/cio-talks/private-event").respond_with_handler(html(EVENT))
    server.expect_request("/cio-talks/event-missing").respond_with_data("no", status=404)
    server.expect_request("/sitemap_index.xml").respond_with_data(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url_for('/sitemap-events.xml')}</loc></sitemap></sitemapindex>",
        content_type="application/xml",
    )
    server.expect_request("/sitemap-events.xml").respond_with_data(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url_for('/cio-talks/event-5')}</loc></url>"
        f"<url><loc>{server.url_for('/other/page')}</loc></url></urlset>",
        content_type="text/xml",
    )


def run(
    server: HTTPServer, fake: FakeTime, config: CrawlConfig | None = None, **kwargs: object
) -> list[CrawlEvent]:
    fetcher = Fetcher(
        FetchConfig(delay=0.5, sleep=fake.sleep, clock=fake.clock, allow_private=True)
    )
    robots = RobotsCache(fetcher.fetch_text, fetcher.config.user_agent)
    start = server.url_for("/cio-talks/")
    return list(crawl([start], fetcher, robots, config or CrawlConfig(), **kwargs))  # type: ignore[arg-type]


def paths(events: list[CrawlEvent], kind: str) -> list[str]:
    return [e.url.split(":", 2)[2].split("/", 1)[1] for e in events if e.kind == kind]


def requested(server: HTTPServer) -> list[str]:
    return [
        req.path + (f"?{req.query_string.decode()}" if req.query_string else "")
        for req, _ in server.log
    ]


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def test_crawl_follows_pagination_and_event_links(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver)
    events = run(httpserver, fake)
    assert sorted(paths(events, "page")) == [
        "cio-talks/",
        "cio-talks/?page=2",
        "cio-talks/?page=3",
        "cio-talks/event-1",
        "cio-talks/event-2",
        "cio-talks/event-3",
        "cio-talks/event-4",
    ]
    assert paths(events, "disallowed") == ["cio-talks/private-event"]
    failed = [e for e in events if e.kind == "failed"]
    assert [(e.url.rsplit("/", 1)[1], e.reason) for e in failed] == [("event-missing", "HTTP 404")]
    log = requested(httpserver)
    assert log.count("/robots.txt") == 1
    assert "/cio-talks/private-event" not in log
    assert "/about" not in log and "/cio-talks/programme.pdf" not in log
    assert "/sitemap_index.xml" not in log  # sitemaps only when asked
    assert all(e.page is not None and e.page.status == 200 for e in events if e.kind == "page")
    # robots.txt's Crawl-delay (2 s) beats the configured 0.5 s between requests
    assert fake.sleeps and set(fake.sleeps) == {2.0}


def test_sitemap_index_adds_pages_in_scope(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver)
    events = run(httpserver, fake, CrawlConfig(sitemap=True))
    assert "cio-talks/event-5" in paths(events, "page")
    discovered = {e.url.rsplit("/", 1)[1]: e.reason for e in events if e.kind == "discovered"}
    assert discovered["event-5"] == "sitemap"
    assert "/other/page" not in requested(httpserver)


def test_conditional_requests_and_archived_listing(httpserver: HTTPServer, fake: FakeTime) -> None:
    tagged = '"listing-v1"'

    def listing(request: Request) -> Response:
        if request.headers.get("If-None-Match") == tagged:
            return Response(status=304)
        return Response(LISTING_1, content_type="text/html", headers={"ETag": tagged})

    build_site(httpserver, listing=listing)

    def validators(url: str) -> tuple[str | None, str | None] | None:
        return (tagged, None) if url.endswith("/cio-talks/") else None

    without_archive = run(httpserver, fake, validators=validators)
    assert paths(without_archive, "not_modified") == ["cio-talks/"]
    assert paths(without_archive, "page") == []  # nothing to take links from

    with_archive = run(
        httpserver, fake, validators=validators, archived_body=lambda url: LISTING_1.encode()
    )
    assert paths(with_archive, "not_modified") == ["cio-talks/"]
    assert "cio-talks/event-4" in paths(with_archive, "page")


def test_max_pages_and_depth(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver)
    limited = run(httpserver, fake, CrawlConfig(max_pages=3))
    assert len([e for e in limited if e.kind in ("page", "failed", "not_modified")]) == 3
    shallow = run(httpserver, fake, CrawlConfig(max_depth=0))
    assert sorted(paths(shallow, "page")) == [
        "cio-talks/",
        "cio-talks/?page=2",
        "cio-talks/?page=3",
    ]


def test_allow_and_deny_patterns(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver)
    events = run(httpserver, fake, CrawlConfig(allow=(r"event-[12]$", r"page="), deny=(r"-2$",)))
    assert sorted(paths(events, "page")) == [
        "cio-talks/",
        "cio-talks/?page=2",
        "cio-talks/?page=3",
        "cio-talks/event-1",
    ]


def test_robots_server_error_disallows_the_site(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver, robots="oops", robots_status=503)
    events = run(httpserver, fake)
    assert [e.kind for e in events] == ["discovered", "disallowed"]
    assert set(requested(httpserver)) == {"/robots.txt"}


def test_missing_robots_allows_everything(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver, robots="", robots_status=404)
    events = run(httpserver, fake)
    assert "cio-talks/private-event" in paths(events, "page")
    assert paths(events, "disallowed") == []


def test_robots_cache_rules() -> None:
    calls: list[str] = []

    def fetch_text(url: str, max_bytes: int) -> FetchedPage:
        calls.append(url)
        if url.startswith("https://down.test"):
            return FetchedPage(url, 0, b"", error="connection refused")
        rules = b"User-agent: CIOTalksArchive\nDisallow: /x\nCrawl-delay: 3\n\nUser-agent: *\n"
        return FetchedPage(url, 200, rules)

    robots = RobotsCache(fetch_text, "CIOTalksArchive/0.1 (+mailto:a@b.test)")
    assert robots.allowed("https://site.test/ok")
    assert not robots.allowed("https://site.test/x/1")
    assert robots.crawl_delay("site.test") == 3.0
    assert robots.crawl_delay("https://site.test/anything") == 3.0
    assert not robots.allowed("https://down.test/")
    assert robots.allowed("file:///tmp/page.html")
    assert calls == ["https://site.test/robots.txt", "https://down.test/robots.txt"]
    assert robots.problems == {"https://down.test": "robots.txt not fetched (connection refused)"}
    other = RobotsCache(fetch_text, "SomeoneElse/1.0")
    assert other.allowed("https://site.test/x/1") and other.crawl_delay("site.test") is None


@pytest.mark.parametrize(
    ("body", "pagination", "links"),
    [
        (
            '<a href="?page=2">2</a><a href="e1">Talk</a>',
            ["http://h.test/l/?page=2"],
            ["http://h.test/l/e1"],
        ),
        ('<a href="/l/archive/older">Next »</a>', ["http://h.test/l/archive/older"], []),
        ('<a href="/x">Næste side</a>', ["http://h.test/x"], []),
        ('<a rel="next" href="p2">more</a>', ["http://h.test/l/p2"], []),
        ('<a href="/l/page/3/">3</a>', ["http://h.test/l/page/3/"], []),
        ('<a href="e#frag">a</a><a href="e">b</a>', [], ["http://h.test/l/e"]),
        (
            '<a href="mailto:x@y">m</a><a href="javascript:void(0)">j</a><a href="#top">t</a>',
            [],
            [],
        ),
        ('<a href="ftp://h.test/f">f</a>', [], []),
        ('<base href="http://h.test/other/"><a href="e">e</a>', [], ["http://h.test/other/e"]),
        ('<a href="HTTP://H.TEST">root</a>', [], ["http://h.test/"]),
    ],
)
def test_extract_links(body: str, pagination: list[str], links: list[str]) -> None:
    assert extract_links(f"<html><body>{body}</body></html>".encode(), "http://h.test/l/") == (
        pagination,
        links,
    )


def test_extract_links_survives_junk() -> None:
    assert extract_links(b"", "http://h.test/") == ([], [])
    assert extract_links(b"\x00\xff\xfe garbage", "http://h.test/") == ([], [])


@pytest.mark.parametrize(
    ("xml", "children", "pages"),
    [
        (
            b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap>'
            b"<loc> https://h.test/s1.xml </loc></sitemap></sitemapindex>",
            ["https://h.test/s1.xml"],
            [],
        ),
        (
            b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://h.test/a'
            b"</loc><lastmod>2024-01-01</lastmod></url><url><loc>/relative</loc></url></urlset>",
            [],
            ["https://h.test/a"],
        ),
        (b"not xml at all", [], []),
        (b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset>&e;</urlset>', [], []),
    ],
)
def test_parse_sitemap(xml: bytes, children: list[str], pages: list[str]) -> None:
    assert parse_sitemap(xml) == (children, pages)


def test_redirecting_start_url_scopes_its_target(httpserver: HTTPServer, fake: FakeTime) -> None:
    build_site(httpserver)
    httpserver.expect_request("/talks").respond_with_data(
        "", status=301, headers={"Location": "/cio-talks/"}
    )
    fetcher = Fetcher(FetchConfig(delay=0, sleep=fake.sleep, clock=fake.clock, allow_private=True))
    robots = RobotsCache(fetcher.fetch_text, fetcher.config.user_agent)
    events = list(crawl([httpserver.url_for("/talks")], fetcher, robots, CrawlConfig()))
    pages = paths(events, "page")
    assert pages[0] == "talks"
    assert events[1].page is not None
    assert events[1].page.final_url == httpserver.url_for("/cio-talks/")
    assert "cio-talks/event-4" in pages
    assert "/about" not in requested(httpserver)

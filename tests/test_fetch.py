"""Fetcher behaviour against a real loopback HTTP server (and a raw socket that resets)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from pytest_httpserver import HTTPServer
from rawserver import raw_server
from werkzeug import Request, Response

from scraper.fetch import FetchConfig, Fetcher
from scraper.responses import parse_retry_after

HTML = b"<!doctype html><html><head><title>t</title></head><body>hi</body></html>"


class FakeTime:
    """An injectable clock and sleep that record waits instead of waiting."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture
def fake() -> FakeTime:
    return FakeTime()


def make(fake: FakeTime, **kwargs: object) -> Fetcher:
    settings: dict[str, object] = {
        "delay": 0.0,
        "sleep": fake.sleep,
        "clock": fake.clock,
        "allow_private": True,  # the servers are on loopback
    }
    settings.update(kwargs)
    return Fetcher(FetchConfig(contact="admin@example.test", **settings))  # type: ignore[arg-type]


def test_ok_page_and_user_agent(httpserver: HTTPServer, fake: FakeTime) -> None:
    seen: list[str] = []

    def handler(request: Request) -> Response:
        seen.append(request.headers.get("User-Agent", ""))
        return Response(HTML, content_type="text/html; charset=utf-8")

    httpserver.expect_request("/event").respond_with_handler(handler)
    page = make(fake).fetch(httpserver.url_for("/event"))
    assert page.error is None
    assert page.status == 200
    assert page.body == HTML
    assert page.content_type == "text/html; charset=utf-8"
    assert page.fetched_at and page.fetched_at.endswith("Z")
    assert "CIOTalksArchive" in seen[0] and "admin@example.test" in seen[0]


def test_conditional_get_gives_not_modified(httpserver: HTTPServer, fake: FakeTime) -> None:
    stamp = "Wed, 01 Oct 2014 10:00:00 GMT"

    def handler(request: Request) -> Response:
        if (
            request.headers.get("If-None-Match") == '"v1"'
            or request.headers.get("If-Modified-Since") == stamp
        ):
            return Response(status=304, headers={"ETag": '"v1"'})
        return Response(
            HTML, content_type="text/html", headers={"ETag": '"v1"', "Last-Modified": stamp}
        )

    httpserver.expect_request("/e").respond_with_handler(handler)
    fetcher = make(fake)
    first = fetcher.fetch(httpserver.url_for("/e"))
    assert first.status == 200 and not first.not_modified
    assert first.etag == '"v1"' and first.last_modified == stamp
    by_etag = fetcher.fetch(httpserver.url_for("/e"), etag=first.etag)
    by_date = fetcher.fetch(httpserver.url_for("/e"), last_modified=first.last_modified)
    for page in (by_etag, by_date):
        assert page.status == 304 and page.not_modified and page.error is None
        assert page.body == b""


def test_429_honours_retry_after(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request("/busy").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/busy").respond_with_data(HTML, content_type="text/html")
    page = make(fake).fetch(httpserver.url_for("/busy"))
    assert page.error is None and page.body == HTML
    assert fake.sleeps == [7.0]


def test_503_backs_off_exponentially_then_gives_up(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/down").respond_with_data("oops", status=503)
    page = make(fake, backoff=0.5).fetch(httpserver.url_for("/down"))
    assert page.status == 503
    assert page.error == "HTTP 503 after 3 retries"
    assert fake.sleeps == [0.5, 1.0, 2.0]
    assert len(httpserver.log) == 4


def test_retry_after_is_capped(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_ordered_request("/x").respond_with_data(
        "", status=503, headers={"Retry-After": "3600"}
    )
    httpserver.expect_ordered_request("/x").respond_with_data(HTML, content_type="text/html")
    page = make(fake, max_retry_after=5.0).fetch(httpserver.url_for("/x"))
    assert page.error is None
    assert fake.sleeps == [5.0]


def test_parse_retry_after_http_date() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after("soon") is None


def test_per_host_delay_and_crawl_delay(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/a").respond_with_data(HTML, content_type="text/html")
    fetcher = make(fake, delay=1.0)
    fetcher.fetch(httpserver.url_for("/a"))
    fetcher.fetch(httpserver.url_for("/a"))
    assert fake.sleeps == [1.0]
    fetcher.set_crawl_delay("localhost", 4.0)
    fetcher.fetch(httpserver.url_for("/a"))
    assert fake.sleeps == [1.0, 4.0]
    fetcher.set_crawl_delay("localhost", 10_000)
    assert fetcher.host_delay("localhost") == 60.0


def test_slow_response_times_out(httpserver: HTTPServer) -> None:
    calls: list[str] = []

    def handler(request: Request) -> Response:
        calls.append(request.path)
        time.sleep(1.0)
        return Response(HTML, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(handler)
    fetcher = Fetcher(FetchConfig(delay=0, read_timeout=0.2, allow_private=True))
    page = fetcher.fetch(httpserver.url_for("/slow"))
    assert page.error == "timeout after 0.2 s"
    assert page.status == 0
    assert calls == ["/slow"]  # read timeouts are not retried


@pytest.fixture
def resetting_server() -> Iterator[tuple[str, list[int]]]:
    """A raw TCP server on 127.0.0.1 that reads the request and resets the connection."""
    accepted: list[int] = []

    def reset(conn: socket.socket, _stop: threading.Event) -> None:
        accepted.append(1)
        conn.recv(4096)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")

    with raw_server(reset) as port:
        yield f"http://127.0.0.1:{port}/page", accepted


def test_connection_reset_is_retried_then_reported(
    resetting_server: tuple[str, list[int]], fake: FakeTime
) -> None:
    url, accepted = resetting_server
    page = make(fake, max_retries=2).fetch(url)
    assert page.error == "connection reset after 2 retries"
    assert page.status == 0
    assert len(accepted) == 3
    assert fake.sleeps == [1.0, 2.0]


def test_connection_refused(fake: FakeTime) -> None:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    page = make(fake, max_retries=0).fetch(f"http://127.0.0.1:{port}/")
    assert page.error == "connection refused"


def test_redirect_followed_on_same_host(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data(HTML, content_type="text/html")
    page = make(fake).fetch(httpserver.url_for("/old"))
    assert page.error is None
    assert page.final_url == httpserver.url_for("/new")


def test_redirect_loop(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    page = make(fake).fetch(httpserver.url_for("/a"))
    assert page.error == f"redirect loop at {httpserver.url_for('/a')}"


def test_too_many_redirects(httpserver: HTTPServer, fake: FakeTime) -> None:
    for n in range(10):
        httpserver.expect_request(f"/r{n}").respond_with_data(
            "", status=302, headers={"Location": f"/r{n + 1}"}
        )
    page = make(fake).fetch(httpserver.url_for("/r0"))
    assert page.error == "too many redirects (more than 5)"
    assert len(httpserver.log) == 6


def test_redirect_to_other_host(httpserver: HTTPServer, fake: FakeTime) -> None:
    elsewhere = f"http://127.0.0.1:{httpserver.port}/landing"
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": elsewhere}
    )
    httpserver.expect_request("/landing").respond_with_data(HTML, content_type="text/html")
    page = make(fake).fetch(httpserver.url_for("/go"))
    assert page.error == "redirect to disallowed host 127.0.0.1"
    allowed = make(fake, allowed_hosts=("127.0.0.1",)).fetch(httpserver.url_for("/go"))
    assert allowed.error is None and allowed.final_url == elsewhere


def test_redirect_refused_by_permission_check(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "/private/x"}
    )
    page = make(fake).fetch(httpserver.url_for("/go"), permitted=lambda u: "/private/" not in u)
    assert page.error is not None and "disallowed by robots.txt" in page.error


def test_oversized_body_declared(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/big").respond_with_data(
        b"<html>" + b"x" * (6 * 1024 * 1024), content_type="text/html"
    )
    page = make(fake).fetch(httpserver.url_for("/big"))
    assert page.error == "body larger than 5 MB"
    assert page.body == b""


def test_oversized_body_streamed_without_length(httpserver: HTTPServer, fake: FakeTime) -> None:
    def handler(request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"<html>"
            for _ in range(100):
                yield b"y" * 1000

        return Response(chunks(), content_type="text/html")

    httpserver.expect_request("/stream").respond_with_handler(handler)
    page = make(fake, max_bytes=10_000).fetch(httpserver.url_for("/stream"))
    assert page.error == "body larger than 10000 bytes"


@pytest.mark.parametrize(
    ("content_type", "body", "error"),
    [
        ("application/octet-stream", b"\x00\x01\x02", "binary body (application/octet-stream)"),
        ("application/pdf", b"%PDF-1.4", "binary body (application/pdf)"),
        ("application/json", b"{}", "not HTML (application/json)"),
        ("text/plain", b"hello", "not HTML (text/plain)"),
        ("text/html", b"\x89PNG\r\n\x1a\n\x00\x00", "binary body (text/html)"),
        ("application/xhtml+xml", HTML, None),
    ],
)
def test_content_types(
    httpserver: HTTPServer, fake: FakeTime, content_type: str, body: bytes, error: str | None
) -> None:
    httpserver.expect_request("/thing").respond_with_data(body, content_type=content_type)
    page = make(fake).fetch(httpserver.url_for("/thing"))
    assert page.error == error


def test_xml_accepted_when_asked(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/sitemap.xml").respond_with_data(
        b"<urlset/>", content_type="application/xml"
    )
    fetcher = make(fake)
    assert fetcher.fetch(httpserver.url_for("/sitemap.xml")).error == "not HTML (application/xml)"
    page = fetcher.fetch(httpserver.url_for("/sitemap.xml"), accept=("application/xml",))
    assert page.error is None and page.body == b"<urlset/>"


def test_http_errors_are_reported(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    page = make(fake).fetch(httpserver.url_for("/gone"))
    assert page.status == 404 and page.error == "HTTP 404"
    assert fake.sleeps == []  # 4xx other than 429 are not retried


def test_gzip_body_is_decoded_and_headers_fixed(httpserver: HTTPServer, fake: FakeTime) -> None:
    import gzip

    packed = gzip.compress(HTML)
    httpserver.expect_request("/z").respond_with_data(
        packed, content_type="text/html", headers={"Content-Encoding": "gzip"}
    )
    page = make(fake).fetch(httpserver.url_for("/z"))
    assert page.body == HTML
    assert "Content-Encoding" not in page.headers
    assert page.headers["Content-Length"] == str(len(HTML))


def test_fetch_text_for_robots(httpserver: HTTPServer, fake: FakeTime) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /x\n", content_type="text/plain"
    )
    fetcher = make(fake)
    page = fetcher.fetch_text(httpserver.url_for("/robots.txt"))
    assert (page.status, page.body, page.error) == (200, b"User-agent: *\nDisallow: /x\n", None)
    assert fetcher.fetch_text(httpserver.url_for("/missing.txt")).status == 500
    big = fetcher.fetch_text(httpserver.url_for("/robots.txt"), max_bytes=10)
    assert (big.status, big.body, big.error) == (200, b"", "body larger than 10 bytes")


class _CountingHandler(BaseHTTPRequestHandler):
    """HTTP/1.1 keep-alive pages; the server counts connections and the cookies it gets."""

    protocol_version = "HTTP/1.1"
    server: _CountingServer

    def setup(self) -> None:
        super().setup()
        self.server.connections += 1

    def do_GET(self) -> None:
        self.server.cookies.append(self.headers.get("Cookie", ""))
        self.server.paths.append(self.path)
        extra: dict[str, str] = {}
        body, status = HTML, 200
        if self.path == "/cookie":
            extra["Set-Cookie"] = "visit=yes; Path=/"
        elif self.path == "/big":
            body = b"<html>" + b"x" * 50_000
        elif self.headers.get("If-None-Match") == '"v1"':
            body, status = b"", 304
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("ETag", '"v1"')
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""


class _CountingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _CountingHandler)
        self.connections = 0
        self.cookies: list[str] = []
        self.paths: list[str] = []


@pytest.fixture
def counting_server() -> Iterator[_CountingServer]:
    server = _CountingServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_one_connection_is_reused_for_pages_and_304s(
    counting_server: _CountingServer, fake: FakeTime
) -> None:
    base = f"http://127.0.0.1:{counting_server.server_address[1]}"
    with make(fake) as fetcher:
        pages = [
            fetcher.fetch(f"{base}/a"),
            fetcher.fetch(f"{base}/a", etag='"v1"'),
            fetcher.fetch(f"{base}/b", etag='"v1"'),
            fetcher.fetch(f"{base}/c"),
        ]
    assert [p.status for p in pages] == [200, 304, 304, 200]
    assert [p.error for p in pages] == [None] * 4
    assert counting_server.connections == 1


def test_a_body_cut_short_closes_its_connection(
    counting_server: _CountingServer, fake: FakeTime
) -> None:
    base = f"http://127.0.0.1:{counting_server.server_address[1]}"
    with make(fake, max_bytes=10_000) as fetcher:
        big = fetcher.fetch(f"{base}/big")
        after = fetcher.fetch(f"{base}/a")
    assert big.error == "body larger than 10000 bytes"
    # the unread rest of the big body must not be taken for the next response
    assert after.error is None and after.body == HTML
    assert counting_server.connections == 2


def test_cookies_set_by_the_site_are_sent_back(
    counting_server: _CountingServer, fake: FakeTime
) -> None:
    base = f"http://127.0.0.1:{counting_server.server_address[1]}"
    with make(fake) as fetcher:
        fetcher.fetch(f"{base}/a")
        fetcher.fetch(f"{base}/cookie")
        fetcher.fetch(f"{base}/a")
    assert counting_server.cookies == ["", "", "visit=yes"]


def test_proxy_from_the_environment_and_no_proxy(
    counting_server: _CountingServer, fake: FakeTime, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "no_proxy", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    port = counting_server.server_address[1]
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with make(fake) as fetcher:
        proxied = fetcher.fetch("http://events.example.test/a")  # resolved by the proxy only
        direct = fetcher.fetch(f"http://127.0.0.1:{port}/b")
    assert proxied.error is None and proxied.body == HTML
    assert direct.error is None and direct.body == HTML
    # a proxy is sent the absolute URL; a server reached directly, only the path
    assert counting_server.paths == ["http://events.example.test/a", "/b"]

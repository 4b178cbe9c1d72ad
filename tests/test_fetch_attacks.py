"""Attacks on the fetcher from hostile names and servers, played on loopback only.

DNS rebinding (a name that answers public when checked and 127.0.0.1 when crawled) is played
by a resolver the test swaps in; trickling servers are raw loopback sockets.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import trustme
from pytest_httpserver import HTTPServer
from rawserver import raw_server
from werkzeug import Request, Response

from archive.safety import check_source_url
from scraper.fetch import FetchConfig, Fetcher
from scraper.fetch_guard import AddressPolicy, AddressRefused, Unresolvable

PUBLIC = "93.184.215.14"
HTML = b"<!doctype html><html><body>inside</body></html>"


class RebindingDNS:
    """Answers public for the first ``public_answers`` look-ups of a name, then 127.0.0.1."""

    def __init__(self, public_answers: int = 1) -> None:
        self.public_answers = public_answers
        self.asked: list[str] = []

    def __call__(self, host: str) -> list[str]:
        self.asked.append(host)
        return [PUBLIC] if len(self.asked) <= self.public_answers else ["127.0.0.1"]


def loopback_dns(host: str) -> list[str]:
    """Every name is on loopback (what a rebinding name answers at crawl time)."""
    return ["127.0.0.1"]


def test_dns_rebinding_name_is_refused_when_crawled(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/").respond_with_data(HTML, content_type="text/html")
    dns = RebindingDNS()
    url = f"http://rebind.example.edu:{httpserver.port}/"
    # When the source is added the name answers public, so the form accepts it ...
    assert check_source_url(url, ["rebind.example.edu"], resolver=dns) == url
    # ... and when it is crawled it answers loopback: the fetcher refuses to connect.
    with Fetcher(FetchConfig(delay=0, max_retries=0, resolver=dns)) as fetcher:
        page = fetcher.fetch(url)
    assert page.error == "host rebind.example.edu resolves to a loopback address (127.0.0.1)"
    assert page.status == 0 and page.body == b""
    assert dns.asked == ["rebind.example.edu", "rebind.example.edu"]
    assert httpserver.log == []


def test_name_is_connected_to_the_address_checked_with_its_host_header(
    httpserver: HTTPServer,
) -> None:
    """No second look-up between the check and the connection: the socket goes to the address
    the guard checked (the name exists in no DNS), and the Host header stays the name's."""
    hosts: list[str] = []

    def answer(request: Request) -> Response:
        hosts.append(request.headers["Host"])
        return Response(HTML, content_type="text/html")

    httpserver.expect_request("/").respond_with_handler(answer)
    config = FetchConfig(delay=0, allow_private=True, resolver=loopback_dns)
    with Fetcher(config) as fetcher:
        page = fetcher.fetch(f"http://talks.invalid:{httpserver.port}/")
    assert page.error is None and page.body == HTML
    assert hosts == [f"talks.invalid:{httpserver.port}"]


def test_every_redirect_hop_is_resolved_by_the_guard(httpserver: HTTPServer) -> None:
    port = httpserver.port
    httpserver.expect_request("/a").respond_with_data(
        "", status=302, headers={"Location": f"http://b.invalid:{port}/b"}
    )
    httpserver.expect_request("/b").respond_with_data(HTML, content_type="text/html")
    asked: list[str] = []

    def dns(host: str) -> list[str]:
        asked.append(host)
        return ["127.0.0.1"]

    config = FetchConfig(delay=0, allow_private=True, resolver=dns, allowed_hosts=("b.invalid",))
    with Fetcher(config) as fetcher:
        page = fetcher.fetch(f"http://a.invalid:{port}/a")
    assert page.error is None and page.final_url == f"http://b.invalid:{port}/b"
    assert asked == ["a.invalid", "b.invalid"]
    # The same hop refused when the second name answers inside and that is not allowed.
    refusing = AddressPolicy(allow_private=False, resolver=dns)
    with pytest.raises(AddressRefused, match="loopback"):
        refusing.addresses("b.invalid")


@pytest.mark.parametrize(
    ("host", "answers", "refused"),
    [
        ("events.example.org", [PUBLIC], None),
        ("127.0.0.1", ["127.0.0.1"], "127.0.0.1 is a loopback address"),
        ("169.254.169.254", ["169.254.169.254"], "169.254.169.254 is a link-local address"),
        ("inside.example.edu", ["10.20.30.40"], "resolves to a private address (10.20.30.40)"),
        ("both.example.edu", [PUBLIC, "127.0.0.1"], "resolves to a loopback address"),
        ("mapped.example.edu", ["::ffff:127.0.0.1"], "resolves to a loopback address"),
        ("v6.example.edu", ["::1"], "resolves to a loopback address"),
        ("cgnat.example.edu", ["100.64.0.1"], "not globally routable"),
        ("nothing.example.edu", [], "cannot be resolved"),
    ],
)
def test_internal_answers_are_refused(host: str, answers: list[str], refused: str | None) -> None:
    policy = AddressPolicy(allow_private=False, resolver=lambda _host: answers)
    if refused is None:
        assert policy.addresses(host) == answers
    else:
        with pytest.raises(AddressRefused) as refusal:
            policy.addresses(host)
        assert refused in str(refusal.value)
    if answers:  # allowed inside: the same answers pass
        assert AddressPolicy(True, resolver=lambda _host: answers).addresses(host) == answers


def test_unresolvable_names_are_told_apart() -> None:
    with pytest.raises(Unresolvable):
        AddressPolicy(resolver=lambda _host: []).addresses("nowhere.invalid")


def test_the_peer_actually_connected_to_is_checked() -> None:
    with socket.create_server(("127.0.0.1", 0)) as server:
        client = socket.create_connection(server.getsockname())
        accepted, _ = server.accept()
        try:
            with pytest.raises(AddressRefused, match="loopback"):
                AddressPolicy(allow_private=False).check_peer("public.example.org", client)
            AddressPolicy(allow_private=True).check_peer("public.example.org", client)
        finally:
            client.close()
            accepted.close()


# -- servers that trickle -------------------------------------------------------------------

TRICKLES = {
    # 200 body bytes, one every 50 ms: 10 s in all, against a 0.5 s deadline
    "body with a length": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 200\r\n\r\n",
        b"<html>" + b"x" * 194,
    ),
    "body until the server closes": (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n",
        b"<html>" + b"x" * 194,
    ),
    "headers": (b"", b"HTTP/1.1 200 OK\r\n" + b"X-Drip: y\r\n" * 20),
}


@pytest.fixture
def trickling_server(request: pytest.FixtureRequest) -> Iterator[str]:
    """A loopback server that sends its head at once, then the rest a byte every 50 ms."""
    head, drip = TRICKLES[request.param]

    def trickle(conn: socket.socket, stop: threading.Event) -> None:
        conn.recv(4096)
        conn.sendall(head)
        for byte in drip:
            if stop.is_set():
                break
            conn.sendall(bytes([byte]))
            time.sleep(0.05)

    with raw_server(trickle) as port:
        yield f"http://127.0.0.1:{port}/"


@pytest.mark.parametrize("trickling_server", list(TRICKLES), indirect=True)
def test_a_trickling_server_is_cut_off_at_the_deadline(trickling_server: str) -> None:
    config = FetchConfig(delay=0, allow_private=True, read_timeout=0.4, deadline=0.5, max_retries=2)
    started = time.monotonic()
    with Fetcher(config) as fetcher:
        page = fetcher.fetch(trickling_server)
    elapsed = time.monotonic() - started
    assert page.error == "timeout after 0.5 s for the whole answer"
    assert page.body == b""
    assert elapsed < 2.0  # the trickle alone lasts 10 s; the deadline is not retried


# -- servers that keep saying "not now" -----------------------------------------------------


def test_repeated_503_answers_give_the_host_up(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/ok").respond_with_data(HTML, content_type="text/html")
    httpserver.expect_request("/busy").respond_with_data("busy", status=503)
    config = FetchConfig(delay=0, backoff=0, allow_private=True, max_retries=1, give_up_after=3)
    with Fetcher(config) as fetcher:
        first = fetcher.fetch(httpserver.url_for("/busy"))  # two answers 503
        assert first.error == "HTTP 503 after 1 retries" and not fetcher.given_up
        assert fetcher.fetch(httpserver.url_for("/ok")).error is None  # the count starts again
        fetcher.fetch(httpserver.url_for("/busy"))  # two more
        third = fetcher.fetch(httpserver.url_for("/busy"))  # the third in a row: given up
        later = fetcher.fetch(httpserver.url_for("/ok"))
    reason = "gave up on localhost after 3 answers 429/503 in a row"
    assert third.error == reason and later.error == reason
    assert fetcher.given_up == {"localhost": reason}
    assert [r.path for r, _ in httpserver.log] == ["/busy"] * 2 + ["/ok"] + ["/busy"] * 3


# -- HTTPS: the checked address is connected to, TLS still speaks to the name -----------------


@pytest.fixture
def tls_site(tmp_path: Path) -> Iterator[tuple[int, str, list[str | None]]]:
    """An HTTPS server on loopback with a certificate for talks.invalid from a test CA;
    yields its port, the CA file and the server names (SNI) the clients sent."""
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("talks.invalid").configure_cert(context)
    names: list[str | None] = []

    def record(_sock: ssl.SSLObject, name: str | None, _context: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = record
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"<html>{self.headers['Host']}</html>".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], str(ca_file), names
    server.shutdown()
    server.server_close()
    thread.join()


def test_https_to_a_pinned_address_keeps_sni_and_the_certificate_check(
    tls_site: tuple[int, str, list[str | None]],
) -> None:
    port, ca_file, names = tls_site
    config = FetchConfig(
        delay=0, max_retries=0, allow_private=True, resolver=loopback_dns, ca_certs=ca_file
    )
    with Fetcher(config) as fetcher:
        page = fetcher.fetch(f"https://talks.invalid:{port}/")
        assert page.error is None and page.body == f"<html>talks.invalid:{port}</html>".encode()
        assert names == ["talks.invalid"]
        # The certificate is checked against the name asked for, not the address connected to.
        other = fetcher.fetch(f"https://other.invalid:{port}/")
    assert (other.status, other.error, other.body) == (0, "connection error", b"")
    assert names == ["talks.invalid", "other.invalid"]

"""A polite HTTP client: timeouts, retries, conditional GET, redirect, size and type limits.

Every connection goes through :mod:`scraper.fetch_guard`: to checked addresses only, and
within a deadline per request.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import cast
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

import urllib3
from urllib3 import exceptions as u3

from scraper.fetch_cookies import SiteCookies
from scraper.fetch_guard import (
    AddressPolicy,
    AddressRefused,
    ConnectionGuard,
    GuardedHTTPPool,
    GuardedHTTPSPool,
    Resolver,
    Unresolvable,
    resolve,
)
from scraper.fetch_hosts import HostPace
from scraper.model import FetchedPage
from scraper.responses import (
    HTML_TYPES,
    TEXT_TYPES,
    connection_reason,
    host_of,
    is_textual,
    looks_like_html,
    media_type,
    parse_retry_after,
    same_site,
    seconds_text,
    size_text,
)

log = logging.getLogger(__name__)

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024


def default_user_agent(contact: str) -> str:
    """The User-Agent naming the project and an address a site owner can write to."""
    return f"CIOTalksArchive/0.1 (+mailto:{contact}; research archive of CIO talk seminars)"


@dataclass
class FetchConfig:
    """How politely and how defensively to fetch; every limit has a safe default."""

    contact: str = "webmaster@localhost"
    user_agent: str = ""  # empty: built from `contact` by default_user_agent()
    delay: float = 1.0  # seconds between two requests to the same host
    max_crawl_delay: float = 60.0  # cap on a robots.txt Crawl-delay
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 120.0  # one request, headers and body together, however the server drips
    max_retries: int = 3
    backoff: float = 1.0  # first retry waits this long, doubling after each attempt
    max_retry_after: float = 60.0  # cap on Retry-After and on the backoff
    max_bytes: int = 5 * 1024 * 1024
    allowed_types: tuple[str, ...] = HTML_TYPES
    max_redirects: int = 5
    allowed_hosts: tuple[str, ...] = ()  # hosts redirects may go to besides the URL's own
    allow_private: bool = False  # connect to loopback, link-local and private addresses too
    give_up_after: int = 8  # 429/503 answers in a row after which a host is left for the run
    resolver: Resolver = field(default=resolve, repr=False)
    ca_certs: str | None = None  # a CA bundle to trust instead of the system's (a file path)
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False)

    def __post_init__(self) -> None:
        if not self.user_agent:
            self.user_agent = default_user_agent(self.contact)


class _Failure(Exception):
    """A one-line reason a fetch gave up (internal; never escapes Fetcher.fetch)."""

    def __init__(self, reason: str, status: int = 0, headers: dict[str, str] | None = None):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.headers = headers or {}


def _done(resp: urllib3.BaseHTTPResponse) -> None:
    """Give the connection back: reusable if the body was read to the end, else closed.

    urllib3 returns a connection to its pool by itself once the body has been read, so
    ``close`` only shuts a connection whose unread body would garble the next response.
    """
    resp.close()
    resp.release_conn()


class Fetcher:
    """Fetch pages one at a time, never raising: problems end up in ``FetchedPage.error``.

    Talks to urllib3 directly: on a crawl of thousands of conditional requests, most of
    which are answered by a 304, the per-call work of a higher-level client costs more than
    the request itself. Cookies a site sets are kept and sent back, as a browser would.

    One connection per host (a connection pool of size one per host), a pause of at least
    ``config.delay`` (or the host's robots.txt Crawl-delay, if larger) between two requests to
    a host, retries with exponential backoff on 429/5xx and connection errors, a host given up
    after repeated 429/503 (:mod:`scraper.fetch_hosts`), and redirects followed by hand so
    every hop is checked. Every connection goes through :mod:`scraper.fetch_guard`.
    """

    def __init__(self, config: FetchConfig | None = None) -> None:
        self.config = cfg = config or FetchConfig()
        self._guard = ConnectionGuard(AddressPolicy(cfg.allow_private, cfg.resolver))
        self._pools: dict[str, urllib3.PoolManager] = {}
        self._cookies = SiteCookies()
        self._proxies = {k: v for k, v in getproxies().items() if k in ("http", "https")}
        self._hosts = HostPace(
            cfg.delay, cfg.max_crawl_delay, cfg.give_up_after, cfg.sleep, cfg.clock
        )

    @property
    def given_up(self) -> dict[str, str]:
        """Hosts this fetcher stopped asking, with the reason; their URLs now fail at once."""
        return self._hosts.given_up

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Remember a host's robots.txt Crawl-delay (capped) for the per-host pause."""
        self._hosts.set_crawl_delay(host, seconds)

    def host_delay(self, host: str) -> float:
        """The pause kept between two requests to ``host``."""
        return self._hosts.host_delay(host)

    def close(self) -> None:
        """Close every open connection."""
        for pool in self._pools.values():
            pool.clear()
        self._pools.clear()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Collection[str] | None = None,
        permitted: Callable[[str], bool] | None = None,
        max_bytes: int | None = None,
    ) -> FetchedPage:
        """GET ``url`` (conditionally when validators are given) and return what came back.

        ``accept`` overrides the allowed media types for this call (e.g. XML for sitemaps);
        ``permitted`` (e.g. robots.txt) is asked about every redirect target; ``max_bytes``
        lowers the size limit. A 304 gives a page with ``not_modified=True`` and no body.
        """
        fetched_at = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
        types = tuple(accept) if accept is not None else self.config.allowed_types
        headers = {
            "User-Agent": self.config.user_agent,
            "Accept": ", ".join(types) + ", */*;q=0.1",
            "Accept-Encoding": "gzip, deflate",
            "Connection": "keep-alive",
        }
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            limit = min(max_bytes or self.config.max_bytes, self.config.max_bytes)
            status, resp_headers, body, final = self._follow(url, headers, types, permitted, limit)
        except _Failure as failure:
            log.info("fetch %s failed: %s", url, failure.reason)
            return FetchedPage(
                url=url,
                status=failure.status,
                body=b"",
                headers=failure.headers,
                fetched_at=fetched_at,
                final_url=None,
                error=failure.reason,
            )
        return FetchedPage(
            url=url,
            status=status,
            body=body,
            headers=resp_headers,
            fetched_at=fetched_at,
            final_url=final if final != url else None,
            not_modified=status == 304,
        )

    def fetch_text(self, url: str, max_bytes: int | None = None) -> FetchedPage:
        """A plain-text resource such as robots.txt (status 0: the server was not reached)."""
        return self.fetch(url, accept=(*TEXT_TYPES, *HTML_TYPES), max_bytes=max_bytes)

    # -- internals ---------------------------------------------------------------------------

    def _follow(
        self,
        url: str,
        headers: dict[str, str],
        types: tuple[str, ...],
        permitted: Callable[[str], bool] | None,
        max_bytes: int,
    ) -> tuple[int, dict[str, str], bytes, str]:
        origin = host_of(url)
        allowed = {h.lower() for h in self.config.allowed_hosts}
        visited = [url]
        current = url
        while True:
            try:
                resp = self._request(current, headers)
                try:
                    location = resp.headers.get("Location")
                    if resp.status not in _REDIRECT_STATUSES or not location:
                        return self._read(resp, current, types, max_bytes)
                    status, resp_headers = resp.status, dict(resp.headers)
                finally:
                    _done(resp)
            finally:
                self._guard.deadline.disarm()
            target = urljoin(current, location).split("#", 1)[0]
            if len(visited) > self.config.max_redirects:
                raise _Failure(
                    f"too many redirects (more than {self.config.max_redirects})",
                    status,
                    resp_headers,
                )
            if target in visited:
                raise _Failure(f"redirect loop at {target}", status, resp_headers)
            if urlsplit(target).scheme not in ("http", "https"):
                raise _Failure(f"redirect to unsupported URL {target}", status, resp_headers)
            host = host_of(target)
            if not same_site(host, origin) and host not in allowed:
                raise _Failure(f"redirect to disallowed host {host}", status, resp_headers)
            if permitted is not None and not permitted(target):
                raise _Failure(
                    f"redirect to {target} disallowed by robots.txt", status, resp_headers
                )
            log.debug("redirect %s -> %s", current, target)
            visited.append(target)
            current = target

    def _pool(self, scheme: str, host: str) -> urllib3.PoolManager:
        """The host's pool: at most one kept-alive connection, via a proxy if the environment
        names one for the scheme and host (the proxy environment is read once, at start)."""
        key = f"{scheme}://{host}"
        pool = self._pools.get(key)
        if pool is None:
            proxy = self._proxies.get(scheme)
            ca_certs = self.config.ca_certs  # None: the system's
            if proxy and not proxy_bypass(host):
                pool = urllib3.ProxyManager(
                    proxy, num_pools=1, maxsize=1, retries=False, ca_certs=ca_certs
                )
            else:
                pool = urllib3.PoolManager(num_pools=1, maxsize=1, retries=False, ca_certs=ca_certs)
            # Every connection, direct or to a proxy, is made through the guard.
            # (urllib3 calls the pool class with host, port and pool settings; a partial passes.)
            pool.pool_classes_by_scheme = cast(
                "dict[str, type]",
                {
                    "http": partial(GuardedHTTPPool, guard=self._guard),
                    "https": partial(GuardedHTTPSPool, guard=self._guard),
                },
            )
            self._pools[key] = pool
        return pool

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        asked = parse_retry_after(retry_after)
        wait = asked if asked is not None else self.config.backoff * (2**attempt)
        return min(wait, self.config.max_retry_after)

    def _check_proxied(self, host: str) -> None:
        """Through a proxy the proxy connects, so the target is checked here, without pinning:
        a name that resolves here must resolve outside; one that does not is the proxy's."""
        try:
            self._guard.policy.addresses(host)
        except Unresolvable:
            log.debug("%s does not resolve here; the proxy resolves it", host)

    def _late(self) -> str:
        return f"timeout after {seconds_text(self.config.deadline)} for the whole answer"

    def _request(self, url: str, headers: dict[str, str]) -> urllib3.BaseHTTPResponse:
        """One GET with retries; returns an open streaming response or raises _Failure.

        Each attempt runs under the deadline, which stays armed while the body is read."""
        cfg = self.config
        host = host_of(url)
        pool = self._pool(url.split(":", 1)[0].lower(), host)
        timeout = urllib3.Timeout(
            connect=min(cfg.connect_timeout, cfg.deadline), read=min(cfg.read_timeout, cfg.deadline)
        )
        attempt = 0
        while True:
            if host in self.given_up:
                raise _Failure(self.given_up[host])
            self._hosts.wait_turn(host)
            try:
                if isinstance(pool, urllib3.ProxyManager):
                    self._check_proxied(host)
                self._guard.deadline.arm(cfg.deadline)
                resp = pool.urlopen(
                    "GET",
                    url,
                    headers=self._cookies.header(url, headers),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=True,
                    timeout=timeout,
                )
            except AddressRefused as exc:
                raise _Failure(str(exc)) from exc
            except u3.HTTPError as exc:
                if self._guard.deadline.expired:
                    raise _Failure(self._late()) from exc
                reason, retry_after = self._retry_reason(exc), None
            except ValueError as exc:
                raise _Failure(f"request failed: {type(exc).__name__}") from exc
            else:
                self._cookies.keep(url, resp)
                self._hosts.answered(host, resp.status)
                if resp.status not in _RETRY_STATUSES:
                    return resp
                reason, retry_after = f"HTTP {resp.status}", resp.headers.get("Retry-After")
                status, resp_headers = resp.status, dict(resp.headers)
                _done(resp)
                self._guard.deadline.disarm()
                if host in self.given_up:
                    raise _Failure(self.given_up[host], status, resp_headers)
                if attempt >= cfg.max_retries:
                    raise _Failure(f"{reason} after {attempt} retries", status, resp_headers)
            if attempt >= cfg.max_retries:
                raise _Failure(reason if attempt == 0 else f"{reason} after {attempt} retries")
            wait = self._backoff(attempt, retry_after)
            log.info("%s: %s, retrying in %.1f s", url, reason, wait)
            cfg.sleep(wait)
            attempt += 1

    def _retry_reason(self, exc: u3.HTTPError) -> str:
        """The reason a connection-level failure is worth a retry; _Failure when it is not."""
        cfg = self.config
        # NewConnectionError (refused, unknown host) subclasses ConnectTimeoutError.
        if isinstance(exc, u3.NewConnectionError | u3.ProtocolError | u3.SSLError | u3.ProxyError):
            return connection_reason(exc)
        if isinstance(exc, u3.ConnectTimeoutError):
            return f"connect timeout after {seconds_text(cfg.connect_timeout)}"
        if isinstance(exc, u3.ReadTimeoutError):
            # Not retried: a server too slow to answer should not get more load from us.
            raise _Failure(f"timeout after {seconds_text(cfg.read_timeout)}") from exc
        raise _Failure(f"request failed: {type(exc).__name__}") from exc

    def _read(
        self, resp: urllib3.BaseHTTPResponse, url: str, types: tuple[str, ...], max_bytes: int
    ) -> tuple[int, dict[str, str], bytes, str]:
        """Check status and type, then stream the body up to the size limit."""
        cfg = self.config
        status, headers = resp.status, dict(resp.headers)
        if status == 304:
            resp.drain_conn()  # the (empty) body, so the connection goes back to the pool
            return status, headers, b"", url
        if status >= 400:
            raise _Failure(f"HTTP {status}", status, headers)
        if not 200 <= status < 300:
            raise _Failure(f"unexpected HTTP {status}", status, headers)
        mtype = media_type(resp.headers.get("Content-Type"))
        if mtype and mtype not in types:
            if is_textual(mtype):
                raise _Failure(f"not HTML ({mtype})", status, headers)
            raise _Failure(f"binary body ({mtype})", status, headers)
        too_big = f"body larger than {size_text(max_bytes)}"
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > max_bytes:
            raise _Failure(too_big, status, headers)
        chunks: list[bytes] = []
        size = 0
        deadline = self._guard.deadline
        try:
            for chunk in resp.stream(_CHUNK, decode_content=True):
                if deadline.expired:  # reads after the shutdown may still return late bytes
                    break
                size += len(chunk)
                if size > max_bytes:
                    raise _Failure(too_big, status, headers)
                chunks.append(chunk)
        except u3.HTTPError as exc:
            if deadline.expired:
                raise _Failure(self._late(), status, headers) from exc
            if "timed out" in repr(exc).lower():
                reason = f"timeout after {seconds_text(cfg.read_timeout)}"
            else:
                reason = connection_reason(exc)
            raise _Failure(f"{reason} while reading the body", status, headers) from exc
        if deadline.expired:  # a body without a length ends when the socket is shut down
            raise _Failure(self._late(), status, headers)
        body = b"".join(chunks)
        if b"\x00" in body[:1024]:
            raise _Failure(f"binary body ({mtype or 'no content type'})", status, headers)
        html_only = set(types) <= set(HTML_TYPES)
        if not mtype and html_only and not looks_like_html(body[:1024]):
            raise _Failure("no content type and the body does not look like HTML", status, headers)
        # The body is stored decoded, so the headers must no longer claim an encoding.
        for name in list(headers):
            if name.lower() in ("content-encoding", "transfer-encoding", "content-length"):
                del headers[name]
        headers["Content-Length"] = str(len(body))
        return status, headers, body, url

"""A polite HTTP client: timeouts, retries, conditional GET, redirect, size and type limits."""

from __future__ import annotations

import http.cookiejar
import logging
import time
import urllib.request
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from urllib.parse import urljoin, urlsplit
from urllib.request import getproxies, proxy_bypass

import urllib3
from urllib3 import exceptions as u3

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
    total_timeout: float = 120.0  # whole body, against servers that drip bytes
    max_retries: int = 3
    backoff: float = 1.0  # first retry waits this long, doubling after each attempt
    max_retry_after: float = 60.0  # cap on Retry-After and on the backoff
    max_bytes: int = 5 * 1024 * 1024
    allowed_types: tuple[str, ...] = HTML_TYPES
    max_redirects: int = 5
    allowed_hosts: tuple[str, ...] = ()  # hosts redirects may go to besides the URL's own
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


class _CookieResponse:
    """The face of a urllib3 response that ``http.cookiejar`` reads Set-Cookie from."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self._headers = resp.headers

    def info(self) -> _CookieResponse:
        return self

    def get_all(self, name: str, default: list[str] | None = None) -> list[str]:
        return self._headers.getlist(name) or (default if default is not None else [])


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
    a host, retries with exponential backoff on 429/5xx and connection errors, and redirects
    followed by hand so every hop is checked.
    """

    def __init__(self, config: FetchConfig | None = None) -> None:
        self.config = config or FetchConfig()
        self._pools: dict[str, urllib3.PoolManager] = {}
        self._cookies = http.cookiejar.CookieJar()
        self._proxies = {k: v for k, v in getproxies().items() if k in ("http", "https")}
        self._last_request: dict[str, float] = {}
        self._crawl_delay: dict[str, float] = {}

    def set_crawl_delay(self, host: str, seconds: float | None) -> None:
        """Remember a host's robots.txt Crawl-delay (capped) for the per-host pause."""
        if seconds is not None and seconds > 0:
            self._crawl_delay[host.lower()] = min(seconds, self.config.max_crawl_delay)

    def host_delay(self, host: str) -> float:
        """The pause kept between two requests to ``host``."""
        return max(self.config.delay, self._crawl_delay.get(host.lower(), 0.0))

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
    ) -> FetchedPage:
        """GET ``url`` (conditionally when validators are given) and return what came back.

        ``accept`` overrides the allowed media types for this call (e.g. XML for sitemaps);
        ``permitted`` (e.g. robots.txt) is asked about every redirect target. A 304 gives a
        page with ``not_modified=True`` and an empty body.
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
            status, resp_headers, body, final = self._follow(url, headers, types, permitted)
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

    def fetch_text(self, url: str) -> tuple[int | None, str]:
        """(status, text) of a plain-text resource such as robots.txt; status None: unreachable."""
        page = self.fetch(url, accept=(*TEXT_TYPES, *HTML_TYPES))
        if page.status == 0:
            return None, ""
        text = page.body.decode("utf-8", errors="replace") if not page.error else ""
        return page.status, text

    # -- internals ---------------------------------------------------------------------------

    def _follow(
        self,
        url: str,
        headers: dict[str, str],
        types: tuple[str, ...],
        permitted: Callable[[str], bool] | None,
    ) -> tuple[int, dict[str, str], bytes, str]:
        origin = host_of(url)
        allowed = {h.lower() for h in self.config.allowed_hosts}
        visited = [url]
        current = url
        while True:
            resp = self._request(current, headers)
            try:
                location = resp.headers.get("Location")
                if resp.status not in _REDIRECT_STATUSES or not location:
                    return self._read(resp, current, types)
                status, resp_headers = resp.status, dict(resp.headers)
            finally:
                _done(resp)
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
            if proxy and not proxy_bypass(host):
                pool = urllib3.ProxyManager(proxy, num_pools=1, maxsize=1, retries=False)
            else:
                pool = urllib3.PoolManager(num_pools=1, maxsize=1, retries=False)
            self._pools[key] = pool
        return pool

    def _cookie_header(self, url: str, headers: dict[str, str]) -> dict[str, str]:
        if not self._cookies:
            return headers
        probe = urllib.request.Request(url)
        self._cookies.add_cookie_header(probe)
        cookie = probe.get_header("Cookie") or probe.unredirected_hdrs.get("Cookie")
        return {**headers, "Cookie": cookie} if cookie else headers

    def _keep_cookies(self, url: str, resp: urllib3.BaseHTTPResponse) -> None:
        if "Set-Cookie" in resp.headers:
            probe = urllib.request.Request(url)
            self._cookies.extract_cookies(_CookieResponse(resp), probe)  # type: ignore[arg-type]

    def _wait_turn(self, host: str) -> None:
        last = self._last_request.get(host)
        if last is not None:
            wait = self.host_delay(host) - (self.config.clock() - last)
            if wait > 0:
                self.config.sleep(wait)
        self._last_request[host] = self.config.clock()

    def _backoff(self, attempt: int, retry_after: str | None) -> float:
        asked = parse_retry_after(retry_after)
        wait = asked if asked is not None else self.config.backoff * (2**attempt)
        return min(wait, self.config.max_retry_after)

    def _request(self, url: str, headers: dict[str, str]) -> urllib3.BaseHTTPResponse:
        """One GET with retries; returns an open streaming response or raises _Failure."""
        cfg = self.config
        host = host_of(url)
        pool = self._pool(url.split(":", 1)[0].lower(), host)
        timeout = urllib3.Timeout(connect=cfg.connect_timeout, read=cfg.read_timeout)
        attempt = 0
        while True:
            self._wait_turn(host)
            try:
                resp = pool.urlopen(
                    "GET",
                    url,
                    headers=self._cookie_header(url, headers),
                    redirect=False,
                    retries=False,
                    preload_content=False,
                    decode_content=True,
                    timeout=timeout,
                )
            # NewConnectionError (refused, unknown host) subclasses ConnectTimeoutError.
            except (u3.NewConnectionError, u3.ProtocolError, u3.SSLError, u3.ProxyError) as exc:
                reason, retry_after = connection_reason(exc), None
            except u3.ConnectTimeoutError:
                reason = f"connect timeout after {seconds_text(cfg.connect_timeout)}"
                retry_after = None
            except u3.ReadTimeoutError as exc:
                # Not retried: a server too slow to answer should not get more load from us.
                raise _Failure(f"timeout after {seconds_text(cfg.read_timeout)}") from exc
            except (u3.HTTPError, ValueError) as exc:
                raise _Failure(f"request failed: {type(exc).__name__}") from exc
            else:
                self._keep_cookies(url, resp)
                if resp.status not in _RETRY_STATUSES:
                    return resp
                reason, retry_after = f"HTTP {resp.status}", resp.headers.get("Retry-After")
                status, resp_headers = resp.status, dict(resp.headers)
                _done(resp)
                if attempt >= cfg.max_retries:
                    raise _Failure(f"{reason} after {attempt} retries", status, resp_headers)
            if attempt >= cfg.max_retries:
                raise _Failure(reason if attempt == 0 else f"{reason} after {attempt} retries")
            wait = self._backoff(attempt, retry_after)
            log.info("%s: %s, retrying in %.1f s", url, reason, wait)
            cfg.sleep(wait)
            attempt += 1

    def _read(
        self, resp: urllib3.BaseHTTPResponse, url: str, types: tuple[str, ...]
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
        too_big = f"body larger than {size_text(cfg.max_bytes)}"
        declared = resp.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cfg.max_bytes:
            raise _Failure(too_big, status, headers)
        started = cfg.clock()
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in resp.stream(_CHUNK, decode_content=True):
                size += len(chunk)
                if size > cfg.max_bytes:
                    raise _Failure(too_big, status, headers)
                if cfg.clock() - started > cfg.total_timeout:
                    raise _Failure(
                        f"body took longer than {seconds_text(cfg.total_timeout)}", status, headers
                    )
                chunks.append(chunk)
        except u3.HTTPError as exc:
            if "timed out" in repr(exc).lower():
                reason = f"timeout after {seconds_text(cfg.read_timeout)}"
            else:
                reason = connection_reason(exc)
            raise _Failure(f"{reason} while reading the body", status, headers) from exc
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

"""Cookies a site sets, kept for the fetcher's lifetime and sent back as a browser would."""

from __future__ import annotations

import http.cookiejar
import urllib.request

import urllib3


class _CookieResponse:
    """The face of a urllib3 response that ``http.cookiejar`` reads Set-Cookie from."""

    def __init__(self, resp: urllib3.BaseHTTPResponse) -> None:
        self._headers = resp.headers

    def info(self) -> _CookieResponse:
        return self

    def get_all(self, name: str, default: list[str] | None = None) -> list[str]:
        return self._headers.getlist(name) or (default if default is not None else [])


class SiteCookies:
    """A cookie jar speaking urllib3: read Set-Cookie from responses, add Cookie to requests."""

    def __init__(self) -> None:
        self._jar = http.cookiejar.CookieJar()

    def header(self, url: str, headers: dict[str, str]) -> dict[str, str]:
        """``headers`` plus the Cookie header due for ``url`` (the same dict when none is)."""
        if not self._jar:
            return headers
        probe = urllib.request.Request(url)
        self._jar.add_cookie_header(probe)
        cookie = probe.get_header("Cookie") or probe.unredirected_hdrs.get("Cookie")
        return {**headers, "Cookie": cookie} if cookie else headers

    def keep(self, url: str, resp: urllib3.BaseHTTPResponse) -> None:
        """Remember the cookies ``resp`` (an answer from ``url``) sets."""
        if "Set-Cookie" in resp.headers:
            probe = urllib.request.Request(url)
            self._jar.extract_cookies(_CookieResponse(resp), probe)  # type: ignore[arg-type]

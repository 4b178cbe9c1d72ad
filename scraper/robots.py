"""robots.txt rules per site, fetched once per run and answered with protego."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

log = logging.getLogger(__name__)

#: Fetches a text URL and returns (HTTP status or None when unreachable, body text).
FetchText = Callable[[str], tuple[int | None, str]]

_ALLOW_ALL = Protego.parse("")
_DISALLOW_ALL = Protego.parse("User-agent: *\nDisallow: /\n")


def _origin(url_or_host: str) -> str:
    """``scheme://netloc`` of a URL; a bare host name is taken as ``https://host``."""
    parts = urlsplit(url_or_host if "://" in url_or_host else f"https://{url_or_host}")
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsCache:
    """The robots.txt of every site asked about, fetched on first use and kept for the run.

    Conventions (RFC 9309): a 200 is parsed; any other 4xx (404, 410, 403...) means
    everything is allowed; a 5xx, a 429 or an unreachable server means the whole site is
    disallowed for this run, because the site may be struggling and we cannot know its rules.
    Redirects are followed by the fetch callable. ``file://`` URLs are always allowed.
    """

    def __init__(self, fetch_text: FetchText, user_agent: str) -> None:
        self._fetch_text = fetch_text
        self.user_agent = user_agent
        self._rules: dict[str, Protego] = {}
        self.problems: dict[str, str] = {}  # origin -> why the site is treated as disallowed

    def _parser(self, url: str) -> Protego:
        origin = _origin(url)
        parser = self._rules.get(origin)
        if parser is None:
            parser = self._load(origin)
            self._rules[origin] = parser
        return parser

    def _load(self, origin: str) -> Protego:
        robots_url = f"{origin}/robots.txt"
        status, text = self._fetch_text(robots_url)
        if status == 200:
            log.debug("robots.txt for %s: %d bytes", origin, len(text))
            return Protego.parse(text)
        if status is None or status == 429 or status >= 500:
            reason = "unreachable" if status is None else f"HTTP {status}"
            self.problems[origin] = f"robots.txt {reason}"
            log.warning("%s: robots.txt %s, not crawling this site in this run", origin, reason)
            return _DISALLOW_ALL
        log.debug("robots.txt for %s: HTTP %s, everything allowed", origin, status)
        return _ALLOW_ALL

    def allowed(self, url: str) -> bool:
        """Whether our user agent may fetch ``url``."""
        if not url.lower().startswith(("http://", "https://")):
            return True
        return bool(self._parser(url).can_fetch(url, self.user_agent))

    def crawl_delay(self, host: str) -> float | None:
        """The site's Crawl-delay for us in seconds (``host`` may be a URL or a host name)."""
        parser = self._parser(host)
        delay = parser.crawl_delay(self.user_agent)
        rate = parser.request_rate(self.user_agent)
        if rate is not None and rate.requests:
            from_rate = rate.seconds / rate.requests
            delay = max(delay or 0.0, from_rate)
        return float(delay) if delay else None

    def sitemaps(self, url: str) -> list[str]:
        """Sitemap URLs the site's robots.txt lists."""
        return list(self._parser(url).sitemaps)

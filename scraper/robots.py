"""robots.txt rules per site, fetched once per run and answered with protego."""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import urlsplit

from protego import Protego

from scraper.model import FetchedPage

log = logging.getLogger(__name__)

#: Fetches a text URL with a size limit (status 0: the server was not reached).
FetchText = Callable[[str, int], FetchedPage]
#: RFC 9309 asks crawlers to parse at least 500 KiB; a larger file is not read at all.
MAX_ROBOTS_BYTES = 512 * 1024

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
    So does a 200 whose body cannot be used: larger than ``max_bytes``, cut short, binary.
    Redirects are followed by the fetch callable. ``file://`` URLs are always allowed.
    Every site treated as disallowed is in ``problems`` with the one-line reason.
    """

    def __init__(
        self, fetch_text: FetchText, user_agent: str, max_bytes: int = MAX_ROBOTS_BYTES
    ) -> None:
        self._fetch_text = fetch_text
        self.user_agent = user_agent
        self.max_bytes = max_bytes
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
        page = self._fetch_text(f"{origin}/robots.txt", self.max_bytes)
        status = page.status
        if status == 200 and not page.error:
            log.debug("robots.txt for %s: %d bytes", origin, len(page.body))
            return Protego.parse(page.body.decode("utf-8", errors="replace"))
        if status in (0, 200, 429) or status >= 500:
            self.problems[origin] = f"robots.txt {_problem(page)}"
            log.warning("%s: %s, not crawling this site in this run", origin, self.problems[origin])
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
        """Sitemap URLs the site's robots.txt lists (the crawl reads only its own site's)."""
        return list(self._parser(url).sitemaps)


def _problem(page: FetchedPage) -> str:
    """Why a robots.txt answer leaves the site disallowed, in a few words."""
    if page.status == 0:
        return f"not fetched ({page.error or 'unreachable'})"
    if page.status == 200:
        return f"unusable ({page.error})"
    return f"HTTP {page.status}"

"""Discovery: from listing or event URLs to every page in scope (pagination, links, sitemaps)."""

from __future__ import annotations

import logging
import re
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Literal, Protocol
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.etree
import lxml.html

from scraper.model import FetchedPage
from scraper.responses import HTML_TYPES, XML_TYPES, same_site

log = logging.getLogger(__name__)

EventKind = Literal["page", "not_modified", "disallowed", "failed", "discovered"]
Validators = Callable[[str], tuple[str | None, str | None] | None]

_NEXT_TEXT = re.compile(r"^\W*(next|næste|naeste|older|ældre)\b|^[»›→>]+$", re.I)
_PAGER = re.compile(r"([?&](page|side|start|offset)=\d+)|(/page/\d+/?$)", re.I)
_SKIP_EXT = re.compile(
    r"\.(pdf|jpe?g|png|gif|svg|webp|ico|zip|gz|docx?|xlsx?|pptx?|mp[34]|mov|avi|ics|css|js|"
    r"json|rss|atom|xml)$",
    re.I,
)
_SITEMAP_GZ = ("application/gzip", "application/x-gzip")
_MAX_SITEMAPS = 50


class PageFetcher(Protocol):
    """What the crawler needs of :class:`scraper.fetch.Fetcher`."""

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: Collection[str] | None = None,
        permitted: Callable[[str], bool] | None = None,
    ) -> FetchedPage: ...

    def set_crawl_delay(self, host: str, seconds: float | None) -> None: ...


class RobotsRules(Protocol):
    """What the crawler needs of :class:`scraper.robots.RobotsCache`."""

    def allowed(self, url: str) -> bool: ...

    def crawl_delay(self, host: str) -> float | None: ...

    def sitemaps(self, url: str) -> list[str]: ...


@dataclass
class CrawlConfig:
    """Where the crawl may go and how far.

    A link is in scope when it is on the start URL's host (unless ``same_host`` is off) and
    either matches one of the ``allow`` regexes or, with no ``allow`` given, lies under the
    start URL's folder (pagination links may also page through the same path elsewhere).
    ``deny`` regexes always win. A start URL without a trailing slash scopes its parent
    folder; one that redirects scopes the folder of its final URL.
    Start URLs themselves are always fetched (robots.txt permitting).
    """

    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    max_pages: int = 500
    max_depth: int = 3  # link hops from a start URL; pagination does not add depth
    same_host: bool = True
    sitemap: bool = False


@dataclass
class CrawlEvent:
    """One thing that happened: a page fetched or unchanged, a URL refused, failed or found."""

    kind: EventKind
    url: str
    page: FetchedPage | None = None
    reason: str | None = None


@dataclass(frozen=True)
class _Scope:
    host: str
    prefix: str


def normalise(url: str) -> str:
    """The URL without fragment, with a lower-case scheme and host and a non-empty path."""
    url = urldefrag(url.strip())[0]
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}{path}{query}"


def _charset(content_type: str | None) -> str | None:
    match = re.search(r"charset=[\"']?([\w.:-]+)", content_type or "", re.I)
    return match.group(1) if match else None


def _scope_of(url: str) -> _Scope:
    parts = urlsplit(url)
    path = parts.path or "/"
    return _Scope((parts.hostname or "").lower(), path[: path.rfind("/") + 1])


def _parse_html(body: bytes, encoding: str | None) -> lxml.html.HtmlElement | None:
    """Parse page bytes; UTF-8 (or the declared charset) first, else lxml's own guess."""
    for codec in dict.fromkeys(c for c in (encoding, "utf-8") if c):
        try:
            return lxml.html.document_fromstring(body.decode(codec))
        except (LookupError, UnicodeDecodeError, ValueError, lxml.etree.ParserError):
            continue
    try:
        return lxml.html.document_fromstring(body)
    except (ValueError, lxml.etree.ParserError):
        return None


def extract_links(
    body: bytes, base_url: str, encoding: str | None = None
) -> tuple[list[str], list[str]]:
    """(pagination links, other links) of an HTML page, absolute and normalised, in order."""
    doc = _parse_html(body, encoding)
    if doc is None:
        return [], []
    base = doc.find(".//base[@href]")
    if base is not None:
        base_url = urljoin(base_url, base.get("href", ""))
    pagination: list[str] = []
    links: list[str] = []
    for element in doc.iter("a", "link"):
        href = (element.get("href") or "").strip()
        if not href or href.startswith(("mailto:", "javascript:", "tel:", "#")):
            continue
        url = normalise(urljoin(base_url, href))
        if not url.startswith(("http://", "https://")):
            continue
        rel = (element.get("rel") or "").lower().split()
        text = " ".join(element.text_content().split()) if element.tag == "a" else ""
        if "next" in rel or _NEXT_TEXT.search(text) or _PAGER.search(url):
            pagination.append(url)
        elif element.tag == "a":
            links.append(url)
    return list(dict.fromkeys(pagination)), list(dict.fromkeys(links))


def parse_sitemap(body: bytes, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(child sitemaps, page URLs) listed in a sitemap or sitemap index; bad XML gives none.

    ``limit`` keeps only the first so many of them (a sitemap may list 50,000 URLs)."""
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, recover=True)
    try:
        root = lxml.etree.fromstring(body, parser)
    except lxml.etree.XMLSyntaxError:
        return [], []
    if root is None:
        return [], []
    texts = ((el.text or "").strip() for el in root.iter("{*}loc"))
    locs = list(islice((t for t in texts if t.startswith(("http://", "https://"))), limit))
    if lxml.etree.QName(root).localname == "sitemapindex":
        return locs, []
    return [], locs


class _Crawl:
    """The state of one crawl; :func:`crawl` drives it."""

    def __init__(
        self,
        fetcher: PageFetcher,
        robots: RobotsRules,
        config: CrawlConfig,
        validators: Validators | None,
        archived_body: Callable[[str], bytes | None] | None,
    ) -> None:
        self.fetcher, self.robots, self.config = fetcher, robots, config
        self.validators, self.archived_body = validators, archived_body
        self.allow = [re.compile(p) for p in config.allow]
        self.deny = [re.compile(p) for p in config.deny]
        self.queue: deque[tuple[str, int, _Scope]] = deque()
        self.seen: set[str] = set()
        self.fetched = 0
        self.hosts_prepared: set[str] = set()

    def in_scope(self, url: str, scope: _Scope, *, pagination: bool) -> bool:
        parts = urlsplit(url)
        if self.config.same_host and (parts.hostname or "").lower() != scope.host:
            return False
        if any(p.search(url) for p in self.deny):
            return False
        if _SKIP_EXT.search(parts.path):
            return False
        if self.allow:
            return any(p.search(url) for p in self.allow)
        return pagination or (parts.path or "/").startswith(scope.prefix)

    def enqueue(self, url: str, depth: int, scope: _Scope, reason: str) -> CrawlEvent | None:
        if url in self.seen:
            return None
        self.seen.add(url)
        self.queue.append((url, depth, scope))
        return CrawlEvent("discovered", url, reason=reason)

    def prepare_host(self, url: str) -> None:
        host = (urlsplit(url).hostname or "").lower()
        if host not in self.hosts_prepared:
            self.hosts_prepared.add(host)
            self.fetcher.set_crawl_delay(host, self.robots.crawl_delay(url))

    def sitemap_urls(self, start: str) -> Iterator[CrawlEvent | str]:
        """Events for sitemap problems, and the page URLs the host's sitemaps list.

        At most ``_MAX_SITEMAPS`` sitemaps are read, all on the start URL's site, and at most
        ``max_pages`` URLs taken from each; the caller stops reading once it has enough.
        """
        origin = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}"
        host = _scope_of(start).host
        listed = self.robots.sitemaps(start)
        todo = deque(listed or [f"{origin}/sitemap.xml"])
        done: set[str] = set()
        while todo and len(done) < _MAX_SITEMAPS:
            url = todo.popleft()
            if url in done:
                continue
            done.add(url)
            if not same_site(_scope_of(url).host, host):
                yield CrawlEvent("disallowed", url, reason="sitemap on another host")
                continue
            if not self.robots.allowed(url):
                yield CrawlEvent("disallowed", url, reason="robots.txt")
                continue
            page = self.fetcher.fetch(
                url, accept=(*XML_TYPES, *HTML_TYPES, "text/plain"), permitted=self.robots.allowed
            )
            if page.error:
                if listed:
                    yield CrawlEvent("failed", url, page=page, reason=f"sitemap: {page.error}")
                else:
                    log.info("no sitemap at %s: %s", url, page.error)
                continue
            children, pages = parse_sitemap(page.body, self.config.max_pages)
            todo.extend(children[: max(0, _MAX_SITEMAPS - len(done) - len(todo))])
            yield from pages

    def fetch(self, url: str) -> FetchedPage:
        etag = last_modified = None
        if self.validators is not None:
            etag, last_modified = self.validators(url) or (None, None)
        self.fetched += 1
        return self.fetcher.fetch(
            url, etag=etag, last_modified=last_modified, permitted=self.robots.allowed
        )

    def run(self, start_urls: Iterable[str]) -> Iterator[CrawlEvent]:
        starts = [normalise(u) for u in start_urls]
        for url in starts:
            scope = _scope_of(url)
            event = self.enqueue(url, 0, scope, "start")
            if event:
                yield event
        if self.config.sitemap:
            for host_start in dict.fromkeys(_scope_of(u).host for u in starts):
                start = next(u for u in starts if _scope_of(u).host == host_start)
                scope = _scope_of(start)
                for item in self.sitemap_urls(start):
                    if len(self.queue) >= self.config.max_pages:
                        break  # enough to fetch: the rest of the sitemaps is not read
                    if isinstance(item, CrawlEvent):
                        yield item
                        continue
                    url = normalise(item)
                    if self.in_scope(url, scope, pagination=False):
                        event = self.enqueue(url, 1, scope, "sitemap")
                        if event:
                            yield event
        yielded: set[str] = set()
        while self.queue and self.fetched < self.config.max_pages:
            url, depth, scope = self.queue.popleft()
            if not self.robots.allowed(url):
                yield CrawlEvent("disallowed", url, reason="robots.txt")
                continue
            self.prepare_host(url)
            page = self.fetch(url)
            final = normalise(page.final_url) if page.final_url else url
            if page.error:
                yield CrawlEvent("failed", url, page=page, reason=page.error)
                continue
            if final != url and final in yielded:
                log.debug("%s redirects to %s, already seen", url, final)
                continue
            yielded.update((url, final))
            self.seen.add(final)
            body = page.body
            if page.not_modified:
                yield CrawlEvent("not_modified", url, page=page)
                body = (self.archived_body(url) if self.archived_body else None) or b""
            else:
                yield CrawlEvent("page", url, page=page)
            if url in starts and final != url:
                scope = _scope_of(final)  # a start URL that redirects: scope from where it went
            yield from self.follow(body, final, depth, scope, _charset(page.content_type))
        if self.queue:
            log.info("stopped at max_pages=%d with %d URLs left", self.fetched, len(self.queue))

    def follow(
        self, body: bytes, url: str, depth: int, scope: _Scope, encoding: str | None
    ) -> Iterator[CrawlEvent]:
        if not body:
            return
        pagination, links = extract_links(body, url, encoding)
        for link in pagination:
            # Pagination may leave the folder only to page through the same path.
            same_path = urlsplit(link).path == urlsplit(url).path
            if self.in_scope(link, scope, pagination=same_path):
                event = self.enqueue(link, depth, scope, "pagination")
                if event:
                    yield event
        if depth >= self.config.max_depth:
            return
        for link in links:
            if self.in_scope(link, scope, pagination=False):
                event = self.enqueue(link, depth + 1, scope, "link")
                if event:
                    yield event


def crawl(
    start_urls: Iterable[str],
    fetcher: PageFetcher,
    robots: RobotsRules,
    config: CrawlConfig | None = None,
    *,
    validators: Validators | None = None,
    archived_body: Callable[[str], bytes | None] | None = None,
) -> Iterator[CrawlEvent]:
    """Fetch the start URLs and everything in scope reachable from them, breadth first.

    ``validators(url)`` gives the stored (etag, last_modified) so fetches are conditional.
    A 304 has no body to take links from: ``archived_body(url)``, if given, supplies the
    archived copy so pagination and links are still followed through unchanged listings.
    Robots-disallowed URLs are never fetched. Every fetched page is yielded (listings too);
    the caller decides which are events.
    """
    state = _Crawl(fetcher, robots, config or CrawlConfig(), validators, archived_body)
    yield from state.run(start_urls)

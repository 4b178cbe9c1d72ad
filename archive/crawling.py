"""The network half of a scrape run: crawl URLs politely, conditional on what is stored."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Page, Talk
from archive.sources import NamedSource, SourcesError, load_sources, plan
from archive.warcs import warc_store
from scraper.crawl import CrawlConfig, CrawlEvent, crawl
from scraper.fetch import FetchConfig, Fetcher
from scraper.model import FetchedPage
from scraper.robots import RobotsCache

if TYPE_CHECKING:
    from archive.ingest import Ingest

log = logging.getLogger(__name__)


def latest_page(session: Session, url: str) -> Page | None:
    """The newest archived version of ``url``."""
    return session.scalar(select(Page).where(Page.url == url).order_by(Page.id.desc()).limit(1))


def app_fetch_config(app: Flask, **settings: Any) -> FetchConfig:
    """Fetch settings of every fetch the app makes (scrape, extract, teach) from its config.

    CRAWL_TIMEOUT is the deadline of one request, headers and body together; internal
    addresses are connected to only with ALLOW_PRIVATE_SOURCES. ``settings`` override.
    """
    config = app.config
    timeout = float(config.get("CRAWL_TIMEOUT", 30.0))
    defaults: dict[str, Any] = {
        "contact": config["CONTACT"],
        "delay": float(config.get("CRAWL_DELAY", 1.0)),
        "connect_timeout": min(10.0, timeout),
        "read_timeout": timeout,
        "deadline": timeout,
        "max_retries": int(config.get("CRAWL_RETRIES", 3)),
        "backoff": float(config.get("CRAWL_BACKOFF", 1.0)),
        "max_retry_after": float(config.get("CRAWL_MAX_RETRY_AFTER", 60.0)),
        "max_bytes": int(config.get("CRAWL_MAX_BYTES", 5 * 1024 * 1024)),
        "allow_private": bool(config.get("ALLOW_PRIVATE_SOURCES", False)),
    }
    return FetchConfig(**(defaults | settings))


def fetch_config(ingest: Ingest) -> FetchConfig:
    """Fetch settings from the app config and the run's options (--delay)."""
    if ingest.options.delay is None:
        return app_fetch_config(ingest.app)
    return app_fetch_config(ingest.app, delay=ingest.options.delay)


def configured_settings(ingest: Ingest) -> dict[str, NamedSource]:
    """Crawl settings of the sources file's enabled sources, by URL (none if unreadable)."""
    path = ingest.app.config.get("SOURCES_FILE")
    if not path:
        return {}
    try:
        return plan(load_sources(Path(path))).settings
    except SourcesError as exc:
        log.warning("ignoring the sources file: %s", exc)
        return {}


def crawl_plan(ingest: Ingest, urls: list[str]) -> list[tuple[list[str], CrawlConfig]]:
    """Start URLs grouped by the crawl settings they run with.

    URLs of configured sources get their own allow/deny/max_pages/sitemap; the others share
    the defaults (the run's --max-pages, else MAX_PAGES; sitemaps when CRAWL_SITEMAP is on).
    """
    config = ingest.app.config
    default_max = ingest.options.max_pages or int(config.get("MAX_PAGES", 500))
    settings = ingest.options.source_settings or configured_settings(ingest)
    plain = [u for u in urls if u not in settings]
    groups: list[tuple[list[str], CrawlConfig]] = []
    if plain:
        sitemap = bool(config.get("CRAWL_SITEMAP", False))
        groups.append((plain, CrawlConfig(max_pages=default_max, sitemap=sitemap)))
    for url in dict.fromkeys(u for u in urls if u in settings):
        named = settings[url]
        max_pages = named.max_pages or default_max
        if ingest.options.max_pages:
            max_pages = min(max_pages, ingest.options.max_pages)
        crawl_config = CrawlConfig(
            allow=tuple(named.allow),
            deny=tuple(named.deny),
            max_pages=max_pages,
            sitemap=named.sitemap,
        )
        groups.append(([url], crawl_config))
    return groups


def known_pages(session: Session) -> dict[str, Page]:
    """The newest archived version of every URL, loaded in one query at the start of a crawl."""
    latest: dict[str, Page] = {}
    for page in session.scalars(select(Page).order_by(Page.id).execution_options(yield_per=2000)):
        latest[page.url] = page
    return latest


def host_of(url: str) -> str:
    """A URL's host in lower case without "www." ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""


def archived_pages(session: Session, hosts: Iterable[str]) -> list[Page]:
    """The newest archived version of every URL on these hosts, in URL order."""
    wanted = {h.lower().removeprefix("www.") for h in hosts}
    latest = {url: page for url, page in known_pages(session).items() if host_of(url) in wanted}
    return [latest[url] for url in sorted(latest)]


def pages(ingest: Ingest, session: Session, urls: list[str]) -> Iterator[FetchedPage]:
    """Crawl from ``urls`` and yield every fetched page; refusals and failures are noted."""
    known = {} if ingest.options.refetch else known_pages(session)

    def validators(url: str) -> tuple[str | None, str | None] | None:
        page = known.get(url)
        return (page.etag, page.last_modified) if page else None

    warc = warc_store(ingest.app)

    def archived_body(url: str) -> bytes | None:
        page = known.get(url) or latest_page(session, url)
        if page is None or page.warc_path is None:
            return None
        ref = page.record_ref()
        try:
            return warc.read(ref).body
        except Exception:
            return None

    # The fetcher checks the address of every connection (start URLs, links, redirects,
    # robots.txt, sitemaps), so a crawl cannot be steered into the internal network.
    with Fetcher(fetch_config(ingest)) as fetcher, warc:
        robots = RobotsCache(fetcher.fetch_text, fetcher.config.user_agent)
        for start_urls, crawl_config in crawl_plan(ingest, urls):
            events = crawl(
                start_urls,
                fetcher,
                robots,
                crawl_config,
                validators=validators,
                archived_body=archived_body,
            )
            yield from _pages_of(ingest, session, events)
        _note_sites(ingest, session, robots.problems, fetcher.given_up)


def _note_sites(
    ingest: Ingest, session: Session, robots: dict[str, str], given_up: dict[str, str]
) -> None:
    """Sites the run could not crawl (down, robots.txt failing) and hosts it stopped asking.

    A site not crawled at all fails the run: one failed event with the reason, and the site
    in ``report.failed_sites`` (the run's status is then "failed", the exit code 1).
    """
    for origin, reason in sorted(robots.items()):
        detail = f"{reason}; the site was not crawled in this run"
        ingest.report.failed_sites.append(f"{origin}: {detail}")
        _note(ingest, session, f"{origin}/robots.txt", "failed", detail)
    for host, reason in sorted(given_up.items()):
        _note(ingest, session, host, "failed", reason)


def _pages_of(
    ingest: Ingest, session: Session, events: Iterator[CrawlEvent]
) -> Iterator[FetchedPage]:
    for event in events:
        if event.kind == "discovered":
            ingest.report.counts["discovered"] += 1
        elif event.kind == "page" and event.page is not None:
            yield event.page
        elif event.kind == "not_modified":
            ingest.report.counts["fetched"] += 1
            _note(ingest, session, event.url, "not_modified", "")
        elif event.kind == "disallowed":
            _note(ingest, session, event.url, "disallowed", event.reason or "robots.txt")
        else:
            page = event.page
            status = page.status if page else 0
            if status in (404, 410) and page is not None:
                yield page
            else:
                _note(ingest, session, event.url, "failed", event.reason or "failed")


def _note(ingest: Ingest, session: Session, url: str, outcome: str, detail: str) -> None:
    if outcome == "not_modified":
        ingest.note(None, url, outcome, detail)  # counted only; nothing to write
        return
    talk = session.scalar(select(Talk.id).where(Talk.source_url == url))
    ingest.note(session, url, outcome, detail, talk_id=talk)
    if not ingest.options.dry_run:
        session.commit()

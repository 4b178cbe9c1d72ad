"""The network half of a scrape run: crawl URLs politely, conditional on what is stored."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from archive.models import Page, Talk
from scraper.crawl import CrawlConfig, crawl
from scraper.fetch import FetchConfig, Fetcher
from scraper.model import FetchedPage
from scraper.robots import RobotsCache
from scraper.warc import RecordRef, WarcStore

if TYPE_CHECKING:
    from archive.ingest import Ingest


def latest_page(session: Session, url: str) -> Page | None:
    """The newest archived version of ``url``."""
    return session.scalar(select(Page).where(Page.url == url).order_by(Page.id.desc()).limit(1))


def fetch_config(ingest: Ingest) -> FetchConfig:
    """Fetch settings from the app config and the run's options."""
    config = ingest.app.config
    delay = ingest.options.delay if ingest.options.delay is not None else config["CRAWL_DELAY"]
    return FetchConfig(contact=config["CONTACT"], delay=delay)


def pages(ingest: Ingest, session: Session, urls: list[str]) -> Iterator[FetchedPage]:
    """Crawl from ``urls`` and yield every fetched page; refusals and failures are noted."""
    validators_off = ingest.options.refetch

    def validators(url: str) -> tuple[str | None, str | None] | None:
        if validators_off:
            return None
        page = latest_page(session, url)
        return (page.etag, page.last_modified) if page else None

    warc = WarcStore(ingest.archive_dir)

    def archived_body(url: str) -> bytes | None:
        page = latest_page(session, url)
        if page is None or page.warc_path is None:
            return None
        ref = RecordRef(
            page.warc_path, page.warc_offset or 0, page.warc_length or 0, page.record_id or "", ""
        )
        try:
            return warc.read(ref).body
        except Exception:
            return None

    max_pages = ingest.options.max_pages or ingest.app.config.get("MAX_PAGES", 500)
    with Fetcher(fetch_config(ingest)) as fetcher, warc:
        robots = RobotsCache(fetcher.fetch_text, fetcher.config.user_agent)
        events = crawl(
            urls,
            fetcher,
            robots,
            CrawlConfig(max_pages=max_pages),
            validators=validators,
            archived_body=archived_body,
        )
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
    talk = session.scalar(select(Talk.id).where(Talk.source_url == url))
    ingest.note(session, url, outcome, detail, talk_id=talk)
    if not ingest.options.dry_run:
        session.commit()

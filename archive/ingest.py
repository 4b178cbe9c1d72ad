"""Scrape and re-extraction runs: sources → archive → extraction → database → index, reported."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Flask
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from archive import changelog, indexing, replica, store
from archive import changes as changes_of
from archive.crawling import archived_pages
from archive.db import engine_of, new_session, upgrade
from archive.lock import RunLock
from archive.models import RUN_COUNTERS, Page, Run, RunEvent, Talk, utcnow
from archive.report import Report
from archive.warcs import warc_store
from scraper.extract import extract
from scraper.extract.decode import decode_html, looks_binary
from scraper.extract.rules import Rules, load_rules
from scraper.model import Extraction, FetchedPage
from scraper.sources import Source, expand_sources, local_pages
from scraper.warc_store import WarcStore

if TYPE_CHECKING:
    from archive.sources import NamedSource

log = logging.getLogger(__name__)
HTML_TYPES = ("text/html", "application/xhtml+xml")
INDEX_EVERY = 200
#: Outcomes counted on the run but given no event row (nothing happened to the page).
QUIET_OUTCOMES = frozenset({"unchanged", "not_modified"})


@dataclass
class Options:
    """How a run behaves; the defaults suit a weekly re-run."""

    dry_run: bool = False
    refetch: bool = False
    max_pages: int | None = None
    delay: float | None = None
    progress: Callable[[str, str], None] | None = None
    #: Crawl settings (allow, deny, max_pages, sitemap) of configured sources, by start URL.
    source_settings: dict[str, NamedSource] = field(default_factory=dict)


def page_problem(page: FetchedPage) -> str | None:
    """A one-line reason why a page cannot be extracted, or None when it can."""
    if page.error:
        return page.error
    if page.status >= 400:
        return f"HTTP {page.status}"
    if not page.body.strip():
        return "empty page"
    ctype = (page.content_type or "text/html").split(";")[0].strip().lower()
    if looks_binary(page.body):
        return f"binary content ({ctype})"
    if ctype not in HTML_TYPES:
        return f"not an HTML page ({ctype})"
    text, _encoding = decode_html(page.body, page.content_type)
    if text.count("\ufffd") > max(20, len(text) // 50):
        return "undecodable page (too many invalid characters)"
    return None


def content_hash(body: bytes) -> str:
    """SHA-256 of the page bytes: the identity of a page version."""
    return hashlib.sha256(body).hexdigest()


def ensure_schema(app: Flask) -> None:
    """Apply the migrations when the database is empty or behind."""
    upgrade(engine_of(app))


def mark_lost_runs(session: Session, run_ids: Sequence[int] | None = None) -> list[int]:
    """Mark runs still "running" as "lost" (all of them, or those of ``run_ids``) and return
    their ids. Only the run lock's holder may mark them all: no other run can be alive then,
    so a "running" one was killed (kill -9, a power cut) before it could record its end."""
    query = select(Run.id).where(Run.status == "running")
    if run_ids is not None:
        query = query.where(Run.id.in_(run_ids))
    lost = list(session.scalars(query))
    if lost:
        session.execute(update(Run).where(Run.id.in_(lost)).values(status="lost"))
        log.warning("run(s) %s never finished: marked lost", ", ".join(map(str, lost)))
    return lost


class Ingest:
    """One run over sources (scrape) or over the archive (re-extraction)."""

    def __init__(self, app: Flask, options: Options | None = None) -> None:
        self.app = app
        self.options = options or Options()
        self.report = Report()
        self.rules: Rules = load_rules(self._rules_dir())
        self.index_dir: Path = app.config["INDEX_DIR"]
        self.archive_dir: Path = app.config["ARCHIVE_DIR"]
        self._touched: set[int] = set()
        self._indexed: set[int] = set()
        self._seen_urls: set[str] = set()

    def _rules_dir(self) -> Path | None:
        path = Path(self.app.config["RULES_DIR"])
        return path if path.is_dir() else None

    # -- bookkeeping -------------------------------------------------------------------------
    def note(
        self,
        session: Session | None,
        url: str,
        outcome: str,
        detail: str = "",
        fields: list[str] | None = None,
        talk_id: int | None = None,
        changes: dict[str, Any] | None = None,
    ) -> None:
        """Count what happened to ``url`` and, unless it is routine, record it on the run
        (with the old and new value per field when a talk changed, see archive.changes)."""
        self.report.counts[outcome] += 1
        quiet = outcome in QUIET_OUTCOMES
        if not quiet:
            self.report.events.append((url, outcome, detail))
        if changes:
            self.report.changes[url] = changes
        if self.options.progress:
            self.options.progress(url, outcome)
        # Unchanged pages are only counted: an incremental run over an unchanged site must not
        # write a row per page.
        if (
            session is not None
            and not quiet
            and self.report.run_id is not None
            and not self.options.dry_run
        ):
            session.add(
                RunEvent(
                    run_id=self.report.run_id,
                    url=url,
                    outcome=outcome,
                    detail=detail or None,
                    fields=fields or [],
                    changes=changes or {},
                    talk_id=talk_id,
                )
            )

    def _start(self, kind: str, sources: list[str]) -> None:
        if self.options.dry_run:
            return
        with new_session(self.app) as session:
            mark_lost_runs(session)  # this run holds the lock: any "running" one is dead
            run = Run(kind=kind, sources=sources, started_at=utcnow())
            session.add(run)
            session.commit()
            self.report.run_id = run.id

    def _finish(self) -> None:
        if self.options.dry_run or self.report.run_id is None:
            return
        with new_session(self.app) as session:
            run = session.get(Run, self.report.run_id)
            if run is None:
                return
            for name in RUN_COUNTERS:
                setattr(run, name, self.report.counts[name])
            run.warning_counts = dict(self.report.warnings)
            run.finished_at = utcnow()
            run.status = (
                "failed"
                if self.report.fatal or self.report.failed_sites
                else ("partial" if self.report.counts["failed"] else "ok")
            )
            if self.report.fatal:
                session.add(
                    RunEvent(run_id=run.id, url="", outcome="fatal", detail=self.report.fatal)
                )
            session.commit()

    def _flush_index(self, session: Session) -> None:
        if self._touched and not self.options.dry_run:
            replica.catch_up(session, self.index_dir)
            self._indexed.update(self._touched)
            self._touched.clear()

    def _settle_index(self, session: Session, sync_from: dt.datetime) -> None:
        """Move the index's sync mark past this run, so the next run's sync has nothing to redo.

        Talks changed since the run's own sync were indexed as the run went; any changed by
        someone else meanwhile are indexed now. Without this, every talk a run wrote would be
        re-indexed by the next run's sync, although nothing changed.
        """
        if self.options.dry_run:
            return
        session.rollback()  # see rows committed by others during the run
        mark = utcnow()
        changed = set(session.scalars(select(Talk.id).where(Talk.updated_at >= sync_from)))
        others = changed - self._indexed
        with replica.locked(self.index_dir):
            if others:
                indexing.refresh(session, self.index_dir, others)
            indexing.mark_synced(self.index_dir, mark)

    # -- runs --------------------------------------------------------------------------------
    def scrape(self, sources: list[str]) -> Report:
        """Archive, extract and store every page the sources lead to."""
        return self._locked("scrape", sources, lambda s, w: self._scrape(s, w, sources))

    def reextract(self, hosts: Sequence[str] = ()) -> Report:
        """Re-run extraction on every talk's archived page, no network.

        With hosts, on every archived page of those hosts instead, talk or not: after a
        profile is taught, pages the rules had skipped may turn out to be talks.
        """
        return self._locked("reextract", list(hosts), lambda s, w: self._reextract(s, w, hosts))

    def _locked(
        self, kind: str, sources: list[str], body: Callable[[Session, WarcStore], None]
    ) -> Report:
        lock = RunLock(self.app.config["LOCK_FILE"])
        try:
            lock.acquire(kind=kind)
        except RuntimeError as exc:
            self.report.fatal = str(exc)
            return self.report
        try:
            ensure_schema(self.app)
            sync_from = utcnow()
            with new_session(self.app) as session:
                if not self.options.dry_run:
                    # runs hold the run lock, so on SQLite (no queue, no periodic chores)
                    # this is where the change log is kept short
                    changelog.prune(session, float(self.app.config["CHANGES_KEEP_DAYS"]))
                    session.commit()
                    replica.catch_up(session, self.index_dir)
                    with replica.locked(self.index_dir):
                        indexing.sync(session, self.index_dir)
            self._start(kind, sources)
            lock.update(kind=kind, run=self.report.run_id)
            with new_session(self.app) as session, warc_store(self.app) as warc:
                body(session, warc)
                self._flush_index(session)
                self._settle_index(session, sync_from)
        except Exception as exc:  # the run's own failure, reported, never a traceback
            log.exception("run failed")
            self.report.fatal = f"{type(exc).__name__}: {exc}"
        finally:
            self._finish()
            lock.release()
        return self.report

    def _scrape(self, session: Session, warc: WarcStore, args: list[str]) -> None:
        sources = expand_sources(args)
        if sources and all(s.kind == "error" for s in sources):
            self.report.fatal = "; ".join(f"{s.origin}: {s.error}" for s in sources)
            return
        for number, page in enumerate(self._pages(session, sources), start=1):
            if self.options.max_pages and number > self.options.max_pages:
                break
            self._process(session, warc, page)
            if len(self._touched) >= INDEX_EVERY:
                self._flush_index(session)

    def _pages(self, session: Session, sources: list[Source]) -> Iterator[FetchedPage]:
        urls = [s.location for s in sources if s.kind == "url"]
        for source in sources:
            if source.kind == "error":
                self.report.counts["discovered"] += 1
                self.note(session, source.location, "failed", source.error or "unusable source")
                session.commit()
            elif source.kind in ("file", "warc"):
                cap = int(self.app.config.get("CRAWL_MAX_BYTES", 5 * 1024 * 1024))
                for page in local_pages(source, max_bytes=cap):
                    self.report.counts["discovered"] += 1
                    yield page
        if urls:
            yield from self._crawl(session, urls)

    def _crawl(self, session: Session, urls: list[str]) -> Iterator[FetchedPage]:
        from archive import crawling

        yield from crawling.pages(self, session, urls)

    def _process(self, session: Session, warc: WarcStore, page: FetchedPage) -> None:
        """One page, committed in its own transaction."""
        url = page.url
        if url in self._seen_urls:
            return
        self._seen_urls.add(url)
        try:
            self._process_page(session, warc, page)
            if self.options.dry_run:
                session.rollback()
            else:
                session.commit()
        except Exception as exc:
            session.rollback()
            log.exception("failed on %s", url)
            self.note(None, url, "failed", f"{type(exc).__name__}: {exc}")
            if not self.options.dry_run:
                self._note_failure_row(url, f"{type(exc).__name__}: {exc}")

    def _note_failure_row(self, url: str, reason: str) -> None:
        with new_session(self.app) as side:
            side.add(RunEvent(run_id=self.report.run_id, url=url, outcome="failed", detail=reason))
            side.commit()

    def _process_page(self, session: Session, warc: WarcStore, page: FetchedPage) -> None:
        self.report.counts["fetched"] += 1
        talk = session.scalar(select(Talk).where(Talk.source_url == page.url))
        if page.status in (404, 410) and talk is not None:
            if not talk.gone:
                talk.gone = True
                talk.updated_at = utcnow()
                self._touched.add(talk.id)
                if not self.options.dry_run:
                    changelog.record(session, [talk.id])
            self.note(session, page.url, "gone", f"HTTP {page.status}", talk_id=talk.id)
            return
        problem = page_problem(page)
        if problem:
            self.note(session, page.url, "failed", problem)
            return
        digest = content_hash(page.body)
        known = session.scalar(
            select(Page).where(Page.url == page.url, Page.content_hash == digest).limit(1)
        )
        if known is not None and not self.options.refetch:
            self.note(session, page.url, "unchanged")
            return
        extraction = extract(page.body, page.url, content_type=page.content_type, rules=self.rules)
        row = None if self.options.dry_run else self._archive(session, warc, page, digest)
        self._store(session, extraction, row)

    def _archive(self, session: Session, warc: WarcStore, page: FetchedPage, digest: str) -> Page:
        ref = warc.write(page)
        row = Page(
            url=page.url,
            fetched_at=utcnow(),
            status=page.status,
            content_type=page.content_type,
            content_hash=digest,
            etag=page.etag,
            last_modified=page.last_modified,
            warc_path=ref.path,
            warc_offset=ref.offset,
            warc_length=ref.length,
            record_id=ref.record_id,
            run_id=self.report.run_id,
        )
        session.add(row)
        session.flush()
        return row

    def _store(self, session: Session, extraction: Extraction, row: Page | None) -> None:
        url = extraction.source
        for warning in extraction.warnings:
            self.report.warnings[warning.split(":", 1)[0].strip()] += 1
        if not extraction.is_event:
            self.note(session, url, "skipped", "not an event page")
            return
        before = changes_of.before_upsert(session, extraction)  # for old → new per field
        talk, outcome, fields = store.upsert(session, extraction, row)
        if outcome != "unchanged":
            self._touched.add(talk.id)
            if not self.options.dry_run:
                changelog.record(session, [talk.id])
        changes = None
        if outcome == "changed":
            changes = changes_of.run_changes(before, talk, extraction.to_dict(), fields)
        self.note(
            session,
            url,
            outcome,
            ", ".join(fields) if outcome == "changed" else "",
            fields=fields,
            talk_id=talk.id,
            changes=changes,
        )

    def _reextract(self, session: Session, warc: WarcStore, hosts: Sequence[str] = ()) -> None:
        if hosts:  # a host's every archived page: a taught profile may find talks in any
            rows = archived_pages(session, hosts)
            with_talk = set(
                session.scalars(select(Talk.source_url).where(Talk.page_id.is_not(None)))
            )
            todo = [(row.id, row.url in with_talk) for row in rows]
        else:
            talks = session.scalars(select(Talk).where(Talk.page_id.is_not(None)).order_by(Talk.id))
            todo = [(t.page_id, True) for t in talks if t.page_id is not None]
        for page_id, is_talk in todo:
            row = session.get(Page, page_id)
            if row is None or row.warc_path is None:
                self.note(session, str(page_id), "failed", "no archived page")
                continue
            ref = row.record_ref()
            try:
                page = warc.read(ref)
            except Exception as exc:
                self.note(session, row.url, "failed", f"archived copy unreadable: {exc}")
                continue
            extraction = extract(
                page.body, row.url, content_type=row.content_type, rules=self.rules
            )
            if not extraction.is_event and is_talk:
                # The rules changed their mind: the talk stays (never deleted), flagged for review.
                extraction.is_event = True
                extraction.warnings.append("is_event: re-extraction no longer sees an event")
            self._store(session, extraction, None if is_talk else row)
            if not self.options.dry_run:
                session.commit()
            else:
                session.rollback()

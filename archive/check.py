"""Consistency check: the database, the search index and the WARC archive must agree."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from archive import changelog, indexing, replica
from archive.models import Page, Talk
from index import health, writer
from index.schema import to_fields
from scraper.warc_store import WarcStore

log = logging.getLogger(__name__)


@dataclass
class Problem:
    """One disagreement: what kind, about which talk (or index id), and in words."""

    kind: str  # index, lag, missing, duplicate, stale, orphan, no_page, archive
    talk_id: int | None  # None: the whole index ("index": a generation that cannot be read)
    detail: str

    @property
    def repairable(self) -> bool:
        """Index problems can be fixed from the database; a lost archive record cannot."""
        return self.kind in ("index", "lag", "missing", "duplicate", "stale", "orphan")


@dataclass
class CheckResult:
    """Every problem found, how much was looked at, and what a repair did."""

    talks: int = 0
    indexed: int = 0
    pages_read: int = 0
    applied: int | None = None  # the index's last applied change-log sequence
    newest: int = 0  # the change log's newest sequence
    problems: list[Problem] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """True when nothing disagrees."""
        return not self.problems


def stored_index_fields(index_dir: Path) -> list[dict[str, Any]]:
    """The stored fields of every live document in the index (one dict per document)."""
    try:
        gen, ix = writer.open_current(index_dir)
    except writer.IndexMissingError:
        return []
    with writer.reading(gen):
        try:
            with writer.open_reader(ix) as reader:
                return [dict(fields) for fields in reader.all_stored_fields()]
        finally:
            ix.close()


def _stored_names(index_dir: Path) -> list[str]:
    try:
        gen, ix = writer.open_current(index_dir)
    except writer.IndexMissingError:
        return []
    with writer.reading(gen):
        try:
            return list(ix.schema.stored_names())
        finally:
            ix.close()


def expected_fields(document: dict[str, Any], stored: list[str]) -> dict[str, Any]:
    """What the index should store for a talk document (store.talk_document)."""
    fields = to_fields(document)
    return {name: fields.get(name) for name in stored}


def check_index(session: Session, index_dir: Path, result: CheckResult) -> None:
    """Every visible talk indexed once with its current stored fields; no other documents.

    First the live generation is read through (:func:`index.health.verify`): a damaged one is
    one ``index`` problem naming the generation and file, and its documents are not compared.
    """
    damage = health.verify(index_dir)
    try:
        if damage is not None:
            raise writer.IndexUnreadableError(damage.describe())
        docs = stored_index_fields(index_dir)
        stored = _stored_names(index_dir)
    except writer.IndexUnreadableError as exc:
        result.problems.append(Problem("index", None, str(exc)))
        visible_count = select(func.count(Talk.id)).where(Talk.hidden.is_(False))
        result.talks = int(session.scalar(visible_count) or 0)
        return
    result.indexed = len(docs)
    by_id: dict[int, list[dict[str, Any]]] = {}
    for doc in docs:
        by_id.setdefault(int(doc["id"]), []).append(doc)
    visible = {int(str(d["id"])): d for d in indexing.documents(session)}
    result.talks = len(visible)
    for talk_id, document in visible.items():
        found = by_id.get(talk_id, [])
        if not found:
            result.problems.append(Problem("missing", talk_id, "visible talk not in the index"))
            continue
        if len(found) > 1:
            result.problems.append(Problem("duplicate", talk_id, f"indexed {len(found)} times"))
        want = expected_fields(document, stored)
        differing = sorted(k for k, v in want.items() if found[0].get(k) != v)
        if differing:
            result.problems.append(
                Problem("stale", talk_id, "index differs in " + ", ".join(differing))
            )
    for talk_id in sorted(set(by_id) - set(visible)):
        result.problems.append(
            Problem("orphan", talk_id, "indexed, but no visible talk has this id")
        )


def _read_ok(warc: WarcStore, page: Page) -> str | None:
    """None when the page version reads back with its recorded hash, else why not."""
    if page.warc_path is None:
        return f"page {page.id} has no archive location"
    ref = page.record_ref()
    try:
        body = warc.read(ref).body
    except Exception as exc:  # a missing file, a truncated or foreign record
        return f"page {page.id} unreadable in {page.warc_path}: {type(exc).__name__}: {exc}"
    if hashlib.sha256(body).hexdigest() != page.content_hash:
        return f"page {page.id} in {page.warc_path} does not match its content hash"
    return None


def check_archive(session: Session, warcs: WarcStore, result: CheckResult) -> None:
    """Every talk's page version present in the WARC archive and readable, byte-exact."""
    rows = session.execute(select(Talk.id, Talk.page_id).order_by(Talk.id)).all()
    with warcs as warc:
        for talk_id, page_id in rows:
            page = session.get(Page, page_id) if page_id is not None else None
            if page is None:
                result.problems.append(Problem("no_page", talk_id, "no archived page version"))
                continue
            result.pages_read += 1
            reason = _read_ok(warc, page)
            if reason:
                result.problems.append(Problem("archive", talk_id, reason))


def check_lag(
    session: Session, index_dir: Path, result: CheckResult, max_rows: int, max_seconds: float
) -> None:
    """The index must not trail the change log by more than ``max_rows`` rows, nor leave a row
    unapplied for more than ``max_seconds``; an index with no applied sequence is reported
    too (its next catch-up rebuilds it)."""
    result.newest = changelog.newest(session)
    result.applied = replica.applied_seq(index_dir)
    if result.applied is None:
        result.problems.append(
            Problem("lag", None, f"the index in {index_dir} records no applied change sequence")
        )
        return
    behind = result.newest - result.applied
    age = changelog.oldest_unapplied_age(session, result.applied)
    if behind > max_rows or (age is not None and age > max_seconds):
        result.problems.append(
            Problem(
                "lag",
                None,
                f"the index has applied the change log up to {result.applied} of "
                f"{result.newest}: {behind} change(s) behind, the oldest waiting "
                f"{age or 0:.0f} s",
            )
        )


def run_check(
    session: Session,
    index_dir: Path,
    warcs: WarcStore,
    *,
    max_lag: int = 100,
    max_lag_seconds: float = 60.0,
) -> CheckResult:
    """Compare the database with the index and the archive; nothing is changed.

    Lag (the index trailing the change log) and drift (its documents differing from the
    talks) are separate findings: a lagging index drifts until it catches up, but an index
    that drifted while up to date had a change applied wrongly or not logged.
    """
    result = CheckResult()
    check_lag(session, Path(index_dir), result, max_lag, max_lag_seconds)
    check_index(session, Path(index_dir), result)
    check_archive(session, warcs, result)
    return result


def repair(session: Session, index_dir: Path, result: CheckResult) -> list[str]:
    """Fix the index problems of ``result``: re-index drifted talks, drop orphans.

    Duplicates are deleted before the talk is written again, so exactly one copy remains. An
    unreadable index is replaced by a new generation built from the database. Returns one line
    per action; archive problems are left for a re-scrape.
    """
    done: list[str] = []
    if any(p.kind == "lag" for p in result.problems):
        caught = replica.catch_up(session, Path(index_dir))
        if caught is not None:
            done.append(
                f"caught up with the change log: {caught.changes} change(s) applied up to "
                f"{caught.applied}" + (" (index rebuilt)" if caught.rebuilt else "")
            )
        if caught is not None and caught.rebuilt:
            result.problems = [p for p in result.problems if not p.repairable]
    if any(p.kind == "index" for p in result.problems):
        count = replica.rebuild(session, Path(index_dir))
        live = writer.current_generation(Path(index_dir))
        done.append(
            f"rebuilt the search index from the database: {count} talks in generation "
            f"{live.name if live else '?'}"
        )
    else:
        with replica.locked(Path(index_dir)):
            done.extend(_mend_index(session, Path(index_dir), result))
    left = [p for p in result.problems if not p.repairable]
    if left:
        done.append(f"left {len(left)} archive problem(s) for a re-scrape (cannot repair)")
    result.repaired = done
    return done


def _mend_index(session: Session, index_dir: Path, result: CheckResult) -> list[str]:
    """Re-index drifted talks and drop orphans and extra copies in the live generation."""
    kinds = Counter(p.kind for p in result.problems)
    of_talks = [(p.kind, p.talk_id) for p in result.problems if p.talk_id is not None]
    orphans = {talk_id for kind, talk_id in of_talks if kind == "orphan"}
    duplicates = {talk_id for kind, talk_id in of_talks if kind == "duplicate"}
    redo = {talk_id for kind, talk_id in of_talks if kind in ("missing", "duplicate", "stale")}
    done: list[str] = []
    if orphans or duplicates:
        removed = writer.delete(Path(index_dir), sorted(orphans | duplicates))
        if orphans:
            done.append(f"removed {len(orphans)} orphan index document(s)")
        if duplicates:
            done.append(f"removed duplicates of {len(duplicates)} talk(s) ({removed} documents)")
    if redo:
        count = indexing.refresh(session, Path(index_dir), sorted(redo))
        done.append(
            f"re-indexed {count} talk(s) ({kinds['missing']} missing, {kinds['stale']} stale, "
            f"{kinds['duplicate']} duplicated)"
        )
    return done

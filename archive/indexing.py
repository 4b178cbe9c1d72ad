"""Keep the Whoosh index in line with the database: updates, deletions and full rebuilds."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from archive.models import Appearance, Talk, utcnow
from archive.store import talk_document
from index import writer

log = logging.getLogger(__name__)
BATCH = 500


def _marker(index_dir: Path) -> Path:
    return index_dir.with_name(index_dir.name + ".synced")


def synced_at(index_dir: Path) -> dt.datetime | None:
    """When the index was last brought in line with the database (None: never)."""
    try:
        return dt.datetime.fromisoformat(_marker(index_dir).read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None


def mark_synced(index_dir: Path, when: dt.datetime) -> None:
    """Record that the index reflects every database change made before ``when``."""
    marker = _marker(index_dir)
    marker.parent.mkdir(parents=True, exist_ok=True)
    tmp = marker.with_suffix(".tmp")
    tmp.write_text(when.isoformat(), encoding="utf-8")
    tmp.replace(marker)


def _talks(session: Session, ids: Iterable[int] | None = None) -> Iterator[Talk]:
    query = (
        select(Talk)
        .where(Talk.hidden.is_(False))
        .options(
            selectinload(Talk.appearances).selectinload(Appearance.speaker),
            selectinload(Talk.appearances).selectinload(Appearance.organisation),
        )
        .order_by(Talk.id)
        .execution_options(yield_per=BATCH)
    )
    if ids is not None:
        id_list = list(ids)
        for start in range(0, len(id_list), BATCH):
            yield from session.scalars(query.where(Talk.id.in_(id_list[start : start + BATCH])))
        return
    yield from session.scalars(query)


def documents(session: Session, ids: Iterable[int] | None = None) -> Iterator[dict[str, object]]:
    """Index documents of the visible talks (all, or those with the given ids)."""
    for talk in _talks(session, ids):
        yield talk_document(talk)


def rebuild(session: Session, index_dir: Path) -> int:
    """Build a fresh index of every visible talk and swap it in atomically."""
    started = utcnow()
    count = writer.rebuild(index_dir, documents(session))
    mark_synced(index_dir, started)
    log.info("index rebuilt with %d talks", count)
    return count


def refresh(session: Session, index_dir: Path, ids: Iterable[int], *, strict: bool = False) -> int:
    """Re-index the given talks (hidden ones are removed from the index).

    With an unreadable index nothing is written and 0 returned: the change is in the database,
    which answers searches meanwhile, and the next sync or repair rebuilds the index.
    ``strict`` raises IndexUnreadableError instead, for a caller that must not move on
    (the replica would otherwise record the change as applied).
    """
    id_set = set(ids)
    if not id_set:
        return 0
    docs = list(documents(session, sorted(id_set)))
    try:
        writer.update(index_dir, docs)
        gone = id_set - {int(str(d["id"])) for d in docs}
        if gone:
            writer.delete(index_dir, gone)
    except writer.IndexUnreadableError as exc:
        if strict:
            raise
        # The database holds the change; searches answer from it until the index is rebuilt.
        log.error("could not re-index %d talk(s): %s", len(id_set), exc)
        return 0
    return len(docs)


def sync(session: Session, index_dir: Path) -> dict[str, int]:
    """Bring the index in line with the database after anything (a killed run, a restore).

    Adds talks missing from the index, removes ids the database no longer shows, and
    re-indexes talks changed since the last sync. An index that cannot be read is rebuilt
    from the database. Returns what it did.
    """
    started = utcnow()
    writer.ensure_index(index_dir)
    try:
        indexed = writer.indexed_ids(index_dir)
    except writer.IndexUnreadableError as exc:
        log.warning("%s; rebuilding it from the database", exc)
        return {"updated": rebuild(session, index_dir), "deleted": 0, "rebuilt": 1}
    visible = set(session.scalars(select(Talk.id).where(Talk.hidden.is_(False))))
    since = synced_at(index_dir)
    stale: set[int] = set()
    if since is not None:
        stale = set(session.scalars(select(Talk.id).where(Talk.updated_at >= since)))
    else:
        stale = set(visible)
    todo = ((visible - indexed) | stale) & visible
    extra = indexed - visible
    if todo:
        writer.update(index_dir, list(documents(session, sorted(todo))))
    if extra:
        writer.delete(index_dir, extra)
    mark_synced(index_dir, started)
    return {"updated": len(todo), "deleted": len(extra), "rebuilt": 0}

"""One node's index as a replica of the database: apply the change log past its last sequence.

Each index folder keeps, beside its generations, the sequence of the last log row it applied
(``APPLIED``). Catching up reads the rows past it, re-reads those talks from the database and
hands their documents to :mod:`index.writer` (a hidden or deleted talk is removed); a
``rebuild`` row, a missing sequence or index, or a sequence older than the rows the log still
keeps (they were pruned) rebuilds the folder from the database.
The re-read is of the talks as they are now, which is at least as new as the rows read, so
applying a row twice is harmless. Every process writing one folder (gunicorn workers, a
scrape, a reindex) takes the folder's file lock first, so the sequence and the index move
together.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from archive import changelog, indexing
from index import writer

log = logging.getLogger(__name__)

APPLIED = "APPLIED"
LOCK = ".replica.lock"
#: Log rows read per round: bounds memory, and lets a long catch-up commit as it goes.
BATCH = 2000


class ReplicaBusyError(RuntimeError):
    """Another process holds the folder's replica lock and did not let go in time."""


@dataclass
class CatchUp:
    """What one catch-up did: rows read, talks written and removed, whether it rebuilt."""

    start: int = 0
    applied: int = 0
    changes: int = 0
    updated: int = 0
    deleted: int = 0
    rebuilt: bool = False
    seconds: float = 0.0


def applied_seq(index_dir: Path) -> int | None:
    """The last log sequence the folder's index reflects (None: unknown, so rebuild)."""
    try:
        return int((Path(index_dir) / APPLIED).read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None


def _store_seq(index_dir: Path, seq: int) -> None:
    """Write the applied sequence atomically (a reader sees the old or the new one)."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{APPLIED}-", dir=index_dir)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(f"{seq}\n")
        os.replace(tmp, index_dir / APPLIED)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def locked(index_dir: Path, timeout: float | None = 30.0) -> Iterator[bool]:
    """Hold the folder's replica lock; yields False (not holding it) when ``timeout`` is 0
    and another process has it, raises ReplicaBusyError when a longer wait runs out."""
    index_dir = Path(index_dir)
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / LOCK, "a+b") as fh:
        deadline = time.monotonic() + (timeout or 0.0)
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not timeout:
                    yield False
                    return
                if time.monotonic() >= deadline:
                    raise ReplicaBusyError(
                        f"the index in {index_dir} is being updated by another process"
                    ) from None
                time.sleep(0.05)
        try:
            yield True
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def build(session: Session, index_dir: Path) -> int:
    """Rebuild the folder's index from the database and record the sequence it reflects.

    The caller holds the replica lock. The sequence is read before the talks, so a change
    committed during the build is applied again by the next catch-up rather than missed.
    """
    session.rollback()  # a fresh snapshot of the log and the talks
    seq = changelog.newest(session)
    count = indexing.rebuild(session, Path(index_dir))
    _store_seq(index_dir, seq)
    return count


def _rebuild_into(session: Session, index_dir: Path, result: CatchUp) -> None:
    build(session, index_dir)
    result.rebuilt = True
    result.applied = applied_seq(index_dir) or 0


def _apply_locked(session: Session, index_dir: Path, result: CatchUp) -> None:
    start = applied_seq(index_dir)
    if start is None or writer.current_generation(Path(index_dir)) is None:
        log.info("index %s has no applied sequence or no index: building it", index_dir)
        _rebuild_into(session, index_dir, result)
        return
    first = changelog.oldest(session)
    if first is not None and first > start + 1:
        log.info("index %s: rows after %d were pruned from the log; rebuilding", index_dir, start)
        _rebuild_into(session, index_dir, result)
        return
    result.start = result.applied = start
    while True:
        session.rollback()  # each round sees rows committed since the last
        rows = changelog.after(session, result.applied, BATCH)
        if not rows:
            return
        result.changes += len(rows)
        if any(row.kind == "rebuild" for row in rows):
            _rebuild_into(session, index_dir, result)  # reflects every row read, and more
            continue
        ids = {row.talk_id for row in rows if row.talk_id is not None}
        try:
            written = indexing.refresh(session, Path(index_dir), ids, strict=True)
        except writer.IndexUnreadableError as exc:
            log.warning("%s; rebuilding it from the database", exc)
            _rebuild_into(session, index_dir, result)
            continue
        result.updated += written
        result.deleted += len(ids) - written
        result.applied = rows[-1].seq
        _store_seq(index_dir, result.applied)


def catch_up(session: Session, index_dir: Path, *, wait: float | None = 30.0) -> CatchUp | None:
    """Apply every log row past the folder's sequence; None when another process holds the
    lock and ``wait`` is 0 (it is catching up already)."""
    began = time.perf_counter()
    with locked(index_dir, wait) as holding:
        if not holding:
            return None
        result = CatchUp()
        _apply_locked(session, Path(index_dir), result)
    result.seconds = time.perf_counter() - began
    if result.changes or result.rebuilt:
        log.info(
            "index %s: applied %d change(s) up to %d (%d written, %d removed%s) in %.3f s",
            index_dir,
            result.changes,
            result.applied,
            result.updated,
            result.deleted,
            ", rebuilt" if result.rebuilt else "",
            result.seconds,
        )
    return result


def rebuild(session: Session, index_dir: Path) -> int:
    """Rebuild the folder under its replica lock (reindex, import, repair)."""
    with locked(index_dir):
        return build(session, index_dir)


def commit(session: Session, index_dir: Path, talk_ids: Iterable[int]) -> None:
    """Log the change of ``talk_ids``, commit it with the data, then bring this process's
    index up to date (waiting a few seconds at most: a busy folder is being caught up by
    its follower, which applies this change too)."""
    ids = list(talk_ids)
    changelog.record(session, ids)
    session.commit()
    if not ids:
        return
    try:
        # a session of its own: catching up starts new transactions, which would expire
        # the objects the caller still uses
        with Session(session.get_bind()) as own:
            catch_up(own, index_dir, wait=5.0)
    except ReplicaBusyError as exc:
        log.warning("%s; its follower applies the change", exc)


def reindex(session: Session, index_dir: Path) -> int:
    """Rebuild this folder and log a ``rebuild`` row, so every other node rebuilds too."""
    changelog.record_rebuild(session)
    session.commit()
    return rebuild(session, index_dir)

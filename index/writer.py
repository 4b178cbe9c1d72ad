"""Writing the talk index: updates and deletes in place, rebuilds into a fresh folder swapped in.

On disk an index folder holds generation subfolders (``gen-000001-…``), each a complete Whoosh
index, and a ``CURRENT`` file naming the live one. A rebuild writes a new generation while
readers keep using the old one, then replaces ``CURRENT`` with ``os.replace`` (atomic), so a
reader sees either the old or the new index, never a half-built one. Whoosh never fsyncs and is
not crash-safe; the database stays the source of truth and a rebuild is always possible.

Generations are found and opened (without memory maps) by :mod:`index.generations`. A rebuild
takes the live generation's lock file directly, without reading that generation, so it can
replace a damaged one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from whoosh.index import LockError
from whoosh.util.filelock import try_for
from whoosh.writing import IndexWriter

from index.generations import (
    INDEX_NAME,
    POINTER,
    IndexMissingError,
    IndexUnreadableError,
    current_generation,
    has_index,
    open_current,
    open_reader,
    reading,
    storage,
    unreadable,
)
from index.schema import build_schema, to_fields

__all__ = [  # the generation helpers are used through this module too
    "IndexLockedError",
    "IndexMissingError",
    "IndexUnreadableError",
    "current_generation",
    "open_current",
    "open_reader",
    "reading",
    "unreadable",
]

log = logging.getLogger(__name__)

_GEN_PREFIX = "gen-"
_GEN_RE = re.compile(r"^gen-(\d{6})-")
DEFAULT_TIMEOUT = 10.0
WRITE_LOCK = f"{INDEX_NAME}_WRITELOCK"  # the lock file whoosh's writers take


class IndexLockedError(RuntimeError):
    """Another writer (a scrape, a reindex, another process) holds the index lock."""


def ensure_index(index_dir: Path) -> None:
    """Create an empty index in ``index_dir`` unless a live one is already there."""
    index_dir = Path(index_dir)
    gen = current_generation(index_dir)
    if gen is not None and has_index(gen):
        return
    index_dir.mkdir(parents=True, exist_ok=True)
    fresh = _new_generation(index_dir)
    storage(fresh).create_index(build_schema(), INDEX_NAME)
    _point_to(index_dir, fresh)
    log.info("created empty search index %s", fresh)


def update(
    index_dir: Path, docs: Iterable[Mapping[str, Any]], *, timeout: float = DEFAULT_TIMEOUT
) -> int:
    """Add or replace documents (matched by id) in the live index; returns how many were written."""
    ensure_index(Path(index_dir))
    count = 0
    with _locked_writer(Path(index_dir), timeout) as writer:
        known = set(writer.schema.names())
        outdated = False
        for doc in docs:
            fields = to_fields(doc)
            if not known.issuperset(fields):
                # An index from an older version: write what it has room for, and say so.
                if not outdated:
                    log.warning("the search index in %s is outdated; run a reindex", index_dir)
                    outdated = True
                fields = {k: v for k, v in fields.items() if k in known}
            writer.update_document(**fields)
            count += 1
    return count


def delete(index_dir: Path, ids: Iterable[int], *, timeout: float = DEFAULT_TIMEOUT) -> int:
    """Delete documents by talk id; returns how many indexed documents were removed."""
    if current_generation(Path(index_dir)) is None:
        return 0
    removed = 0
    with _locked_writer(Path(index_dir), timeout) as writer:
        for talk_id in ids:
            removed += writer.delete_by_term("id", str(int(talk_id)))
    return removed


def rebuild(
    index_dir: Path,
    docs: Iterable[Mapping[str, Any]],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    limitmb: int = 128,
    procs: int | None = None,
) -> int:
    """Build a brand-new index from ``docs`` in a fresh folder and swap it in atomically.

    The live generation's writer lock is held throughout, so updates and other rebuilds wait
    (or fail with :class:`IndexLockedError`) instead of writing into an index about to be
    replaced. The lock is taken without reading the old generation, so a damaged one is
    replaced like any other. Readers keep answering from the old generation until the swap.
    The generation replaced now is deleted at the start of the next rebuild, which gives
    readers in other processes (they re-read ``CURRENT`` on every search) a whole rebuild's
    time to move over.

    ``procs`` (default: up to two, one per core) worker processes analyse the documents, each
    writing its own segment (``multisegment``): analysis is pure Python, so this is what makes
    a rebuild fast. Whoosh's parallel writer could drop a late worker's segment without a
    word, so the built index is counted and a short one is never swapped in.
    """
    index_dir = Path(index_dir)
    ensure_index(index_dir)
    with _live_lock(index_dir, timeout) as old_gen:
        # Holding the live generation's lock, no other rebuild can be running: every other
        # generation is the one replaced last time or debris from a crashed build.
        _remove_stale(index_dir, keep={old_gen.name})
        workers = _default_procs() if procs is None else max(1, procs)
        fresh, count = _build(index_dir, docs, limitmb, workers)
        _point_to(index_dir, fresh)
    log.info("rebuilt search index with %d documents in %s", count, fresh)
    return count


def _default_procs() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def _build(
    index_dir: Path, docs: Iterable[Mapping[str, Any]], limitmb: int, procs: int
) -> tuple[Path, int]:
    """Write ``docs`` into a new generation folder; returns it and the document count."""
    fresh = _new_generation(index_dir)
    try:
        ix = storage(fresh).create_index(build_schema(), INDEX_NAME)
        if procs > 1:
            writer = ix.writer(procs=procs, multisegment=True, limitmb=limitmb)
        else:
            writer = ix.writer(limitmb=limitmb)
        count = 0
        try:
            for doc in docs:
                writer.add_document(**to_fields(doc))
                count += 1
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        built = int(ix.doc_count())
        ix.close()
        if built != count:
            raise RuntimeError(
                f"index build kept {built} of {count} documents; the old index stays live"
            )
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return fresh, count


def indexed_ids(index_dir: Path) -> set[int]:
    """Talk ids present in the live index (empty when there is no index)."""
    try:
        gen, ix = open_current(Path(index_dir))
    except IndexMissingError:
        return set()
    with reading(gen):
        try:
            with open_reader(ix) as reader:
                return {int(fields["id"]) for fields in reader.all_stored_fields()}
        finally:
            ix.close()


def document_count(index_dir: Path) -> int:
    """Number of live (not deleted) documents in the index; 0 when there is no index."""
    try:
        gen, ix = open_current(Path(index_dir))
    except IndexMissingError:
        return 0
    with reading(gen):
        try:
            with open_reader(ix) as reader:
                return int(reader.doc_count())
        finally:
            ix.close()


@contextmanager
def _live_lock(index_dir: Path, timeout: float) -> Iterator[Path]:
    """Hold the live generation's writer lock (whoosh's own lock file) without opening it.

    As in :func:`_locked_writer`, the generation is checked to be still live once locked.
    """
    for _attempt in range(3):
        gen = current_generation(index_dir)
        if gen is None:
            raise IndexMissingError(f"no search index in {index_dir}; run a reindex")
        lock = storage(gen).lock(WRITE_LOCK)
        if not try_for(lock.acquire, timeout=timeout, delay=0.1):
            raise IndexLockedError(
                f"the search index in {index_dir} is locked by another writer (waited "
                f"{timeout:g} s); only one process may write at a time - is a scrape or a "
                "reindex running?"
            )
        try:
            if current_generation(index_dir) != gen:
                continue
            yield gen
            return
        finally:
            lock.release()
    raise IndexLockedError(f"the search index in {index_dir} kept being replaced; try again")


@contextmanager
def _locked_writer(index_dir: Path, timeout: float) -> Iterator[IndexWriter]:
    """A writer on the live generation, committed on success and cancelled on error.

    After taking the lock we check the generation is still live: a rebuild may have swapped it
    while we waited, and writing into the replaced folder would silently lose the changes.
    """
    for _attempt in range(3):
        gen, ix = open_current(index_dir)
        try:
            with reading(gen):
                writer = ix.writer(timeout=timeout)
        except LockError as exc:
            ix.close()
            raise IndexLockedError(
                f"the search index in {index_dir} is locked by another writer (waited "
                f"{timeout:g} s); only one process may write at a time - is a scrape or a "
                "reindex running?"
            ) from exc
        if current_generation(index_dir) != gen:
            writer.cancel()
            ix.close()
            continue
        try:
            with reading(gen):
                yield writer
        except BaseException:
            writer.cancel()
            raise
        else:
            if not writer.is_closed:
                with reading(gen):
                    writer.commit()
        finally:
            ix.close()
        return
    raise IndexLockedError(f"the search index in {index_dir} kept being replaced; try again")


def _new_generation(index_dir: Path) -> Path:
    numbers = [int(m.group(1)) for p in index_dir.iterdir() if (m := _GEN_RE.match(p.name))]
    number = max(numbers, default=0) + 1
    return Path(tempfile.mkdtemp(prefix=f"{_GEN_PREFIX}{number:06d}-", dir=index_dir))


def _point_to(index_dir: Path, gen: Path) -> None:
    """Atomically make ``gen`` the live generation."""
    fd, tmp = tempfile.mkstemp(prefix=f".{POINTER}-", dir=index_dir)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(gen.name + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, index_dir / POINTER)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _remove_stale(index_dir: Path, keep: set[str]) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and _GEN_RE.match(path.name) and path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
            log.debug("removed old index generation %s", path)

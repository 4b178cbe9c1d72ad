"""Checking that the live index generation reads back whole, and naming the file that does not.

A search only touches the parts of the index its query needs, so a damaged file may go unseen
for a while and then fail every request that reaches it. This reads the whole live generation
once: its table of contents, then per segment the compound file's directory against the file's
real size (a truncated file is named with both sizes), the stored fields, every term,
and the columns facets and date orders are read from. Maintenance (``cio-talks
check``) runs it; searches do not.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path

from whoosh.codec.base import Segment
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.reading import SegmentReader

from index.writer import INDEX_NAME, current_generation, has_index, storage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Damage:
    """What is broken in the live generation: the folder, the file within it, and how."""

    generation: str
    file: str
    reason: str

    def describe(self) -> str:
        """One line naming the generation and file, for the check's report."""
        where = f"{self.generation}/{self.file}" if self.file else self.generation
        return f"index generation {where}: {self.reason}"


def verify(index_dir: Path) -> Damage | None:
    """The first damage found in the live generation, or None when it reads back whole.

    No index at all is not damage (searches answer empty until a reindex); a ``CURRENT``
    naming a folder without a table of contents is.
    """
    gen = current_generation(Path(index_dir))
    if gen is None:
        return None
    if not has_index(gen):
        return Damage(gen.name, "", "holds no whoosh table of contents")
    store = storage(gen)
    latest = TOC._latest_generation(store, INDEX_NAME)
    toc_name = TOC._filename(INDEX_NAME, latest)
    try:
        toc = TOC.read(store, INDEX_NAME, latest)
    except Exception as exc:  # a damaged file fails in many ways; each is reported
        return Damage(gen.name, toc_name, _why(exc))
    for segment in toc.segments:
        damage = _segment_damage(gen, store, toc.schema, segment)
        if damage is not None:
            return damage
    return None


def _segment_damage(
    gen: Path, store: FileStorage, schema: object, segment: Segment
) -> Damage | None:
    if segment.is_compound():
        name = segment.make_filename(segment.COMPOUND_EXT)
        short = _short_compound(gen / name, store, segment)
        if short:
            return Damage(gen.name, name, short)
    else:
        name = ", ".join(sorted(segment.list_files(store))) or f"segment {segment.segment_id()}"
    try:
        _read_through(SegmentReader(store, schema, segment))
    except Exception as exc:  # any failure to read is damage to report, whatever its type
        return Damage(gen.name, name, _why(exc))
    return None


def _short_compound(path: Path, store: FileStorage, segment: Segment) -> str | None:
    """Why a compound segment file is unusable before any of it is parsed, or None."""
    try:
        size = os.path.getsize(path)
    except OSError as exc:
        return _why(exc)
    try:
        compound = segment.open_compound_file(store)
    except Exception as exc:  # the directory at the file's end is cut off or garbled
        return f"truncated or damaged ({size} bytes; its directory cannot be read: {_why(exc)})"
    try:
        needed = max((sum(compound.range(n)) for n in compound.list()), default=0)
    finally:
        compound.close()
    if needed > size:
        return f"truncated: {size} bytes, its directory needs at least {needed}"
    return None


def _read_through(reader: SegmentReader) -> None:
    """Touch every stored document, term and column of one segment."""
    try:
        for _fields in reader.all_stored_fields():
            pass
        for _term in reader.all_terms():
            pass
        for fieldname in reader.schema.names():
            if reader.has_column(fieldname):
                for _value in reader.column_reader(fieldname):
                    pass
    finally:
        reader.close()


def _why(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__

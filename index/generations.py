"""Finding and opening the live index generation, and the errors for a missing or damaged one.

On disk an index folder holds generation subfolders, each a complete Whoosh index, and a
``CURRENT`` file naming the live one (see :mod:`index.writer`, which writes them). Index files
are read with plain reads, never memory-mapped: a mapped segment file cut short under a running
server kills the whole process with SIGBUS, whereas a short read raises an exception, reported
as :class:`IndexUnreadableError`, that the archive answers around. Without maps a reader holds
its segment files open, so readers are opened here in a way that closes every file already
opened when a later segment fails to open (whoosh's own opener leaves those to the garbage
collector, which a concurrent writer's merge makes a common case), and a file whoosh drops
unclosed on a damaged segment is closed when it is dropped.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.structfile import StructFile
from whoosh.index import TOC, EmptyIndexError, Index, LockError
from whoosh.reading import EmptyReader, IndexReader, MultiReader, SegmentReader
from whoosh.searching import Searcher

log = logging.getLogger(__name__)

POINTER = "CURRENT"
INDEX_NAME = "MAIN"  # whoosh's default index name: files MAIN_*.seg, _MAIN_<n>.toc


class IndexMissingError(FileNotFoundError):
    """The folder holds no index yet (call :func:`ensure_index` or :func:`rebuild`)."""


class IndexUnreadableError(RuntimeError):
    """The live generation exists but cannot be read (a truncated or damaged file).

    ``generation`` is the folder that failed; the message says what failed and why. Only a
    rebuild from the database (``cio-talks check --repair`` or ``reindex``) mends it.
    """

    def __init__(self, message: str, generation: Path | None = None) -> None:
        super().__init__(message)
        self.generation = generation


class _IndexFile(io.BufferedReader):
    """An index file opened for reading that closes itself, quietly, when dropped unclosed."""

    def __init__(self, path: str) -> None:
        raw = io.FileIO(path, "r")  # raises before the buffer exists when the file is gone
        super().__init__(raw)

    def __del__(self) -> None:
        try:
            if not self.closed:
                self.close()
        except ValueError:  # never initialised: there is nothing to close
            pass


class _PlainStorage(FileStorage):
    """Whoosh's file storage without memory maps, its files opened as :class:`_IndexFile`."""

    def open_file(self, name: str, **kwargs: object) -> StructFile:
        return StructFile(_IndexFile(self._fpath(name)), name=name, **kwargs)


def storage(gen: Path) -> FileStorage:
    """Whoosh storage on one generation folder, read without memory maps."""
    return _PlainStorage(os.fspath(gen), supports_mmap=False)


def has_index(gen: Path) -> bool:
    """True when the folder holds a whoosh table of contents (it is not read here)."""
    try:
        return TOC._latest_generation(storage(gen), INDEX_NAME) > -1
    except OSError:
        return False


def current_generation(index_dir: Path) -> Path | None:
    """The live generation folder named by ``CURRENT``, or None when there is no index yet.

    The pointer is read again when the folder it named is gone: a rebuild may have swapped
    in a newer generation, and a later rebuild deleted this one, between reading and looking.
    """
    previous = None
    for _attempt in range(5):
        try:
            name = (Path(index_dir) / POINTER).read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        if not name or "/" in name or name.startswith("."):
            log.warning("ignoring malformed %s file in %s", POINTER, index_dir)
            return None
        path = Path(index_dir) / name
        if path.is_dir():
            return path
        if name == previous:
            return None
        previous = name
    return None


def open_current(index_dir: Path) -> tuple[Path, Index]:
    """Open the live generation.

    Raises IndexMissingError when there is none, IndexUnreadableError when its table of
    contents cannot be read (files that vanish under a concurrent swap stay OSErrors, which
    callers retry).
    """
    gen = current_generation(index_dir)
    if gen is None or not has_index(gen):
        raise IndexMissingError(f"no search index in {index_dir}; run a reindex")
    try:
        return gen, storage(gen).open_index(INDEX_NAME)
    except OSError:
        raise
    except Exception as exc:  # a damaged file fails in many ways (EOFError, struct.error, ...)
        raise unreadable(gen, exc) from exc


def unreadable(gen: Path, exc: BaseException) -> IndexUnreadableError:
    """The error reporting that generation ``gen`` failed to read with ``exc``."""
    return IndexUnreadableError(
        f"the search index generation {gen.name} cannot be read "
        f"({type(exc).__name__}: {exc}); run `cio-talks check --repair`",
        gen,
    )


def open_reader(ix: Index) -> IndexReader:
    """A reader on the index's latest table of contents; nothing is left open if it fails."""
    toc = TOC.read(ix.storage, ix.indexname)
    readers: list[SegmentReader] = []
    try:
        for segment in toc.segments:
            readers.append(SegmentReader(ix.storage, toc.schema, segment, toc.generation))
    except BaseException:
        for reader in readers:
            reader.close()
        raise
    if not readers:
        return EmptyReader(toc.schema)
    if len(readers) == 1:
        return readers[0]
    return MultiReader(readers, generation=toc.generation)


def open_searcher(ix: Index) -> Searcher:
    """A searcher on :func:`open_reader` (``ix.searcher()`` without its leak)."""
    return Searcher(open_reader(ix), fromindex=ix)


@contextmanager
def reading(gen: Path) -> Iterator[None]:
    """Report a damaged file met while reading ``gen`` as :class:`IndexUnreadableError`.

    OSErrors and EmptyIndexError pass through unchanged: a file deleted under a concurrent
    swap is a race to retry, not damage.
    """
    try:
        yield
    except (OSError, LockError, EmptyIndexError, IndexUnreadableError):
        raise
    except Exception as exc:
        raise unreadable(gen, exc) from exc

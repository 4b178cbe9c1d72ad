"""The one interface every reader and writer of the page archive goes through.

The archive is a set of WARC records addressed by :class:`scraper.warc.RecordRef` (a file
name relative to the store, an offset and a length). :class:`scraper.warc.LocalWarcStore`
keeps them in a local folder, the default; docs/architecture.md plans an object-store
implementation behind the same methods, so workers and web nodes would need no shared disk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from scraper.model import FetchedPage
    from scraper.warc import RecordRef


class WarcStore(Protocol):
    """Write archived pages as WARC records and read them back by reference."""

    def write(self, page: FetchedPage, request_headers: dict[str, str] | None = None) -> RecordRef:
        """Archive a fetched page; returns where its record lives."""
        ...

    def write_revisit(self, page: FetchedPage, original: RecordRef) -> RecordRef:
        """Archive an unchanged fetch as a revisit of ``original``."""
        ...

    def read(self, ref: RecordRef) -> FetchedPage:
        """The archived page behind ``ref``; OSError or ValueError when it cannot be read."""
        ...

    def name_problem(self, name: str) -> str | None:
        """Why ``name`` cannot name a record file of this store (None: it can); imports use it
        to refuse rows that would point outside the archive."""
        ...

    def close(self) -> None:
        """Finish writing and release what reading kept open."""
        ...

    def __enter__(self) -> WarcStore:
        """Keep files open for repeated reads until the block ends."""
        ...

    def __exit__(self, *exc: object) -> None:
        """Close the store."""
        ...

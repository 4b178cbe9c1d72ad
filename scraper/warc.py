"""The page archive: WARC files written and read back with warcio."""

from __future__ import annotations

import base64
import hashlib
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.model import FetchedPage
from scraper.responses import size_text

log = logging.getLogger(__name__)

#: Custom WARC header on our revisit records: "<path> <offset> <length>" of the original.
ORIGINAL_LOCATION = "WARC-X-Original-Location"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_DROPPED_HEADERS = ("content-encoding", "transfer-encoding")
_OPEN_READERS = 8  # WARC files kept open for reading; an incremental crawl reads many pages
#: The decoded body a WARC record may hold when read as input: the fetcher's default body cap.
MAX_RECORD_BYTES = 5 * 1024 * 1024
#: The longest header line of a WARC record read as input (real ones are a few hundred bytes).
MAX_LINE_BYTES = 64 * 1024
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class RecordRef:
    """Where one archived record lives: enough to seek straight to it."""

    path: str  # relative to the archive directory
    offset: int
    length: int
    record_id: str
    payload_digest: str


def payload_digest(body: bytes) -> str:
    """The WARC-Payload-Digest of a body ("sha1:" + base32), to compare pages before writing."""
    return "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")


def _warc_date(iso: str | None) -> str:
    if iso:
        try:
            when = datetime.fromisoformat(iso.replace("Z", "+00:00"))
        except ValueError:
            when = datetime.now(UTC)
    else:
        when = datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _http_headers(page: FetchedPage) -> StatusAndHeaders:
    """The response's status line and headers as stored: body is decoded, lengths are exact."""
    try:
        phrase = HTTPStatus(page.status).phrase
    except ValueError:
        phrase = "Unknown"
    headers = [
        (k, v)
        for k, v in page.headers.items()
        if k.lower() not in (*_DROPPED_HEADERS, "content-length")
    ]
    headers.append(("Content-Length", str(len(page.body))))
    return StatusAndHeaders(f"{page.status} {phrase}", headers, protocol="HTTP/1.1")


def _page_from_record(record: ArcWarcRecord, body: bytes) -> FetchedPage:
    """A FetchedPage from a response or resource record and its (already read) body."""
    url = _target(record)
    date = record.rec_headers.get_header("WARC-Date")
    if record.http_headers is not None and record.rec_type in ("response", "revisit"):
        status = int(record.http_headers.get_statuscode() or 0)
        headers = {
            k: v for k, v in record.http_headers.headers if k.lower() not in _DROPPED_HEADERS
        }
    else:
        status = 200
        ctype = record.rec_headers.get_header("Content-Type") or "application/octet-stream"
        headers = {"Content-Type": ctype}
    return FetchedPage(url=url, status=status, body=body, headers=headers, fetched_at=date)


def _target(record: ArcWarcRecord) -> str:
    # Some WARC 1.0 writers wrap the URI in angle brackets.
    return (record.rec_headers.get_header("WARC-Target-URI") or "").strip().strip("<>")


def _content_type(record: ArcWarcRecord) -> str:
    """The media type of the record's payload, lower case, without parameters."""
    if record.http_headers is not None and record.rec_type == "response":
        value = record.http_headers.get_header("Content-Type")
    else:
        value = record.rec_headers.get_header("Content-Type")
    return (value or "").split(";", 1)[0].strip().lower()


def read_capped(stream: BinaryIO, limit: int) -> bytes | None:
    """All of ``stream`` in chunks, or None as soon as it passes ``limit`` bytes: a small
    compressed record cannot inflate into memory beyond the cap."""
    chunks: list[bytes] = []
    size = 0
    while chunk := stream.read(_CHUNK):
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


class _LineCapped:
    """warcio's decompressing reader with lines cut off at :data:`MAX_LINE_BYTES`: warcio reads
    a header line whole, so one endless line in a small gzip member would fill memory."""

    def __init__(self, reader: Any) -> None:
        self._reader = reader

    def readline(self, length: int | None = None) -> bytes:
        if length is not None and 0 <= length <= MAX_LINE_BYTES:
            return bytes(self._reader.readline(length))
        line = bytes(self._reader.readline(MAX_LINE_BYTES + 1))
        if len(line) > MAX_LINE_BYTES:
            raise ValueError(f"a header line longer than {MAX_LINE_BYTES} bytes")
        return line

    def __getattr__(self, name: str) -> Any:
        return getattr(self._reader, name)


class LocalWarcStore:
    """The archive in a local folder (the default :class:`scraper.warc_store.WarcStore`):
    append pages to gzip-per-record WARC files in ``directory`` and read them back.

    One store is one run: the first write opens ``cio-talks-YYYYmmddHHMMSS-00000.warc.gz``
    and a new file with the next serial is started once a file passes ``max_file_bytes``.
    Every write is flushed to the operating system, so a killed process (even kill -9) leaves
    only complete records; the file is fsynced every ``sync_every`` writes and on close, which
    bounds what a power cut could lose without paying a disk flush for every page.
    Inside a ``with`` block the files read from stay open (a few at a time) until the block
    ends, because an incremental crawl reads back one archived page per unchanged page.
    """

    def __init__(
        self, directory: Path, *, max_file_bytes: int = 1024**3, sync_every: int = 50
    ) -> None:
        self.directory = Path(directory)
        self.max_file_bytes = max_file_bytes
        self.sync_every = max(1, sync_every)
        self._unsynced = 0
        self._stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self._serial = 0
        self._file: BinaryIO | None = None
        self._name = ""
        self._writer: WARCWriter | None = None
        self._readers: dict[str, BinaryIO] = {}
        self._keep_readers = False  # only inside ``with``, which guarantees the close

    def close(self) -> None:
        """Close the current WARC file (fsynced first) and the files kept open for reading."""
        for reader in self._readers.values():
            reader.close()
        self._readers.clear()
        self._keep_readers = False
        self._close_file()

    def _close_file(self) -> None:
        if self._file is not None:
            self._sync(force=True)
            self._file.close()
        self._file = None
        self._writer = None

    def __enter__(self) -> LocalWarcStore:
        self._keep_readers = True
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- writing ---------------------------------------------------------------------------

    def _open(self) -> tuple[BinaryIO, WARCWriter]:
        if self._file is not None and self._file.tell() >= self.max_file_bytes:
            self._close_file()
        if self._file is None or self._writer is None:
            self.directory.mkdir(parents=True, exist_ok=True)
            while True:
                name = f"cio-talks-{self._stamp}-{self._serial:05d}.warc.gz"
                self._serial += 1
                try:
                    handle = (self.directory / name).open("xb")
                except FileExistsError:
                    continue
                break
            self._file, self._name = handle, name
            self._writer = WARCWriter(handle, gzip=True, warc_version="1.1")
            info = {"software": "cio-talks-archive (warcio)", "format": "WARC File Format 1.1"}
            self._writer.write_record(self._writer.create_warcinfo_record(name, info))
            self._sync()
        return self._file, self._writer

    def _sync(self, *, force: bool = False) -> None:
        assert self._file is not None
        self._file.flush()
        self._unsynced += 1
        if force or self._unsynced >= self.sync_every:
            os.fsync(self._file.fileno())
            self._unsynced = 0

    def _write_records(self, *records: ArcWarcRecord) -> RecordRef:
        """Write records back to back; the ref points at the first one."""
        handle, writer = self._open()
        start = handle.tell()
        writer.write_record(records[0])
        end = handle.tell()
        for record in records[1:]:
            writer.write_record(record)
        self._sync()
        first = records[0].rec_headers
        return RecordRef(
            path=self._name,
            offset=start,
            length=end - start,
            record_id=first.get_header("WARC-Record-ID"),
            payload_digest=first.get_header("WARC-Payload-Digest") or "",
        )

    def write(self, page: FetchedPage, request_headers: dict[str, str] | None = None) -> RecordRef:
        """Archive a page: a request + response pair, or a resource record for a file:// page.

        The body is stored as the fetcher returned it (content-decoded), with the headers
        adjusted to match. Raises ValueError for a page without a response (status 0).
        """
        if page.status <= 0:
            raise ValueError(f"no response to archive for {page.url}")
        _, writer = self._open()
        target = page.final_url or page.url
        date = _warc_date(page.fetched_at)
        if target.startswith("file:"):
            ctype = page.content_type or "application/octet-stream"
            resource = writer.create_warc_record(
                target,
                "resource",
                payload=BytesIO(page.body),
                length=len(page.body),
                warc_content_type=ctype,
                warc_headers_dict={"WARC-Date": date},
            )
            return self._write_records(resource)
        response = writer.create_warc_record(
            target,
            "response",
            payload=BytesIO(page.body),
            length=len(page.body),
            warc_headers_dict={"WARC-Date": date},
            http_headers=_http_headers(page),
        )
        parts = urlsplit(target)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        req_headers = [("Host", parts.netloc), *(request_headers or {}).items()]
        request = writer.create_warc_record(
            target,
            "request",
            warc_headers_dict={
                "WARC-Date": date,
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
            http_headers=StatusAndHeaders(
                f"GET {path} HTTP/1.1", req_headers, protocol="", is_http_request=True
            ),
        )
        return self._write_records(response, request)

    def write_revisit(self, page: FetchedPage, original: RecordRef) -> RecordRef:
        """Archive an unchanged fetch (a 304, or a 200 with the same payload) as a revisit.

        The record uses the identical-payload-digest profile and also names the original's
        file, offset and length, so :meth:`read` can return the original payload.
        """
        _, writer = self._open()
        original_record = self._load_record(original, with_body=False)[0]
        target = page.final_url or page.url
        try:
            phrase = HTTPStatus(page.status).phrase
        except ValueError:
            phrase = "Unknown"
        headers = [(k, v) for k, v in page.headers.items() if k.lower() not in _DROPPED_HEADERS]
        record = writer.create_revisit_record(
            target,
            digest=original.payload_digest,
            refers_to_uri=original_record.rec_headers.get_header("WARC-Target-URI"),
            refers_to_date=original_record.rec_headers.get_header("WARC-Date"),
            http_headers=StatusAndHeaders(f"{page.status} {phrase}", headers, "HTTP/1.1"),
            warc_headers_dict={
                "WARC-Date": _warc_date(page.fetched_at),
                "WARC-Refers-To": original.record_id,
                ORIGINAL_LOCATION: f"{original.path} {original.offset} {original.length}",
            },
        )
        return self._write_records(record)

    # -- reading ---------------------------------------------------------------------------

    def name_problem(self, name: str) -> str | None:
        """Why ``name`` is not a file of the archive folder once links are followed, or None."""
        try:
            self._inside(name)
        except ValueError:
            return "is outside the archive folder"
        return None

    def _inside(self, name: str) -> Path:
        """The archive file ``name`` names; ValueError when it would be outside the archive
        folder (an absolute path, ``..``, a link leading out), whatever the database says."""
        root = self.directory.resolve()
        path = (root / name).resolve()
        if not name or not path.is_relative_to(root) or path == root:
            raise ValueError(f"{name!r} is not a file of the archive folder")
        return path

    def _reader(self, name: str) -> BinaryIO:
        """An open read handle on a WARC file of the archive, kept for the next read."""
        handle = self._readers.get(name)
        if handle is None:
            if len(self._readers) >= _OPEN_READERS:
                self._readers.pop(next(iter(self._readers))).close()
            handle = self._inside(name).open("rb")
            self._readers[name] = handle
        return handle

    def _load_record(self, ref: RecordRef, *, with_body: bool) -> tuple[ArcWarcRecord, bytes]:
        if self._keep_readers:
            handle = self._reader(ref.path)
            handle.seek(ref.offset)
            data = handle.read(ref.length)
        else:
            with self._inside(ref.path).open("rb") as handle:
                handle.seek(ref.offset)
                data = handle.read(ref.length)
        for record in ArchiveIterator(BytesIO(data)):
            body = record.content_stream().read() if with_body else b""
            return record, body
        raise ValueError(f"no WARC record at {ref.path}:{ref.offset}")

    def read(self, ref: RecordRef) -> FetchedPage:
        """The archived page behind ``ref``; for a revisit, the original's body and headers
        with the revisit's date. Raises OSError / ValueError if the record is missing."""
        record, body = self._load_record(ref, with_body=True)
        if record.rec_type == "revisit":
            location = (record.rec_headers.get_header(ORIGINAL_LOCATION) or "").rsplit(" ", 2)
            if len(location) != 3:
                raise ValueError(f"revisit record {ref.record_id} does not locate its original")
            original = RecordRef(
                location[0], int(location[1]), int(location[2]), "", ref.payload_digest
            )
            page = self.read(original)
            page.fetched_at = record.rec_headers.get_header("WARC-Date")
            return page
        return _page_from_record(record, body)


def iter_warc(
    path: Path, *, html_only: bool = True, max_bytes: int = MAX_RECORD_BYTES
) -> Iterator[FetchedPage]:
    """Pages in any WARC / WARC.gz file: response and resource records (HTML ones only by
    default). Revisit records are skipped.

    Bodies are read in chunks up to ``max_bytes`` (the fetcher's body cap): a record past it
    gives a page with ``error`` set (status 0) naming the record, and reading goes on with
    the next record. A damaged file, or one that exhausts memory, ends the iteration with
    such a page too, so the run reports it and fails instead of passing in silence.
    """
    number = 0
    url = ""
    try:
        with Path(path).open("rb") as handle:
            archive = ArchiveIterator(handle)
            archive.reader = _LineCapped(archive.reader)
            records = iter(archive)
            while True:
                number, url = number + 1, ""  # counted first: a damaged record is named too
                record = next(records, None)
                if record is None:
                    break
                if record.rec_type not in ("response", "resource"):
                    continue
                if record.rec_type == "response" and record.http_headers is None:
                    continue  # e.g. dns: records
                if html_only and _content_type(record) not in _HTML_TYPES:
                    continue
                url = _target(record)
                body = read_capped(record.content_stream(), max_bytes)
                if body is None:
                    reason = f"body larger than {size_text(max_bytes)}"
                    yield _unreadable(path, number, url, record, reason)
                    continue
                yield _page_from_record(record, body)
    except MemoryError:
        log.error("%s: out of memory reading record %d", path, number)
        yield _unreadable(path, number, url, None, "out of memory reading the record")
    except Exception as exc:  # warcio raises assorted errors on damaged files
        log.warning("%s: stopped reading at damaged record %d: %s", path, number, exc)
        reason = f"damaged record, reading stopped ({type(exc).__name__}: {exc})"
        yield _unreadable(path, number, url, None, reason)


def _unreadable(
    path: Path, number: int, url: str, record: ArcWarcRecord | None, reason: str
) -> FetchedPage:
    """A failed page standing for WARC record ``number`` of ``path``: its URL when known, and
    a one-line error naming the file, the record's place and id."""
    record_id = record.rec_headers.get_header("WARC-Record-ID") if record is not None else None
    where = f"WARC record {number} of {Path(path).name}" + (f" {record_id}" if record_id else "")
    reason = " ".join(reason.split())[:300]
    return FetchedPage(
        url=url or f"{Path(path).resolve().as_uri()}#record-{number}",
        status=0,
        body=b"",
        error=f"{where}: {reason}",
    )


#: The name docs/architecture.md uses for :func:`iter_warc`.
iter_responses = iter_warc

"""Expand the command line's SOURCE arguments into URLs, local pages and WARC files."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Literal

from scraper.model import FetchedPage
from scraper.warc import iter_warc

log = logging.getLogger(__name__)

SourceKind = Literal["url", "file", "warc", "error"]
_HTML_SUFFIXES = (".html", ".htm", ".xhtml")
_MAX_FILE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class Source:
    """One thing to fetch or read, and the SOURCE argument it came from.

    ``kind`` is "url" (``location`` is an http(s) URL to fetch or crawl), "file" (an absolute
    path of a saved page), "warc" (an absolute path of a WARC file) or "error" (``error`` says
    why the argument could not be used).
    """

    kind: SourceKind
    location: str
    origin: str
    error: str | None = None


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def _is_warc(path: Path) -> bool:
    return path.name.lower().endswith((".warc", ".warc.gz"))


def _url_list(path: Path, origin: str) -> Iterator[Source]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        yield Source("error", str(path), origin, f"cannot read URL list: {exc}")
        return
    for number, raw in enumerate(lines, start=1):
        # Whole-line comments and " # trailing" ones; a '#' inside a URL is a fragment.
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if _is_url(line):
            yield Source("url", line, origin)
        else:
            yield Source("error", line, origin, f"line {number} is not an http(s) URL")


def expand_source(arg: str) -> Iterator[Source]:
    """The sources one SOURCE argument stands for (folders recursively, sorted)."""
    arg = arg.strip()
    if _is_url(arg):
        yield Source("url", arg, arg)
        return
    path = Path(arg[len("file://") :] if arg.startswith("file://") else arg).expanduser()
    if not path.exists():
        yield Source("error", arg, arg, "no such file or folder")
        return
    path = path.resolve()
    if path.is_dir():
        pages = sorted(
            p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in (".html", ".htm")
        )
        if not pages:
            yield Source("error", str(path), arg, "folder holds no .html or .htm files")
        for page in pages:
            yield Source("file", str(page), arg)
    elif _is_warc(path):
        yield Source("warc", str(path), arg)
    elif path.suffix.lower() == ".txt":
        yield from _url_list(path, arg)
    elif path.suffix.lower() in _HTML_SUFFIXES:
        yield Source("file", str(path), arg)
    else:
        yield Source("error", str(path), arg, "not an HTML file, URL list (.txt) or WARC file")


def expand_sources(args: Iterable[str]) -> list[Source]:
    """All sources of all SOURCE arguments, in order, duplicates removed; never raises."""
    seen: set[tuple[str, str]] = set()
    result: list[Source] = []
    for arg in args:
        for source in expand_source(arg):
            key = (source.kind, source.location)
            if source.kind != "error" and key in seen:
                continue
            seen.add(key)
            result.append(source)
    return result


def load_file(path: Path, *, max_bytes: int = _MAX_FILE_BYTES) -> FetchedPage:
    """A saved page read from disk as a FetchedPage with a ``file://`` URL.

    Status 200 and a Content-Type guessed from the name; Last-Modified is the file's mtime.
    Unreadable or oversized files give a page with ``error`` set (status 0) instead of raising.
    """
    path = Path(path).resolve()
    url = path.as_uri()
    now = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    try:
        stat = path.stat()
        if stat.st_size > max_bytes:
            return FetchedPage(
                url, 0, b"", fetched_at=now, error=f"file larger than {max_bytes} bytes"
            )
        body = path.read_bytes()
    except OSError as exc:
        return FetchedPage(url, 0, b"", fetched_at=now, error=f"cannot read file: {exc.strerror}")
    guessed = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix.lower() in (".html", ".htm"):
        guessed = "text/html"
    mtime = datetime.fromtimestamp(stat.st_mtime, UTC)
    headers = {
        "Content-Type": guessed,
        "Content-Length": str(len(body)),
        "Last-Modified": format_datetime(mtime, usegmt=True),
    }
    return FetchedPage(url=url, status=200, body=body, headers=headers, fetched_at=now)


def local_pages(source: Source, *, max_bytes: int = _MAX_FILE_BYTES) -> Iterator[FetchedPage]:
    """The pages a "file" or "warc" source holds (nothing for URLs and errors); a file or a
    WARC record over ``max_bytes`` (the fetcher's body cap) gives a page with ``error`` set."""
    if source.kind == "file":
        yield load_file(Path(source.location), max_bytes=max_bytes)
    elif source.kind == "warc":
        yield from iter_warc(Path(source.location), max_bytes=max_bytes)

"""Named sources kept in the instance's sources file, so a weekly re-run is plain `scrape`."""

from __future__ import annotations

import json
import os
import re
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class SourcesError(ValueError):
    """The sources file cannot be read, or a source is not valid; the message says why."""


@dataclass(frozen=True)
class NamedSource:
    """One place to scrape: a URL (or a file, folder or WARC path) and how far to crawl it.

    ``allow`` and ``deny`` are regular expressions matched against discovered URLs (deny wins);
    ``max_pages`` caps the pages fetched from this source; ``sitemap`` also reads the host's
    sitemaps for URLs in scope; ``rescrape_days`` has the job queue scrape it again once its
    last scrape is that many days old (None: only when asked).
    """

    name: str
    url: str
    enabled: bool = True
    allow: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    max_pages: int | None = None
    sitemap: bool = False
    rescrape_days: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data, lists for the pattern tuples."""
        data = asdict(self)
        data["allow"], data["deny"] = list(self.allow), list(self.deny)
        return data


def validate(source: NamedSource) -> NamedSource:
    """Return ``source`` unchanged when it is usable; raise SourcesError saying what is wrong."""
    if not _NAME.match(source.name):
        raise SourcesError(
            f"bad source name {source.name!r}: use letters, digits, '.', '_' or '-' (max 64)"
        )
    if not source.url.strip():
        raise SourcesError(f"source {source.name!r} has no URL")
    for pattern in (*source.allow, *source.deny):
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SourcesError(f"source {source.name!r}: bad pattern {pattern!r}: {exc}") from None
    if source.max_pages is not None and source.max_pages < 1:
        raise SourcesError(f"source {source.name!r}: max_pages must be at least 1")
    if source.rescrape_days is not None and source.rescrape_days < 1:
        raise SourcesError(f"source {source.name!r}: rescrape_days must be at least 1")
    return source


def _patterns(value: Any, key: str, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{where}: {key!r} must be a list of regular expressions")
    return tuple(value)


def from_dict(data: Any, where: str = "source") -> NamedSource:
    """A NamedSource from one entry of the file; SourcesError names what is malformed."""
    if not isinstance(data, dict):
        raise SourcesError(f"{where}: expected an object with 'name' and 'url'")
    name, url = data.get("name"), data.get("url")
    if not isinstance(name, str) or not isinstance(url, str):
        raise SourcesError(f"{where}: 'name' and 'url' must be strings")
    max_pages, rescrape_days = data.get("max_pages"), data.get("rescrape_days")
    for key, value in (("max_pages", max_pages), ("rescrape_days", rescrape_days)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise SourcesError(f"{where}: {key!r} must be a whole number")
    return validate(
        NamedSource(
            name=name,
            url=url,
            enabled=bool(data.get("enabled", True)),
            allow=_patterns(data.get("allow"), "allow", where),
            deny=_patterns(data.get("deny"), "deny", where),
            max_pages=max_pages,
            sitemap=bool(data.get("sitemap", False)),
            rescrape_days=rescrape_days,
        )
    )


def parse_sources(text: str, origin: str = "sources file") -> list[NamedSource]:
    """Sources from the file's JSON text (``{"sources": [...]}`` or a bare list)."""
    try:
        data = json.loads(text) if text.strip() else {"sources": []}
    except json.JSONDecodeError as exc:
        raise SourcesError(
            f"{origin} is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        ) from None
    entries = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise SourcesError(f'{origin}: expected {{"sources": [...]}}')
    sources = [from_dict(e, f"{origin}, source {n}") for n, e in enumerate(entries, start=1)]
    names = [s.name for s in sources]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise SourcesError(f"{origin}: source names used twice: {', '.join(duplicates)}")
    return sources


def load_sources(path: Path) -> list[NamedSource]:
    """The sources kept in ``path``; none when the file does not exist yet."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesError(f"cannot read {path}: {exc}") from None
    return parse_sources(text, str(path))


def save_sources(path: Path, sources: list[NamedSource]) -> None:
    """Write the sources atomically (temporary file in the same folder, then rename)."""
    path = Path(path)
    for source in sources:
        validate(source)
    document = {"version": FORMAT_VERSION, "sources": [s.to_dict() for s in sources]}
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2, ensure_ascii=False)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_source(sources: list[NamedSource], source: NamedSource) -> list[NamedSource]:
    """A new list with ``source`` appended; SourcesError when the name is taken."""
    validate(source)
    if any(s.name == source.name for s in sources):
        raise SourcesError(f"a source named {source.name!r} already exists")
    return [*sources, source]


def remove_source(sources: list[NamedSource], name: str) -> list[NamedSource]:
    """A new list without the source ``name``; SourcesError when there is none."""
    if not any(s.name == name for s in sources):
        raise SourcesError(f"no source named {name!r}")
    return [s for s in sources if s.name != name]


def set_enabled(sources: list[NamedSource], name: str, enabled: bool) -> list[NamedSource]:
    """A new list with source ``name`` switched on or off; SourcesError when there is none."""
    if not any(s.name == name for s in sources):
        raise SourcesError(f"no source named {name!r}")
    return [replace(s, enabled=enabled) if s.name == name else s for s in sources]


@dataclass(frozen=True)
class ScrapePlan:
    """What a configured scrape runs: the SOURCE arguments and the crawl settings per URL."""

    args: list[str] = field(default_factory=list)
    settings: dict[str, NamedSource] = field(default_factory=dict)


def plan(sources: list[NamedSource]) -> ScrapePlan:
    """The enabled sources as SOURCE arguments, with each URL's own crawl settings."""
    enabled = [s for s in sources if s.enabled]
    return ScrapePlan(
        args=[s.url for s in enabled],
        settings={s.url: s for s in enabled},
    )

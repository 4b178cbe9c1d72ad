"""Plain dataclasses the scraper hands to the rest of the application."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Speaker:
    """One person giving (part of) a talk, as the page describes them."""

    name: str
    role: str | None = None
    organisation: str | None = None
    bio: str | None = None
    industries: list[str] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything extracted from one page; the JSON contract of docs/extraction.md."""

    source: str
    is_event: bool = False
    title: str | None = None
    series: str | None = None
    host: str | None = None
    topic: str | None = None
    abstract: str | None = None
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    location: str | None = None
    language: str | None = None
    speakers: list[Speaker] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    last_updated: str | None = None
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The extraction as JSON-ready plain data, fields in contract order."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """Rebuild an extraction from :meth:`to_dict` output (unknown keys are ignored)."""
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        known["speakers"] = [
            Speaker(**{k: v for k, v in s.items() if k in Speaker.__dataclass_fields__})
            for s in data.get("speakers") or []
        ]
        return cls(**known)


@dataclass
class FetchedPage:
    """One fetched (or read from disk / WARC) page: bytes plus the HTTP facts about them."""

    url: str
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    fetched_at: str | None = None  # ISO 8601 UTC
    final_url: str | None = None
    error: str | None = None
    not_modified: bool = False  # a 304 answer to a conditional request; body is empty

    def header(self, name: str) -> str | None:
        """One response header, looked up case-insensitively."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    @property
    def content_type(self) -> str | None:
        """The Content-Type header, if any (case-insensitive lookup)."""
        return self.header("Content-Type")

    @property
    def etag(self) -> str | None:
        """The ETag validator to send back as If-None-Match next time."""
        return self.header("ETag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified validator to send back as If-Modified-Since next time."""
        return self.header("Last-Modified")

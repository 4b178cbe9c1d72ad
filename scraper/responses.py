"""What an HTTP response tells a crawler: media types, Retry-After, and failure reasons."""

from __future__ import annotations

import email.utils
from datetime import UTC, datetime
from urllib.parse import urlsplit

HTML_TYPES = ("text/html", "application/xhtml+xml")
XML_TYPES = ("application/xml", "text/xml")
TEXT_TYPES = ("text/plain",)
# Media types that are text even though they are not HTML; anything else is called binary.
_TEXTUAL_SUFFIXES = ("+json", "+xml")
_TEXTUAL_TYPES = frozenset({"application/json", "application/javascript", "application/xml"})


def media_type(content_type: str | None) -> str:
    """The lower-case media type of a Content-Type value, without parameters."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def size_text(n: int) -> str:
    """A byte limit as people write it ("5 MB")."""
    if n % (1024 * 1024) == 0:
        return f"{n // (1024 * 1024)} MB"
    if n % 1024 == 0:
        return f"{n // 1024} KB"
    return f"{n} bytes"


def seconds_text(s: float) -> str:
    """A duration for an error reason ("30 s")."""
    return f"{s:g} s"


def host_of(url: str) -> str:
    """The lower-case host name of a URL."""
    return (urlsplit(url).hostname or "").lower()


def same_site(a: str, b: str) -> bool:
    """Hosts that differ only by a leading ``www.`` count as the same site."""
    return a.removeprefix("www.") == b.removeprefix("www.")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a Retry-After header asks us to wait (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def is_textual(mtype: str) -> bool:
    """Whether a media type is text (JSON, XML, …) rather than binary."""
    return mtype.startswith("text/") or mtype in _TEXTUAL_TYPES or mtype.endswith(_TEXTUAL_SUFFIXES)


def looks_like_html(head: bytes) -> bool:
    """Whether the first bytes of a body without a Content-Type look like an HTML page."""
    start = head.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start


def connection_reason(exc: Exception) -> str:
    """A short reason for a connection-level failure, from the exception chain's text."""
    text = repr(exc).lower()
    if "reset" in text or "remotedisconnected" in text or "aborted" in text:
        return "connection reset"
    if "refused" in text:
        return "connection refused"
    if "name or service not known" in text or "nodename nor servname" in text:
        return "host not found"
    if "getaddrinfo" in text or "name resolution" in text:
        return "host not found"
    return "connection error"

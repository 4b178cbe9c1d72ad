"""Addresses from scraped data made safe to show: only http(s) URLs become links, and a page
read from disk is named by its file name, never by the server's path."""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

#: Schemes a scraped address may be linked with; anything else (javascript:, data:, file:…)
#: is shown as text, if at all.
LINK_SCHEMES = frozenset({"http", "https"})
#: Schemes kept for links inside an archived page's own markup.
PAGE_LINK_SCHEMES = frozenset({*LINK_SCHEMES, "mailto"})


def http_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL with a host, else None.

    The test is on the text as a browser reads it: leading and trailing blanks aside, it
    must begin with ``http://`` or ``https://`` (so ``java\\tscript:`` or ``\\x01javascript:``
    never pass, whatever a URL parser makes of them).
    """
    text = (url or "").strip()
    if not text.lower().startswith(("http://", "https://")):
        return None
    if any(ord(char) < 0x20 or char == "\x7f" for char in text):
        return None
    parts = urlsplit(text)
    return text if parts.scheme.lower() in LINK_SCHEMES and parts.hostname else None


def is_file_url(url: str | None) -> bool:
    """True for a ``file:`` URL: a page the scraper read from the server's disk."""
    return (url or "").strip().lower().startswith("file:")


def source_label(url: str | None) -> str:
    """How a source address is shown to visitors: the URL itself, or just the file name of
    a page read from disk (the server's folders are nobody's business)."""
    text = (url or "").strip()
    if is_file_url(text):
        return PurePosixPath(unquote(urlsplit(text).path)).name or "local file"
    return text


def public_source(url: str | None) -> str:
    """A source address as visitors' downloads and the API give it: an http(s) URL as it is,
    a page read from disk by its file name, anything else (``javascript:`` …) not at all."""
    if is_file_url(url):
        return source_label(url)
    return http_url(url) or ""


def resolve_link(
    base_url: str, value: str, schemes: frozenset[str] = PAGE_LINK_SCHEMES
) -> str | None:
    """A link found in an archived page, made absolute against the page's own URL; None when
    the result is not of ``schemes`` (a relative link on a page read from disk resolves to a
    ``file:`` URL and is dropped, as are javascript: and data: links)."""
    url = urljoin(base_url, value.strip())
    if urlsplit(url).scheme.lower() not in schemes:
        return None
    if url.lower().startswith(("http:", "https:")):
        return http_url(url)
    return url

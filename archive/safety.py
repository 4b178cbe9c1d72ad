"""Which source URLs an admin or operator may add: http(s), on the allow-list, not internal.

The addresses themselves are checked by the fetcher on every connection
(:mod:`scraper.fetch_guard`), so a name that resolves public today and internal tomorrow is
still refused when it is crawled. The check here, when a source is added, only gives the
admin an early answer with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import SplitResult, urlsplit, urlunsplit

from scraper.fetch_guard import AddressPolicy, AddressRefused, Resolver, Unresolvable, resolve


class UnsafeURL(ValueError):
    """A source URL that is refused; the message says why, for the form."""


def host_allowed(host: str, allowed: Iterable[str]) -> bool:
    """True when ``host`` is on the allow-list; an entry ``.example.org`` admits its subdomains."""
    host = host.lower().rstrip(".")
    for entry in allowed:
        entry = entry.lower().rstrip(".")
        if not entry:
            continue
        if entry.startswith("."):
            if host == entry[1:] or host.endswith(entry):
                return True
        elif host == entry:
            return True
    return False


def _parsed(url: str) -> tuple[SplitResult, str, int | None]:
    """(parts, IDNA host in lower case, port) of an http(s) URL; UnsafeURL when malformed."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https"):
        raise UnsafeURL("only http:// and https:// URLs are accepted")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("URLs with a user name or password are not accepted")
    try:
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"malformed URL: {exc}") from exc
    if not host:
        raise UnsafeURL("the URL has no host")
    try:
        host = host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise UnsafeURL(f"host {host} is not a valid name") from exc
    return parts, host, port


def _check_addresses(host: str, allow_private: bool, resolver: Resolver | None) -> None:
    """The fetcher's own address check, now, so the refusal comes with the form's answer."""
    try:
        AddressPolicy(allow_private, resolver or resolve).addresses(host)
    except AddressRefused as exc:
        raise UnsafeURL(str(exc)) from None


def check_source_url(
    url: str,
    allowed_hosts: Iterable[str],
    allow_private: bool = False,
    resolver: Resolver | None = None,
) -> str:
    """Return ``url`` normalised when it may be added from the admin form, else raise
    UnsafeURL saying why: not http(s), not on the allow-list, or resolving inside.

    ``resolver`` defaults to the system's DNS (tests pass their own); every address the host
    resolves to is checked, so a name pointing at an internal address is refused as well.
    """
    parts, host, port = _parsed(url)
    if not host_allowed(host, allowed_hosts):
        raise UnsafeURL(
            f"host {host} is not on the allow-list (ADMIN_SOURCE_HOSTS)"
            if list(allowed_hosts)
            else "no source hosts are allowed: set CIO_TALKS_ADMIN_SOURCE_HOSTS"
        )
    _check_addresses(host, allow_private, resolver)
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def check_source_address(url: str, allow_private: bool, resolver: Resolver | None = None) -> None:
    """UnsafeURL when an http(s) source (from the command line: no allow-list) is malformed
    or resolves to an internal address that is not allowed. A name that does not resolve
    now passes: the operator may add a site before it is up, and every crawl checks again."""
    _parts, host, _port = _parsed(url)
    try:
        AddressPolicy(allow_private, resolver or resolve).addresses(host)
    except Unresolvable:
        return
    except AddressRefused as exc:
        raise UnsafeURL(str(exc)) from None

"""Network address safety: which URLs may be fetched without reaching into internal networks.

Two places make the server fetch a URL someone else chose. The admin form: the host must be on
the configured allow-list, and every address it resolves to must be public (no loopback,
link-local, private, reserved or multicast address) unless the configuration allows them. And
a crawl: a public page must not steer the crawler, by a link or a redirect, to an internal host.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit, urlunsplit

Resolver = Callable[[str], list[str]]


class UnsafeURL(ValueError):
    """A source URL that is refused; the message says why, for the form."""


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeURL(f"host {host} cannot be resolved") from exc
    return sorted({str(info[4][0]) for info in infos})


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


def internal_reason(address: str) -> str | None:
    """Why an address is internal (loopback, link-local, private, …), or None when public."""
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(
        address.split("%", 1)[0]
    )
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    checks = (
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("unspecified", ip.is_unspecified),
        ("multicast", ip.is_multicast),
        ("private", ip.is_private),
        ("reserved", ip.is_reserved),
        ("not globally routable", not ip.is_global),
    )
    return next((name for name, hit in checks if hit), None)


def check_source_url(
    url: str,
    allowed_hosts: Iterable[str],
    allow_private: bool = False,
    resolver: Resolver | None = None,
) -> str:
    """Return ``url`` normalised when it may be fetched, else raise UnsafeURL saying why.

    ``resolver`` defaults to the system's DNS (tests pass their own); every address the host
    resolves to is checked, so a name pointing at an internal address is refused as well.
    """
    url = url.strip()
    parts = urlsplit(url)
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
    if not host_allowed(host, allowed_hosts):
        raise UnsafeURL(
            f"host {host} is not on the allow-list (ADMIN_SOURCE_HOSTS)"
            if list(allowed_hosts)
            else "no source hosts are allowed: set CIO_TALKS_ADMIN_SOURCE_HOSTS"
        )
    addresses = (resolver or resolve)(host)
    if not addresses:
        raise UnsafeURL(f"host {host} cannot be resolved")
    if not allow_private:
        for address in addresses:
            reason = internal_reason(address)
            if reason:
                raise UnsafeURL(f"host {host} resolves to a {reason} address ({address})")
    netloc = host if port is None else f"{host}:{port}"
    if ":" in host:
        netloc = f"[{host}]" if port is None else f"[{host}]:{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path or "/", parts.query, ""))


def url_permitted(
    url: str,
    allowed_hosts: Iterable[str],
    allow_private: bool = False,
    resolver: Resolver | None = None,
) -> bool:
    """The same check as a yes/no, shaped for ``Fetcher.fetch(permitted=...)`` on redirects."""
    try:
        check_source_url(url, allowed_hosts, allow_private, resolver)
    except UnsafeURL:
        return False
    return True


def internal_target(url: str, resolver: Resolver | None = None) -> str | None:
    """Why ``url`` points inside (its host resolves to an internal address), or None.

    No allow-list here: this is the check a crawl applies to every redirect target and
    discovered URL, e.g. ``permitted=lambda u: robots.allowed(u) and not internal_target(u)``.
    A host that cannot be resolved is reported too (it cannot be fetched anyway).
    """
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return "malformed URL"
    if not host:
        return "no host"
    try:
        addresses = (resolver or resolve)(host)
    except UnsafeURL as exc:
        return str(exc)
    for address in addresses:
        reason = internal_reason(address)
        if reason:
            return f"host {host} resolves to a {reason} address ({address})"
    return None

"""The fetcher's guard on every connection: the address it goes to, and how long it may take.

Server-side request forgery is stopped where the connection is made, not where a URL is
accepted: a host name is resolved once per connection, every address it resolves to must be
public (unless private addresses are allowed), and the socket is connected to one of those
checked addresses; the peer the socket ends up connected to is checked once more. The host
name itself stays on the connection, so TLS (SNI, certificate) and the Host header are those
of the name. A name that resolved to a public address yesterday and to 127.0.0.1 now is
refused now, on every redirect hop, robots.txt and sitemap alike.

The deadline bounds one request, headers and body together, whatever the server sends: a
timer shuts the socket down when it passes, which ends a read blocked on a server that
trickles a byte at a time (per-read timeouts never fire against such a server).
"""

from __future__ import annotations

import contextlib
import ipaddress
import logging
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError
from urllib3.util.connection import create_connection

log = logging.getLogger(__name__)

#: Host name -> every address it resolves to; raises AddressRefused when it cannot.
Resolver = Callable[[str], list[str]]


class AddressRefused(ValueError):
    """A host the fetcher will not connect to; the message is a one-line reason."""


class Unresolvable(AddressRefused):
    """A host name with no address (resolvers raise it; a proxy may still know the name)."""


def resolve(host: str) -> list[str]:
    """Every address ``host`` resolves to, by the system's resolver (an IP literal: itself)."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(f"host {host} cannot be resolved") from exc
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


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


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses may be connected to: public ones, and internal ones only when allowed."""

    allow_private: bool = False
    resolver: Resolver = field(default=resolve, repr=False)

    def addresses(self, host: str) -> list[str]:
        """The checked addresses of ``host``; AddressRefused if any of them is internal.

        One internal address among public ones refuses the host: which one a connection
        would get is up to the resolver's order, and an attacker's name lists both.
        """
        found = self.resolver(host.strip("[]"))
        if not found:
            raise Unresolvable(f"host {host} cannot be resolved")
        for address in found:
            self.check(host, address)
        return found

    def check(self, host: str, address: str) -> None:
        """AddressRefused when ``address`` (of ``host``) is internal and that is not allowed."""
        if self.allow_private:
            return
        reason = internal_reason(address)
        if reason and host.strip("[]") == address:
            raise AddressRefused(f"{address} is a {reason} address")
        if reason:
            raise AddressRefused(f"host {host} resolves to a {reason} address ({address})")

    def check_peer(self, host: str, sock: socket.socket) -> None:
        """Check the address a socket is actually connected to (AddressRefused if internal)."""
        self.check(host, str(sock.getpeername()[0]))


class Deadline:
    """One request's deadline: arm it, let connections report their socket, disarm it.

    When the timer fires the socket in use is shut down, so whatever read is blocked on it
    returns at once; ``expired`` tells the fetcher that this, not the server, ended it. The
    socket itself is kept, not the connection: a response read to the connection's close
    holds the socket after the connection has let go of it.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._socket: Any = None
        self._generation = 0  # a timer of an earlier request that fires late changes nothing
        self.expired = False

    def arm(self, seconds: float) -> None:
        """Start the clock for a new request (a previous one is disarmed)."""
        self.disarm()
        with self._lock:
            self.expired = False
            timer = threading.Timer(seconds, self._expire, args=(self._generation,))
            timer.daemon = True
            self._timer = timer
        timer.start()

    def disarm(self) -> None:
        """Stop the clock; the request finished in time (or is over anyway)."""
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._timer = None
            self._socket = None
            self._generation += 1

    def watch(self, sock: Any) -> None:
        """The socket the current request uses (shut down when time is up); None: none yet."""
        if sock is not None:
            with self._lock:
                self._socket = sock

    def _expire(self, generation: int) -> None:
        with self._lock:
            if generation != self._generation:
                return
            self.expired = True
            sock = getattr(self._socket, "socket", self._socket)  # TLS in a proxy tunnel wraps it
            if isinstance(sock, socket.socket):
                # The base method: an SSL socket's own shutdown would unwrap it first.
                with contextlib.suppress(OSError):
                    socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass
class ConnectionGuard:
    """What every connection of one fetcher is held to: the address policy and the deadline."""

    policy: AddressPolicy
    deadline: Deadline = field(default_factory=Deadline)


class GuardedHTTPConnection(HTTPConnection):
    """An HTTP connection made to a checked address of its host, under the fetcher's deadline.

    Only the connect step changes: the host name stays ``self.host``, so the Host header
    and (in the HTTPS subclass) SNI and the certificate check are those of the name.
    """

    def __init__(self, *args: Any, guard: ConnectionGuard, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard = guard

    def _new_conn(self) -> socket.socket:
        if self.proxy is not None:  # the proxy connects; the fetcher checked the target
            sock = super()._new_conn()
            self.guard.deadline.watch(sock)  # a TLS handshake that trickles is cut short too
            return sock
        policy = self.guard.policy
        last: OSError | None = None
        for address in policy.addresses(self.host):
            try:
                sock = create_connection(
                    (address, self.port),
                    self.timeout,
                    source_address=self.source_address,
                    socket_options=self.socket_options,
                )
            except TimeoutError as exc:
                raise ConnectTimeoutError(
                    self, f"Connection to {self.host} timed out. (connect timeout={self.timeout})"
                ) from exc
            except OSError as exc:
                last = exc
                continue
            try:
                policy.check_peer(self.host, sock)
            except AddressRefused:
                sock.close()
                raise
            self.guard.deadline.watch(sock)
            return sock
        raise NewConnectionError(self, f"Failed to establish a new connection: {last}")

    def connect(self) -> None:
        super().connect()
        self.guard.deadline.watch(self.sock)  # the TLS socket, once wrapped

    def request(self, *args: Any, **kwargs: Any) -> None:
        self.guard.deadline.watch(self.sock)  # a kept-alive connection starts a new request
        super().request(*args, **kwargs)


class GuardedHTTPSConnection(GuardedHTTPConnection, HTTPSConnection):
    """The same for HTTPS: TLS is wrapped around the checked socket, for the host name."""


class GuardedHTTPPool(HTTPConnectionPool):
    """A pool whose connections go through the guard (``guard=`` is passed on to them)."""

    ConnectionCls = GuardedHTTPConnection


class GuardedHTTPSPool(HTTPSConnectionPool):
    """The HTTPS pool whose connections go through the guard."""

    ConnectionCls = GuardedHTTPSConnection

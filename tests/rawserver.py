"""A raw TCP server on 127.0.0.1 for hostile-server tests: each connection gets a handler."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def raw_server(
    handle: Callable[[socket.socket, threading.Event], None],
) -> Iterator[int]:
    """Serve on a free loopback port (yielded) until the block ends; ``handle(conn, stop)``
    answers one connection (``stop`` is set when the test is over) and closes nothing."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn, contextlib.suppress(OSError):  # OSError: the client hung up
                handle(conn, stop)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server.getsockname()[1]
    finally:
        stop.set()
        thread.join()
        server.close()

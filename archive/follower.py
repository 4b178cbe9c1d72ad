"""The background follower of a web node: keeps the node's index caught up with the change log.

Every serving process starts one (``cio-talks serve``, each gunicorn worker). It catches up
once at start (building the index when the folder is empty) and then every
``FOLLOW_INTERVAL`` seconds. On PostgreSQL it also LISTENs on the change log's channel and
wakes as soon as a writer commits. Processes sharing one folder take turns through the
folder's replica lock; one that finds it held for more than a second skips the round, since
the holder is applying the same rows.
"""

from __future__ import annotations

import logging
import select
import threading
from typing import Any

from flask import Flask

from archive import changelog, queue, replica
from archive.db import new_session

log = logging.getLogger(__name__)


class Follower:
    """A daemon thread applying the change log to one app's index folder."""

    def __init__(self, app: Flask, interval: float) -> None:
        self.app = app
        self.interval = interval
        self.index_dir = app.config["INDEX_DIR"]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="index-follower", daemon=True)
        self._listener: Any = None

    def start(self) -> Follower:
        """Start following; returns self."""
        self._thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to end and wait for it."""
        self._stop.set()
        self._thread.join(timeout)

    def step(self) -> replica.CatchUp | None:
        """One catch-up round (None: another process of this folder is busy with it).

        The lock is waited for a moment, not skipped at once: the holder may be just
        finishing, having read the log before the commit that woke this follower.
        """
        with new_session(self.app) as session:
            try:
                return replica.catch_up(session, self.index_dir, wait=1.0)
            except replica.ReplicaBusyError:
                return None

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.step()
            except Exception:  # the next round tries again; the node keeps answering
                log.exception("index follower: catching up %s failed", self.index_dir)
            self._wait()
        self._close_listener()

    def _wait(self) -> None:
        """Sleep until the interval is over, a NOTIFY arrives or stop() is called."""
        conn = self._listen()
        if conn is None:
            self._stop.wait(self.interval)
            return
        try:
            ready, _, _ = select.select([conn.fileno()], [], [], self.interval)
            if ready:
                for _note in conn.notifies(timeout=0):
                    pass
        except Exception as exc:  # a dropped connection: poll until it can be made again
            log.warning("index follower: LISTEN connection lost: %s", exc)
            self._close_listener()
            self._stop.wait(self.interval)

    def _listen(self) -> Any:
        """The LISTEN connection on PostgreSQL (made on first use), None on SQLite."""
        if self._listener is not None or not queue.is_postgres(self.app):
            return self._listener
        try:
            import psycopg

            conn = psycopg.connect(queue.conninfo(self.app), autocommit=True)
            conn.execute(f"LISTEN {changelog.CHANNEL}")
        except Exception as exc:
            log.warning("index follower: cannot LISTEN, polling instead: %s", exc)
            return None
        self._listener = conn
        return conn

    def _close_listener(self) -> None:
        if self._listener is not None:
            try:
                self._listener.close()
            except Exception as exc:
                log.debug("closing the LISTEN connection: %s", exc)
            self._listener = None


def start(app: Flask) -> Follower | None:
    """Start the follower of ``app``'s index folder unless FOLLOW_INTERVAL is 0."""
    interval = float(app.config.get("FOLLOW_INTERVAL", 0) or 0)
    if interval <= 0:
        return None
    log.info("following the change log into %s every %g s", app.config["INDEX_DIR"], interval)
    return Follower(app, interval).start()

"""Production serving: several gunicorn worker processes (one per core by default), or waitress
threads in one process."""

from __future__ import annotations

import os

from flask import Flask
from gunicorn.app.base import BaseApplication


def usable_cores() -> int:
    """How many cores this process may run on (its CPU affinity where the system tells it,
    else all the machine's), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # no sched_getaffinity on macOS and Windows
        return max(1, os.cpu_count() or 1)


def worker_count(requested: int | None, setting: int | None = None) -> int:
    """Worker processes to start: ``--workers`` if given, else the ``WORKERS`` setting, else
    one per usable core.

    One process per core because a Python process answers on one core at a time (the GIL):
    a single process leaves the other cores idle and, during a scrape or reindex, competes
    with the writer for the one it has.
    """
    for choice in (requested, setting):
        if choice is not None:
            if choice < 1:
                raise ValueError(f"worker processes must be at least 1, not {choice}")
            return choice
    return usable_cores()


def serve(app: Flask, host: str, port: int, threads: int, workers: int) -> None:
    """Serve ``app`` until interrupted.

    One worker runs waitress with ``threads`` threads. More workers run gunicorn: each worker
    process builds its own app from the same environment after the fork (database connections
    and index searchers must not cross a fork), with ``threads`` threads each, all reading the
    same index. Every serving process follows the change log into the index (each gunicorn
    worker after its fork; they take turns through the folder's replica lock) and is readied
    by :func:`archive.warmup.settle` before it takes requests.
    """
    if workers <= 1:
        import waitress

        from archive import follower, warmup

        follower.start(app)
        warmup.settle(app)
        waitress.serve(app, host=host, port=port, threads=threads, ident="cio-talks")
        return
    _Gunicorn(host, port, threads, workers).run()


class _Gunicorn(BaseApplication):
    """gunicorn configured in code: no config file, the app built in each worker."""

    def __init__(self, host: str, port: int, threads: int, workers: int) -> None:
        self.options = {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "preload_app": False,
            "timeout": 60,
        }
        super().__init__()

    def load_config(self) -> None:
        """Copy our options into gunicorn's settings."""
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        """Build the app inside the worker process."""
        from archive import create_app, follower, warmup

        app = create_app()
        follower.start(app)
        warmup.settle(app)
        return app

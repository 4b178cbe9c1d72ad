"""Production serving: waitress threads in one process, or several gunicorn worker processes."""

from __future__ import annotations

from flask import Flask
from gunicorn.app.base import BaseApplication


def serve(app: Flask, host: str, port: int, threads: int, workers: int) -> None:
    """Serve ``app`` until interrupted.

    One worker runs waitress with ``threads`` threads. More workers run gunicorn: each worker
    process builds its own app from the same environment after the fork (database connections
    and index searchers must not cross a fork), with ``threads`` threads each, all reading the
    same index.
    """
    if workers <= 1:
        import waitress

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
        from archive import create_app

        return create_app()

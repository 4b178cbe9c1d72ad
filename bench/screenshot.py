"""Screenshot of the search page for the README: the sample archive in Debian's Chromium.

Usage: ``.venv/bin/python bench/screenshot.py [--out docs/screenshot-search.png] [--path P]``.
Loads the bundled sample talks into a throw-away instance, serves it on 127.0.0.1 and saves the
search page for "health care" (or the page ``--path``) at 1280×900. Uses /usr/bin/chromium;
never downloads a browser.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import Flask
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from archive import create_app
from archive.db import engine_of
from archive.ingest import Ingest, Options
from archive.samples import sample_dir

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parent.parent


def sample_app(instance: Path) -> Flask:
    """An app in ``instance`` loaded with the bundled sample talks."""
    app = create_app(
        {
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": f"sqlite:///{instance / 'screenshot.sqlite3'}",
            "SECRET_KEY": "screenshot",
        }
    )
    report = Ingest(app, Options()).scrape([str(sample_dir())])
    if report.exit_code != 0:
        raise RuntimeError(f"loading the samples failed: {report.events}")
    return app


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """Serve ``app`` on a free loopback port in a thread; yields the base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def screenshot(url: str, out: Path, width: int = 1280, height: int = 900) -> None:
    """Save the viewport of ``url`` as a PNG."""
    with sync_playwright() as play:
        browser = play.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url, wait_until="networkidle")
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()


def main() -> None:
    """Build the sample site, serve it and write the screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot-search.png")
    parser.add_argument("--query", default="health care")
    parser.add_argument("--path", help="shoot this page instead, e.g. /speakers?role=CIO")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        app = sample_app(Path(tmp) / "instance")
        try:
            with serve(app) as base:
                query = args.query.replace(" ", "+")
                screenshot(base + (args.path or f"/?q={query}"), args.out)
        finally:
            engine_of(app).dispose()
    log.info("wrote %s", args.out)


if __name__ == "__main__":
    main()

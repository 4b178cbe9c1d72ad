"""The writers' lower CPU priority: scrape, re-extract, reindex and import yield to the site.

Every command that writes talks or the index calls :func:`yield_cpu` before its work, so on a
small machine the web workers, at normal priority, keep answering while it runs.
``WRITER_NICE`` (``CIO_TALKS_WRITER_NICE``) says by how much; 0 keeps the normal priority.
"""

from __future__ import annotations

import logging
import os

from flask import Flask

log = logging.getLogger(__name__)


def yield_cpu(app: Flask) -> None:
    """Lower this writer process's CPU priority by ``WRITER_NICE`` so the site stays responsive.

    A process may lower its own priority but not raise it again, so this is done once, by the
    command-line writers in their own processes, never inside a web worker.
    """
    increment = int(app.config.get("WRITER_NICE", 0))
    if increment > 0:
        try:
            os.nice(increment)
        except OSError as exc:
            log.warning("could not lower the CPU priority: %s", exc)

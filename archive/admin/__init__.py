"""The admin area under /admin/: sign-in, runs, sources, corrections, review queue, audit log."""

from __future__ import annotations

from flask import Flask

# Importing the view modules attaches their routes to the blueprint.
from archive.admin import (  # noqa: F401
    organisations,
    profiles_admin,
    review,
    runs,
    search,
    sources_admin,
    speakers,
    talks,
    wording,
)
from archive.admin.auth import init_auth
from archive.admin.base import bp


def init_app(app: Flask) -> None:
    """Register the admin blueprint with its session, CSRF and rate-limit settings."""
    app.register_blueprint(bp)
    init_auth(app)
    wording.init_app(app)

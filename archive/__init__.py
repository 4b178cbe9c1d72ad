"""CIO Talks Archive: the domain, the store, the Flask site and the ``cio-talks`` CLI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Application factory: settings from the environment, database, index and blueprints."""
    from archive import cli, db, views
    from archive import config as settings

    app = Flask(__name__, instance_relative_config=True, template_folder=str(TEMPLATES))
    app.config.update(settings.load_settings(Path(app.instance_path), config))
    db.init_app(app)
    views.init_app(app)
    cli.init_app(app)
    return app

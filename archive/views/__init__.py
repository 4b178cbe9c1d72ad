"""Blueprints of the site and the API, and the response headers every page carries."""

from __future__ import annotations

from flask import Flask, Response, render_template
from werkzeug.exceptions import HTTPException

from archive import admin, i18n, ids, links
from archive.languages import language_name
from archive.views import api, browse, exports, feeds, groups, search, speakers, stats, talks

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def _security_headers(response: Response) -> Response:
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault("X-Frame-Options", "DENY")
    return response


def _not_found(_error: HTTPException) -> tuple[str, int]:
    """The site's own "not found" page, in the site layout."""
    return render_template("404.html"), 404


def _withdrawn(_error: HTTPException) -> tuple[str, int]:
    """A talk taken off the archive: say so (410 Gone), rather than pretend it never was."""
    return render_template("withdrawn.html"), 410


def init_app(app: Flask) -> None:
    """Register every blueprint and the security headers."""
    # Before any route is added: every <int:…> id, public and admin, is bounded.
    app.url_map.converters["int"] = ids.IdConverter
    for module in (search, talks, speakers, groups, api, browse, stats, feeds, exports):
        app.register_blueprint(module.bp)
    app.after_request(_security_headers)
    i18n.init_app(app)
    admin.init_app(app)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(410, _withdrawn)
    app.jinja_env.filters["slug"] = talks.slugify
    app.jinja_env.filters["http_url"] = links.http_url
    app.jinja_env.filters["source_label"] = links.source_label
    app.jinja_env.filters["language_name"] = language_name

"""Blueprints of the site and the API, and the response headers every page carries."""

from __future__ import annotations

from flask import Flask, Response

from archive import admin, ids, links
from archive.views import api, browse, exports, feeds, search, speakers, stats, talks

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


def init_app(app: Flask) -> None:
    """Register every blueprint and the security headers."""
    # Before any route is added: every <int:…> id, public and admin, is bounded.
    app.url_map.converters["int"] = ids.IdConverter
    for module in (search, talks, speakers, api, browse, stats, feeds, exports):
        app.register_blueprint(module.bp)
    app.after_request(_security_headers)
    admin.init_app(app)
    app.jinja_env.filters["slug"] = talks.slugify
    app.jinja_env.filters["http_url"] = links.http_url
    app.jinja_env.filters["source_label"] = links.source_label

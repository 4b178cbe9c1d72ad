"""Admin sign-in: scrypt password hashes, the login form, throttling, sessions and the guard.

Every admin request passes :func:`guard`: anonymous pages are redirected to the login form,
anonymous ``/admin/api/…`` calls get 401, and every POST must carry a valid CSRF token.
Failed sign-ins are counted in the database (:mod:`archive.admin.throttle`), so every worker
process shares the counts; past the free failures the next attempt waits a growing while and
gets 429 with Retry-After, before its password is looked at. Known and unknown names get the
same answers. Behind a TLS proxy, ``PROXY_FIX`` makes the client's address and scheme count
(werkzeug's ProxyFix), so the session cookie is Secure when the visitor used HTTPS.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext, lazy_gettext
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from archive.admin import throttle
from archive.admin.base import audit, bp, current_user, end_sessions, start_session
from archive.admin.forms import LoginForm, LogoutForm
from archive.db import get_session
from archive.models import User, utcnow

log = logging.getLogger(__name__)

PASSWORD_METHOD = "scrypt"
MIN_PASSWORD = 8
PUBLIC_ENDPOINTS = frozenset({"admin.login"})
# Checked against when the account does not exist, so both cases cost the same time.
_DUMMY_HASH = generate_password_hash("not a password", method=PASSWORD_METHOD)
WRONG = lazy_gettext("Wrong name or password.")
#: Flask-WTF's reasons for refusing a form (its own English words), as msgids.
CSRF_REASONS = {
    "The CSRF token is missing.": lazy_gettext("The CSRF token is missing."),
    "The CSRF session token is missing.": lazy_gettext("The CSRF session token is missing."),
    "The CSRF token has expired.": lazy_gettext("The CSRF token has expired."),
    "The CSRF token is invalid.": lazy_gettext("The CSRF token is invalid."),
    "The CSRF tokens do not match.": lazy_gettext("The CSRF tokens do not match."),
    "The referrer header is missing.": lazy_gettext("The referrer header is missing."),
    "The referrer does not match the host.": lazy_gettext("The referrer does not match the host."),
}

csrf = CSRFProtect()


def hash_password(password: str) -> str:
    """A werkzeug scrypt hash of ``password``; ValueError when it is too short."""
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"passwords need at least {MIN_PASSWORD} characters")
    return generate_password_hash(password, method=PASSWORD_METHOD)


def find_user(db: Session, name: str) -> User | None:
    """The admin account called ``name`` (names are case-sensitive)."""
    return db.scalar(select(User).where(User.name == name))


class AdminSessionInterface(SecureCookieSessionInterface):
    """Signed cookie sessions whose cookie is Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        """Secure when configured so, or when this request is HTTPS (behind a proxy: ProxyFix)."""
        if app.config.get("SESSION_COOKIE_SECURE"):
            return True
        return bool(request) and request.is_secure


def _safe_next(target: str | None) -> str:
    """Where to go after login: a local /admin path only (no open redirect)."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and parts.path.startswith("/admin"):
            return target
    return url_for("admin.overview")


def _login_page(form: LoginForm, status: int, message: object = None) -> Response:
    body = render_template("admin/login.html", form=form, message=message)
    return Response(body, status=status)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The sign-in form; on success the session is renewed and the user sent on."""
    form = LoginForm()
    if request.method == "GET":
        return _login_page(form, 200)
    if not form.validate():
        return _login_page(form, 400, gettext("Fill in both fields."))
    db = get_session()
    name = form.name.data or ""
    address = request.remote_addr or ""
    now = utcnow()
    limits: throttle.Limits = current_app.extensions["cio_login_limits"]
    wait = throttle.reserve(db, limits, name, address, now)
    if wait:
        audit(db, "login.delayed", name, who=name, address=address, wait=wait)
        db.commit()
        page = _login_page(
            form, 429, gettext("Too many failed sign-ins. Try again in %(num)s seconds.", num=wait)
        )
        page.headers["Retry-After"] = str(wait)
        return page
    user = find_user(db, name)
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
    if user is None or not valid:
        audit(db, "login.failed", name, who=name, address=address)
        db.commit()
        return _login_page(form, 401, WRONG)
    throttle.clear(db, name, address)
    user.last_login_at = now
    audit(db, "login", user.name, who=user.name, address=address)
    db.commit()
    start_session(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    """Sign out (a POST with a CSRF token, so no other site can sign you out).

    Every session of the account ends, copies of this cookie included.
    """
    LogoutForm()
    db = get_session()
    user = current_user()
    if user is not None:
        end_sessions(user)
    audit(db, "logout", user.name if user else None)
    db.commit()
    session.clear()
    flash(gettext("Signed out."))
    return redirect(url_for("admin.login"))


@bp.before_request
def guard() -> BaseResponse | tuple[Response, int] | None:
    """Refuse anonymous requests and POSTs without a valid CSRF token."""
    if request.endpoint not in PUBLIC_ENDPOINTS and current_user() is None:
        if request.path.startswith("/admin/api/"):
            return jsonify(error="authentication required"), 401
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        csrf.protect()
    return None


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    """A form without a valid token: refused, nothing done."""
    reason = str(error.description)
    message = CSRF_REASONS.get(reason, reason)
    return render_template("admin/error.html", message=message), 400


@bp.app_context_processor
def _inject_user() -> dict[str, Any]:
    return {"admin_user": current_user, "logout_form": LogoutForm}


def init_auth(app: Flask) -> None:
    """Session cookie flags, the proxy setting, CSRF protection and the sign-in limits."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    # CSRF is enforced by guard() on the admin blueprint only; the public site has no forms.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.session_interface = AdminSessionInterface()
    proxies = int(app.config.get("PROXY_FIX", 0))
    if proxies:
        # Trust that many proxies' X-Forwarded-For and X-Forwarded-Proto: the client's address
        # (for the sign-in counts) and scheme (for the Secure cookie). Off, both are ignored.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]
    csrf.init_app(app)
    app.extensions["cio_login_limits"] = throttle.Limits.from_config(app.config)

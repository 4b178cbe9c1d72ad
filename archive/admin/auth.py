"""Admin sign-in: scrypt password hashes, the login form, rate limits, lockout and the guard.

Every admin request passes :func:`guard`: anonymous pages are redirected to the login form,
anonymous ``/admin/api/…`` calls get 401, and every POST must carry a valid CSRF token.
Login attempts are rate-limited per client address and per account name (Flask-Limiter,
in memory), counting only failed attempts; a limit that is reached refuses the request
before the password is looked at. An account also locks for a while after repeated failures.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Flask,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter, RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.wrappers import Response as BaseResponse

from archive.admin.base import (
    SESSION_STAMP,
    SESSION_USER,
    audit,
    bp,
    current_user,
    password_stamp,
)
from archive.admin.forms import LoginForm, LogoutForm
from archive.db import get_session
from archive.models import User, utcnow

log = logging.getLogger(__name__)

#: Failed attempts allowed per minute, per client address and per account name.
LOGIN_LIMIT = "5 per minute"
#: Consecutive failures that lock an account, and for how long.
LOCK_AFTER = 10
LOCK_FOR = dt.timedelta(minutes=15)
PASSWORD_METHOD = "scrypt"
MIN_PASSWORD = 8
PUBLIC_ENDPOINTS = frozenset({"admin.login"})
# Checked against when the account does not exist, so both cases cost the same time.
_DUMMY_HASH = generate_password_hash("not a password", method=PASSWORD_METHOD)

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


def _failed_attempt(response: BaseResponse) -> bool:
    """Only refused logins (4xx) count towards the rate limit."""
    return response.status_code >= 400


def _account_key() -> str:
    return "login-name:" + request.form.get("name", "").strip().lower()


def _login_page(form: LoginForm, status: int, message: str | None = None) -> Response:
    body = render_template("admin/login.html", form=form, message=message)
    return Response(body, status=status)


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    """The sign-in form; on success the session is renewed and the user sent on."""
    form = LoginForm()
    if request.method == "GET":
        return _login_page(form, 200)
    if not form.validate():
        return _login_page(form, 400, "Fill in both fields.")
    db = get_session()
    name = form.name.data or ""
    user = find_user(db, name)
    now = utcnow()
    if user is not None and user.locked_until is not None and user.locked_until > now:
        audit(db, "login.refused", name, who=name, reason="account locked")
        db.commit()
        return _login_page(form, 423, "This account is locked for a while after failed logins.")
    valid = check_password_hash(user.password_hash if user else _DUMMY_HASH, form.password.data)
    if user is None or not valid:
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= LOCK_AFTER:
                user.locked_until = now + LOCK_FOR
                user.failed_logins = 0
        audit(db, "login.failed", name, who=name, address=request.remote_addr)
        db.commit()
        return _login_page(form, 401, "Wrong name or password.")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    audit(db, "login", user.name, who=user.name, address=request.remote_addr)
    db.commit()
    session.clear()  # a fresh session: no fixation of a pre-login cookie
    session.permanent = True
    session[SESSION_USER] = user.id
    session[SESSION_STAMP] = password_stamp(user)
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/logout", methods=["POST"])
def logout() -> BaseResponse:
    """Sign out (a POST with a CSRF token, so no other site can sign you out)."""
    LogoutForm()
    db = get_session()
    user = current_user()
    audit(db, "logout", user.name if user else None)
    db.commit()
    session.clear()
    flash("Signed out.")
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
    return render_template("admin/error.html", message=error.description), 400


@bp.errorhandler(RateLimitExceeded)
def too_many(_error: RateLimitExceeded) -> Response:
    """Too many failed logins: refused before the password is checked."""
    log.warning("login rate limit reached for %s", request.remote_addr)
    return _login_page(LoginForm(), 429, "Too many failed logins. Wait a minute and try again.")


@bp.app_context_processor
def _inject_user() -> dict[str, Any]:
    return {"admin_user": current_user, "logout_form": LogoutForm}


def init_auth(app: Flask) -> None:
    """Session cookie flags, CSRF protection and the login rate limits of ``app``."""
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = app.config.get("SESSION_COOKIE_SAMESITE") or "Lax"
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", dt.timedelta(hours=12))
    # CSRF is enforced by guard() on the admin blueprint only; the public site has no forms.
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.session_interface = AdminSessionInterface()
    csrf.init_app(app)
    # One limiter per app: its in-memory counters belong to that app alone.
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri="memory://",
        default_limits=[],
        headers_enabled=False,
    )
    app.extensions["cio_admin_limiter"] = limiter
    view: Any = app.view_functions["admin.login"]
    for key_func in (get_remote_address, _account_key):
        view = limiter.limit(
            LOGIN_LIMIT, key_func=key_func, methods=["POST"], deduct_when=_failed_attempt
        )(view)
    app.view_functions["admin.login"] = view

"""The admin blueprint, the signed-in user and the audit log every admin action writes to."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, g, session
from sqlalchemy.orm import Session

from archive.db import get_session
from archive.models import AuditEntry, User

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: Session keys: the user's id; a stamp of their password hash, so a password change made
#: anywhere (even straight in the database) signs out every session of that user; the
#: user's session version when signing in, raised by sign-out and ``admin set-password``
#: so copied cookies stop working; and when the user signed in (seconds since the epoch),
#: so a session ends after PERMANENT_SESSION_LIFETIME however often the cookie is renewed.
SESSION_USER = "admin_uid"
SESSION_STAMP = "admin_stamp"
SESSION_VERSION = "admin_version"
SESSION_SINCE = "admin_since"


def password_stamp(user: User) -> str:
    """A short fingerprint of the user's password hash, kept in the session cookie."""
    return user.password_hash[-16:]


def start_session(user: User) -> None:
    """Sign ``user`` in: a fresh session (no fixation of a pre-login cookie) with its keys."""
    session.clear()
    session.permanent = True
    session[SESSION_USER] = user.id
    session[SESSION_STAMP] = password_stamp(user)
    session[SESSION_VERSION] = user.session_version
    session[SESSION_SINCE] = int(time.time())


def end_sessions(user: User) -> None:
    """Sign out every session of ``user``, wherever its cookie is (in the caller's transaction)."""
    user.session_version = user.session_version + 1


def _recent(since: object) -> bool:
    """True when a sign-in at ``since`` (epoch seconds) is within the session lifetime."""
    if not isinstance(since, int):
        return False
    age = time.time() - since
    return -60 <= age <= current_app.permanent_session_lifetime.total_seconds()


def current_user() -> User | None:
    """The signed-in admin of this request, or None (and a stale session is emptied)."""
    if "admin_user" in g:
        cached: User | None = g.admin_user
        return cached
    user: User | None = None
    uid = session.get(SESSION_USER)
    if isinstance(uid, int):
        found = get_session().get(User, uid)
        if (
            found is not None
            and _recent(session.get(SESSION_SINCE))
            and session.get(SESSION_STAMP) == password_stamp(found)
            and session.get(SESSION_VERSION) == found.session_version
        ):
            user = found
        else:
            for key in (SESSION_USER, SESSION_STAMP, SESSION_VERSION, SESSION_SINCE):
                session.pop(key, None)
    g.admin_user = user
    return user


def user_name() -> str:
    """The signed-in admin's name (``?`` outside a signed-in request)."""
    user = current_user()
    return user.name if user else "?"


def audit(
    db: Session, action: str, target: str | None = None, who: str | None = None, **detail: Any
) -> AuditEntry:
    """Add an audit entry for ``action`` by the signed-in admin to ``db``'s transaction.

    ``who`` names the actor when nobody is signed in yet (a failed login). The entry is
    committed together with the change it describes, so the log never
    claims an action that was rolled back.
    """
    entry = AuditEntry(user=who or user_name(), action=action, target=target, detail=detail)
    db.add(entry)
    return entry

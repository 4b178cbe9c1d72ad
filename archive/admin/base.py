"""The admin blueprint, the signed-in user and the audit log every admin action writes to."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, g, session
from sqlalchemy.orm import Session

from archive.db import get_session
from archive.models import AuditEntry, User

bp = Blueprint("admin", __name__, url_prefix="/admin")

#: Session keys: the user's id and a stamp of their password hash, so a password change
#: (or a reset from the CLI) signs out every other session of that user.
SESSION_USER = "admin_uid"
SESSION_STAMP = "admin_stamp"


def password_stamp(user: User) -> str:
    """A short fingerprint of the user's password hash, kept in the session cookie."""
    return user.password_hash[-16:]


def current_user() -> User | None:
    """The signed-in admin of this request, or None."""
    if "admin_user" in g:
        cached: User | None = g.admin_user
        return cached
    user: User | None = None
    uid = session.get(SESSION_USER)
    if isinstance(uid, int):
        found = get_session().get(User, uid)
        if found is not None and session.get(SESSION_STAMP) == password_stamp(found):
            user = found
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

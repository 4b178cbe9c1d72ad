"""The ``cio-talks admin`` commands: the admin area's accounts."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from archive.admin import throttle
from archive.admin.auth import find_user, hash_password
from archive.admin.base import end_sessions
from archive.db import engine_of, new_session, upgrade
from archive.models import AuditEntry, User, utcnow


def _password(value: str) -> str:
    try:
        return hash_password(value)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


@click.group("admin")
def admin_group() -> None:
    """Admin accounts of the web admin area (/admin/)."""


@admin_group.command("create-user")
@click.argument("name")
@click.password_option(help="Prompted for (twice) when not given.")
@with_appcontext
def create_user(name: str, password: str) -> None:
    """Create the admin account NAME; the password is stored as a werkzeug scrypt hash."""
    upgrade(engine_of())
    with new_session() as db:
        if find_user(db, name) is not None:
            raise click.ClickException(f"an account named {name!r} already exists")
        db.add(User(name=name, password_hash=_password(password)))
        db.add(AuditEntry(user="cli", action="user.create", target=name, detail={}))
        db.commit()
    click.echo(f"created admin account {name!r}")


@admin_group.command("set-password")
@click.argument("name")
@click.password_option(help="Prompted for (twice) when not given.")
@with_appcontext
def set_password(name: str, password: str) -> None:
    """Set a new password for NAME (signs out its sessions and forgets its failed sign-ins)."""
    upgrade(engine_of())
    with new_session() as db:
        user = find_user(db, name)
        if user is None:
            raise click.ClickException(f"no account named {name!r}")
        user.password_hash = _password(password)
        end_sessions(user)
        throttle.forget_name(db, name)
        db.add(AuditEntry(user="cli", action="user.set-password", target=name, detail={}))
        db.commit()
    click.echo(f"password of {name!r} changed")


@admin_group.command("list")
@with_appcontext
def list_users() -> None:
    """List the admin accounts with their last login and any wait on signing in."""
    upgrade(engine_of())
    with new_session() as db:
        users = list(db.scalars(select(User).order_by(User.name)))
        if not users:
            click.echo("no admin accounts: create one with `cio-talks admin create-user NAME`")
        for user in users:
            last = f"{user.last_login_at:%Y-%m-%d %H:%M}" if user.last_login_at else "never"
            wait = throttle.name_wait(db, user.name, utcnow())
            delayed = f"  (sign-ins wait {throttle.seconds(wait)} s)" if wait else ""
            click.echo(f"{user.name}  last login {last}{delayed}")

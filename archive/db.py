"""Database engine, sessions and migrations, bound to the Flask app through ``init_app``."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config as AlembicConfig
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)
MIGRATIONS = Path(__file__).parent / "migrations"


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite gets foreign keys, WAL and a busy timeout."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(url: str) -> AlembicConfig:
    """Alembic configuration built in code, so no alembic.ini has to be found on disk."""
    cfg = AlembicConfig()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every migration to the database behind ``engine`` (idempotent)."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def is_current(engine: Engine) -> bool:
    """True when the schema exists (the migrations have been applied at least once)."""
    return inspect(engine).has_table("alembic_version")


def init_app(app: Flask) -> None:
    """Create the engine and session factory of ``app`` and close sessions after each request."""
    engine = make_engine(app.config["DATABASE_URL"])
    app.extensions["cio_engine"] = engine
    app.extensions["cio_sessionmaker"] = sessionmaker(engine, expire_on_commit=False)
    app.teardown_appcontext(_close_session)


def engine_of(app: Flask | None = None) -> Engine:
    """The engine of ``app`` (default: the current app)."""
    engine: Engine = (app or current_app).extensions["cio_engine"]
    return engine


def new_session(app: Flask | None = None) -> Session:
    """A fresh session the caller owns (CLI runs, background work)."""
    factory: sessionmaker[Session] = (app or current_app).extensions["cio_sessionmaker"]
    return factory()


def get_session() -> Session:
    """The session of the current request or app context, closed at teardown."""
    if "cio_session" not in g:
        g.cio_session = new_session()
    session: Session = g.cio_session
    return session


@contextmanager
def session_scope(app: Flask | None = None) -> Iterator[Session]:
    """A session committed on success and rolled back on error."""
    session = new_session(app)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("cio_session", None)
    if session is not None:
        session.close()

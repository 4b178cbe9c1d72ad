"""Shared fixtures: apps on SQLite and (when configured) PostgreSQL, a loaded demo site, CLI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy import create_engine, text

from archive import create_app
from archive.db import engine_of
from archive.ingest import Ingest, Options
from archive.samples import sample_dir

POSTGRES_URL = os.environ.get("CIO_TALKS_TEST_POSTGRES_URL")


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Every database test runs on SQLite and, when CIO_TALKS_TEST_POSTGRES_URL is set, on
    a real PostgreSQL server with a freshly emptied schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    if not POSTGRES_URL:
        pytest.skip("CIO_TALKS_TEST_POSTGRES_URL is not set")
    _reset_postgres(POSTGRES_URL)
    return POSTGRES_URL


def make_app(instance: Path, database_url: str, **settings: Any) -> Flask:
    """An app whose state lives under ``instance``, with any further ``settings``."""
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_DIR": str(instance),
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "SERVER_NAME": "archive.test",
            "WRITER_NICE": 0,  # CLI commands run inside the test process
            "ALLOW_PRIVATE_SOURCES": True,  # the tests' sites are loopback servers
            **settings,
        }
    )


@pytest.fixture
def app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """A fresh, empty app per test on each database."""
    application = make_app(tmp_path / "instance", database_url)
    yield application
    engine_of(application).dispose()


@pytest.fixture
def runner(app: Flask) -> FlaskCliRunner:
    """CLI runner bound to ``app``."""
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """One app (SQLite) loaded with the bundled samples, shared by read-only page tests."""
    instance = tmp_path_factory.mktemp("site") / "instance"
    application = make_app(instance, f"sqlite:///{instance.parent / 'site.sqlite3'}")
    report = Ingest(application, Options()).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    yield application
    engine_of(application).dispose()


@pytest.fixture
def client(site: Flask) -> FlaskClient:
    """Test client of the loaded site."""
    return site.test_client()


@pytest.fixture(scope="module")
def answers(request: pytest.FixtureRequest) -> dict[str, dict[str, object]]:
    """Extractions of the fixture corpus named by the test module's ``CORPUS``."""
    from scoring import corpus_answers

    return corpus_answers(request.module.CORPUS)

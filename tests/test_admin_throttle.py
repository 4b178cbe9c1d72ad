"""Attacks on admin sign-in: locking the owner out, telling which names exist, guessing past
the limit with more workers, in parallel or with forged addresses."""

from __future__ import annotations

import datetime as dt
import http.cookiejar
import math
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import PASSWORD, TOKEN, add_admin, login
from conftest import make_app
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from archive.admin import auth
from archive.admin import cli as admin_cli
from archive.db import engine_of, new_session
from archive.models import AuditEntry, LoginAttempt

ATTACKER, OWNER = "192.0.2.66", "198.51.100.7"


class Clock:
    """The time the sign-in view sees, moved by hand."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 12, 7, 9, 0)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    frozen = Clock()
    monkeypatch.setattr(auth, "utcnow", frozen)
    monkeypatch.setattr(admin_cli, "utcnow", frozen)  # `admin list` shows the same waits
    return frozen


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passwords the sign-in view actually checked, in order."""
    seen: list[str] = []
    real = auth.check_password_hash
    lock = threading.Lock()

    def spy(pwhash: str, password: str) -> bool:
        with lock:
            seen.append(password)
        return real(pwhash, password)

    monkeypatch.setattr(auth, "check_password_hash", spy)
    return seen


@pytest.fixture
def apps(tmp_path: Path, database_url: str) -> Iterator[Callable[..., Flask]]:
    """Apps on the per-test database with ``settings``; alice's account exists."""
    made: list[Flask] = []

    def build(**settings: Any) -> Flask:
        application = make_app(tmp_path / f"worker{len(made)}", database_url, **settings)
        if not made:
            add_admin(application)
        made.append(application)
        return application

    yield build
    for application in made:
        engine_of(application).dispose()


def client_at(app: Flask, address: str) -> FlaskClient:
    """A browser at ``address``."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def answer(response: Any) -> tuple[int, str | None, str]:
    """What a sign-in attempt tells its sender: status, Retry-After and the message."""
    text = response.get_data(as_text=True)
    message = text.split('role="alert">', 1)[1].split("<", 1)[0] if 'role="alert"' in text else ""
    return response.status_code, response.headers.get("Retry-After"), message


def test_a_stranger_cannot_lock_the_owner_out_by_failing_from_elsewhere(
    apps: Callable[..., Flask], clock: Clock, checked: list[str]
) -> None:
    app = apps()
    attacker = client_at(app, ATTACKER)
    statuses = [login(attacker, password=f"guess {n}").status_code for n in range(30)]
    assert statuses[:5] == [401] * 5 and set(statuses[5:]) == {429}
    assert len(checked) == 5  # waiting attempts are refused before the password is looked at
    assert login(client_at(app, OWNER)).status_code == 302  # no lock: the owner signs in
    assert login(attacker, password=PASSWORD).status_code == 429  # the attacker still waits


def test_each_further_failure_doubles_the_wait_up_to_the_cap(
    apps: Callable[..., Flask], clock: Clock, checked: list[str]
) -> None:
    app = apps(LOGIN_FREE_FAILURES=2, LOGIN_DELAY_MAX=8)
    attacker = client_at(app, ATTACKER)
    assert [login(attacker, password="x" * 8).status_code for _ in range(2)] == [401, 401]
    waits = []
    for _ in range(5):
        refused = login(attacker, password=PASSWORD)
        assert refused.status_code == 429
        wait = int(refused.headers["Retry-After"])
        waits.append(wait)
        clock.advance(wait - 0.5)
        assert login(attacker, password=PASSWORD).status_code == 429  # not yet
        clock.advance(0.5)
        assert login(attacker, password="wrong password").status_code == 401
    assert waits == [1, 2, 4, 8, 8]
    assert PASSWORD not in checked
    clock.advance(8)
    assert login(attacker, password=PASSWORD).status_code == 302


def test_a_locked_name_and_an_unknown_name_get_the_same_answers(
    apps: Callable[..., Flask], clock: Clock, checked: list[str]
) -> None:
    app = apps()

    def attack(name: str) -> list[tuple[int, str | None, str]]:
        answers = []
        for n in range(25):
            answers.append(answer(login(client_at(app, ATTACKER), name, f"guess {n}")))
        for n in range(25):  # from other addresses too, past the per-name limit
            answers.append(answer(login(client_at(app, f"203.0.113.{n}"), name, "guess")))
        return answers

    alice, nobody = attack("alice"), attack("nobody")
    checked_for_alice = len(checked) // 2
    assert alice == nobody
    assert len(checked) == 2 * checked_for_alice  # the same password checks, hence timing
    assert {status for status, _, _ in alice} == {401, 429}
    assert (401, None, "Wrong name or password.") in alice
    assert all(status != 423 for status, _, _ in alice)


def test_two_workers_share_the_count(
    apps: Callable[..., Flask], clock: Clock, checked: list[str]
) -> None:
    first, second = apps(), apps()  # two create_app on one database, as two worker processes
    clients = [client_at(first, ATTACKER), client_at(second, ATTACKER)]
    statuses = [login(clients[n % 2], password=f"guess {n}").status_code for n in range(10)]
    assert statuses == [401] * 5 + [429] * 5
    assert len(checked) == 5
    with new_session(second) as db:
        audit = [e.action for e in db.scalars(select(AuditEntry))]
    assert audit.count("login.failed") == 5 and audit.count("login.delayed") == 5


def test_parallel_guesses_in_two_workers_check_no_more_passwords_than_allowed(
    apps: Callable[..., Flask], clock: Clock, checked: list[str]
) -> None:
    workers = [apps(), apps()]
    statuses: list[int] = []
    lock = threading.Lock()
    start = threading.Barrier(8)

    def guess(worker: Flask, n: int) -> None:
        client = client_at(worker, ATTACKER)
        start.wait()
        for attempt in range(4):
            status = login(client, password=f"guess {n}.{attempt}").status_code
            with lock:
                statuses.append(status)

    threads = [threading.Thread(target=guess, args=(workers[n % 2], n)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 32 and set(statuses) <= {401, 429}
    assert 1 <= len(checked) <= 5 and statuses.count(401) == len(checked)
    with new_session(workers[0]) as db:
        pair = db.scalar(select(LoginAttempt).where(LoginAttempt.scope == "pair"))
        assert pair is not None and pair.failures == len(checked)


def test_many_addresses_at_one_name_wait_briefly_and_the_owner_gets_in(
    apps: Callable[..., Flask], clock: Clock
) -> None:
    app = apps(LOGIN_NAME_DELAY_MAX=30)
    for n in range(40):  # one guess from each of 40 addresses
        login(client_at(app, f"203.0.113.{n}"), password=f"guess {n}")
    owner = login(client_at(app, OWNER))
    assert owner.status_code == 429
    wait = int(owner.headers["Retry-After"])
    assert wait <= 30  # the per-name wait is capped, never a lock
    runner = app.test_cli_runner()
    assert "(sign-ins wait" in runner.invoke(args=["admin", "list"]).output
    clock.advance(wait)
    assert login(client_at(app, OWNER)).status_code == 302
    assert "(sign-ins wait" not in runner.invoke(args=["admin", "list"]).output


def test_a_successful_sign_in_clears_the_count(apps: Callable[..., Flask], clock: Clock) -> None:
    app = apps()
    client = client_at(app, OWNER)
    for _ in range(3):
        assert [login(client, password="typo typo").status_code for _ in range(4)] == [401] * 4
        assert login(client).status_code == 302


def test_failures_are_forgotten_after_a_day(apps: Callable[..., Flask], clock: Clock) -> None:
    app = apps()
    client = client_at(app, ATTACKER)
    for _ in range(5):
        login(client, password="guess guess")
    assert login(client).status_code == 429
    clock.advance(24 * 3600 + 1)
    assert login(client_at(app, "192.0.2.99"), password="guess guess").status_code == 401
    with new_session(app) as db:  # the old counters went when new ones were made
        assert {row.address for row in db.scalars(select(LoginAttempt))} <= {"", "192.0.2.99"}


def test_forged_forwarded_for_gives_no_fresh_addresses(
    apps: Callable[..., Flask], clock: Clock
) -> None:
    app = apps()
    attacker = client_at(app, ATTACKER)
    statuses = [
        login_forwarded(attacker, f"10.0.0.{n}", f"guess {n}").status_code for n in range(8)
    ]
    assert statuses == [401] * 5 + [429] * 3


def test_behind_a_trusted_proxy_the_forwarded_address_counts(
    apps: Callable[..., Flask], clock: Clock
) -> None:
    app = apps(PROXY_FIX=1)
    proxy = client_at(app, "127.0.0.1")
    assert [login_forwarded(proxy, ATTACKER, "guess").status_code for _ in range(6)][-1] == 429
    assert login_forwarded(proxy, OWNER, PASSWORD).status_code == 302


def login_forwarded(client: FlaskClient, address: str, password: str) -> Any:
    """Sign in as alice with an X-Forwarded-For header claiming ``address``."""
    client.environ_base["HTTP_X_FORWARDED_FOR"] = address
    return login(client, password=password)


def test_the_cli_password_reset_forgets_the_failures(
    apps: Callable[..., Flask], clock: Clock
) -> None:
    app = apps()
    attacker = client_at(app, ATTACKER)
    for _ in range(6):
        login(attacker, password="guess guess")
    assert login(attacker).status_code == 429
    reset = app.test_cli_runner().invoke(
        args=["admin", "set-password", "alice"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert reset.exit_code == 0, reset.output
    assert login(attacker).status_code == 302


def test_the_migration_matches_the_login_models(apps: Callable[..., Flask]) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from archive.models import Base

    app = apps()
    with engine_of(app).connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "'login_attempts'" in repr(d) or "'users'" in repr(d)] == []


def http_login(port: int, password: str) -> int:
    """One sign-in as alice over HTTP with a fresh browser (cookie jar); the status code."""
    browser = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    url = f"http://127.0.0.1:{port}/admin/login"
    with browser.open(url, timeout=30) as page:
        found = TOKEN.search(page.read().decode("utf-8"))
    assert found is not None
    form = {"csrf_token": found.group(1), "name": "alice", "password": password}
    try:
        with browser.open(url, urllib.parse.urlencode(form).encode(), timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refused:
        refused.close()
        return refused.code


@pytest.mark.slow
def test_the_limit_holds_across_four_gunicorn_workers(app: Flask, tmp_path: Path) -> None:
    add_admin(app)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "CIO_TALKS_INSTANCE_DIR": str(app.config["INSTANCE_DIR"]),
        "CIO_TALKS_DATABASE_URL": str(app.config["DATABASE_URL"]),
        "CIO_TALKS_SECRET_KEY": "test",
    }
    cli = Path(sys.executable).with_name("cio-talks")
    args = [str(cli), "serve", "--port", str(port), "--workers", "4", "--threads", "2"]
    proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    statuses: list[int] = []
    lock = threading.Lock()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                started = time.monotonic()
                statuses.append(http_login(port, "a wrong password"))
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.3)

        def guess() -> None:
            for _ in range(5):
                status = http_login(port, "a wrong password")
                with lock:
                    statuses.append(status)

        threads = [threading.Thread(target=guess) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    # 41 guesses from one address spread over four processes: five free ones in all, then one
    # more after 1 s, 1 + 2 s, 1 + 2 + 4 s… of the time the attack took.
    assert len(statuses) == 41 and set(statuses) <= {401, 429}
    assert statuses[0] == 401
    assert statuses.count(401) <= 5 + math.floor(math.log2(elapsed + 1)), elapsed

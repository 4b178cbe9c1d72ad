"""Sign-in throttling that every worker shares: failed sign-ins counted in the database.

Each sign-in attempt is counted three ways: for its (name, client address) pair, for the name
from any address, and for the address with any name. Past a number of free failures a scope
makes its next attempt wait, the wait doubling with each further failure up to a cap. Nothing
ever locks: the name scope, the only one a stranger elsewhere can push, has a short cap, so
the account's owner signing in from another address waits that long at most.

Names that have no account are counted exactly like names that do, so the answers never tell
which accounts exist. An attempt is counted *before* its password is checked, with a
compare-and-set on each counter row, so parallel requests in several workers cannot slip in
more guesses than the counts allow. A successful sign-in clears its three counters.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from archive.models import LoginAttempt

log = logging.getLogger(__name__)

PAIR, NAME, ADDRESS = "pair", "name", "address"
#: The first wait once a scope's free failures are used up; each further failure doubles it.
FIRST_WAIT = dt.timedelta(seconds=1)
#: Counts whose last failure is older than this start again from nothing.
FORGET_AFTER = dt.timedelta(hours=24)
#: What a request that lost a race for a counter row is told to wait.
RACE_WAIT = FIRST_WAIT


@dataclass(frozen=True)
class Policy:
    """How one scope answers failures: ``free`` of them cost nothing, then waits double."""

    free: int
    cap: dt.timedelta

    def wait_after(self, failures: int) -> dt.timedelta:
        """How long the attempt after ``failures`` consecutive failures has to wait."""
        if failures < self.free:
            return dt.timedelta(0)
        doublings = min(failures - self.free, 40)  # 2**40 s is past any sensible cap
        return min(self.cap, FIRST_WAIT * 2**doublings)


@dataclass(frozen=True)
class Limits:
    """The policies of the three scopes, from the app's settings."""

    pair: Policy
    name: Policy
    address: Policy

    @classmethod
    def from_config(cls, config: Any) -> Limits:
        """``LOGIN_FREE_FAILURES`` per pair (four times as many per name and per address),
        ``LOGIN_DELAY_MAX`` for pairs and addresses, ``LOGIN_NAME_DELAY_MAX`` for names."""
        free = int(config["LOGIN_FREE_FAILURES"])
        longest = dt.timedelta(seconds=float(config["LOGIN_DELAY_MAX"]))
        per_name = dt.timedelta(seconds=float(config["LOGIN_NAME_DELAY_MAX"]))
        return cls(
            pair=Policy(free, longest),
            name=Policy(4 * free, per_name),
            address=Policy(4 * free, longest),
        )

    def of(self, scope: str) -> Policy:
        """The policy of ``scope``."""
        policies = {PAIR: self.pair, NAME: self.name, ADDRESS: self.address}
        return policies[scope]


def _keys(name: str, address: str) -> list[tuple[str, str, str]]:
    """The (scope, name, address) counter rows one attempt touches."""
    return [(PAIR, name, address), (NAME, name, ""), (ADDRESS, "", address)]


def _rows(db: Session, keys: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], Any]:
    """The stored counter rows of ``keys``, by key."""
    wanted = or_(
        *(
            and_(LoginAttempt.scope == s, LoginAttempt.name == n, LoginAttempt.address == a)
            for s, n, a in keys
        )
    )
    found = db.execute(
        select(
            LoginAttempt.id,
            LoginAttempt.scope,
            LoginAttempt.name,
            LoginAttempt.address,
            LoginAttempt.failures,
            LoginAttempt.last_failed_at,
            LoginAttempt.wait_until,
        ).where(wanted)
    )
    return {(row.scope, row.name, row.address): row for row in found}


def seconds(wait: dt.timedelta) -> int:
    """A wait as whole seconds for a Retry-After header, rounded up."""
    return max(1, math.ceil(wait.total_seconds()))


def reserve(db: Session, limits: Limits, name: str, address: str, now: dt.datetime) -> int:
    """Count an attempt by ``name`` from ``address`` as failed unless one of its scopes waits.

    Returns 0 when the attempt may check its password (it is counted and committed first,
    so other workers see it at once), else the seconds to wait before trying again.
    """
    keys = _keys(name, address)
    rows = _rows(db, keys)
    waits = [
        row.wait_until - now for row in rows.values() if row.wait_until and row.wait_until > now
    ]
    if waits:
        return seconds(max(waits))
    try:
        for key in keys:
            if not _count(db, limits.of(key[0]), key, rows.get(key), now):
                db.rollback()
                return seconds(RACE_WAIT)
        if len(rows) < len(keys):
            purge(db, now)  # new counters appear: drop the long-forgotten ones
        db.commit()
    except IntegrityError:  # another worker created the same counter row first
        db.rollback()
        return seconds(RACE_WAIT)
    return 0


def _count(
    db: Session, policy: Policy, key: tuple[str, str, str], row: Any, now: dt.datetime
) -> bool:
    """Add one failure to the counter ``key``; False when another worker changed it first."""
    if row is None:
        db.execute(
            insert(LoginAttempt).values(
                scope=key[0],
                name=key[1],
                address=key[2],
                failures=1,
                last_failed_at=now,
                wait_until=now + policy.wait_after(1),
            )
        )
        return True
    failures = 1 if row.last_failed_at < now - FORGET_AFTER else row.failures + 1
    changed = db.execute(
        update(LoginAttempt)
        .where(LoginAttempt.id == row.id, LoginAttempt.failures == row.failures)
        .values(failures=failures, last_failed_at=now, wait_until=now + policy.wait_after(failures))
    )
    return bool(getattr(changed, "rowcount", 0))


def clear(db: Session, name: str, address: str) -> None:
    """Forget the counts of a sign-in that succeeded (in ``db``'s transaction)."""
    for scope, key_name, key_address in _keys(name, address):
        db.execute(
            delete(LoginAttempt).where(
                LoginAttempt.scope == scope,
                LoginAttempt.name == key_name,
                LoginAttempt.address == key_address,
            )
        )


def forget_name(db: Session, name: str) -> None:
    """Forget every count of ``name`` (a new password was set for it)."""
    db.execute(delete(LoginAttempt).where(LoginAttempt.name == name))


def name_wait(db: Session, name: str, now: dt.datetime) -> dt.timedelta:
    """How long sign-ins as ``name`` from any new address wait now (zero: not at all)."""
    row = _rows(db, [(NAME, name, "")]).get((NAME, name, ""))
    if row is None or row.wait_until is None or row.wait_until <= now:
        return dt.timedelta(0)
    wait: dt.timedelta = row.wait_until - now
    return wait


def purge(db: Session, now: dt.datetime) -> int:
    """Delete counters whose last failure is older than :data:`FORGET_AFTER`; how many went."""
    gone = db.execute(delete(LoginAttempt).where(LoginAttempt.last_failed_at < now - FORGET_AFTER))
    return int(getattr(gone, "rowcount", 0) or 0)

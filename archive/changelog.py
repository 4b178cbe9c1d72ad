"""The index change log: writers append a row per changed talk, nodes' indexes read it back.

A row is written in the same transaction as the data change (the caller commits), so the log
never names a change the database does not hold, nor misses one it does. Followers read rows
past the last sequence they applied; that only works if sequences become visible in order,
so on PostgreSQL each writer takes a transaction-scoped advisory lock before appending: the
next writer's rows get higher sequences *and* commit later. SQLite serialises writers
already. On PostgreSQL the commit also sends a ``NOTIFY`` so followers can wake at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, text
from sqlalchemy.orm import Session

from archive.models import Talk, TalkChange, utcnow

log = logging.getLogger(__name__)

#: The channel followers LISTEN on; the payload is the newest sequence of the commit.
CHANNEL = "cio_talk_changes"
#: An arbitrary key of the advisory lock that orders appends (PostgreSQL only).
_APPEND_LOCK = 0x43494F14


@dataclass(frozen=True)
class Change:
    """One log row as the followers see it."""

    seq: int
    talk_id: int | None
    kind: str


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _serialise(session: Session) -> None:
    """Hold the append lock until this transaction ends (PostgreSQL; a no-op on SQLite)."""
    if _postgres(session):
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _APPEND_LOCK})


def _notify(session: Session, seq: int) -> None:
    if _postgres(session):
        session.execute(
            text("SELECT pg_notify(:channel, :seq)"), {"channel": CHANNEL, "seq": str(seq)}
        )


def record(session: Session, talk_ids: Iterable[int]) -> int:
    """Append one row per talk in ``talk_ids`` to the log, in the caller's transaction.

    The kind is read from the talks as they stand after a flush of the session's pending
    changes: visible, hidden or gone. Returns the newest sequence written (0: none).
    """
    ids = sorted({int(talk_id) for talk_id in talk_ids})
    if not ids:
        return 0
    session.flush()
    hidden = dict(session.execute(select(Talk.id, Talk.hidden).where(Talk.id.in_(ids))).all())
    now = utcnow()
    rows = [
        {
            "talk_id": talk_id,
            "kind": "delete"
            if talk_id not in hidden
            else ("hide" if hidden[talk_id] else "upsert"),
            "at": now,
        }
        for talk_id in ids
    ]
    _serialise(session)
    session.execute(insert(TalkChange), rows)
    seq = newest(session)
    _notify(session, seq)
    return seq


def record_rebuild(session: Session) -> int:
    """Append a ``rebuild`` row: every node rebuilds its index from the database (a reindex,
    an import). Returns its sequence."""
    _serialise(session)
    session.execute(insert(TalkChange), [{"talk_id": None, "kind": "rebuild", "at": utcnow()}])
    seq = newest(session)
    _notify(session, seq)
    return seq


def newest(session: Session) -> int:
    """The newest sequence this transaction can see (0 when the log is empty)."""
    return int(session.scalar(select(func.max(TalkChange.seq))) or 0)


def oldest(session: Session) -> int | None:
    """The oldest sequence still in the log (None when it is empty)."""
    first = session.scalar(select(func.min(TalkChange.seq)))
    return None if first is None else int(first)


def prune(session: Session, keep_days: float) -> int:
    """Delete rows older than ``keep_days``, always keeping the newest (so sequences never
    start again from 1 on SQLite); returns how many went. A folder whose applied sequence is
    older than what is left rebuilds itself (archive.replica). The caller commits."""
    cutoff = utcnow() - dt.timedelta(days=keep_days)
    last = newest(session)
    old = (TalkChange.at < cutoff) & (TalkChange.seq < last)
    gone = int(session.scalar(select(func.count()).select_from(TalkChange).where(old)) or 0)
    if gone:
        session.execute(delete(TalkChange).where(old))
        log.info("pruned %d change-log row(s) older than %g days", gone, keep_days)
    return gone


def after(session: Session, seq: int, limit: int) -> list[Change]:
    """Up to ``limit`` rows past ``seq``, oldest first."""
    query = (
        select(TalkChange.seq, TalkChange.talk_id, TalkChange.kind)
        .where(TalkChange.seq > seq)
        .order_by(TalkChange.seq)
        .limit(limit)
    )
    return [Change(int(s), t, str(k)) for s, t, k in session.execute(query).all()]


def oldest_unapplied_age(session: Session, seq: int) -> float | None:
    """Seconds since the oldest row past ``seq`` was written (None: nothing is pending)."""
    first = session.scalar(select(func.min(TalkChange.at)).where(TalkChange.seq > seq))
    if first is None:
        return None
    return max(0.0, (utcnow() - first).total_seconds())

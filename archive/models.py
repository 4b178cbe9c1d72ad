"""SQLAlchemy 2 typed models: talks, speakers, organisations, pages, runs and corrections."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from scraper.warc import RecordRef


def utcnow() -> dt.datetime:
    """Timezone-aware now, stored as naive UTC for portability between SQLite and PostgreSQL."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base of every table."""


class Organisation(Base):
    """An employer of speakers; industries come from the gazetteer or the page text."""

    __tablename__ = "organisations"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: organisation facts an admin set ({"industries": [...]}); later runs leave them alone
    overrides: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    aliases: Mapped[list[OrganisationAlias]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )


class OrganisationAlias(Base):
    """A name an organisation was extracted under; a renamed or merged record keeps them all."""

    __tablename__ = "organisation_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300), unique=True)
    organisation: Mapped[Organisation] = relationship(back_populates="aliases")


class Speaker(Base):
    """One person, reused across every talk they gave (identity by normalised name)."""

    __tablename__ = "speakers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    bio: Mapped[str | None] = mapped_column(Text)
    overrides: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan"
    )
    appearances: Mapped[list[Appearance]] = relationship(back_populates="speaker")


class SpeakerAlias(Base):
    """A spelling of a speaker's name; the normalised key decides identity."""

    __tablename__ = "speaker_aliases"
    id: Mapped[int] = mapped_column(primary_key=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True, index=True)
    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Page(Base):
    """One archived version of a source page: where its bytes sit in the WARC archive."""

    __tablename__ = "pages"
    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2000), index=True)
    fetched_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[int] = mapped_column(Integer, default=200)
    content_type: Mapped[str | None] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    etag: Mapped[str | None] = mapped_column(String(500))
    last_modified: Mapped[str | None] = mapped_column(String(100))
    warc_path: Mapped[str | None] = mapped_column(String(500))
    warc_offset: Mapped[int | None] = mapped_column(Integer)
    warc_length: Mapped[int | None] = mapped_column(Integer)
    record_id: Mapped[str | None] = mapped_column(String(200))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))

    def record_ref(self) -> RecordRef:
        """Where this version's bytes sit in the WARC archive (check warc_path first)."""
        return RecordRef(
            self.warc_path or "",
            self.warc_offset or 0,
            self.warc_length or 0,
            self.record_id or "",
            "",
        )


class Talk(Base):
    """One talk event, keyed on the URL of the page that announced it."""

    __tablename__ = "talks"
    id: Mapped[int] = mapped_column(primary_key=True)
    source_url: Mapped[str] = mapped_column(String(2000), unique=True)
    page_id: Mapped[int | None] = mapped_column(ForeignKey("pages.id", ondelete="SET NULL"))
    title: Mapped[str | None] = mapped_column(Text)
    series: Mapped[str | None] = mapped_column(String(300))
    host: Mapped[str | None] = mapped_column(String(300))
    topic: Mapped[str | None] = mapped_column(Text)
    abstract: Mapped[str | None] = mapped_column(Text)
    date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    start_time: Mapped[str | None] = mapped_column(String(5))
    end_time: Mapped[str | None] = mapped_column(String(5))
    location: Mapped[str | None] = mapped_column(Text)
    language: Mapped[str | None] = mapped_column(String(10))
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_updated: Mapped[dt.date | None] = mapped_column(Date)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    extracted: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    gone: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    page: Mapped[Page | None] = relationship()
    appearances: Mapped[list[Appearance]] = relationship(
        back_populates="talk", cascade="all, delete-orphan", order_by="Appearance.position"
    )
    overrides: Mapped[list[Override]] = relationship(
        back_populates="talk", cascade="all, delete-orphan"
    )


class Appearance(Base):
    """A speaker at a talk, with the role and organisation they had at the time."""

    __tablename__ = "appearances"
    __table_args__ = (UniqueConstraint("talk_id", "speaker_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("speakers.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_as_shown: Mapped[str] = mapped_column(String(300))
    role: Mapped[str | None] = mapped_column(String(300))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    bio: Mapped[str | None] = mapped_column(Text)
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    talk: Mapped[Talk] = relationship(back_populates="appearances")
    speaker: Mapped[Speaker] = relationship(back_populates="appearances")
    organisation: Mapped[Organisation | None] = relationship()


class Override(Base):
    """An admin's correction of one talk field; later runs never overwrite it."""

    __tablename__ = "overrides"
    __table_args__ = (UniqueConstraint("talk_id", "field"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    talk_id: Mapped[int] = mapped_column(ForeignKey("talks.id", ondelete="CASCADE"), index=True)
    field: Mapped[str] = mapped_column(String(50))
    value: Mapped[Any] = mapped_column(JSON)
    extracted: Mapped[Any] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    talk: Mapped[Talk] = relationship(back_populates="overrides")


class Run(Base):
    """One scrape or re-extraction run and its report."""

    __tablename__ = "runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="scrape")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    discovered: Mapped[int] = mapped_column(Integer, default=0)
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    not_modified: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    disallowed: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    gone: Mapped[int] = mapped_column(Integer, default=0)
    warning_counts: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    events: Mapped[list[RunEvent]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="RunEvent.id"
    )


class RunEvent(Base):
    """What a run did to one URL: new, changed (with fields), failed (with the reason), …"""

    __tablename__ = "run_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    outcome: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    #: {"field": {"old": …, "new": …, "kept": bool}}: kept when an admin's correction stayed
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=dict)
    talk_id: Mapped[int | None] = mapped_column(ForeignKey("talks.id", ondelete="SET NULL"))
    run: Mapped[Run] = relationship(back_populates="events")


RUN_COUNTERS = (
    "discovered",
    "fetched",
    "not_modified",
    "new",
    "changed",
    "unchanged",
    "skipped",
    "disallowed",
    "failed",
    "gone",
)


class User(Base):
    """An administrator: a name, a scrypt password hash and the version of their sessions.

    Every session cookie carries the ``session_version`` it was signed in under; signing out
    or a new password raises it, so cookies copied earlier stop working.
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginAttempt(Base):
    """Failed sign-ins counted for one scope: a (name, address) pair, a name or an address.

    Kept in the database so every worker process shares the same counts; ``wait_until`` is
    the earliest time the next attempt of this scope is looked at.
    """

    __tablename__ = "login_attempts"
    __table_args__ = (UniqueConstraint("scope", "name", "address"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime] = mapped_column(DateTime, index=True)
    wait_until: Mapped[dt.datetime | None] = mapped_column(DateTime)


class AuditEntry(Base):
    """One admin action: who did what to which record, and when."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(50))
    target: Mapped[str | None] = mapped_column(String(300))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AdminJob(Base):
    """A scrape, re-extraction or reindex started from the admin area in a background process."""

    __tablename__ = "admin_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    user: Mapped[str] = mapped_column(String(100))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    pid: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default="starting")
    exit_code: Mapped[int | None] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    output: Mapped[str | None] = mapped_column(Text)


class TalkChange(Base):
    """One change to what the search index holds for a talk, in commit order (``seq``).

    ``kind`` is what the talk became: ``upsert`` (visible), ``hide`` (hidden), ``delete`` (no
    longer in the database), or ``rebuild`` (no talk: every node rebuilds its index).
    """

    __tablename__ = "talk_changes"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    talk_id: Mapped[int | None] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(10))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

"""The speaker directory: who spoke, in which role, from which organisation and industry, how
often; searchable by name, filterable by role group, industry and organisation, by letter and
page.

The directory is read with one flat query (no ORM objects per appearance) and kept for
:data:`CACHE_SECONDS`; any commit in this process that changes a talk, appearance, speaker or
organisation drops it at once, and writers in other processes (a scrape, another worker) are
seen within those seconds. Filtering is pure and works on :class:`Entry` values.
"""

from __future__ import annotations

import datetime as dt
import functools
import string
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, selectinload

from archive.models import Appearance, Organisation, Speaker, SpeakerAlias, Talk
from archive.roles import role_group
from folding import fold, name_key

#: Rows per directory page.
PER_PAGE = 50
#: The letter of names that do not start with A–Z (after folding).
OTHER_LETTER = "#"
#: How long a directory read is reused when this process has written nothing it shows.
CACHE_SECONDS = 10.0
_SHOWN = (Talk, Appearance, Speaker, SpeakerAlias, Organisation)
_lock = threading.Lock()
_writes = 0
_cache: dict[str, tuple[float, int, list[Entry]]] = {}


@dataclass
class SpeakerInfo:
    """What the speaker page and the API show about a speaker."""

    speaker: Speaker
    role: str | None = None
    organisation: str | None = None
    industries: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    talks: list[Appearance] = field(default_factory=list)
    organisation_ids: dict[str, int] = field(default_factory=dict)


def profile(speaker: Speaker) -> SpeakerInfo:
    """Current role and organisation (from the latest talk), industries and talks newest first."""
    visible = [a for a in speaker.appearances if not a.talk.hidden]
    visible.sort(key=lambda a: (a.talk.date is not None, a.talk.date), reverse=True)
    info = SpeakerInfo(speaker=speaker, talks=visible)
    if visible:
        info.role = visible[0].role
        info.organisation = visible[0].organisation.name if visible[0].organisation else None
    seen_orgs: list[str] = []
    for appearance in reversed(visible):
        if appearance.organisation and appearance.organisation.name not in seen_orgs:
            seen_orgs.append(appearance.organisation.name)
            info.organisation_ids[appearance.organisation.name] = appearance.organisation.id
    info.organisations = seen_orgs
    info.industries = sorted({i for a in visible for i in (a.industries or [])})
    return info


def speakers(
    session: Session, *, industry: str | None = None, org: str | None = None
) -> list[SpeakerInfo]:
    """Every speaker with at least one visible talk, filtered exactly, sorted by name (API)."""
    rows = session.scalars(
        select(Speaker).options(
            selectinload(Speaker.appearances).selectinload(Appearance.talk),
            selectinload(Speaker.appearances).selectinload(Appearance.organisation),
            selectinload(Speaker.aliases),
        )
    )
    out = []
    for speaker in rows:
        info = profile(speaker)
        if not info.talks:
            continue
        if industry and industry not in info.industries:
            continue
        if org and org.casefold() not in (o.casefold() for o in info.organisations):
            continue
        out.append(info)
    out.sort(key=lambda i: i.speaker.name.casefold())
    return out


@dataclass
class Entry:
    """One directory row: a speaker's current role and organisation, and what filters read."""

    id: int
    name: str
    bio: str | None
    role: str | None = None
    role_group: str | None = None
    organisation: str | None = None
    organisation_id: int | None = None
    talks: int = 0
    industries: list[str] = field(default_factory=list)
    organisations: list[str] = field(default_factory=list)
    role_groups: set[str] = field(default_factory=set)
    latest: tuple[bool, dt.date, int] = (False, dt.date.min, 0)

    @functools.cached_property
    def letter(self) -> str:
        """The first letter of the folded name, or ``#``."""
        first = fold(self.name.strip())[:1].upper()
        return first if first and first in string.ascii_uppercase else OTHER_LETTER

    @functools.cached_property
    def keys(self) -> dict[str, list[str]]:
        """Folded keys of the name, organisations and industries (what partial filters read)."""
        return {
            "name": [name_key(self.name)],
            "org": [name_key(o) for o in self.organisations],
            "industry": [name_key(i) for i in self.industries],
        }


@dataclass(frozen=True)
class Filters:
    """What a directory view asks for; empty strings mean "any"."""

    name: str = ""
    role: str = ""
    industry: str = ""
    org: str = ""
    letter: str = ""

    def active(self) -> dict[str, str]:
        """The filters that are set, by URL parameter name."""
        pairs = {"q": self.name, "role": self.role, "industry": self.industry, "org": self.org}
        pairs["letter"] = self.letter
        return {key: value for key, value in pairs.items() if value}


def _changed(session: Session, _context: Any) -> None:
    """After a flush: remember whether it touched anything the directory shows."""
    touched = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, _SHOWN) for obj in touched):
        session.info["directory_changed"] = True


def _bulk_changed(state: ORMExecuteState) -> None:
    """A bulk UPDATE or DELETE through the ORM counts as a change too."""
    if state.is_update or state.is_delete:
        state.session.info["directory_changed"] = True


def _committed(session: Session) -> None:
    """After a commit that changed what the directory shows: forget every cached read."""
    global _writes
    if session.info.pop("directory_changed", False):
        with _lock:
            _writes += 1
            _cache.clear()


event.listen(Session, "after_flush", _changed)
event.listen(Session, "do_orm_execute", _bulk_changed)
event.listen(Session, "after_commit", _committed)


def _rolled_back(session: Session) -> None:
    session.info.pop("directory_changed", None)


event.listen(Session, "after_flush", _changed)
event.listen(Session, "do_orm_execute", _bulk_changed)
event.listen(Session, "after_commit", _committed)
event.listen(Session, "after_rollback", _rolled_back)


def entries(session: Session) -> list[Entry]:
    """Every speaker with at least one visible talk, sorted by folded name (shared: callers
    must not change the entries)."""
    key = str(session.get_bind().engine.url)
    with _lock:
        found = _cache.get(key)
        writes = _writes
    if found is not None and found[1] == writes and time.monotonic() - found[0] < CACHE_SECONDS:
        return found[2]
    read = read_entries(session)
    with _lock:
        if _writes == writes:
            _cache[key] = (time.monotonic(), writes, read)
    return read


def read_entries(session: Session) -> list[Entry]:
    """Every speaker with at least one visible talk, sorted by folded name, in one query."""
    query = (
        select(
            Appearance.speaker_id,
            Speaker.name,
            Speaker.bio,
            Appearance.role,
            Organisation.id,
            Organisation.name,
            Appearance.industries,
            Talk.date,
            Talk.id,
        )
        .join(Speaker, Speaker.id == Appearance.speaker_id)
        .join(Talk, Talk.id == Appearance.talk_id)
        .outerjoin(Organisation, Organisation.id == Appearance.organisation_id)
        .where(Talk.hidden.is_(False))
    )
    found: dict[int, Entry] = {}
    for sid, name, bio, role, org_id, org_name, industries, date, talk_id in session.execute(query):
        entry = found.get(sid)
        if entry is None:
            entry = found[sid] = Entry(id=sid, name=name, bio=bio)
        entry.talks += 1
        when = (date is not None, date or dt.date.min, talk_id)
        if entry.talks == 1 or when > entry.latest:
            entry.latest = when
            entry.role, entry.organisation, entry.organisation_id = role, org_name, org_id
        group = role_group(role)
        if group:
            entry.role_groups.add(group)
        if org_name and org_name not in entry.organisations:
            entry.organisations.append(org_name)
        entry.industries.extend(i for i in industries or [] if i not in entry.industries)
    out = list(found.values())
    for entry in out:
        entry.role_group = role_group(entry.role)
        entry.industries.sort()
    out.sort(key=lambda e: (fold(e.name).casefold(), e.id))
    return out


def matching(rows: Sequence[Entry], filters: Filters) -> list[Entry]:
    """The rows a directory view shows: every filter must hold (name, industry and
    organisation are partial, accent-folded matches; role is a role group held at any talk)."""
    partial = [
        (kind, name_key(value.strip()))
        for kind, value in (
            ("name", filters.name),
            ("industry", filters.industry),
            ("org", filters.org),
        )
        if value.strip()
    ]
    letter = filters.letter.upper()
    out = []
    for entry in rows:
        if filters.role and filters.role not in entry.role_groups:
            continue
        if letter and entry.letter != letter:
            continue
        keys = entry.keys
        if all(any(needle in key for key in keys[kind]) for kind, needle in partial):
            out.append(entry)
    return out


def counts(values: Iterable[Iterable[str]]) -> list[tuple[str, int]]:
    """How many rows hold each value, most frequent first, then alphabetical."""
    counter: Counter[str] = Counter()
    for row_values in values:
        counter.update(set(row_values))
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def letters(rows: Iterable[Entry]) -> set[str]:
    """The letters that some row starts with."""
    return {entry.letter for entry in rows}


def visible_talk_ids(session: Session) -> list[int]:
    """Ids of all talks that are not hidden."""
    return list(session.scalars(select(Talk.id).where(Talk.hidden.is_(False))))

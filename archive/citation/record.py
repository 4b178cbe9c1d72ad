"""One talk as a citation record: the facts every citation format draws on, and the plain
reference shown on the talk page."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from archive.links import http_url
from archive.models import Talk
from folding import fold

_TIME = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class Person:
    """A speaker as the talk presented them."""

    name: str
    role: str | None = None
    organisation: str | None = None
    bio: str | None = None


@dataclass(frozen=True)
class Citation:
    """What a citation says about one talk. ``permalink`` is the archive's own page for it
    (what a reader can rely on); ``source_url`` the announcing page, which may go away ("" for
    a page read from disk: a server path is nobody's citation)."""

    talk_id: int
    title: str
    speakers: tuple[Person, ...]
    date: dt.date | None
    start: dt.time | None
    end: dt.time | None
    location: str | None
    language: str | None
    series: str | None
    host: str | None
    abstract: str | None
    themes: tuple[str, ...]
    industries: tuple[str, ...]
    permalink: str
    source_url: str
    accessed: dt.date

    @property
    def start_moment(self) -> dt.datetime | None:
        """The talk's start as a naive local date-time, when both date and time are known."""
        return dt.datetime.combine(self.date, self.start) if self.date and self.start else None

    @property
    def end_moment(self) -> dt.datetime | None:
        """The talk's end as a naive local date-time, when date, start and end are known."""
        if not (self.date and self.end and self.start) or self.end <= self.start:
            return None
        return dt.datetime.combine(self.date, self.end)

    @property
    def publisher(self) -> str | None:
        """Who put the talk on: the host institution, else the series."""
        return self.host or self.series


def _time(value: str | None) -> dt.time | None:
    match = _TIME.match(value or "")
    return dt.time(int(match.group(1)), int(match.group(2))) if match else None


def from_talk(talk: Talk, permalink: str, accessed: dt.date | None = None) -> Citation:
    """The citation record of ``talk``; ``accessed`` defaults to today (UTC)."""
    title = talk.topic or talk.title or "Untitled talk"
    return Citation(
        talk_id=talk.id,
        title=title,
        speakers=tuple(
            Person(
                a.speaker.name,
                a.role,
                a.organisation.name if a.organisation else None,
                a.bio or a.speaker.bio,
            )
            for a in talk.appearances
        ),
        date=talk.date,
        start=_time(talk.start_time),
        end=_time(talk.end_time),
        location=talk.location,
        language=talk.language,
        series=talk.series,
        host=talk.host,
        abstract=talk.abstract,
        themes=tuple(talk.themes or ()),
        industries=tuple(talk.industries or ()),
        permalink=permalink,
        source_url=http_url(talk.source_url) or "",  # never a file path or javascript:
        accessed=accessed or dt.datetime.now(dt.UTC).date(),
    )


def family_name(name: str) -> str:
    """The last word of a name (how the talks' pages write names: given names first)."""
    words = name.split()
    return words[-1] if words else name


def cite_key(record: Citation) -> str:
    """An ASCII key such as ``buchwaldt2014talk12``: first speaker's family name folded to
    ASCII, the year, and the talk id that makes it unique."""
    first = family_name(record.speakers[0].name) if record.speakers else "talk"
    stem = re.sub(r"[^a-z0-9]+", "", fold(first).lower()) or "talk"
    year = record.date.year if record.date else "nd"
    return f"{stem}{year}talk{record.talk_id}"


def reference(
    record: Citation,
    day_text: Callable[[dt.date], str] | None = None,
    accessed: str = "accessed %(date)s",
    unknown: str = "Unknown speaker",
) -> str:
    """A plain reference: ``Names (Year). Topic. Series, Host, Place, Date. Permalink``.

    The page shows it in its interface language, so the words are given: ``day_text``
    writes the talk's date ("6 May 2014" by default), ``accessed`` holds ``%(date)s`` for
    the access date, and ``unknown`` stands for a talk that names no speaker."""
    names = ", ".join(p.name for p in record.speakers) or unknown
    year = f" ({record.date.year})" if record.date else ""
    parts = [f"{names}{year}. {record.title}."]
    write_day = day_text or (lambda day: day.strftime("%-d %B %Y"))
    day = write_day(record.date) if record.date else None
    where = ", ".join(
        p for p in dict.fromkeys((record.series, record.host, record.location, day)) if p
    )
    if where:
        parts.append(f"{where}.")
    seen = accessed % {"date": record.accessed.isoformat()}
    parts.append(f"{record.permalink} ({seen}).")
    return " ".join(parts)


def announced(record: Citation) -> str:
    """The note naming the page that announced the talk, or "" when it has no web address."""
    return f"Announced at {record.source_url}" if record.source_url else ""

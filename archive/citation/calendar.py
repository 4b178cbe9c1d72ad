"""iCalendar files of talks, written by ``icalendar``: times in the archive's time zone with
its ``VTIMEZONE``, so calendars place a talk at the hour the page announced."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable

import icalendar

from archive.citation.record import Citation, announced

#: The zone the talks' pages give their times in, unless the settings say otherwise.
DEFAULT_ZONE = "Europe/Copenhagen"


class ZoneError(ValueError):
    """The configured time zone is not a known IANA zone name."""


def zone(name: str) -> zoneinfo.ZoneInfo:
    """The IANA time zone ``name`` (``Europe/Copenhagen``); a clear error for a bad name."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ZoneError(f"unknown time zone {name!r} (use an IANA name)") from exc


def _event(record: Citation, tz: zoneinfo.ZoneInfo, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"talk-{record.talk_id}@cio-talks-archive")
    event.add("dtstamp", stamp)
    event.add("summary", record.title)
    event.add("url", record.permalink)
    start, end = record.start_moment, record.end_moment
    if start:
        event.add("dtstart", start.replace(tzinfo=tz))
        if end:
            event.add("dtend", end.replace(tzinfo=tz))
    elif record.date:
        event.add("dtstart", record.date)
    if record.location:
        event.add("location", record.location)
    people = [
        ", ".join(p for p in (person.name, person.role, person.organisation) if p)
        for person in record.speakers
    ]
    organiser = ", ".join(p for p in dict.fromkeys((record.series, record.host)) if p)
    text = [*people, organiser, record.abstract or "", announced(record)]
    event.add("description", "\n\n".join(p for p in text if p))
    if record.themes:
        event.add("categories", list(record.themes))
    return event


def calendar(records: Iterable[Citation], zone_name: str = DEFAULT_ZONE) -> bytes:
    """An RFC 5545 calendar with one event per dated talk, times in ``zone_name``."""
    tz = zone(zone_name)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//CIO Talks Archive//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-timezone", zone_name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for record in records:
        if record.date:
            cal.add_component(_event(record, tz, stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())

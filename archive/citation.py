"""Citations of talks: BibTeX, a plain reference and an iCalendar event."""

from __future__ import annotations

import datetime as dt
import re

from archive.links import http_url
from archive.models import Talk

_BIB_ESCAPE = str.maketrans({c: f"\\{c}" for c in "&%$#_{}"})


def _speaker_names(talk: Talk) -> list[str]:
    return [a.speaker.name for a in talk.appearances]


def bibtex(talk: Talk) -> str:
    """A ``@misc`` BibTeX entry for the talk."""
    names = _speaker_names(talk)
    first = re.sub(r"\W+", "", (names[0].split()[-1] if names else "talk")).lower() or "talk"
    year = talk.date.year if talk.date else "nd"
    fields = {
        "author": " and ".join(names),
        "title": talk.topic or talk.title or "",
        "howpublished": talk.series or talk.host or "",
        "year": str(talk.date.year) if talk.date else "",
        "month": talk.date.strftime("%b").lower() if talk.date else "",
        "note": talk.location or "",
        "url": http_url(talk.source_url) or "",  # never a file path or javascript:
    }
    lines = [f"@misc{{{first}{year}talk{talk.id},"]
    for key, value in fields.items():
        if value:
            escaped = value if key == "url" else value.translate(_BIB_ESCAPE)
            lines.append(f"  {key} = {{{escaped}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def reference(talk: Talk) -> str:
    """A plain reference: ``Names (Year). Topic. Series, Place, Date. URL``."""
    names = ", ".join(_speaker_names(talk)) or "Unknown speaker"
    year = f" ({talk.date.year})" if talk.date else ""
    parts = [f"{names}{year}. {talk.topic or talk.title or 'Untitled talk'}."]
    where = ", ".join(
        p
        for p in (
            talk.series or talk.host,
            talk.location,
            talk.date.strftime("%-d %B %Y") if talk.date else None,
        )
        if p
    )
    if where:
        parts.append(f"{where}.")
    url = http_url(talk.source_url)  # a page read from disk has no address to cite
    if url:
        parts.append(url)
    return " ".join(parts)


def _ics_text(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold a content line at 75 octets as RFC 5545 requires."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > 75:
            out.append(current)
            current = " " + char
        else:
            current += char
    out.append(current)
    return "\r\n".join(out)


def _stamp(day: dt.date, hhmm: str | None) -> str:
    if not hhmm:
        return f";VALUE=DATE:{day.strftime('%Y%m%d')}"
    return f":{day.strftime('%Y%m%d')}T{hhmm.replace(':', '')}00"


def icalendar(talk: Talk, url: str) -> str:
    """An RFC 5545 calendar with the talk as one event (floating local time)."""
    now = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CIO Talks Archive//EN",
        "BEGIN:VEVENT",
        f"UID:talk-{talk.id}@cio-talks-archive",
        f"DTSTAMP:{now}",
        f"SUMMARY:{_ics_text(talk.topic or talk.title or 'CIO talk')}",
        f"URL:{url}",
    ]
    if talk.date:
        lines.append("DTSTART" + _stamp(talk.date, talk.start_time))
        if talk.end_time and talk.start_time:
            lines.append("DTEND" + _stamp(talk.date, talk.end_time))
    if talk.location:
        lines.append(f"LOCATION:{_ics_text(talk.location)}")
    speakers = ", ".join(_speaker_names(talk))
    description = "\n\n".join(p for p in (speakers, talk.abstract or "") if p)
    if description:
        lines.append(f"DESCRIPTION:{_ics_text(description)}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"

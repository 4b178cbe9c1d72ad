"""Metadata embedded in a talk's page for reference managers and search engines: Highwire
``citation_*`` meta tags (what Zotero's connector reads) and a schema.org ``EducationEvent``
in JSON-LD."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from archive.citation.record import Citation


def meta_tags(record: Citation) -> list[tuple[str, str]]:
    """``(name, content)`` pairs for ``<meta name=… content=…>``, in document order."""
    tags = [("citation_title", record.title)]
    tags += [("citation_author", p.name) for p in record.speakers]
    if record.date:
        tags.append(("citation_date", record.date.strftime("%Y/%m/%d")))
        tags.append(("citation_publication_date", record.date.strftime("%Y/%m/%d")))
    if record.publisher:
        tags.append(("citation_publisher", record.publisher))
    if record.series:
        tags.append(("citation_conference_title", record.series))
    if record.language:
        tags.append(("citation_language", record.language))
    if record.themes:
        tags.append(("citation_keywords", "; ".join(record.themes)))
    tags.append(("citation_public_url", record.permalink))
    return tags


def _moment(day: dt.date, when: dt.datetime | None, tz: zoneinfo.ZoneInfo) -> str:
    """ISO 8601 with the zone's offset when the time is known, the bare date otherwise."""
    return when.replace(tzinfo=tz).isoformat() if when else day.isoformat()


def _performer(name: str, role: str | None, organisation: str | None) -> dict[str, Any]:
    person: dict[str, Any] = {"@type": "Person", "name": name}
    if role:
        person["jobTitle"] = role
    if organisation:
        person["affiliation"] = {"@type": "Organization", "name": organisation}
    return person


def json_ld(record: Citation, tz: zoneinfo.ZoneInfo) -> dict[str, Any]:
    """The talk as a schema.org ``EducationEvent`` (speakers as ``performer``)."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "name": record.title,
        "url": record.permalink,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "performer": [_performer(p.name, p.role, p.organisation) for p in record.speakers],
    }
    if record.date:
        data["startDate"] = _moment(record.date, record.start_moment, tz)
        if record.end_moment:
            data["endDate"] = _moment(record.date, record.end_moment, tz)
    if record.abstract:
        data["description"] = record.abstract
    if record.location:
        data["location"] = {"@type": "Place", "name": record.location, "address": record.location}
    if record.publisher:
        data["organizer"] = {"@type": "Organization", "name": record.publisher}
    if record.series:
        data["superEvent"] = {"@type": "EventSeries", "name": record.series}
    if record.language:
        data["inLanguage"] = record.language
    if record.themes or record.industries:
        data["about"] = [
            {"@type": "Thing", "name": name} for name in (*record.themes, *record.industries)
        ]
    return data

"""The archive as a Frictionless Data Package: ``datapackage.json`` with a typed Table Schema
and four CSV tables (talks, speakers, appearances, organisations) joined by primary and foreign
keys, for researchers who load it into pandas, R or a database.

Text cells go through :func:`archive.spreadsheet.cell` like every CSV the archive writes, so
a value that would start a spreadsheet formula carries a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from archive.links import public_source
from archive.models import Talk
from archive.spreadsheet import rows_to_csv

PROFILE = "tabular-data-package"

#: Each table's fields as (name, Table Schema type, description).
FIELDS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "talks": (
        ("id", "integer", "The talk's number in the archive"),
        ("url", "string", "The archive's page for the talk (its permalink)"),
        ("source_url", "string", "The page that announced the talk"),
        ("title", "string", "The page's title or event heading"),
        ("topic", "string", "The talk's topic"),
        ("date", "date", "The day of the talk"),
        ("start_time", "time", "Start, local time"),
        ("end_time", "time", "End, local time"),
        ("location", "string", "Where it took place"),
        ("language", "string", "ISO 639-1 code of the talk's language"),
        ("series", "string", "The seminar series"),
        ("host", "string", "The host institution or organiser"),
        ("industries", "string", "Industries, separated by '; '"),
        ("themes", "string", "Themes, separated by '; '"),
        ("abstract", "string", "The talk's abstract"),
        ("gone", "boolean", "The source page no longer answers"),
    ),
    "speakers": (
        ("id", "integer", "The speaker's number in the archive"),
        ("name", "string", "The speaker's name"),
        ("bio", "string", "The latest biography the pages gave"),
    ),
    "organisations": (
        ("id", "integer", "The organisation's number in the archive"),
        ("name", "string", "The organisation's name"),
        ("industries", "string", "Industries, separated by '; '"),
    ),
    "appearances": (
        ("talk_id", "integer", "The talk (talks.id)"),
        ("speaker_id", "integer", "The speaker (speakers.id)"),
        ("position", "integer", "Order among the talk's speakers, from 0"),
        ("name_as_shown", "string", "The name as the page wrote it"),
        ("role", "string", "The speaker's role at the time"),
        ("organisation_id", "integer", "Their organisation at the time (organisations.id)"),
        ("bio", "string", "The biography given with this talk"),
    ),
}
KEYS: dict[str, list[str]] = {
    "talks": ["id"],
    "speakers": ["id"],
    "organisations": ["id"],
    "appearances": ["talk_id", "speaker_id"],
}
FOREIGN_KEYS: dict[str, list[tuple[str, str]]] = {
    "appearances": [
        ("talk_id", "talks"),
        ("speaker_id", "speakers"),
        ("organisation_id", "organisations"),
    ],
}


def _time(value: str | None) -> str | None:
    return f"{value}:00" if value and len(value) == 5 else None


def tables(talks: Iterable[Talk], permalink: Callable[[Talk], str]) -> dict[str, list[list[Any]]]:
    """The four tables' rows for ``talks`` (the speakers and organisations they name)."""
    rows: dict[str, list[list[Any]]] = {name: [] for name in FIELDS}
    speakers: dict[int, list[Any]] = {}
    organisations: dict[int, list[Any]] = {}
    for talk in talks:
        rows["talks"].append(
            [
                talk.id,
                permalink(talk),
                public_source(talk.source_url),
                talk.title,
                talk.topic,
                talk.date.isoformat() if talk.date else None,
                _time(talk.start_time),
                _time(talk.end_time),
                talk.location,
                talk.language,
                talk.series,
                talk.host,
                "; ".join(talk.industries or []),
                "; ".join(talk.themes or []),
                talk.abstract,
                "true" if talk.gone else "false",
            ]
        )
        for a in talk.appearances:
            speakers.setdefault(a.speaker.id, [a.speaker.id, a.speaker.name, a.speaker.bio])
            org = a.organisation
            if org is not None:
                organisations.setdefault(
                    org.id, [org.id, org.name, "; ".join(org.industries or [])]
                )
            rows["appearances"].append(
                [
                    talk.id,
                    a.speaker.id,
                    a.position,
                    a.name_as_shown,
                    a.role,
                    org.id if org else None,
                    a.bio,
                ]
            )
    rows["speakers"] = [speakers[k] for k in sorted(speakers)]
    rows["organisations"] = [organisations[k] for k in sorted(organisations)]
    return rows


def _schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = {
        "fields": [
            {"name": field, "type": kind, "description": about}
            | ({"constraints": {"required": True}} if field in KEYS[name] else {})
            for field, kind, about in FIELDS[name]
        ],
        "primaryKey": KEYS[name],
        "missingValues": [""],
    }
    if name in FOREIGN_KEYS:
        schema["foreignKeys"] = [
            {"fields": field, "reference": {"resource": target, "fields": "id"}}
            for field, target in FOREIGN_KEYS[name]
        ]
    return schema


def descriptor(description: str) -> dict[str, Any]:
    """``datapackage.json``: the package's metadata and each table's typed schema."""
    return {
        "profile": PROFILE,
        "name": "cio-talks-archive",
        "title": "CIO Talks Archive",
        "description": description,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "resources": [
            {
                "name": name,
                "path": f"data/{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _schema(name),
            }
            for name in FIELDS
        ],
    }


def files(
    talks: Iterable[Talk], permalink: Callable[[Talk], str], description: str
) -> dict[str, str]:
    """Every file of the package: relative path → text."""
    out = {
        f"data/{name}.csv": rows_to_csv([f[0] for f in FIELDS[name]], table, bom=False)
        for name, table in tables(talks, permalink).items()
    }
    out["datapackage.json"] = (
        json.dumps(descriptor(description), ensure_ascii=False, indent=1) + "\n"
    )
    return out


def to_zip(package: dict[str, str]) -> bytes:
    """The package's files in one zip archive (``datapackage.json`` at its root)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, text in package.items():
            archive.writestr(path, text.encode("utf-8"))
    return buffer.getvalue()


def write(package: dict[str, str], target: Path) -> None:
    """Write the package to ``target``: a zip when it ends in ``.zip``, else a folder."""
    if target.suffix.lower() == ".zip":
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(to_zip(package))
        tmp.replace(target)
        return
    for path, text in package.items():
        file = target / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(text, encoding="utf-8")

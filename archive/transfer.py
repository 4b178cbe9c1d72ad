"""Export the whole archive as one document (JSON, CSV, BibTeX) and import it into an empty one."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import Date, DateTime, func, insert, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from archive import import_check, store
from archive.citation import bibtex
from archive.citation.record import from_talk
from archive.models import (
    Appearance,
    Base,
    Organisation,
    OrganisationAlias,
    Override,
    Page,
    Run,
    RunEvent,
    Speaker,
    SpeakerAlias,
    Talk,
)
from archive.spreadsheet import rows_to_csv
from scraper.warc_store import WarcStore

log = logging.getLogger(__name__)

FORMAT = "cio-talks-archive"
VERSION = 1
#: The largest export file `cio-talks import` reads (an archive of thousands of talks is a
#: few MB; parsing JSON takes several times its size in memory).
MAX_IMPORT_BYTES = 256 * 1024 * 1024
#: Talk columns carried in a talk's ``record`` (the contract fields sit beside it).
_CONTRACT_COLUMNS = frozenset({"id", "source_url", "warnings", *store.TALK_FIELDS})
#: Tables in an order that satisfies every foreign key on insert.
_INSERT_ORDER: tuple[type[Base], ...] = (
    Organisation,
    OrganisationAlias,
    Speaker,
    SpeakerAlias,
    Run,
    Page,
    Talk,
    Appearance,
    Override,
    RunEvent,
)


class TransferError(ValueError):
    """The document cannot be imported (wrong format, or the database is not empty)."""


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _columns(model: type[Base]) -> list[str]:
    return [c.key for c in model.__table__.columns]


def _row(obj: Base, skip: Iterable[str] = ()) -> dict[str, Any]:
    """Every column of a model instance, JSON-ready, except ``skip``."""
    skipped = set(skip)
    return {k: _plain(getattr(obj, k)) for k in _columns(type(obj)) if k not in skipped}


def _column_value(model: type[Base], key: str, value: Any) -> Any:
    """A JSON value back to the column's Python type (dates and datetimes from ISO text)."""
    if value is None:
        return None
    column_type = model.__table__.columns[key].type
    if isinstance(column_type, DateTime) and isinstance(value, str):
        return dt.datetime.fromisoformat(value)
    if isinstance(column_type, Date) and isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _talk_entry(talk: Talk) -> dict[str, Any]:
    entry = store.talk_contract(talk)
    record = _row(talk, skip=_CONTRACT_COLUMNS)
    record["appearances"] = [_row(a, skip=("id", "talk_id")) for a in talk.appearances]
    entry["record"] = record
    return entry


def export_document(session: Session) -> dict[str, Any]:
    """The whole archive as one JSON-ready document, every list ordered by id.

    ``talks`` holds every talk (hidden and gone ones too) as the extraction contract with
    corrections applied, plus a ``record`` of what the database keeps beside it; ``overrides``,
    ``speakers`` (with aliases), ``organisations``, ``runs`` (with events) and ``pages``
    complete it, so :func:`import_document` can rebuild the same archive.
    """
    talks = session.scalars(
        select(Talk)
        .order_by(Talk.id)
        .options(
            selectinload(Talk.appearances).selectinload(Appearance.speaker),
            selectinload(Talk.appearances).selectinload(Appearance.organisation),
        )
    )
    speakers = session.scalars(
        select(Speaker).order_by(Speaker.id).options(selectinload(Speaker.aliases))
    )
    runs = session.scalars(select(Run).order_by(Run.id).options(selectinload(Run.events)))
    return {
        "format": FORMAT,
        "version": VERSION,
        "talks": [_talk_entry(t) for t in talks],
        "overrides": [_row(o) for o in session.scalars(select(Override).order_by(Override.id))],
        "speakers": [
            {
                **_row(s),
                "aliases": [_row(a, skip=("speaker_id",)) for a in sorted(s.aliases, key=_id)],
            }
            for s in speakers
        ],
        "organisations": [
            {
                **_row(o),
                "aliases": [_row(a, skip=("organisation_id",)) for a in sorted(o.aliases, key=_id)],
            }
            for o in session.scalars(
                select(Organisation)
                .order_by(Organisation.id)
                .options(selectinload(Organisation.aliases))
            )
        ],
        "runs": [
            {**_row(r), "events": [_row(e, skip=("run_id",)) for e in r.events]} for r in runs
        ],
        "pages": [_row(p) for p in session.scalars(select(Page).order_by(Page.id))],
    }


def _id(obj: Any) -> int:
    return int(obj.id)


def is_empty(session: Session) -> bool:
    """True when the database holds no talks, speakers, organisations, pages or runs."""
    for model in (Talk, Speaker, Organisation, Page, Run):
        if session.scalar(select(func.count()).select_from(model)):
            return False
    return True


def _rows_for(model: type[Base], entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    keys = set(_columns(model))
    return [
        {k: _column_value(model, k, v) for k, v in entry.items() if k in keys} for entry in entries
    ]


def table_rows(document: dict[str, Any]) -> dict[type[Base], list[dict[str, Any]]]:
    """The document's entries as rows per table."""
    talks, appearances = [], []
    for entry in document.get("talks", []):
        record = dict(entry.get("record") or {})
        for appearance in record.pop("appearances", []):
            appearances.append({**appearance, "talk_id": entry["id"]})
        row = {**record, "id": entry["id"], "source_url": entry["source_url"]}
        row["warnings"] = list(entry.get("warnings") or [])
        for name in store.TALK_FIELDS:
            row[name] = store.to_column(name, entry.get(name))
        talks.append(row)
    aliases = [
        {**alias, "speaker_id": speaker["id"]}
        for speaker in document.get("speakers", [])
        for alias in speaker.get("aliases", [])
    ]
    organisation_aliases = [
        {**alias, "organisation_id": org["id"]}
        for org in document.get("organisations", [])
        for alias in org.get("aliases", [])
    ]
    events = [
        {**event, "run_id": run["id"]}
        for run in document.get("runs", [])
        for event in run.get("events", [])
    ]
    return {
        Organisation: _rows_for(Organisation, document.get("organisations", [])),
        OrganisationAlias: _rows_for(OrganisationAlias, organisation_aliases),
        Speaker: _rows_for(Speaker, document.get("speakers", [])),
        SpeakerAlias: _rows_for(SpeakerAlias, aliases),
        Run: _rows_for(Run, document.get("runs", [])),
        Page: _rows_for(Page, document.get("pages", [])),
        Talk: _rows_for(Talk, talks),
        Appearance: _rows_for(Appearance, appearances),
        Override: _rows_for(Override, document.get("overrides", [])),
        RunEvent: _rows_for(RunEvent, events),
    }


def load_document(path: Path, max_bytes: int = MAX_IMPORT_BYTES) -> Any:
    """The JSON value of an export file; TransferError (one line) when it cannot be one."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise TransferError(f"{path.name}: {size} bytes, more than an import reads")
        raw = path.read_bytes()
    except OSError as exc:
        raise TransferError(f"cannot read {path.name}: {exc.strerror}") from None
    document, problem = import_check.parse(raw)
    if problem:
        raise TransferError(f"{path.name}: {problem}")
    return document


def import_document(
    session: Session, document: Any, warcs: WarcStore | None = None
) -> dict[str, int]:
    """Insert an exported archive into an empty database; returns rows written per table.

    Nothing is inserted unless the whole document passes archive.import_check (its schema,
    unique ids, references, ``warc_path`` a file ``warcs`` could hold); a problem raises
    TransferError naming the record. Ids are kept, so links between talks, pages, runs and
    speakers survive; on PostgreSQL the id sequences are moved past the imported ids. The
    caller commits (or, on TransferError, rolls back).
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferError(f'not a {FORMAT} export (no "format": "{FORMAT}")')
    if document.get("version") != VERSION:
        version = import_check.short(document.get("version"))
        raise TransferError(f"unsupported export version {version}")
    problem = import_check.document_problem(document)
    if problem:
        raise TransferError(problem)
    if not is_empty(session):
        raise TransferError("import needs an empty database; this one already holds data")
    tables = table_rows(document)
    problem = import_check.rows_problem(tables, warcs)
    if problem:
        raise TransferError(problem)
    counts: dict[str, int] = {}
    for model, rows in tables.items():
        if rows:
            try:
                session.execute(insert(model), rows)
            except SQLAlchemyError as exc:
                reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
                raise TransferError(
                    f"{model.__tablename__}: the database refused: {reason}"
                ) from None
        counts[model.__tablename__] = len(rows)
    if session.get_bind().dialect.name == "postgresql":
        for model in _INSERT_ORDER:
            table = model.__tablename__
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table}"
                )
            )
    log.info("imported %s", counts)
    return counts


CSV_COLUMNS = ("id", "source_url", *store.TALK_FIELDS, "speakers", "bios")


def _speaker_text(speaker: dict[str, Any]) -> str:
    about = ", ".join(p for p in (speaker.get("role"), speaker.get("organisation")) if p)
    return f"{speaker['name']} ({about})" if about else str(speaker["name"])


def to_csv(document: dict[str, Any]) -> str:
    """One row per talk: the contract fields, lists joined with "; ", each speaker's bio as
    "Name: bio" (blank lines between), UTF-8 with a BOM, and no cell a spreadsheet would run
    as a formula."""

    def row(talk: dict[str, Any]) -> list[Any]:
        values = []
        for column in CSV_COLUMNS:
            value = talk.get(column)
            if column == "bios":
                people = talk.get("speakers") or []
                value = "\n\n".join(f"{s['name']}: {s['bio']}" for s in people if s.get("bio"))
            elif column == "speakers":
                value = "; ".join(_speaker_text(s) for s in value or [])
            elif isinstance(value, list):
                value = "; ".join(str(v) for v in value)
            values.append(value)
        return values

    return rows_to_csv(CSV_COLUMNS, (row(t) for t in document["talks"]))


def to_bibtex(session: Session, permalink: Callable[[Talk], str]) -> str:
    """A BibTeX ``@misc`` entry per visible talk, in id order, citing ``permalink(talk)``."""
    talks = session.scalars(
        select(Talk)
        .where(Talk.hidden.is_(False))
        .order_by(Talk.id)
        .options(selectinload(Talk.appearances).selectinload(Appearance.speaker))
    )
    return bibtex.entries(from_talk(t, permalink(t)) for t in talks)

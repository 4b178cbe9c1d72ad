"""Checks an export document before `cio-talks import` writes anything.

The file is read within a size limit and parsed strictly (UTF-8, JSON, no NaN, no repeated
keys); its nesting depth and string lengths are bounded; its shape is validated against a JSON
Schema made from the models (types, lengths, integer ranges, ISO dates); then, over the rows
the import would insert, ids must be unique, unique columns must not repeat, references must
name rows of the file, and every ``warc_path`` must stay inside the archive folder.

Every function returns one line naming the record concerned ("talks[3] (id 17): …"), or None
when all is well: pure checks on values, the caller decides what to do.
"""

from __future__ import annotations

import datetime as dt
import json
import reprlib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from archive import models, store
from archive.ids import MAX_ID
from archive.models import Base
from scraper.warc_store import WarcStore

#: Nesting deeper than this is refused (an export nests about ten levels).
MAX_DEPTH = 32
#: The longest string anywhere in the document (a Text column holds no more).
MAX_TEXT = 1_000_000
_short = reprlib.Repr()
_short.maxstring = 60
_short.maxother = 60
_formats = FormatChecker()


def short(value: Any) -> str:
    """A value as it may appear in a one-line message: quoted, and cut if long."""
    return " ".join(_short.repr(value).split())


@_formats.checks("iso-date", raises=ValueError)
def _is_date(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.date.fromisoformat(value[:10]))


@_formats.checks("iso-datetime", raises=ValueError)
def _is_datetime(value: object) -> bool:
    return not isinstance(value, str) or bool(dt.datetime.fromisoformat(value))


# -- reading -------------------------------------------------------------------------------


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"the key {short(key)} appears twice in one object")
        found[key] = value
    return found


def _no_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def parse(raw: bytes) -> tuple[Any, str | None]:
    """The JSON value of an export file's bytes, or (None, why it is not one)."""
    if not raw.strip():
        return None, "the file is empty"
    if b"\x00" in raw:
        return None, "binary data, not a JSON export"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 text (byte {exc.start})"
    try:
        return json.loads(text, object_pairs_hook=_no_repeats, parse_constant=_no_constant), None
    except RecursionError:
        return None, "not a JSON export: nested too deeply"
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
    except ValueError as exc:
        return None, f"not a JSON export: {exc}"


# -- where a problem is --------------------------------------------------------------------


def _where(document: Any, path: Iterable[str | int]) -> str:
    """``talks[3] (id 17): record.date`` for the path of a value in the document."""
    parts = list(path)
    if not parts:
        return "the document"
    head = str(parts[0])
    rest = parts[1:]
    if rest and isinstance(rest[0], int):
        head += f"[{rest[0]}]"
        entries = document.get(parts[0]) if isinstance(document, dict) else None
        entry = entries[rest[0]] if isinstance(entries, list) and rest[0] < len(entries) else None
        if isinstance(entry, dict) and isinstance(entry.get("id"), int | str):
            head += f" (id {short(entry['id'])})"
        rest = rest[1:]
    tail = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in rest).lstrip(".")
    if len(tail) > 80:
        tail = tail[:80] + "…"
    return f"{head}: {tail}" if tail else head


def _bounds(
    value: Any, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """(path, problem) of every value nested too deep or string too long, depth first."""
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if len(where) > MAX_DEPTH:
            yield where, f"nested deeper than {MAX_DEPTH} levels"
            continue
        if isinstance(item, str):
            if len(item) > MAX_TEXT:
                yield where, f"text of {len(item)} characters, at most {MAX_TEXT}"
        elif isinstance(item, dict):
            for key, child in reversed(item.items()):
                if len(key) > 200:
                    yield where, f"a key of {len(key)} characters"
                stack.append((child, (*where, key)))
        elif isinstance(item, list):
            stack.extend((child, (*where, i)) for i, child in reversed(list(enumerate(item))))


# -- the schema ----------------------------------------------------------------------------


def _table(model: type[Base]) -> Table:
    return Base.metadata.tables[model.__tablename__]


def _json_shape(model: type[Base], key: str) -> dict[str, Any]:
    """The JSON a JSON column holds, read off the model's annotation."""
    annotation = str(model.__annotations__.get(key, ""))
    if "list[str]" in annotation:
        return {"type": "array", "items": {"type": "string"}}
    if "dict[str, int]" in annotation:
        return {"type": "object", "additionalProperties": {"type": "integer"}}
    if "dict[" in annotation:
        return {"type": "object"}
    return {}


def _column_schema(model: type[Base], column: Column[Any]) -> dict[str, Any]:
    kind = column.type
    schema: dict[str, Any]
    if isinstance(kind, Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, Integer):
        schema = {"type": "integer", "minimum": 1 if column.primary_key else -MAX_ID - 1}
        schema["maximum"] = MAX_ID
    elif isinstance(kind, DateTime):
        schema = {"type": "string", "format": "iso-datetime", "maxLength": 40}
    elif isinstance(kind, Date):
        schema = {"type": "string", "format": "iso-date", "maxLength": 40}
    elif isinstance(kind, String):
        schema = {"type": "string", "maxLength": kind.length or MAX_TEXT}
    elif isinstance(kind, JSON):
        schema = _json_shape(model, column.key)
    else:
        schema = {}
    if column.nullable and "type" in schema:
        schema["type"] = [schema["type"], "null"]
    return schema


def _row_schema(
    model: type[Base], skip: Iterable[str] = (), only: Iterable[str] | None = None
) -> dict[str, Any]:
    """An object of the model's columns (without ``skip``; just ``only`` when given): the
    id and every non-null column without a default are required."""
    skipped, wanted = set(skip), None if only is None else set(only)
    properties, required = {}, []
    for column in _table(model).columns:
        if column.key in skipped or (wanted is not None and column.key not in wanted):
            continue
        properties[column.key] = _column_schema(model, column)
        if column.primary_key or (not column.nullable and column.default is None):
            required.append(column.key)
    return {"type": "object", "properties": properties, "required": required}


def _nested(schema: dict[str, Any], key: str, items: dict[str, Any]) -> dict[str, Any]:
    schema["properties"][key] = {"type": "array", "items": items}
    return schema


@cache
def document_schema() -> dict[str, Any]:
    """The JSON Schema of an export (archive.transfer.export_document), from the models."""
    record = _row_schema(models.Talk, skip=("id", "source_url", "warnings", *store.TALK_FIELDS))
    appearance = _row_schema(models.Appearance, skip=("talk_id",))
    appearance["required"].remove("id")  # an export leaves appearance ids out
    talk = _row_schema(models.Talk, only=("id", "source_url", "warnings", *store.TALK_FIELDS))
    talk["properties"]["record"] = _nested(record, "appearances", appearance)
    for name in ("industries", "themes"):  # the contract may give null for "none"
        talk["properties"][name]["type"] = ["array", "null"]
    lists = {
        "talks": talk,
        "overrides": _row_schema(models.Override),
        "speakers": _nested(
            _row_schema(models.Speaker),
            "aliases",
            _row_schema(models.SpeakerAlias, skip=("speaker_id",)),
        ),
        "organisations": _nested(
            _row_schema(models.Organisation),
            "aliases",
            _row_schema(models.OrganisationAlias, skip=("organisation_id",)),
        ),
        "runs": _nested(
            _row_schema(models.Run), "events", _row_schema(models.RunEvent, skip=("run_id",))
        ),
        "pages": _row_schema(models.Page),
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "required": ["format", "version", *lists],
        "properties": {
            **{key: {"type": "array", "items": item} for key, item in lists.items()},
            "profiles": {"type": "object"},
        },
    }


def _message(error: ValidationError) -> str:
    """What is wrong with the value, briefly (never the whole of a huge value)."""
    value = error.instance
    if error.validator == "required":
        missing = [k for k in error.validator_value if k not in value]
        return f"missing {', '.join(repr(k) for k in missing)}"
    if error.validator == "type":
        wanted = error.validator_value
        wanted = " or ".join(wanted) if isinstance(wanted, list) else wanted
        return f"{short(value)} is not of type {wanted}"
    if error.validator == "maxLength":
        return f"text of {len(value)} characters, at most {error.validator_value}"
    if error.validator in ("minimum", "maximum"):
        return f"{short(value)} is out of range"
    if error.validator == "format":
        return f"{short(value)} is not an ISO {error.validator_value.removeprefix('iso-')}"
    return " ".join(error.message.split())[:200]


def document_problem(document: Any) -> str | None:
    """The first problem of the document's shape: bounds, then the schema."""
    for path, problem in _bounds(document):
        return f"{_where(document, path)}: {problem}"
    validator = Draft202012Validator(document_schema(), format_checker=_formats)
    error = next(iter(validator.iter_errors(document)), None)
    if error is None:
        return None
    return f"{_where(document, error.absolute_path)}: {_message(error)}"


# -- rows: ids, unique values, references, archive paths -----------------------------------


def _label(model: type[Base], row: Mapping[str, Any], index: int) -> str:
    """``talks row 4 (id 17)``: the table, the row's place among its rows, and its id (or,
    for rows an export gives no id, the rows it links)."""
    if row.get("id") is not None:
        about = f"id {short(row['id'])}"
    else:
        about = ", ".join(
            f"{c.key} {short(row.get(c.key))}" for c in _table(model).columns if c.foreign_keys
        )
    return f"{model.__tablename__} row {index + 1} ({about})"


def _unique_sets(model: type[Base]) -> list[tuple[str, ...]]:
    table = _table(model)
    sets: list[tuple[str, ...]] = [(c.key,) for c in table.columns if c.unique or c.primary_key]
    sets += [
        tuple(c.key for c in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    return list(dict.fromkeys(sets))


def _repeats(model: type[Base], rows: list[dict[str, Any]]) -> str | None:
    for keys in _unique_sets(model):
        seen: dict[tuple[Any, ...], int] = {}
        for index, row in enumerate(rows):
            value = tuple(row.get(k) for k in keys)
            if any(v is None for v in value):
                continue
            if value in seen:
                what = ", ".join(f"{k} {short(v)}" for k, v in zip(keys, value, strict=True))
                return f"{_label(model, row, index)}: {what} repeats row {seen[value] + 1}"
            seen[value] = index
    return None


def _dangling(rows: Mapping[type[Base], list[dict[str, Any]]]) -> str | None:
    ids = {model.__tablename__: {r.get("id") for r in found} for model, found in rows.items()}
    for model, found in rows.items():
        for column in _table(model).columns:
            for key in column.foreign_keys:
                target = key.column.table.name
                for index, row in enumerate(found):
                    value = row.get(column.key)
                    if value is not None and value not in ids.get(target, set()):
                        where = _label(model, row, index)
                        return f"{where}: {column.key} {value} names no {target} row"
    return None


def warc_path_problem(name: str, warcs: WarcStore | None) -> str | None:
    """Why ``name`` cannot be a file of the archive, or None: a relative path with no ``..``,
    no backslash or NUL, that the store ``warcs`` accepts (the local folder: one that stays
    inside it once links are followed)."""
    if not name or "\x00" in name or "\\" in name:
        return "is not a file name of the archive"
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or name.startswith("~"):
        return "is outside the archive folder"
    if warcs is not None:
        return warcs.name_problem(name)
    return None


def rows_problem(
    rows: Mapping[type[Base], list[dict[str, Any]]], warcs: WarcStore | None = None
) -> str | None:
    """The first problem of the rows an import would insert, or None."""
    for model, found in rows.items():
        problem = _repeats(model, found)
        if problem:
            return problem
    problem = _dangling(rows)
    if problem:
        return problem
    for index, row in enumerate(rows.get(models.Page, [])):
        path = row.get("warc_path")
        if path is not None:
            problem = warc_path_problem(str(path), warcs)
            if problem:
                return f"{_label(models.Page, row, index)}: warc_path {short(path)} {problem}"
    return None

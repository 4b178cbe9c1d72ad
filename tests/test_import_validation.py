"""Hostile and malformed `cio-talks import` files: each gives one line naming what is wrong
(and where), exit 1, and leaves the database, the rules folder and the archive as they were.
A `warc_path` leading out of the archive folder is refused, and never read by the site."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from archive import create_app
from archive.db import engine_of, new_session, upgrade
from archive.ingest import Ingest
from archive.models import Page, Talk
from archive.samples import sample_dir
from archive.transfer import export_document, is_empty
from scraper.warc import LocalWarcStore, RecordRef

SAMPLES = ("aaberg-2019.html", "ashby-2019.html", "borg-2024.html")
Doc = dict[str, Any]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Doc]:
    """A real export of three sample talks (with speakers, runs, pages)."""
    base = tmp_path_factory.mktemp("exported")
    folder = base / "pages"
    folder.mkdir()
    for name in SAMPLES:
        shutil.copy(sample_dir() / name, folder / name)
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_DIR": str(base / "instance"),
            "DATABASE_URL": f"sqlite:///{base / 'db.sqlite3'}",
            "SECRET_KEY": "test",
        }
    )
    assert Ingest(app).scrape([str(folder)]).exit_code == 0
    with new_session(app) as session:
        document = export_document(session)
    engine_of(app).dispose()
    assert len(document["talks"]) == 3 and document["pages"] and document["speakers"]
    yield document


def _set(path: str, value: Any) -> Callable[[Doc], Doc]:
    """A change of the value at ``path`` (dots; numbers index lists)."""

    def change(doc: Doc) -> Doc:
        *parents, last = [int(p) if p.isdigit() else p for p in path.split(".")]
        target: Any = doc
        for part in parents:
            target = target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value
        return doc

    return change


_DELETE = object()


def _nested(depth: int) -> Any:
    value: Any = "deep"
    for _ in range(depth):
        value = [value]
    return value


def _twice(key: str) -> Callable[[Doc], Doc]:
    def change(doc: Doc) -> Doc:
        doc[key].append(copy.deepcopy(doc[key][0]))
        return doc

    return change


def _same_url(doc: Doc) -> Doc:
    doc["talks"][1]["source_url"] = doc["talks"][0]["source_url"]
    return doc


#: (name, change of a good export, or raw bytes; words the one-line message must hold)
MALFORMED: list[tuple[str, Callable[[Doc], Doc] | bytes, tuple[str, ...]]] = [
    ("empty file", b"", ("empty",)),
    ("only blanks", b" \n\t\n", ("empty",)),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ("binary",)),
    ("not UTF-8", '{"format": "cio-talks-archive", "x": "Æ"}'.encode("latin-1"), ("UTF-8",)),
    ("not JSON", b"{not json", ("not JSON", "line 1")),
    ("truncated JSON", b'{"format": "cio-talks-archive", "talks": [', ("not JSON",)),
    ("JSON but a list", b"[1, 2, 3]", ("not a cio-talks-archive export",)),
    ("NaN", b'{"format": "cio-talks-archive", "version": NaN}', ("NaN",)),
    ("repeated key", b'{"format": "cio-talks-archive", "format": "x"}', ("'format'", "twice")),
    ("deep nesting past the parser", b"[" * 200_000 + b"]" * 200_000, ("nested too deeply",)),
    (
        "deep nesting",
        _set("talks.0.record.extracted", {"x": _nested(60)}),
        ("talks[0] (id 1)", "deeper"),
    ),
    ("wrong format", _set("format", "other-archive"), ("not a cio-talks-archive export",)),
    ("wrong version", _set("version", 99), ("version 99",)),
    ("missing list", _set("pages", _DELETE), ("missing 'pages'",)),
    ("missing talk id", _set("talks.1.id", _DELETE), ("talks[1]", "missing 'id'")),
    ("missing source_url", _set("talks.0.source_url", _DELETE), ("talks[0]", "'source_url'")),
    ("list is an object", _set("talks", {"a": 1}), ("talks", "not of type array")),
    ("id is text", _set("talks.0.id", "seven"), ("talks[0]", "'seven'", "integer")),
    ("id overflows", _set("talks.0.id", 2**40), ("talks[0]", "out of range")),
    ("id is zero", _set("speakers.0.id", 0), ("speakers[0]", "out of range")),
    ("title is a number", _set("talks.0.title", 12), ("talks[0]", "title", "string")),
    ("flag is text", _set("talks.0.record.hidden", "yes"), ("record.hidden", "boolean")),
    ("null where required", _set("pages.0.url", None), ("pages[0]", "url", "string")),
    ("huge string", _set("talks.0.abstract", "x" * 1_500_001), ("talks[0]", "1500001")),
    ("string over its column", _set("talks.0.series", "s" * 301), ("talks[0]", "series", "300")),
    ("list of non-strings", _set("talks.0.themes", [1, 2]), ("talks[0]", "themes")),
    ("bad date", _set("talks.0.date", "2024-13-45"), ("talks[0]", "date", "ISO date")),
    ("bad datetime", _set("pages.0.fetched_at", "yesterday"), ("pages[0]", "fetched_at")),
    ("duplicate talk ids", _twice("talks"), ("talks row 4 (id 1)", "repeats row 1")),
    ("duplicate page ids", _twice("pages"), ("pages row", "(id 1)", "repeats row 1")),
    ("repeated unique URL", _same_url, ("source_url", "repeats")),
    ("dangling reference", _set("talks.0.record.page_id", 4242), ("page_id 4242", "names no")),
    (
        "traversal path",
        _set("pages.0.warc_path", "../../../../etc/passwd"),
        ("pages row 1 (id 1)", "outside the archive folder"),
    ),
    ("absolute path", _set("pages.0.warc_path", "/etc/passwd"), ("outside the archive folder",)),
    ("home path", _set("pages.0.warc_path", "~/x.warc.gz"), ("outside the archive folder",)),
    ("NUL in path", _set("pages.0.warc_path", "a\x00.warc.gz"), ("not a file name",)),
    ("bad profile name", _set("profiles", {"../../evil": {}}), ("profile name",)),
    ("profiles not an object", _set("profiles", ["x"]), ("profiles",)),
]


def _state(app: Flask) -> tuple[bool, list[str], list[str]]:
    """Whether the database is empty, and the files of the rules and archive folders."""
    upgrade(engine_of(app))
    with new_session(app) as session:
        empty = is_empty(session)
    files = [
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
        for root in (Path(app.config["RULES_DIR"]), Path(app.config["ARCHIVE_DIR"]))
    ]
    return empty, files[0], files[1]


@pytest.mark.parametrize(
    ("change", "words"),
    [pytest.param(change, words, id=name) for name, change, words in MALFORMED],
)
def test_malformed_import_is_one_line_exit_1_and_changes_nothing(
    app: Flask,
    tmp_path: Path,
    exported: Doc,
    change: Callable[[Doc], Doc] | bytes,
    words: tuple[str, ...],
) -> None:
    path = tmp_path / "hostile.json"
    if isinstance(change, bytes):
        path.write_bytes(change)
    else:
        path.write_text(json.dumps(change(copy.deepcopy(exported))), encoding="utf-8")
    before = _state(app)
    assert before[0]  # an empty database: the only kind an import writes to
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    for word in words:
        assert word in lines[0], (word, lines[0])
    assert len(lines[0]) < 400
    assert _state(app) == before


def test_the_good_export_imports(app: Flask, tmp_path: Path, exported: Doc) -> None:
    path = tmp_path / "good.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    with new_session(app) as session:
        assert session.scalar(select(func.count()).select_from(Talk)) == 3


def test_import_refused_by_the_database_is_one_line_and_rolled_back(
    app: Flask, tmp_path: Path, exported: Doc, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure only the database sees (here: a page row it refuses) leaves no row behind."""
    from archive import import_check

    monkeypatch.setattr(import_check, "rows_problem", lambda rows, archive_dir=None: None)
    document = _twice("pages")(copy.deepcopy(exported))  # duplicate primary key, unchecked
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1, result.output
    (line,) = result.output.splitlines()
    assert line.startswith("Error: pages: the database refused")
    assert _state(app)[0]


def test_traversal_warc_path_is_never_read(tmp_path: Path) -> None:
    store = LocalWarcStore(tmp_path / "archive")
    (tmp_path / "archive").mkdir()
    (tmp_path / "secret.warc.gz").write_bytes(b"not for visitors")
    for name in ("../secret.warc.gz", "/etc/passwd", "", "."):
        with pytest.raises(ValueError, match="not a file of the archive folder"):
            store.read(RecordRef(name, 0, 100, "", ""))
    with (
        LocalWarcStore(tmp_path / "archive") as kept,
        pytest.raises(ValueError, match="not a file of the archive folder"),
    ):
        kept.read(RecordRef("../../../../etc/passwd", 0, 100, "", ""))


def test_traversal_warc_path_in_the_database_is_a_404(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / SAMPLES[0], folder / SAMPLES[0])
    assert Ingest(app).scrape([str(folder)]).exit_code == 0
    with new_session(app) as session:
        page = session.scalars(select(Page)).one()
        page.warc_path = "../../../../etc/passwd"
        talk_id = session.scalars(select(Talk.id)).one()
        session.commit()
    answer = app.test_client().get(f"/talks/{talk_id}/archived")
    assert answer.status_code == 404
    assert b"root:" not in answer.data

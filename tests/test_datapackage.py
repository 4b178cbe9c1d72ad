"""The Frictionless Data Package export (CLI and site): it validates with frictionless, loads
into pandas with its types, joins on its keys; every CSV path quotes formula-like cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from frictionless import Package, validate
from sqlalchemy import select
from test_exports import api_ids
from test_transfer import loaded

from archive.db import new_session
from archive.models import Talk
from archive.spreadsheet import BOM

PANDAS_TYPES = {"integer": "Int64", "string": "string", "boolean": "boolean"}


def check_valid(path: Path) -> None:
    report = validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def frames(folder: Path) -> dict[str, Any]:
    """Each table read by pandas with the types its Table Schema declares."""
    import pandas as pd

    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    out = {}
    for resource in descriptor["resources"]:
        fields = resource["schema"]["fields"]
        dtypes = {f["name"]: PANDAS_TYPES[f["type"]] for f in fields if f["type"] in PANDAS_TYPES}
        dates = [f["name"] for f in fields if f["type"] == "date"]
        frame = pd.read_csv(
            folder / resource["path"],
            dtype=dtypes,
            keep_default_na=False,
            na_values={k: [""] for k in dtypes if dtypes[k] != "string"},
        )
        for name in dates:
            frame[name] = pd.to_datetime(frame[name], format="%Y-%m-%d", errors="raise")
        out[resource["name"]] = frame
    return out


def hostile(app: Flask) -> int:
    """A talk whose topic and source URL would run as spreadsheet formulas."""
    with new_session(app) as session:
        talk = session.scalars(select(Talk).order_by(Talk.id.desc())).first()
        assert talk is not None
        talk.topic = '=HYPERLINK("http://evil.example","click")'
        talk.source_url = "@SUM(1+1)*cmd|' /C calc'!A0"
        session.commit()
        return talk.id


@dataclass
class Exported:
    """A data package written by the CLI, and what the database holds."""

    folder: Path
    hostile_id: int
    visible_ids: list[int]
    appearances: int


@pytest.fixture
def exported(app: Flask, tmp_path: Path) -> Exported:
    loaded(app)
    talk_id = hostile(app)
    folder = tmp_path / "package"
    result = app.test_cli_runner().invoke(
        args=["export", "--format", "datapackage", "--output", str(folder)]
    )
    assert result.exit_code == 0, result.output
    with new_session(app) as session:
        visible = session.scalars(select(Talk).where(Talk.hidden.is_(False))).all()
        count = sum(len(t.appearances) for t in visible)
        return Exported(folder, talk_id, sorted(t.id for t in visible), count)


def test_cli_data_package_validates_and_reads_typed(exported: Exported) -> None:
    check_valid(exported.folder / "datapackage.json")
    package = Package(str(exported.folder / "datapackage.json"))
    assert {r.name for r in package.resources} == {
        "talks",
        "speakers",
        "appearances",
        "organisations",
    }
    talks = package.get_resource("talks").read_rows()
    assert sorted(row["id"] for row in talks) == exported.visible_ids
    assert all(isinstance(row["date"], dt.date) or row["date"] is None for row in talks)
    assert any(isinstance(row["start_time"], dt.time) for row in talks)
    assert all(isinstance(row["gone"], bool) for row in talks)
    appearances = package.get_resource("appearances").read_rows()
    assert len(appearances) == exported.appearances
    assert all(isinstance(row["speaker_id"], int) for row in appearances)


def test_cli_data_package_loads_into_pandas_with_types(exported: Exported) -> None:
    pytest.importorskip("pandas")
    tables = frames(exported.folder)
    talks = tables["talks"]
    assert sorted(talks["id"].tolist()) == exported.visible_ids
    assert str(talks["id"].dtype) == "Int64"
    assert str(talks["date"].dtype).startswith("datetime64")
    assert str(talks["gone"].dtype) == "boolean"
    assert str(tables["appearances"]["organisation_id"].dtype) == "Int64"
    assert talks["url"].str.startswith("http://localhost:8000/talks/").all()  # SITE_URL
    joined = tables["appearances"].merge(talks, left_on="talk_id", right_on="id")
    joined = joined.merge(tables["speakers"], left_on="speaker_id", right_on="id")
    assert len(joined) == len(tables["appearances"]) == exported.appearances
    row = talks[talks["id"] == exported.hostile_id].iloc[0]
    assert row["topic"].startswith("'=HYPERLINK")
    assert row["source_url"] == ""  # no web address: research data gives no other kind


def test_cli_data_package_as_zip(app: Flask, tmp_path: Path) -> None:
    loaded(app)
    target = tmp_path / "cio.zip"
    result = app.test_cli_runner().invoke(
        args=["export", "--format", "datapackage", "--output", str(target)]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        assert "datapackage.json" in archive.namelist()
        archive.extractall(tmp_path / "unzipped")
    check_valid(tmp_path / "unzipped" / "datapackage.json")


def test_cli_data_package_needs_an_output(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["export", "--format", "datapackage"])
    assert result.exit_code == 2 and "needs --output" in result.output


def test_cli_csv_quotes_formulas_and_has_a_bom(app: Flask, tmp_path: Path) -> None:
    loaded(app)
    talk_id = hostile(app)
    out = tmp_path / "talks.csv"
    result = app.test_cli_runner().invoke(args=["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(BOM)
    (row,) = [r for r in csv.DictReader(io.StringIO(text[1:])) if r["id"] == str(talk_id)]
    assert row["topic"] == "'" + '=HYPERLINK("http://evil.example","click")'
    assert row["source_url"] == "'@SUM(1+1)*cmd|' /C calc'!A0"
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert any(r["bios"].startswith("Per Buchwaldt: Per Buchwaldt is CIO") for r in rows)


def test_web_csv_quotes_formulas(app: Flask) -> None:
    from archive import indexing
    from archive.db import get_session

    loaded(app)
    talk_id = hostile(app)
    with app.app_context():
        indexing.rebuild(get_session(), app.config["INDEX_DIR"])
    text = app.test_client().get("/export.csv").get_data(as_text=True)
    (row,) = [r for r in csv.DictReader(io.StringIO(text[1:])) if r["id"] == str(talk_id)]
    assert row["topic"].startswith("'=")
    assert row["source_url"] == ""  # not an http(s) address: not given to visitors


@pytest.mark.parametrize("params", [{}, {"industry": "Health care", "from": "2012", "to": "2016"}])
def test_site_download_of_a_search(
    client: FlaskClient, tmp_path: Path, params: dict[str, str]
) -> None:
    response = client.get("/export.datapackage.zip", query_string=params)
    assert response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"].endswith('.datapackage.zip"')
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        archive.extractall(tmp_path)
    check_valid(tmp_path / "datapackage.json")
    package = Package(str(tmp_path / "datapackage.json"))
    ids = [row["id"] for row in package.get_resource("talks").read_rows()]
    assert sorted(ids) == sorted(api_ids(client, params))

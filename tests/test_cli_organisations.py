"""``cio-talks organisations``: list, rename, merge and industries through click's CliRunner."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from archive.db import new_session
from archive.models import AuditEntry, Organisation
from archive.samples import sample_dir

COLE = (sample_dir() / "cole-2021.html").read_text(encoding="utf-8")
COLE_LATER = COLE.replace("November 24, 2021", "November 23, 2022").replace(
    "Riverbend Media Group", "Riverbend Media Grp"
)


def facet(app: Flask, name: str) -> dict[str, int]:
    data = app.test_client().get("/api/v1/talks").get_json()
    return {entry["value"]: entry["count"] for entry in data["facets"][name]}


def test_organisations_commands(runner: FlaskCliRunner, app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "cole.html").write_text(COLE, encoding="utf-8")
    (folder / "cole-later.html").write_text(COLE_LATER, encoding="utf-8")
    assert runner.invoke(args=["scrape", str(folder)]).exit_code == 0

    listed = runner.invoke(args=["organisations", "list", "riverbend"])
    assert listed.exit_code == 0, listed.output
    assert "Riverbend Media Group  talks 1" in listed.output
    assert "Riverbend Media Grp  talks 1" in listed.output

    merged = runner.invoke(
        args=["organisations", "merge", "Riverbend Media Group", "Riverbend Media Grp"]
    )
    assert merged.exit_code == 0, merged.output
    assert "2 talks updated" in merged.output
    renamed = runner.invoke(
        args=["organisations", "rename", "Riverbend Media Grp", "Riverbend Media"]
    )
    assert renamed.exit_code == 0, renamed.output  # found through its alias
    assert facet(app, "organisation") == {"Riverbend Media": 2}

    fixed = runner.invoke(
        args=[
            "organisations",
            "industries",
            "Riverbend Media",
            "Media & entertainment",
            "Telecommunications",
        ]
    )
    assert fixed.exit_code == 0, fixed.output
    assert facet(app, "industry") == {"Media & entertainment": 2, "Telecommunications": 2}
    shown = runner.invoke(args=["organisations", "industries", "Riverbend Media"])
    assert "(set by an admin)" in shown.output

    # a re-scrape that extracts both old names lands on the one record and keeps its industries
    for page in folder.iterdir():
        page.write_text(
            page.read_text(encoding="utf-8").replace("She started", "She began"), encoding="utf-8"
        )
    assert runner.invoke(args=["scrape", str(folder)]).exit_code == 0
    assert facet(app, "organisation") == {"Riverbend Media": 2}
    assert facet(app, "industry")["Telecommunications"] == 2
    with new_session(app) as db:
        (org,) = db.scalars(select(Organisation))
        assert {a.name for a in org.aliases} == {"Riverbend Media Group", "Riverbend Media Grp"}
        actions = [e.action for e in db.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["organisation.merge", "organisation.rename", "organisation.industries"]

    cleared = runner.invoke(args=["organisations", "industries", "Riverbend Media", "--clear"])
    assert cleared.exit_code == 0, cleared.output
    assert facet(app, "industry") == {"Media & entertainment": 2}

    missing = runner.invoke(args=["organisations", "rename", "Nowhere Inc", "X"])
    assert missing.exit_code != 0 and "no organisation" in missing.output
    clash = runner.invoke(
        args=["organisations", "merge", "Riverbend Media", "Riverbend Media Group"]
    )
    assert clash.exit_code != 0 and "itself" in clash.output

"""Export → import into an empty database → export gives the same document, on both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, select, text

from archive import appearances, organisations, store
from archive.db import engine_of, new_session
from archive.ingest import Ingest
from archive.models import Organisation, Speaker, Talk
from archive.samples import sample_dir
from archive.transfer import TransferError, export_document, import_document


def empty_database(app: Flask, tmp_path: Path) -> str:
    """A URL of an empty database of the same kind as ``app``'s."""
    url = app.config["DATABASE_URL"]
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'second.sqlite3'}"
    engine_of(app).dispose()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return str(url)


def second_app(app: Flask, tmp_path: Path) -> Flask:
    from archive import create_app

    url = empty_database(app, tmp_path)
    return create_app(
        {
            "TESTING": True,
            "INSTANCE_DIR": str(tmp_path / "second"),
            "DATABASE_URL": url,
            "SECRET_KEY": "test",
        }
    )


def loaded(app: Flask) -> None:
    """Samples ingested, one correction, one merge: every kind of row present."""
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    with new_session(app) as session:
        talk = session.scalars(select(Talk).order_by(Talk.id)).first()
        assert talk is not None
        store.set_override(session, talk, "topic", "A corrected topic", "admin")
        first, second = session.scalars(select(Speaker).order_by(Speaker.id).limit(2)).all()
        store.merge_speakers(session, first, second)
        org = session.scalars(select(Organisation).order_by(Organisation.id)).first()
        assert org is not None
        organisations.rename(session, org, org.name + " (renamed)")
        organisations.set_industries(session, org, ["Technology"], "admin")
        speaker_id = talk.appearances[0].speaker.id
        appearances.set_correction(session, talk, speaker_id, "role", "Chief Data Officer", "a")
        session.commit()


def test_round_trip_gives_the_same_document(app: Flask, tmp_path: Path) -> None:
    loaded(app)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["talks"] and document["overrides"] and document["runs"][0]["events"]
    corrected = document["talks"][0]
    assert corrected["topic"] == "A corrected topic"
    assert {"id", "source_url", "title", "date", "speakers", "themes"} <= set(corrected)
    assert any(len(s["aliases"]) == 2 for s in document["speakers"])
    (renamed,) = [o for o in document["organisations"] if o["aliases"]]
    assert renamed["name"].endswith(" (renamed)") and renamed["industries"] == ["Technology"]
    assert any(o["field"].endswith(":role") for o in document["overrides"])
    path = tmp_path / "export.json"
    path.write_text(result.output, encoding="utf-8")

    other = second_app(app, tmp_path)
    imported = other.test_cli_runner().invoke(args=["import", str(path)])
    assert imported.exit_code == 0, imported.output
    again = other.test_cli_runner().invoke(args=["export"])
    assert again.exit_code == 0
    assert json.loads(again.output) == document
    assert again.output == result.output
    # the imported archive works: new rows get fresh ids, the override still holds
    with new_session(other) as session:
        talk = session.get(Talk, corrected["id"])
        assert talk is not None and talk.topic == "A corrected topic"
        session.add(Speaker(name="Someone New"))
        session.commit()
    engine_of(other).dispose()


def test_import_refuses_a_database_with_data(app: Flask, tmp_path: Path) -> None:
    loaded(app)
    with new_session(app) as session:
        document = export_document(session)
        with pytest.raises(TransferError, match="empty database"):
            import_document(session, document)
        with pytest.raises(TransferError, match="not a"):
            import_document(session, {"talks": []})
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["import", str(path)])
    assert result.exit_code == 1 and "bad.json: not JSON" in result.output


def test_csv_and_bibtex(app: Flask, tmp_path: Path) -> None:
    loaded(app)
    runner = app.test_cli_runner()
    out = tmp_path / "talks.csv"
    result = runner.invoke(args=["export", "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0
    lines = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert lines[0][:3] == ["id", "source_url", "title"]
    with new_session(app) as session:
        talks = session.scalars(select(Talk)).all()
        assert len(lines) == 1 + len(talks)
    bib = runner.invoke(args=["export", "--format", "bibtex"]).output
    assert bib.count("@misc{") == len(talks)

"""Index replicas: the change log written with each change, and node folders following it.

Runs on SQLite and, when CIO_TALKS_TEST_POSTGRES_URL is set, on PostgreSQL (where a NOTIFY
also wakes the follower before its interval is over).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from adminkit import add_admin, set_hidden, signed_in_client
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import delete, inspect, select
from test_admin_corrections import edit_form

from archive import changelog, check, replica
from archive.db import alembic_config, engine_of, new_session, upgrade
from archive.follower import Follower
from archive.ingest import Ingest
from archive.models import Appearance, Base, Talk, TalkChange
from archive.samples import sample_dir
from archive.warcs import warc_store
from index import writer


@pytest.fixture
def loaded(app: Flask) -> Flask:
    """The app with the bundled samples scraped (its own index follows the log)."""
    report = Ingest(app).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    return app


def titles(index_dir: Path) -> dict[int, str]:
    """Talk id → stored title of every document in the folder's live index."""
    return {int(d["id"]): str(d["title"]) for d in check.stored_index_fields(index_dir)}


def visible_ids(app: Flask) -> set[int]:
    with new_session(app) as db:
        return set(db.scalars(select(Talk.id).where(Talk.hidden.is_(False))))


def log_rows(app: Flask) -> list[tuple[int | None, str]]:
    with new_session(app) as db:
        return [
            (r.talk_id, r.kind) for r in db.scalars(select(TalkChange).order_by(TalkChange.seq))
        ]


def newest(app: Flask) -> int:
    with new_session(app) as db:
        return changelog.newest(db)


def catch_up(app: Flask, index_dir: Path) -> replica.CatchUp:
    with new_session(app) as db:
        result = replica.catch_up(db, index_dir)
    assert result is not None
    return result


def retitle(app: Flask, talk_id: int, title: str, *, log: bool = True) -> None:
    """Change a talk's title in the database, with its log row unless told otherwise."""
    with new_session(app) as db:
        talk = db.get(Talk, talk_id)
        assert talk is not None
        talk.title = title
        if log:
            changelog.record(db, [talk_id])
        db.commit()


def first_id(app: Flask) -> int:
    return min(visible_ids(app))


def drift(app: Flask, index_dir: Path, **limits: Any) -> list[check.Problem]:
    with new_session(app) as db:
        return check.run_check(db, index_dir, warc_store(app), **limits).problems


def test_a_scrape_logs_every_new_talk_and_its_own_index_is_current(loaded: Flask) -> None:
    rows = log_rows(loaded)
    assert {talk_id for talk_id, _kind in rows} == visible_ids(loaded)
    assert {kind for _id, kind in rows} == {"upsert"}
    index_dir = loaded.config["INDEX_DIR"]
    assert replica.applied_seq(index_dir) == newest(loaded)
    assert set(titles(index_dir)) == visible_ids(loaded)


def test_a_new_node_builds_its_index_from_the_database(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    result = catch_up(loaded, node)
    assert result.rebuilt
    assert set(titles(node)) == visible_ids(loaded)
    assert replica.applied_seq(node) == newest(loaded)
    assert drift(loaded, node) == []


def test_a_change_is_applied_from_the_stored_sequence_on(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    start = replica.applied_seq(node)
    talk_id = first_id(loaded)
    retitle(loaded, talk_id, "Replicas in practice")
    retitle(loaded, talk_id, "Replicas in practice, revised")
    result = catch_up(loaded, node)
    assert (result.start, result.changes, result.rebuilt) == (start, 2, False)
    assert titles(node)[talk_id] == "Replicas in practice, revised"
    assert replica.applied_seq(node) == newest(loaded)
    again = catch_up(loaded, node)  # a restart: nothing past the stored sequence
    assert (again.start, again.changes) == (newest(loaded), 0)


def test_hidden_and_deleted_talks_leave_the_replica(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    hidden_id, deleted_id = sorted(visible_ids(loaded))[:2]
    with new_session(loaded) as db:
        talk = db.get(Talk, hidden_id)
        assert talk is not None
        talk.hidden = True
        db.execute(delete(Appearance).where(Appearance.talk_id == deleted_id))
        db.execute(delete(Talk).where(Talk.id == deleted_id))
        changelog.record(db, [hidden_id, deleted_id])
        db.commit()
    assert log_rows(loaded)[-2:] == [(hidden_id, "hide"), (deleted_id, "delete")]
    result = catch_up(loaded, node)
    assert result.deleted == 2
    assert not {hidden_id, deleted_id} & set(titles(node))
    assert drift(loaded, node) == []


def test_a_rolled_back_change_leaves_no_log_row(loaded: Flask) -> None:
    before = newest(loaded)
    with new_session(loaded) as db:
        talk = db.get(Talk, first_id(loaded))
        assert talk is not None
        talk.title = "Never saved"
        changelog.record(db, [talk.id])
        db.rollback()
    assert newest(loaded) == before


def test_admin_hide_and_correction_write_their_rows_and_other_nodes_follow(
    loaded: Flask, tmp_path: Path
) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    add_admin(loaded)
    client = signed_in_client(loaded)
    talk_id = first_id(loaded)
    set_hidden(client, talk_id, True)
    assert log_rows(loaded)[-1] == (talk_id, "hide")
    catch_up(loaded, node)
    assert talk_id not in titles(node)
    set_hidden(client, talk_id, False)
    form = edit_form(client, talk_id)
    form["title"] = "Corrected on node A"
    response = client.post(f"/admin/talks/{talk_id}/edit", data=form)
    assert response.status_code == 302
    assert log_rows(loaded)[-1] == (talk_id, "upsert")
    assert titles(loaded.config["INDEX_DIR"])[talk_id] == "Corrected on node A"
    catch_up(loaded, node)
    assert titles(node)[talk_id] == "Corrected on node A"


def test_a_reindex_row_makes_every_node_rebuild(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    generation = writer.current_generation(node)
    with new_session(loaded) as db:
        replica.reindex(db, loaded.config["INDEX_DIR"])
    assert log_rows(loaded)[-1] == (None, "rebuild")
    result = catch_up(loaded, node)
    assert result.rebuilt
    assert writer.current_generation(node) != generation
    assert set(titles(node)) == visible_ids(loaded)


def test_a_folder_being_caught_up_elsewhere_is_skipped_not_waited_for(
    loaded: Flask, tmp_path: Path
) -> None:
    node = tmp_path / "node-b"
    with replica.locked(node) as holding:
        assert holding
        with new_session(loaded) as db:
            assert replica.catch_up(db, node, wait=0) is None
            with pytest.raises(replica.ReplicaBusyError):
                replica.catch_up(db, node, wait=0.2)
    assert catch_up(loaded, node).rebuilt


@pytest.fixture
def follower(loaded: Flask, tmp_path: Path) -> Iterator[tuple[Follower, Path]]:
    """A follower of a second node folder, with a long interval (only NOTIFY or the first
    round wake it early), stopped after the test."""
    node = tmp_path / "node-b"
    loaded.config["INDEX_DIR"] = node
    running = Follower(loaded, interval=0.3).start()
    yield running, node
    running.stop()


def wait_for(check_: Any, timeout: float) -> float:
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        if check_():
            return time.monotonic() - began
        time.sleep(0.02)
    raise AssertionError(f"not within {timeout} s")


def test_the_follower_builds_then_follows_changes(
    follower: tuple[Follower, Path], loaded: Flask
) -> None:
    _running, node = follower
    wait_for(lambda: replica.applied_seq(node) == newest(loaded), 20)
    talk_id = first_id(loaded)
    retitle(loaded, talk_id, "Followed in the background")
    wait_for(lambda: titles(node).get(talk_id) == "Followed in the background", 10)


def test_on_postgresql_a_notify_wakes_the_follower_early(loaded: Flask, tmp_path: Path) -> None:
    if loaded.config["DATABASE_URL"].startswith("sqlite"):
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    node = tmp_path / "node-b"
    loaded.config["INDEX_DIR"] = node
    running = Follower(loaded, interval=30).start()
    try:
        wait_for(lambda: replica.applied_seq(node) == newest(loaded), 20)
        time.sleep(0.5)  # the follower is now waiting on its LISTEN connection
        talk_id = first_id(loaded)
        retitle(loaded, talk_id, "Woken by a notification")
        waited = wait_for(lambda: titles(node).get(talk_id) == "Woken by a notification", 10)
    finally:
        running.stop()
    assert waited < 10  # well before the 30 s interval


def test_check_reports_a_lagging_replica_and_repair_catches_it_up(
    loaded: Flask, tmp_path: Path
) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    for number, talk_id in enumerate(sorted(visible_ids(loaded))[:3]):
        retitle(loaded, talk_id, f"Lagging {number}")
    # three rows behind, within the limits: not lag yet, but the three talks differ
    assert [p.kind for p in drift(loaded, node, max_lag=5)] == ["stale"] * 3
    found = drift(loaded, node, max_lag=2)
    lag = [p for p in found if p.kind == "lag"]
    assert len(lag) == 1 and "3 change(s) behind" in lag[0].detail
    assert len([p for p in found if p.kind == "stale"]) == 3
    assert [p.kind for p in drift(loaded, node, max_lag=100, max_lag_seconds=0)] == [
        "lag",
        "stale",
        "stale",
        "stale",
    ]
    with new_session(loaded) as db:
        result = check.run_check(db, node, warc_store(loaded), max_lag=2)
        done = check.repair(db, node, result)
    assert any("caught up with the change log: 3 change(s)" in line for line in done)
    assert drift(loaded, node, max_lag=0, max_lag_seconds=0) == []


def test_check_reports_drift_that_no_log_row_explains(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    catch_up(loaded, node)
    talk_id = first_id(loaded)
    retitle(loaded, talk_id, "Changed behind the log's back", log=False)
    found = drift(loaded, node)
    assert [(p.kind, p.talk_id) for p in found] == [("stale", talk_id)]
    with new_session(loaded) as db:
        check.repair(db, node, check.run_check(db, node, warc_store(loaded)))
    assert titles(node)[talk_id] == "Changed behind the log's back"
    assert drift(loaded, node) == []


def test_check_cli_names_the_applied_and_newest_sequence(loaded: Flask, tmp_path: Path) -> None:
    node = tmp_path / "node-b"
    loaded.config["INDEX_DIR"] = node
    result = loaded.test_cli_runner().invoke(args=["check"])
    assert result.exit_code == 1
    assert "applied by this index none" in result.output
    assert "lag: " in result.output
    repaired = loaded.test_cli_runner().invoke(args=["check", "--repair"])
    assert repaired.exit_code == 0, repaired.output
    clean = loaded.test_cli_runner().invoke(args=["check"])
    assert clean.exit_code == 0, clean.output
    assert f"newest {newest(loaded)}, applied by this index {newest(loaded)}" in clean.output


def test_the_migration_matches_the_change_log_model_and_comes_and_goes(app: Flask) -> None:
    engine = engine_of(app)
    upgrade(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert [d for d in diff if "talk_changes" in repr(d)] == []
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0006_queue")
    assert not inspect(engine).has_table("talk_changes")
    upgrade(engine)
    assert inspect(engine).has_table("talk_changes")


def age_log(app: Flask, days: float) -> None:
    """Make every change-log row ``days`` older."""
    with new_session(app) as db:
        for row in db.scalars(select(TalkChange)):
            row.at = row.at - dt.timedelta(days=days)
        db.commit()


def test_pruning_keeps_the_newest_row_and_a_node_behind_it_rebuilds(
    loaded: Flask, tmp_path: Path
) -> None:
    behind, current = tmp_path / "node-behind", tmp_path / "node-current"
    catch_up(loaded, behind)
    talk_id = first_id(loaded)
    retitle(loaded, talk_id, "Pruned away")
    retitle(loaded, talk_id, "Pruned away again")
    catch_up(loaded, current)
    last = newest(loaded)
    with new_session(loaded) as db:
        assert changelog.prune(db, 30) == 0  # nothing old enough yet
    age_log(loaded, 31)
    rows_before = len(log_rows(loaded))
    with new_session(loaded) as db:
        gone = changelog.prune(db, 30)
        db.commit()
    assert rows_before > 2 and gone == rows_before - 1  # all but the newest
    assert log_rows(loaded) == [(talk_id, "upsert")] and newest(loaded) == last
    retitle(loaded, talk_id, "After the prune")
    assert newest(loaded) == last + 1  # the sequence goes on, also on SQLite
    assert not catch_up(loaded, current).rebuilt  # it had applied everything pruned
    result = catch_up(loaded, behind)
    assert result.rebuilt  # the rows it needed are gone: rebuilt from the database
    for folder in (behind, current):
        assert titles(folder)[talk_id] == "After the prune"
        assert replica.applied_seq(folder) == last + 1

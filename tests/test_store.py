"""The database layer on SQLite and PostgreSQL: upserts, identity, overrides, merges."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, select

from archive import store
from archive.db import engine_of, new_session, upgrade
from archive.models import Appearance, Organisation, Speaker, SpeakerAlias, Talk
from scraper.model import Extraction
from scraper.model import Speaker as ExtractedSpeaker


def extraction(url: str = "https://example.org/events/1", **changes: object) -> Extraction:
    base = Extraction(
        source=url,
        is_event=True,
        title="CIO Talks with Ane Holm",
        topic="Running hospitals on data",
        abstract="How a region runs its hospitals on shared data.",
        date="2015-04-14",
        start_time="08:00",
        end_time="10:00",
        location="Room 1",
        language="en",
        speakers=[
            ExtractedSpeaker("Ane Holm", "CIO", "Region Nord", "Ane Holm is CIO.", ["Health care"])
        ],
        industries=["Health care"],
        themes=["Health care IT"],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


@pytest.fixture
def db_app(app: Flask) -> Flask:
    upgrade(engine_of(app))
    return app


def test_upsert_is_idempotent_and_reports_changes(db_app: Flask) -> None:
    with new_session(db_app) as session:
        talk, outcome, fields = store.upsert(session, extraction(), None)
        session.commit()
        assert outcome == "new" and "topic" in fields
        assert talk.date == dt.date(2015, 4, 14)
        _, outcome, fields = store.upsert(session, extraction(), None)
        assert (outcome, fields) == ("unchanged", [])
        _, outcome, fields = store.upsert(session, extraction(topic="Hospitals on data"), None)
        session.commit()
        assert (outcome, fields) == ("changed", ["topic"])
        assert session.scalar(select(func.count()).select_from(Talk)) == 1


def test_same_person_is_one_speaker_across_talks(db_app: Flask) -> None:
    second = extraction(
        "https://example.org/events/2",
        speakers=[ExtractedSpeaker("Dr. ANE HOLM", "Group CIO", "Region Nord")],
    )
    with new_session(db_app) as session:
        store.upsert(session, extraction(), None)
        store.upsert(session, second, None)
        session.commit()
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1
        roles = sorted(a.role or "" for a in session.scalars(select(Appearance)))
        assert roles == ["CIO", "Group CIO"]
        assert session.scalar(select(func.count()).select_from(Organisation)) == 1


def test_override_survives_a_changed_page_and_can_be_undone(db_app: Flask) -> None:
    with new_session(db_app) as session:
        talk, _, _ = store.upsert(session, extraction(), None)
        store.set_override(session, talk, "topic", "Corrected topic", "alice")
        session.commit()
        store.upsert(session, extraction(topic="Changed on the site", location="Room 9"), None)
        session.commit()
        assert talk.topic == "Corrected topic"
        assert talk.location == "Room 9"
        assert talk.overrides[0].extracted == "Running hospitals on data"
        assert store.remove_override(session, talk, "topic")
        session.commit()
        assert talk.topic == "Changed on the site"


def test_override_rejects_unknown_fields_and_bad_dates(db_app: Flask) -> None:
    with new_session(db_app) as session:
        talk, _, _ = store.upsert(session, extraction(), None)
        with pytest.raises(ValueError, match="unknown talk field"):
            store.set_override(session, talk, "colour", "red", "alice")
        with pytest.raises(ValueError):
            store.set_override(session, talk, "date", "31/02/2015", "alice")


def test_merge_moves_talks_and_keeps_both_names(db_app: Flask) -> None:
    other = extraction(
        "https://example.org/events/3", speakers=[ExtractedSpeaker("Anne Holm-Berg", "CIO")]
    )
    with new_session(db_app) as session:
        store.upsert(session, extraction(), None)
        store.upsert(session, other, None)
        session.commit()
        keep = store.find_speaker(session, "Ane Holm")
        drop = store.find_speaker(session, "Anne Holm-Berg")
        assert keep is not None and drop is not None and keep.id != drop.id
        assert store.merge_speakers(session, keep, drop) == 1
        session.commit()
        assert session.scalar(select(func.count()).select_from(Speaker)) == 1
        names = set(session.scalars(select(SpeakerAlias.name)))
        assert names == {"Ane Holm", "Anne Holm-Berg"}
        assert len(keep.appearances) == 2


def test_talk_contract_applies_corrections(db_app: Flask) -> None:
    with new_session(db_app) as session:
        talk, _, _ = store.upsert(session, extraction(), None)
        store.set_override(session, talk, "date", "2015-04-15", "bob")
        session.commit()
        data = store.talk_contract(talk)
        assert data["date"] == "2015-04-15"
        assert data["speakers"][0]["organisation"] == "Region Nord"
        assert data["source_url"] == "https://example.org/events/1"

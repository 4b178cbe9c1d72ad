"""The results list's talk summaries (archive.summaries) against the ORM talks they stand in
for: the same fields, speakers in the same order, hidden and missing talks left out."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from archive.db import new_session
from archive.ingest import Ingest
from archive.models import Talk
from archive.samples import sample_dir
from archive.search import load_talks
from archive.summaries import load


def test_summaries_equal_the_orm_talks_and_leave_hidden_ones_out(app: Flask) -> None:
    report = Ingest(app).scrape([str(sample_dir())])
    assert report.exit_code == 0, report.events
    with new_session(app) as db:
        ids = list(db.scalars(select(Talk.id).order_by(Talk.id)))
        assert len(ids) >= 5
        hidden = db.get(Talk, ids[0])
        assert hidden is not None
        hidden.hidden = True
        db.commit()
        wanted = [*ids, 10**9]  # one id that does not exist
        summaries = load(db, wanted)
        talks = load_talks(db, wanted)
        assert set(summaries) == set(talks) == set(ids[1:])
        with_speakers = 0
        for talk_id, talk in talks.items():
            summary = summaries[talk_id]
            for name in ("id", "title", "topic", "date", "language", "industries", "themes"):
                assert getattr(summary, name) == getattr(talk, name), (talk_id, name)
            shown = [
                (a.speaker.id, a.speaker.name, a.role, a.organisation and a.organisation.id)
                for a in talk.appearances
            ]
            assert [
                (a.speaker.id, a.speaker.name, a.role, a.organisation and a.organisation.id)
                for a in summary.appearances
            ] == shown
            with_speakers += bool(shown)
        assert with_speakers, "no sample talk has speakers: the test compares nothing"
        assert load(db, []) == {}

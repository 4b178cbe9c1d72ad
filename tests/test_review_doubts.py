"""The review queue's doubtful values: the pure rules as tables, then the queue page."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from adminkit import add_admin, signed_in_client
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Engine

from archive import doubts, store
from archive.admin.review import review_queue
from archive.db import engine_of, new_session
from archive.models import Speaker, Talk
from scraper.model import Extraction
from scraper.model import Speaker as ExtractedSpeaker

# -- organisations that start with a job title -------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "title"),
    [
        ("Head of IT, Region Zealand", "Head"),
        ("CIO Region Zealand", "CIO"),
        ("Chief Digital Officer at Maersk", "Chief"),
        ("IT-chef i Region Hovedstaden", "IT-chef"),
        ("Tietohallintojohtaja, Helsingin kaupunki", "Tietohallintojohtaja"),
        ("Diretor de Sistemas de Informação, Corticeira Vale do Sado", "Diretor"),
        ("Region Zealand", None),
        ("Bolig- og Planministeriet", None),
        ("Ministeriet for Digital Forvaltning", None),  # Finnish "ministeri*" is no Danish title
        ("Ministerium für Inneres und Digitales", None),
        ("Partners Group", None),  # Polish "partner*" neither
        ("Copenhagen Business School", None),
        (None, None),
        ("", None),
    ],
)
def test_an_organisation_starting_with_a_job_title_is_doubted(
    organisation: str | None, title: str | None
) -> None:
    reason = doubts.organisation_reason("Ann Lee", organisation)
    if title is None:
        assert reason is None
    else:
        assert reason == (
            f"organisation of Ann Lee starts with the job title “{title}”: “{organisation}”"
        )


# -- speaker names that are not a person's ----------------------------------------------------


@pytest.mark.parametrize(
    ("name", "doubt"),
    [
        ("Per Buchwaldt", None),
        ("Dr. Søren Åberg", None),
        ("Gaurav Shubhangi", None),  # no given name known, but no everyday word either
        ("Anne-Marie van der Berg", None),
        ("山田太郎", None),  # no Latin name shape to check
        ("Social Sciences", "is not a person's name (“Social” is an everyday word)"),
        ("Previous Colloquium", "is not a person's name (“Previous” is an everyday word)"),
        ("Read More", "is not a person's name (“Read” is an everyday word)"),
        ("Anna Berg University", "does not read as a person's name"),
        ("Ole Hansen Digital Talk Series Event", "does not read as a person's name"),
        ("Prof.", "is only a title, no name"),
    ],
)
def test_a_speaker_name_that_is_no_persons_is_doubted(name: str, doubt: str | None) -> None:
    reason = doubts.speaker_reason(name)
    assert reason == (None if doubt is None else f"speaker “{name}” {doubt}")


# -- dates far from the site's other talks ----------------------------------------------------

SERIES = [dt.date(year, 5, 6) for year in range(2012, 2020)]  # 8 talks, one a year


def urls(dates: list[dt.date], host: str = "www.example.edu") -> list[tuple[str, dt.date | None]]:
    return [(f"https://{host}/talks/{i}", d) for i, d in enumerate(dates)]


@pytest.mark.parametrize(
    ("date", "others", "doubted"),
    [
        (dt.date(2041, 5, 6), SERIES, True),  # a mistyped year
        (dt.date(1914, 5, 6), SERIES, True),
        (dt.date(2016, 1, 1), SERIES, False),
        (dt.date(2024, 9, 1), SERIES, False),  # the series goes on: within the fence
        (dt.date(2041, 5, 6), SERIES[:4], False),  # 4 other dated talks: too few to judge
        (dt.date(2041, 5, 6), SERIES[:5], True),  # 5 are enough
        (dt.date(2018, 3, 1), [dt.date(2014, 3, d) for d in range(1, 9)], True),  # IQR 0
        (dt.date(2016, 3, 1), [dt.date(2014, 3, d) for d in range(1, 9)], False),  # 2 years
        (None, SERIES, False),
    ],
)
def test_a_date_far_from_the_sites_other_talks_is_doubted(
    date: dt.date | None, others: list[dt.date], doubted: bool
) -> None:
    rows = [*urls(others), ("https://www.example.edu/talks/x", date)]
    rows += urls([dt.date(1990, 1, 1)] * 3, host="elsewhere.example")  # another site's dates
    spread = doubts.site_dates(rows).get("www.example.edu")
    reason = doubts.date_reason(date, spread)
    assert (reason is not None) == doubted, reason
    if doubted:
        assert spread is not None and date is not None
        assert reason == (
            f"date {date.isoformat()} is far from this site's other talks (most in "
            f"{doubts.site_dates(rows)['www.example.edu'].q1.year}"
            + ("" if spread.q1.year == spread.q3.year else f"–{spread.q3.year}")
            + f", {len(others)} others dated)"
        )


def test_other_sites_do_not_count_and_few_dates_are_not_judged() -> None:
    rows = urls(SERIES) + urls([dt.date(2041, 1, 1)], host="other.example")
    spreads = doubts.site_dates(rows)
    assert set(spreads) == {"www.example.edu"}  # one date on other.example: nothing to judge
    assert doubts.date_reason(dt.date(2041, 1, 1), spreads.get("other.example")) is None


# -- all reasons of one talk ------------------------------------------------------------------

COMPLETE = {"title": "T", "topic": "Cloud", "date": dt.date(2015, 1, 1), "location": "Room 1"}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (doubts.Facts("https://a/1", values=COMPLETE, speakers=[("Ann Lee", "Maersk", False)]), []),
        (
            doubts.Facts("https://a/1", values=COMPLETE),
            ["no speaker: the talk names nobody"],
        ),
        (
            doubts.Facts(
                "https://a/1", values=COMPLETE, speakers=[("Social Sciences", None, True)]
            ),
            [],  # an admin's corrected name is not doubted
        ),
        (
            doubts.Facts(
                "https://a/1",
                warnings=["date: no date found"],
                values={**COMPLETE, "date": None, "location": ""},
                speakers=[("Social Sciences", "CIO Region Zealand", False)],
            ),
            [
                "date: no date found",
                "empty: date",
                "empty: location",
                "speaker “Social Sciences” is not a person's name (“Social” is an everyday word)",
                "organisation of Social Sciences starts with the job title “CIO”: "
                "“CIO Region Zealand”",
            ],
        ),
    ],
)
def test_the_reasons_of_one_talk(facts: doubts.Facts, expected: list[str]) -> None:
    assert doubts.reasons(facts) == expected


# -- the queue page ---------------------------------------------------------------------------


def extraction(n: int, **changes: Any) -> Extraction:
    """A complete talk on www.example.edu, one a year from 2012, that needs no review."""
    base = Extraction(
        source=f"https://www.example.edu/talks/{n}",
        is_event=True,
        title=f"CIO Talk {n}",
        topic=f"Topic number {n}",
        date=f"{2012 + n % 8}-05-06",
        location="Room 1",
        speakers=[ExtractedSpeaker("Ane Holm", "CIO", "Region Nord", None, [])],
    )
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def store_all(app: Flask, extractions: list[Extraction]) -> None:
    with new_session(app) as db:
        for one in extractions:
            store.upsert(db, one, None)
        db.commit()


@pytest.fixture
def signed_in(app: Flask) -> FlaskClient:
    add_admin(app)
    return signed_in_client(app)


def queue_html(client: FlaskClient) -> str:
    page = client.get("/admin/review")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_each_flag_appears_for_the_talk_with_the_problem_only(
    app: Flask, signed_in: FlaskClient
) -> None:
    person = ExtractedSpeaker("Ane Holm", "CIO", "Region Nord", None, [])
    store_all(
        app,
        [extraction(n) for n in range(8)]
        + [
            extraction(
                20,
                topic="Role in the organisation",
                speakers=[ExtractedSpeaker("Ane Holm", None, "Head of IT, Region Nord")],
            ),
            extraction(21, topic="A heading as a speaker", speakers=[
                ExtractedSpeaker("Social Sciences", None, None), person]),
            extraction(22, topic="A mistyped year", date="2041-05-06"),
            extraction(23, topic="Nobody speaks", speakers=[]),
        ],
    )  # fmt: skip
    html = queue_html(signed_in)
    assert "Review queue <small>4 talks</small>" in html
    articles = {
        topic: body
        for body in html.split('<article class="review-item">')[1:]
        for topic in ("Role in the organisation", "A heading as a speaker", "A mistyped year",
                      "Nobody speaks")
        if topic in body
    }  # fmt: skip
    flags = {
        "Role in the organisation": "starts with the job title “Head”: “Head of IT, Region Nord”",
        "A heading as a speaker": "speaker “Social Sciences” is not a person&#39;s name",
        "A mistyped year": "date 2041-05-06 is far from this site&#39;s other talks",
        "Nobody speaks": "no speaker: the talk names nobody",
    }
    for topic, flag in flags.items():
        for other, body in articles.items():
            assert (flag in body) == (other == topic), (topic, other)
    assert "Topic number" not in html  # the complete talks need no review


def test_a_corrected_name_leaves_the_queue(app: Flask, signed_in: FlaskClient) -> None:
    store_all(app, [extraction(1, speakers=[ExtractedSpeaker("Read More", "CIO", "Maersk")])])
    assert "speaker “Read More”" in queue_html(signed_in)
    with new_session(app) as db:
        speaker = db.scalars(select(Speaker)).one()
        speaker.name = "Rasmus Moore"
        speaker.overrides = {"name": {"value": "Rasmus Moore", "extracted": "Read More"}}
        db.commit()
    assert "Nothing to review." in queue_html(signed_in)


GIVEN = ("Ane", "Bo", "Per", "Lars", "Mette", "Karin", "Søren", "Anna")
STEMS = ("Holm", "Berg", "Dahl", "Lund", "Vang", "Kjær", "Bech", "Friis")
ENDINGS = ("", "gaard", "sen", "strup", "bæk", "mose")


def name(n: int) -> str:
    """One of 384 names that read as people's ("Mette Lundgaard")."""
    return f"{GIVEN[n % 8]} {STEMS[n // 8 % 8]}{ENDINGS[n // 64 % 6]}"


@contextmanager
def counted_queries(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_queue_stays_fast_on_thousands_of_talks(app: Flask, signed_in: FlaskClient) -> None:
    many = [
        extraction(
            n,
            date=f"{2010 + n % 12}-0{1 + n % 9}-1{n % 10}",
            location=None if n % 3 == 0 else "Room 1",  # a third need a location
            speakers=[
                ExtractedSpeaker(name(n), "CIO", f"Organisation {n % 40}"),
                ExtractedSpeaker(name(n + 7), None, None),
            ],
        )
        for n in range(2100)
    ]
    store_all(app, many)
    with new_session(app) as db:
        with counted_queries(engine_of(app)) as statements:
            started = time.perf_counter()
            queue = review_queue(db)
            elapsed = time.perf_counter() - started
        assert len(queue) == 700 and len(statements) == 2, statements
        assert elapsed < 3, elapsed
        assert db.scalar(select(Talk).where(Talk.id == queue[0][0])) is not None
    with counted_queries(engine_of(app)) as statements:
        html = queue_html(signed_in)
    assert "Review queue <small>700 talks</small>" in html
    assert len(statements) <= 8, statements  # session, user, queue, one page of talks

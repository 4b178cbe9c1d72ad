"""Tests for scraper.extract.dates: date, time and date-line parsing in Danish and English."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract.dates import (
    MONTHS,
    find_dates,
    is_publication_context,
    iso_date,
    parse_date,
    parse_time_range,
    split_datetime_line,
)

D = datetime.date

DATE_FORMS = [
    # Danish
    ("Tirsdag, 6 maj, 2014", D(2014, 5, 6)),
    ("torsdag den 4. oktober 2012", D(2012, 10, 4)),
    ("4. okt. 2012", D(2012, 10, 4)),
    ("d. 12. november 2013", D(2013, 11, 12)),
    ("mandag d. 3/2-2014", D(2014, 2, 3)),
    ("3. februar 2014", D(2014, 2, 3)),
    ("Onsdag, 11 marts, 2015", D(2015, 3, 11)),
    ("fredag den 1. juni 2018", D(2018, 6, 1)),
    ("25. dec. 2019", D(2019, 12, 25)),
    ("Lørdag 31. august 2013", D(2013, 8, 31)),
    ("tirsdag d. 2. januar 2018", D(2018, 1, 2)),
    ("10. marts 2020 kl. 20:00", D(2020, 3, 10)),
    ("Dato: 19.03.2018", D(2018, 3, 19)),
    # English
    ("6. May 2014", D(2014, 5, 6)),
    ("6 May 2014", D(2014, 5, 6)),
    ("May 6, 2014", D(2014, 5, 6)),
    ("Tuesday 6 May 2014", D(2014, 5, 6)),
    ("Tue, 28 May 2019", D(2019, 5, 28)),
    ("28th May 2019", D(2019, 5, 28)),
    ("Wednesday, February 20, 2019", D(2019, 2, 20)),
    ("12 nov 2013", D(2013, 11, 12)),
    ("1st October 2015", D(2015, 10, 1)),
    ("Sept. 3, 2016", D(2016, 9, 3)),
    ("the 6th of May, 2014", D(2014, 5, 6)),
    ("Thu, Sep 26, 2024, 6:00 PM CEST", D(2024, 9, 26)),
    ("Saturday 31 October 2015", D(2015, 10, 31)),
    ("8 November 2017, 18:00–19:30", D(2017, 11, 8)),
    ("2014 May 6", D(2014, 5, 6)),  # only dateparser knows this one
    # numeric: day first
    ("02/06/2017", D(2017, 6, 2)),
    ("19.03.2018", D(2018, 3, 19)),
    ("20.02.2019", D(2019, 2, 20)),
    ("Fri, 24/05/2019 - 11:00", D(2019, 5, 24)),
    ("1-2-2016", D(2016, 2, 1)),
    ("06.05.14", D(2014, 5, 6)),
    ("04/30/2024", D(2024, 4, 30)),  # month first only because day first is impossible
    # ISO
    ("2014-05-06", D(2014, 5, 6)),
    ("2014-05-06T08:00:00+02:00", D(2014, 5, 6)),
    ("2019/05/28", D(2019, 5, 28)),
    # German, Spanish, French fall-backs
    ("20. Februar 2019", D(2019, 2, 20)),
    ("Mittwoch, 20. Februar 2019, 14:45 Uhr", D(2019, 2, 20)),
    ("Sa. 9. Apr 2022 08:00 - 11:00", D(2022, 4, 9)),
    ("13. Mai 2012 11:00", D(2012, 5, 13)),
    ("sábado 28 de septiembre de 2024", D(2024, 9, 28)),
    ("1er mai 2020", D(2020, 5, 1)),
    ("3 décembre 2019", D(2019, 12, 3)),
    # not dates
    ("2014", None),
    ("Since 2012 the department has invited CIOs", None),
    ("in May 2014", None),
    ("2/3 of the budget", None),
    ("2/3 of the 2014 budget", None),
    ("Call +45 38 15 38 15", None),
    ("Tel. 3815-3815", None),
    ("version 1.2.13", None),
    ("31 February 2019", None),
    ("32.01.2019", None),
    ("in 3 days 2014", None),
    ("yesterday, 2014", None),
    ("the market in 2014", None),
    ("", None),
    ("   ", None),
]


@pytest.mark.parametrize(("text", "expected"), DATE_FORMS)
def test_parse_date(text: str, expected: datetime.date | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "year", "expected"),
    [
        ("20. Februar um 12:00", 2022, D(2022, 2, 20)),
        ("May 6", 2020, D(2020, 5, 6)),
        ("6. maj", 2014, D(2014, 5, 6)),
        ("Sep 19 Friday Colloquium", 2025, D(2025, 9, 19)),
        ("6 may apply", 2022, None),  # "may" the verb
        ("2/3 of the budget", 2020, None),  # numeric day/month alone is never a date
        ("20. Februar", None, None),
        ("4. oktober 2012", 1999, D(2012, 10, 4)),  # a stated year beats the default
    ],
)
def test_parse_date_default_year(
    text: str, year: int | None, expected: datetime.date | None
) -> None:
    assert parse_date(text, default_year=year) == expected


TIME_RANGES = [
    ("08:00 to 10:00", ("08:00", "10:00")),
    ("08:00 - 10:00", ("08:00", "10:00")),
    ("kl. 8.00-10.00", ("08:00", "10:00")),
    ("08.00-10.00", ("08:00", "10:00")),
    ("8:30 to 10:00 am", ("08:30", "10:00")),
    ("2:45 pm – 3:45 pm", ("14:45", "15:45")),
    ("14:45-15:45", ("14:45", "15:45")),
    ("fra kl. 14 til 16", ("14:00", "16:00")),
    ("de 14h às 16h", ("14:00", "16:00")),
    ("Séminaire à 14h", ("14:00", None)),
    ("a 2h workshop", (None, None)),  # a duration, not two o'clock
    ("Time: 3h", (None, None)),
    ("12pm", ("12:00", None)),
    ("12am", ("00:00", None)),
    ("6:30 PM to 8:30 PM", ("18:30", "20:30")),
    ("kl. 16.30", ("16:30", None)),
    ("11am - 12pm", ("11:00", "12:00")),
    ("11 - 1pm", ("11:00", "13:00")),
    ("10:00 am - 1:00", ("10:00", "13:00")),
    ("1:00 p.m. – 3:00 p.m. EST", ("13:00", "15:00")),
    ("14:45 Uhr bis 15:45 Uhr", ("14:45", "15:45")),
    ("20. Februar um 12:00 bis 18:00", ("12:00", "18:00")),
    ("kl.8.00", ("08:00", None)),
    ("served at 08.30", ("08:30", None)),
    ("klokken 9", ("09:00", None)),
    ("18h30", ("18:30", None)),
    ("Tue, Sep 9, 2025 , 12:10 pm", ("12:10", None)),
    ("2014-05-06T08:00:00+02:00", ("08:00", None)),
    ("Tirsdag, 6 maj, 2014 - 08:00 to 10:00", ("08:00", "10:00")),
    # not times
    ("19.03.2018", (None, None)),
    ("12.11.2013", (None, None)),
    ("2014", (None, None)),
    ("Since 2012", (None, None)),
    ("14-16 participants", (None, None)),
    ("Ticket €5.00", (None, None)),
    ("price DKK 12.50", (None, None)),
    ("grew 12.50 per cent", (None, None)),
    ("+45 38 15 24 00", (None, None)),
    ("25:00", (None, None)),
    ("", (None, None)),
    # midday in words, "about" before the end, the day again in an ISO range
    ("Wednesday, April 14, from 11:00 a.m. to noon ET", ("11:00", "12:00")),
    ("de 10h à midi", ("10:00", "12:00")),
    ("cet après-midi à 14h", ("14:00", None)),
    ("tirsdag 27. april 2027, kl. 18.00 – ca. 20.00", ("18:00", "20:00")),
    ("18:00 bis ca. 20:00 Uhr", ("18:00", "20:00")),
    ("16 Uhr c.t. (Ende ca. 17:45 Uhr)", ("16:15", "17:45")),
    ("2027-03-18 17:30 → 2027-03-18 19:00", ("17:30", "19:00")),
    ("9.30 hasta 11.00 horas", ("09:30", "11:00")),
    ("klo 14–16", ("14:00", "16:00")),
]


@pytest.mark.parametrize(("text", "expected"), TIME_RANGES)
def test_parse_time_range(text: str, expected: tuple[str | None, str | None]) -> None:
    assert parse_time_range(text) == expected


DATETIME_LINES = [
    ("Tirsdag, 6 maj, 2014 - 08:00 to 10:00", (D(2014, 5, 6), "08:00", "10:00")),
    ("torsdag den 4. oktober 2012 kl. 8.00-10.00", (D(2012, 10, 4), "08:00", "10:00")),
    ("Tuesday 28 May 2019, 12:00 pm", (D(2019, 5, 28), "12:00", None)),
    ("Date: 30 April 2024 18:30–20:30", (D(2024, 4, 30), "18:30", "20:30")),
    ("23. January 2018 08.00-10.00", (D(2018, 1, 23), "08:00", "10:00")),
    ("Fri, 24/05/2019 - 11:00", (D(2019, 5, 24), "11:00", None)),
    ("Tuesday, April 30, 2024 6:30 PM to 8:30 PM CEST", (D(2024, 4, 30), "18:30", "20:30")),
    ("19.03.2018 kl. 14-16", (D(2018, 3, 19), "14:00", "16:00")),
    ("2014 May 6, 10:00-12:00", (D(2014, 5, 6), "10:00", "12:00")),
    ("19.03.2018", (D(2018, 3, 19), None, None)),
    ("kl. 16.30", (None, "16:30", None)),
    # the academic quarter and an end stated in words, as on a time line of its own
    (
        "Donnerstag, 15. April 2027, 16 Uhr c.t., Ende ca. 17:30 Uhr",
        (D(2027, 4, 15), "16:15", "17:30"),
    ),
    ("Tuesday 12 March 2024, 16:00 c.t.", (D(2024, 3, 12), "16:15", None)),
    ("No date here", (None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), DATETIME_LINES)
def test_split_datetime_line(
    text: str, expected: tuple[datetime.date | None, str | None, str | None]
) -> None:
    assert split_datetime_line(text) == expected


def test_find_dates_spans_and_order() -> None:
    text = (
        "CIO Talks. Tirsdag, 6 maj, 2014 - 08:00 to 10:00. He has been CIO since 1984. "
        "Organised 6. May 2014 08.00-10.00. Sidst opdateret: Sekretariat // 02/06/2017"
    )
    found = find_dates(text)
    assert [d for _, _, d in found] == [D(2014, 5, 6), D(2014, 5, 6), D(2017, 6, 2)]
    assert [text[s:e] for s, e, _ in found] == ["6 maj, 2014", "6. May 2014", "02/06/2017"]
    assert [is_publication_context(text[:s]) for s, _, _ in found] == [False, False, True]


def test_find_dates_listing() -> None:
    text = "Talk A 2014-05-06 Talk B 2013-11-12 Talk C 2014-02-25 next ›"
    assert [d for _, _, d in find_dates(text)] == [D(2014, 5, 6), D(2013, 11, 12), D(2014, 2, 25)]


def test_find_dates_nothing() -> None:
    assert find_dates("He joined in 2004 and became CIO in 2010.") == []


PUBLICATION = [
    ("Posted on ", True),
    ("Posted by Jane Doe on ", True),
    ("The department welcomes a new professor Published ", True),
    ("Udgivet ", True),
    ("Opdateret d. ", True),
    ("Sidst opdateret: Sekretariat for Ledelse og Kommunikation // ", True),
    ("Senest ændret: ", True),
    ("Last updated: ", True),
    ("last edited ", True),
    ("Feedback Updated: ", True),
    ("Created ", True),
    ("Oprettet: ", True),
    ("Kategorie: Markt Aktualisiert: ", True),
    ("©", True),
    ("Copyright © ", True),
    ("Tirsdag, ", False),
    ("Dato: ", False),
    ("Seminar Date: Tue, ", False),
    ("Updated: 20 May 2019 Seminar Date: ", False),  # the marker belongs to the other date
    ("The firm has created a new IT strategy. Tuesday ", False),
    ("Slides will be posted after the talk on ", False),
    ("Posted in Events on ", False),
    ("UN-Konvention veröffentlicht Empfehlungen zur Vogelgrippe und zum Umgang mit Wild ", False),
    ("", False),
]


@pytest.mark.parametrize(("prefix", "expected"), PUBLICATION)
def test_is_publication_context(prefix: str, expected: bool) -> None:
    assert is_publication_context(prefix) is expected


def test_iso_date() -> None:
    assert iso_date(D(2014, 5, 6)) == "2014-05-06"
    assert iso_date(datetime.datetime(2014, 5, 6, 8, 0)) == "2014-05-06"
    assert iso_date(None) is None


def test_month_table_has_danish_and_english() -> None:
    for name, number in [("maj", 5), ("marts", 3), ("okt", 10), ("may", 5), ("februar", 2)]:
        assert MONTHS[name] == number


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    date = parse_date(text)
    assert date is None or isinstance(date, datetime.date)
    with_default = parse_date(text, default_year=2020)
    assert with_default is None or isinstance(with_default, datetime.date)
    start, end = parse_time_range(text)
    assert start is None or len(start) == 5
    assert end is None or start is not None
    assert len(split_datetime_line(text)) == 3
    for s, e, _ in find_dates(text):
        assert 0 <= s < e <= len(text)
    is_publication_context(text)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "6",
                "12.",
                "maj",
                "May",
                "2014",
                "kl.",
                "8.00",
                "-",
                "10:00",
                "/",
                ".",
                "pm",
                " ",
                "den",
                "Posted on",
                "2/3",
                "31",
                "02",
                "19",
                "to",
                ",",
                "T",
                "+02:00",
                "Uhr",
            ]
        ),
        max_size=12,
    ).map("".join)
)
def test_never_raises_on_date_like_text(text: str) -> None:
    parse_date(text)
    parse_date(text, default_year=2014)
    start, end = parse_time_range(text)
    for value in (start, end):
        assert value is None or (0 <= int(value[:2]) <= 23 and 0 <= int(value[3:]) <= 59)
    split_datetime_line(text)

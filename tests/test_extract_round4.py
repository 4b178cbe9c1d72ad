"""Generality gate, round four: long real-world-like pages and event facts in unusual places.

The pages in tests/fixtures/extraction_round4 were written before the extractor was tuned on
them (people, organisations and venues are fictional): a portal page with a cookie banner, a
mega-menu, an "upcoming events" sidebar, related news and a footer address around one talk; a
Drupal theme with div.event-date, "Dato:", "Tidspunkt:", "Lokation:" and "Sprog: Engelsk"; a
speaker in a <th>/<td> table; date, start and end in separate <dd>s; an ISO date only in
data-* attributes; "9.30am–11am"; a year given only by the <title> and a series kicker
("Autumn 2016 series", "Thursday 13 October"); a Danish "d. 13/10" under a "CIO-møder 2015"
heading; a webinar with a "Watch on demand" block and a "Next webinar" teaser; bios in tabs (one
hidden); an abstract under "Om oplægget" after the bio; an RDFa event with its time on its own
line; a venue after an icon; a "Sidst ændret" byline; and three pages that are no talk event.

The non-events: a month view of an events calendar (a listing), a call for speakers (it asks for
talks; it records none), and a photo gallery of a past talk. The gallery is the hard one: it
names one talk, its speaker and its day, but extraction.md counts a page that "announces or
records one talk event"; the gallery records photos and points to the talk's own event page
("See the event page"), which is the record. Taking the gallery too would store the same talk
twice, once with no abstract, no venue and no time, so it is news about the talk: false.

A page that does not say the talk's title ("CIO Talk med Jesper Morsing") has a null topic.
"""

from __future__ import annotations

from typing import Any

import pytest

CORPUS = "extraction_round4"  # read by the `answers` fixture in conftest.py


def test_sidebars_and_teasers_do_not_give_the_date(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["long-portal-cookie-megamenu.html"]["date"] == "2019-04-25"
    assert answers["long-portal-cookie-megamenu.html"]["last_updated"] is None  # cookie notice
    assert answers["webinar-on-demand-next.html"]["date"] == "2021-06-03"


def test_hidden_tab_speaker_keeps_their_bio(answers: dict[str, dict[str, Any]]) -> None:
    speakers = {s["name"]: s for s in answers["two-speakers-tabs.html"]["speakers"]}
    assert speakers["Nadia Falkenberg"]["organisation"] == "Danvita Pharma"


@pytest.mark.parametrize(
    ("text", "year", "want"),
    [
        ("Tirsdag d. 13/10 kl. 16-18", 2015, "2015-10-13"),
        ("den 3/4 kl. 9", 2020, "2020-04-03"),
        ("d. 13/10/2016", 2015, "2016-10-13"),
        ("Room 13/10", 2015, None),
    ],
)
def test_danish_day_and_month_take_the_pages_year(text: str, year: int, want: str | None) -> None:
    from scraper.extract.dates import parse_date

    found = parse_date(text, default_year=year)
    assert (found.isoformat() if found else None) == want


def test_rdfa_event_is_read_with_its_nested_place() -> None:
    from scraper.extract.page import parse
    from scraper.extract.rdfa import rdfa_items

    html = (
        '<div vocab="https://schema.org/" typeof="Event"><h1 property="name">Talk</h1>'
        '<time property="startDate" datetime="2024-09-19T12:00">19 Sep</time>'
        '<div property="location" typeof="Place"><span property="name">Room 3</span></div>'
        '<div typeof="Person"><span property="name">Not the event</span></div></div>'
    )
    (item,) = rdfa_items(parse(html).root)
    assert item["@type"] == "Event" and item["name"] == "Talk"
    assert item["startDate"] == "2024-09-19T12:00"
    assert item["location"] == {"@type": "Place", "name": "Room 3"}
    assert rdfa_items(parse("<p>no markup</p>").root) == []

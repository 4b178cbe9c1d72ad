"""Generality gate, round six: Nordic "CIO Talks"-style seminar pages, written before tuning.

The pages in tests/fixtures/extraction_round6 (people, organisations and venues fictional)
imitate business-school and IT-department seminar pages from Denmark and the Nordics in other
CMSs and years than the CBS reference: a 2010 table layout with "Dato:/Tid: 08.00-10.00/Sted:",
an English Drupal page dated "Wednesday, 11 March, 2015 - 08:30 to 10:00" and "The page was
last edited by: … // 14/03/2015", a WordPress "Speaker: Name, Group CIO, Org A/S" line, two
CIOs "in conversation with" each other, the bio before the abstract, a "Chief Digital &
Information Officer", an "IT-direktør" for "koncern-it", organisations with legal suffixes
(A/S, ApS, AB, Oy, ASA) kept as written, a Danish page whose talk "holdes på engelsk", a date
given only as "19.03.2018 kl. 15-17" and a Finnish "4.4.2016 at 14:15–15:45".

The non-events: a CIO Talks series landing page listing upcoming and past talks with their
dates, and a news item about the series' 50th talk.
"""

from __future__ import annotations

from typing import Any

import pytest

from scraper.extract import extract

CORPUS = "extraction_round6"  # read by the `answers` fixture in conftest.py


def test_the_moderator_of_a_dialogue_is_not_a_speaker(answers: dict[str, dict[str, Any]]) -> None:
    names = {s["name"] for s in answers["in-conversation-two-cios.html"]["speakers"]}
    assert names == {"Karin Lindqvist", "Teemu Rantanen"}


def _run(body: str, lang: str = "en") -> dict[str, Any]:
    html = f'<html lang="{lang}"><body>{body}</body></html>'
    return extract(html.encode(), "x").to_dict()


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        ("Henrik Sand, CIO of Baltica Retail AB, in conversation with Line Mørk, Chief Digital "
         "and Information Officer at Helsa Medical A/S.",
         {"Henrik Sand": "Baltica Retail AB", "Line Mørk": "Helsa Medical A/S"}),
        ("I denne udgave er it-direktør Bo Ravn, Sydhavn Energi, i samtale med Anne Falk, CIO "
         "i Nordby Kommune.", {"Bo Ravn": None, "Anne Falk": "Nordby Kommune"}),
        ("Our moderator, Professor Jens Lund, in conversation with Anne Falk, CIO of Nordby "
         "Kommune, about who pays for clean data.", {"Anne Falk": "Nordby Kommune"}),
    ],
)  # fmt: skip
def test_both_sides_of_a_conversation_speak(sentence: str, want: dict[str, str | None]) -> None:
    got = _run(f"<h1>Data ownership</h1><p>Tuesday 3 May 2016, 8:00-10:00</p><p>{sentence}</p>")
    people = {s["name"]: s["organisation"] for s in got["speakers"]}
    assert set(people) == set(want)
    assert all(people[n] == org for n, org in want.items() if org)


def test_a_headline_that_only_names_the_series_is_one_talk_without_a_topic() -> None:
    got = _run(
        "<h1>CIO Talks</h1><p>Dato: 19.03.2018</p><p>Tid: kl. 8.00 - 10.00</p>"
        "<p>Oplægsholder: Per Nørgaard, CIO, Skovhus Bank A/S</p><p>Per Nørgaard fortæller "
        "om bankens nye it-strategi og om koncern-it efter fusionen med en anden bank.</p>",
        "da",
    )
    assert got["is_event"] is True
    assert got["topic"] is None
    listing = _run(
        "<h1>Upcoming talks</h1><p>Date: 19.03.2018</p><p>Speaker: Per Nørgaard, CIO, "
        "Skovhus Bank A/S</p><p>Per Nørgaard talks about the bank's new IT strategy.</p>"
    )
    assert listing["is_event"] is False


@pytest.mark.parametrize(
    ("lead", "kept"),
    [
        ("Instituttet inviterer til morgenmøde med IT-direktør Lars Fogh fra Vestkyst.", False),
        ("The department welcomes Lars Fogh, IT director of Vestkyst Insurance, to campus.", False),
        ("Insurers run some of the oldest systems in any industry, and customers notice it.", True),
    ],
)
def test_an_invitation_lead_is_not_the_abstract(lead: str, kept: bool) -> None:
    body = (
        "Customers expect to report a claim from their phone on a Sunday evening, and the talk "
        "shows how one insurer moved most of its customer contact to self-service."
    )
    got = _run(
        f"<h1>CIO Talks: From counter to self-service</h1><p>Date: 4 May 2016, 08:00-10:00</p>"
        f"<p>{lead}</p><p>{body}</p>"
    )
    assert (got["abstract"] or "").startswith(lead) is kept
    assert body in (got["abstract"] or "")


def test_a_finnish_seminar_page_is_read() -> None:
    got = _run(
        "<h1>CIO-aamiainen: Pilvi vakuutusyhtiössä</h1><p>Aika: 12.3.2015 klo 8.30–10.00</p>"
        "<p>Paikka: Runeberginkatu 14–16, sali A</p><p>Puhuja: Matti Virtanen, "
        "tietohallintojohtaja, Kalevala Vakuutus Oy</p><p>Matti Virtanen kertoo, miten yhtiö "
        "siirsi järjestelmänsä pilveen ja mitä se merkitsi tietoturvalle.</p>",
        "fi",
    )
    assert got["is_event"] is True
    assert (got["topic"], got["date"], got["start_time"], got["end_time"]) == (
        "Pilvi vakuutusyhtiössä",
        "2015-03-12",
        "08:30",
        "10:00",
    )
    assert got["location"] == "Runeberginkatu 14–16, sali A"
    [speaker] = got["speakers"]
    assert (speaker["role"], speaker["organisation"]) == (
        "tietohallintojohtaja",
        "Kalevala Vakuutus Oy",
    )
    assert "Financial services" in got["industries"]

"""Generality gate, round two: extraction scores on invented pages in yet more unseen layouts.

The pages in tests/fixtures/extraction_round2 were written before the extractor was tuned on
them (people, organisations and venues are fictional): a Drupal 9 event with field--name-field-*
classes, a WordPress "The Events Calendar" single event, a ticketing page with JSON-LD and an
organiser blurb, a social-network event, a Danish association's "Tid og sted" box, a Norwegian
"Frokostmøte", a Dutch "Lezing", a French "Séminaire", a speaker named only in the title, a
panel with a moderator, "Tid: 8-10", "Kl. 08.30 – 10.00, tirsdag 12. marts 2019", a day-first
"05/11/2019", facts in an <aside>, a recorded talk, schema.org microdata; and four pages that
are no talk event (a conference programme, a job advert, a blog post, a concert).
"""

from __future__ import annotations

from typing import Any

CORPUS = "extraction_round2"  # read by the `answers` fixture in conftest.py


def test_moderators_and_organisers_do_not_speak(answers: dict[str, dict[str, Any]]) -> None:
    panel = {s["name"] for s in answers["panel-moderator-cloud-costs.html"]["speakers"]}
    assert panel == {"Mikkel Aagaard", "Rita Osei"}
    ticketed = {s["name"] for s in answers["eventbrite-cyber.html"]["speakers"]}
    assert not ticketed & {"Karen Lykke", "Morten Hvid"}


def test_facts_in_an_aside_are_read(answers: dict[str, dict[str, Any]]) -> None:
    page = answers["aside-infobox-scada.html"]
    assert (page["date"], page["start_time"], page["location"]) == (
        "2024-02-28",
        "18:00",
        "The Loft, Riverside Campus",
    )

"""Generality gate, round three: extraction scores on invented pages in yet more unseen layouts.

The pages in tests/fixtures/extraction_round3 were written before the extractor was tuned on
them (people, organisations and venues are fictional): Sitecore, Plone, TYPO3, SharePoint and
Umbraco university layouts, a British "Distinguished Lecture" and an American "Brown Bag"
seminar, an Indico contribution, hCalendar and RDFa markup, an OpenGraph-only event, a speaker
named only in a photo's alt text, a bio in <details>, a "08:00–10:00 CET" webinar, a morning
with two talks, a postponed talk, speaker cards of a social network, German, Swedish,
Norwegian and French pages; and four pages that are no talk event (a speaker's profile, a
past-events archive, a press release on a CIO appointment, a course description).

How the truth treats a morning with two talks: the page's title is the event's; the topic is
left out of the truth (no one talk title is the event's), and both speakers are scored.
"""

from __future__ import annotations

from typing import Any

CORPUS = "extraction_round3"  # read by the `answers` fixture in conftest.py


def test_struck_out_date_gives_way_to_the_new_one(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["postponed-notice.html"]["date"] == "2019-11-12"


def test_contacts_and_press_quotes_do_not_speak(answers: dict[str, dict[str, Any]]) -> None:
    plone = {s["name"] for s in answers["plone-table-ku.html"]["speakers"]}
    assert plone == {"Ole Stenberg"}
    assert not answers["press-release-cio-appointment.html"]["is_event"]

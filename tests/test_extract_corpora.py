"""The generality gate: every fixture corpus scored against its truth, each field at its pin.

Each corpus in tests/fixtures/extraction* was written by someone who had not read the extractor
(people, organisations and venues fictional), then the extractor was improved with general
rules; the module of each round (tests/test_extract_round*.py, test_extract_layouts.py) says
what its pages hold and keeps its own specific tests. Pins are measured values: a field must
not fall below its pin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from scoring import (
    FIELD_ORDER,
    corpus_answers,
    fixture_corpus,
    overall,
    score_corpus,
    truth_quotes,
    visible_text,
)


@dataclass(frozen=True)
class Gate:
    """One corpus's pins and size."""

    corpus: str
    minimums: dict[str, float] = field(default_factory=dict)  # fields below 1.0
    overall: float = 1.0
    min_pages: int = 8
    min_non_events: int = 2
    quote_location: bool = False
    unquoted: frozenset[str] = frozenset()
    # training corpora get every page's is_event right; a validation set is pinned per field
    exact_is_event: bool = True

    def minimum(self, name: str) -> float:
        """The pin of one field."""
        return self.minimums.get(name, 1.0)


GATES = [
    # Pins re-measured after the vocabulary audit removed the terms lifted from single pages
    # ("own their data", "lagt sammen", "maisons individuelles" …): the pages that leaned on them
    # now miss those labels, which is the honest score of general rules.
    Gate("extraction"),
    # Left: a venue whose page prints the street address under its name is now read with it.
    Gate("extraction_round2", {"location": 0.937}, overall=0.996, min_pages=15, min_non_events=4),
    # Left: an Indico venue given only as a room number in a separate field; the truth joins
    # one room and its building, written on the page as "Room (Building)".
    Gate(
        "extraction_round3",
        # themes 0.95 → 0.85 with the h10 theme rules (a theme at an eighth of the strongest's
        # weight, a headline word the text takes up): two pages whose truth has fewer themes
        # now get a third
        {"location": 0.947, "industries": 0.95, "themes": 0.85},
        overall=0.984,
        min_pages=15,
        min_non_events=4,
        quote_location=True,
        unquoted=frozenset({"Room 2-C, Technology Centre, Skovbrynet 4"}),
    ),
    Gate("extraction_round4", {"themes": 0.923}, overall=0.995, min_pages=12, quote_location=True),
    # Left (before tuning 0.846): venues split over a JSON-LD name and visible address lines;
    # the topic inside "… - an evening with Name"; a furniture maker taken for a shop.
    Gate(
        "extraction_round5",
        {"topic": 0.933, "location": 0.875, "industries": 0.866, "themes": 0.875},
        overall=0.973,
        min_pages=14,
        min_non_events=4,
    ),
    Gate("extraction_round6", {"themes": 0.9}, overall=0.993, min_pages=12),  # before: 0.952
    Gate("extraction_round7", {"industries": 0.833}, overall=0.989),  # before tuning: 0.520
    # Round 8 was written blind in 12 languages and scored once before any rule was tuned on
    # it: 0.749 with ../shared/tools/score_extraction.py (0.660 for the session-start
    # extractor). It was then used for training; these pins are re-measured after the h10 rules
    # of 2026-12-07 (rounds 8–10 had kept older, lower pins).
    Gate(
        "validation_round8",
        {
            "end_time": 0.904, "location": 0.857, "abstract": 0.952, "speakers": 0.904,
            "speaker_organisation": 0.923, "speaker_role": 0.923, "speaker_bio": 0.875,
            "themes": 0.809,
        },
        overall=0.944,
        min_pages=30,
        min_non_events=10,
        exact_is_event=False,
    ),
    # Round 9, written blind after round 8 became training, scored once before any rule was
    # tuned on it: 0.698 with the shared scorer (0.672 for the session-start extractor). Then
    # training for round 10; these pins are after that (0.796 with the shared scorer).
    Gate(
        "validation_round9",
        {
            "topic": 0.909, "date": 0.909, "start_time": 0.909, "end_time": 0.909,
            "last_updated": 0.772, "location": 0.909, "abstract": 0.954, "speaker_bio": 0.952,
            "themes": 0.818,
        },
        overall=0.939,
        min_pages=28,
        min_non_events=6,
        exact_is_event=False,
    ),
    # Round 10, written blind after round 9 became training, scored once, never tuned on:
    # 0.823 with the shared scorer (0.741 for the session-start extractor); is_event 24/24.
    # Training since; re-measured after the h10 rules of 2026-12-07.
    Gate(
        "validation_round10",
        {
            "topic": 0.947, "location": 0.947, "abstract": 0.947, "industries": 0.894,
            "themes": 0.894,
        },
        overall=0.976,
        min_pages=24,
        min_non_events=5,
        exact_is_event=False,
    ),
    # Round 11, written blind (26 pages, 13 languages, realistic page weight) at the start of
    # the 2026-12-07 session and never tuned on: 0.837 with the shared scorer for the
    # session-start extractor, 0.898 after that session's general rules. Training for round 12
    # since; pinned after the h10 rules (sector themes, venue phrases, firm-name trade words).
    Gate(
        "validation_round11",
        {
            "language": 0.944, "location": 0.944, "abstract": 0.888, "themes": 0.833,
        },
        overall=0.976,
        min_pages=26,
        min_non_events=8,
        exact_is_event=False,
    ),
    # Round 12, written blind (30 pages, 12 languages, CMS furniture) during the 2026-12-07
    # morning session while the h10 rules were made, and scored once before any tuning on it:
    # 0.742 with the shared scorer for the session-start extractor (f5c1674), 0.755 with the
    # h10 rules. Training from then on: pins raised to measured values after each rule
    # (shared scorer: 0.785 after the h10-rules12 time forms, 0.788 after the quoted title
    # after a name, 0.791 with parts of the day as event kinds, 0.798 with ends stated in words;
    # 0.847 after the h10f rules on venues in prose, update labels, report headlines, invitation
    # and venue lines in the abstract, weekday dates in sentences and theme terms).
    Gate(
        "validation_round12",
        {
            "topic": 0.947, "end_time": 0.947, "language": 0.947, "location": 0.944,
            "industries": 0.947, "themes": 0.947,
        },
        overall=0.981,
        min_pages=30,
        min_non_events=11,
        exact_is_event=False,
    ),
    # Round 13, written blind (26 pages, 17 languages, 26 kinds of platform) during the
    # 2026-12-07 midday session while the h10s/h10f rules were made; neither rule helper saw it.
    # Scored once each: 0.699 with the shared scorer for the session-start extractor (1d3a98f),
    # 0.722 with the rules of that session (not tuned on it). Training from the 2026-12-07
    # late session on (shared scorer 0.722 → 0.864), and 0.864 → 0.894 in the 2026-12-08
    # session (the Czech page gained from the new Czech table); the pins are the measured values.
    Gate(
        "validation_round13",
        {
            "is_event": 0.961, "title": 0.941, "topic": 0.941, "date": 0.941,
            "start_time": 0.882, "end_time": 0.882, "language": 0.941, "last_updated": 0.941,
            "location": 0.823, "abstract": 0.882, "speakers": 1.0,
            "speaker_organisation": 0.833, "speaker_role": 0.958, "speaker_bio": 0.958,
            "industries": 0.647, "themes": 0.647,
        },
        overall=0.89,
        min_pages=26,
        min_non_events=9,
        exact_is_event=False,
    ),
    # Round 14, written blind at the same time by another writer (26 pages, 16 languages, 26
    # kinds of platform) and kept apart from every rule helper: nobody read its misses. Scored
    # only at the end of that session: 0.704 for the session-start extractor (1d3a98f), 0.763
    # with the session's rules. Training from the 2026-12-07 late session on (shared scorer
    # 0.780 → 0.833); pinned at the measured values. Its truth keeps academic titles the shared
    # scorer does not drop ("Ing. Mag.", "Dipl.-Inform.", "mgr inż."), so those speakers stay
    # unmatched whatever the extractor reads.
    Gate(
        "validation_round14",
        {
            "is_event": 0.884, "topic": 0.941, "end_time": 0.882, "language": 0.823,
            "location": 0.764, "abstract": 0.941, "speakers": 0.647,
            "speaker_organisation": 0.631, "speaker_role": 0.684, "speaker_bio": 0.684,
            "industries": 0.823, "themes": 0.647,
        },
        overall=0.832,
        min_pages=26,
        min_non_events=9,
        exact_is_event=False,
    ),
    # Round 15, written blind at the start of the 2026-12-07 late session (26 pages of 39–58 KB,
    # 17 languages, 21 platforms) by a writer who never read the extractor, and never read by
    # the session: 0.743 with the shared scorer for the session-start extractor (8b1c966),
    # 0.771 with the session's rules (tuned on rounds 13 and 14, not on this one). The next
    # round's training from the 2026-12-08 session on (shared scorer 0.771 → 0.864, most of it
    # from the new Czech, Hungarian and Icelandic tables); pinned at the measured values.
    Gate(
        "validation_round15",
        {
            "is_event": 0.846, "title": 0.941, "topic": 1.0, "date": 0.941, "start_time": 0.941,
            "end_time": 0.875, "language": 0.941, "last_updated": 0.941, "location": 0.882,
            "abstract": 0.941, "speakers": 0.764, "speaker_organisation": 0.705,
            "speaker_role": 0.823, "speaker_bio": 0.764, "industries": 0.705, "themes": 0.764,
        },
        overall=0.86,
        min_pages=26,
        min_non_events=9,
        exact_is_event=False,
    ),
    # Round 16, written blind at the start of the 2026-12-08 session (24 pages of 41–52 KB, 16
    # languages among them ro, sk, hr and lt, which no table claims) by a writer who never read
    # the extractor, and never read by the session: 0.773 with the shared scorer for the
    # session-start extractor (85c7e87), 0.776 with the session's rules (tuned on rounds 13–15
    # and real pages, not on this one). The next round's training; pinned at the measured values.
    Gate(
        "validation_round16",
        {
            "is_event": 0.875, "title": 1.0, "topic": 0.687, "date": 0.937, "start_time": 0.875,
            "end_time": 0.75, "language": 0.777, "last_updated": 0.937, "location": 0.5,
            "abstract": 0.75, "speakers": 0.75, "speaker_organisation": 0.687,
            "speaker_role": 0.666, "speaker_bio": 0.8, "industries": 0.625, "themes": 0.687,
        },
        overall=0.772,
        min_pages=24,
        min_non_events=8,
        exact_is_event=False,
    ),
]  # fmt: skip
BY_NAME = {gate.corpus: gate for gate in GATES}
PAGES = [(gate.corpus, page) for gate in GATES for page in fixture_corpus(gate.corpus).pages]
EXACT_PAGES = [(corpus, page) for corpus, page in PAGES if BY_NAME[corpus].exact_is_event]
EVENT_PAGES = [
    (corpus, page) for corpus, page in PAGES if fixture_corpus(corpus).truth[page]["is_event"]
]


@pytest.mark.parametrize("gate", GATES, ids=lambda g: g.corpus)
def test_every_page_has_a_truth_entry(gate: Gate) -> None:
    corpus = fixture_corpus(gate.corpus)
    assert sorted(corpus.truth) == corpus.pages
    assert len(corpus.pages) >= gate.min_pages
    assert sum(1 for t in corpus.truth.values() if not t["is_event"]) >= gate.min_non_events


@pytest.mark.parametrize(("corpus", "page"), EVENT_PAGES)
def test_truth_quotes_the_page(corpus: str, page: str) -> None:
    gate = BY_NAME[corpus]
    fixtures = fixture_corpus(corpus)
    text = visible_text(fixtures.folder / page)
    for quote in truth_quotes(fixtures.truth[page], with_location=gate.quote_location):
        if quote in gate.unquoted:
            continue
        assert re.sub(r"\s+", " ", quote).casefold() in text, quote


@pytest.mark.parametrize(("corpus", "page"), EXACT_PAGES)
def test_is_event_is_right(corpus: str, page: str) -> None:
    truth = fixture_corpus(corpus).truth[page]
    assert corpus_answers(corpus)[page]["is_event"] is truth["is_event"]


@pytest.mark.parametrize("field_name", FIELD_ORDER)
@pytest.mark.parametrize("gate", GATES, ids=lambda g: g.corpus)
def test_field_score_meets_its_pin(gate: Gate, field_name: str) -> None:
    scores = score_corpus(corpus_answers(gate.corpus), fixture_corpus(gate.corpus).truth)
    score = scores[field_name]
    assert score.ratio >= gate.minimum(field_name), "\n".join(score.failures)


@pytest.mark.parametrize("gate", GATES, ids=lambda g: g.corpus)
def test_overall_score_meets_its_pin(gate: Gate) -> None:
    scores = score_corpus(corpus_answers(gate.corpus), fixture_corpus(gate.corpus).truth)
    assert overall(scores) >= gate.overall

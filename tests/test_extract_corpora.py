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

    def minimum(self, name: str) -> float:
        """The pin of one field."""
        return self.minimums.get(name, 1.0)


GATES = [
    # Left: industry and theme words of two pages the vocabulary did not hold at the time.
    Gate("extraction", {"industries": 0.81, "themes": 0.9}, overall=0.98),
    Gate("extraction_round2", min_pages=15, min_non_events=4),
    # Left: an Indico venue given only as a room number in a separate field; the truth joins
    # one room and its building, written on the page as "Room (Building)".
    Gate(
        "extraction_round3",
        {"location": 0.94},
        overall=0.996,
        min_pages=15,
        min_non_events=4,
        quote_location=True,
        unquoted=frozenset({"Room 2-C, Technology Centre, Skovbrynet 4"}),
    ),
    Gate("extraction_round4", min_pages=12, min_non_events=3, quote_location=True),
    # Left (before tuning 0.846): venues split over a JSON-LD name and visible address lines;
    # the topic inside "… - an evening with Name"; German and French theme words; a furniture
    # maker taken for a shop.
    Gate(
        "extraction_round5",
        {"topic": 0.93, "location": 0.81, "industries": 0.93, "themes": 0.75},
        overall=0.965,
        min_pages=14,
        min_non_events=4,
    ),
    Gate("extraction_round6", min_pages=12),  # before tuning: 0.952
    Gate("extraction_round7"),  # before tuning: 0.520
]
BY_NAME = {gate.corpus: gate for gate in GATES}
PAGES = [(gate.corpus, page) for gate in GATES for page in fixture_corpus(gate.corpus).pages]
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


@pytest.mark.parametrize(("corpus", "page"), PAGES)
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

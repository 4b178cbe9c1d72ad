"""One example never lets a speaker rule override page-text rules that read it right.

A template's name element may hold only the name on one page and "Name, Organisation" on
another; from one example the learner cannot tell, so it leaves the speakers to the page-text
rules when they already read the example right (with two examples it may keep a strong rule).
"""

from __future__ import annotations

import pytest

from scraper.extract.fieldrules import FieldRule
from scraper.extract.learn import GENERIC, OWNED, Example, verdict
from scraper.extract.page import parse
from scraper.model import Extraction, Speaker

_HTML = '<html><body><header class="talk"><h4 class="who">{name}</h4></header></body></html>'


def _example(name: str) -> Example:
    page = parse(_HTML.format(name=name))
    generic = Extraction(source="x", speakers=[Speaker(name=name)])
    return Example(page=page, fields={"speakers": [{"name": name}]}, generic=generic)


@pytest.mark.parametrize(
    ("names", "want"),
    [
        (["Ada Lovelace"], GENERIC),
        (["Ada Lovelace", "Alan Turing"], OWNED),
    ],
)
def test_strong_speaker_rule_kept_only_with_two_examples(names: list[str], want: str) -> None:
    examples = [_example(n) for n in names]
    rule = FieldRule(css="h4.who")
    assert verdict("speaker.name", rule, None, examples, weak=False, keep_strong=True) == want


def test_page_field_strong_rule_still_kept_from_one_example() -> None:
    page = parse('<html><body><h1 class="headline">A talk</h1></body></html>')
    ex = Example(
        page=page, fields={"title": "A talk"}, generic=Extraction(source="x", title="A talk")
    )
    rule = FieldRule(css="h1.headline")
    assert verdict("title", rule, None, [ex], weak=False, keep_strong=True) == OWNED

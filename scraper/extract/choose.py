"""Choosing the rule that reproduces an admin's example values, field by field.

Shared by the page-level learner (scraper.extract.learn) and the speaker learner: the tests of
whether a text is an example's value (through the extraction's own date and time parsers),
the search for the elements that hold it, and the scoring of candidate rules over every
example page.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from scraper.extract import lexicon
from scraper.extract.fieldrules import FieldRule, read, select, squash
from scraper.extract.induce import classed, complexity, cuts, selectors
from scraper.extract.page import HtmlElement
from scraper.extract.profiles import parse_day, parse_times

_INVISIBLE = frozenset({"script", "style", "noscript", "head", "title", "meta", "link", "template"})
_MAX_CANDIDATES = 6
_MAX_SELECTORS = 30

Check = Callable[[str], bool]


@dataclass
class FieldReport:
    """How well the learned rule of one field reproduces the examples."""

    field: str
    rule: FieldRule | None
    reproduced: int
    given: int


def options(value: Any) -> list[str]:
    """The accepted answers of an example value (a list means any of them)."""
    if isinstance(value, list):
        return [str(v) for v in value if v]
    return [str(value)] if value not in (None, "") else []


def words(text: str) -> str:
    return re.sub(r"\W+", " ", squash(text)).strip()


def checker(name: str, value: Any, year: int | None = None) -> Callable[[str], bool]:
    """A test of whether a text is the example's value of a field, as extraction reads it."""
    wanted = options(value)
    part = name.removeprefix("speaker.")
    if name == "date":
        return lambda text: parse_day(text, year) in wanted
    if name == "start_time":
        return lambda text: parse_times(text)[0] in wanted
    if name == "end_time":
        return lambda text: (lambda se: se[1] or se[0])(parse_times(text)) in wanted
    if name == "last_updated":
        return lambda text: parse_day(text) in wanted
    if part in ("abstract", "bio"):
        snippets = [words(w) for w in wanted]
        return lambda text: any(s and s in words(text)[: len(s) + 200] for s in snippets)
    if name == "location":
        tokens = [set(words(w).split()) for w in wanted]
        return lambda text: any(
            t and len(t & set(words(text).split())) / len(t | set(words(text).split())) >= 0.8
            for t in tokens
        )
    if part == "name":  # "Dr Fiona Ashcombe" on the page is the example's "Fiona Ashcombe"
        names = [bare_name(w) for w in wanted]
        return lambda text: bare_name(text) in names
    folded = [squash(w) for w in wanted]
    return lambda text: squash(text) in folded


@lru_cache(maxsize=1)
def _titles() -> re.Pattern[str]:
    """Academic and courtesy titles in front of a name, from every language table."""
    titles = sorted({t.rstrip(".") for t in lexicon.words("titles") if t}, key=len, reverse=True)
    return re.compile(r"^(?:(?:" + "|".join(map(re.escape, titles)) + r")\.?\s+)+", re.I)


def bare_name(text: str) -> str:
    """A person's name folded for comparison, without the titles in front of it."""
    return _titles().sub("", squash(text))


def near(name: str, value: Any) -> Callable[[str], bool]:
    """A loose test for elements that may hold the value (before any cut is tried)."""
    if name in ("date", "start_time", "end_time", "last_updated"):
        return lambda text: len(text) < 400 and bool(re.search(r"\d", text))
    needles = [words(w)[:80] for w in options(value)]
    return lambda text: any(n and n in words(text) for n in needles)


def prose(name: str) -> bool:
    """True for the fields whose values are paragraphs (their examples give the first words)."""
    return name.removeprefix("speaker.") in ("abstract", "bio")


def candidates(
    root: HtmlElement, near: Check, check: Check, *, is_prose: bool = False
) -> list[HtmlElement]:
    """The smallest elements whose text passes check (none of their children does)."""
    passing: list[HtmlElement] = []
    hidden = {inner for el in root.iter(*_INVISIBLE) for inner in el.iter()}
    for el in root.iter():
        if not isinstance(el.tag, str) or el in hidden:
            continue
        text = " ".join("".join(el.itertext()).split())
        if text and near(text) and any(True for _ in cuts(el, check, prose=is_prose)):
            passing.append(el)
    keep = set(passing)
    minimal = [el for el in passing if not any(d in keep for d in el.iterdescendants())]
    return minimal[:_MAX_CANDIDATES]


def _score(
    rule: FieldRule, pages: Sequence[tuple[HtmlElement, Callable[[str], bool] | None]]
) -> tuple[int, int]:
    """(examples reproduced, examples where the rule reads a value that is not theirs)."""
    good = bad = 0
    for root, check in pages:
        value = read(root, rule)
        if check is None:
            bad += value is not None
        elif value is not None and check(value):
            good += 1
        elif value is not None:
            bad += 1
    return good, bad


def best_rule(
    anchors: Sequence[tuple[HtmlElement, list[HtmlElement], Check]],
    pages: Sequence[tuple[HtmlElement, Check | None]],
    *,
    is_prose: bool = False,
    avoid: Sequence[str] = (),
) -> tuple[FieldRule | None, int]:
    """The rule, among every anchor element's candidates, that reproduces most examples.

    Ties go to the rule that says most about the element and cuts least: a classed
    selector, then plain text over a line, a label or a split part, then a unique match,
    the first match, and the shorter selector. A cut whose constant text holds one of the
    examples' own values (``avoid``: a speaker's name in front of the role) is that page's
    text, not the template's label, and is never a rule.
    """
    best: tuple[tuple[int, ...], FieldRule] | None = None
    for root, elements, check in anchors:
        for el in elements:
            rule_cuts = [c for c in cuts(el, check, prose=is_prose) if not literal(c, avoid)]
            rule_cuts = rule_cuts[:12]
            for css in selectors(el, root)[:_MAX_SELECTORS]:
                found = select(root, css)
                if el not in found:
                    continue
                nth = found.index(el)
                for nth_choice in {nth, nth - len(found)}:
                    for cut in rule_cuts:
                        rule = FieldRule(
                            css=css, nth=nth_choice if nth_choice != 0 else 0, line=cut.line,
                            after=cut.after, before=cut.before, split=cut.split, parts=cut.parts,
                        )  # fmt: skip
                        good, bad = _score(rule, pages)
                        key = (
                            good - bad, classed(css), -complexity(rule), -len(found),
                            -abs(nth_choice), -len(css),
                        )  # fmt: skip
                        if best is None or key > best[0]:
                            best = (key, rule)
        if best and best[0][0] >= len([p for p in pages if p[1] is not None]):
            break
    if best is None:
        return None, 0
    return best[1], _score(best[1], pages)[0]


def example_values(fields: Mapping[str, Any]) -> list[str]:
    """An example's values that only that page prints (its headline, its speakers' names,
    roles and organisations), folded as :func:`words` folds them, for :func:`literal`."""
    texts = [v for key in ("title", "topic", "location") for v in options(fields.get(key))]
    for person in fields.get("speakers") or []:
        texts += [v for part in ("name", "role", "organisation") for v in options(person.get(part))]
        texts += [bare_name(v) for v in options(person.get("name"))]
    return [w for w in dict.fromkeys(words(t) for t in texts) if len(w) >= 4]


def literal(rule: FieldRule, values: Sequence[str]) -> bool:
    """True when a rule's constant text (its label or suffix) holds one of the values."""
    if not values or not (rule.after or rule.before):
        return False
    text = f" {words(rule.after)} {words(rule.before)} "
    return any(f" {v} " in text for v in values)


def any_value(_text: str) -> bool:
    """The check of an example that says nothing about a field: any value is fine."""
    return True

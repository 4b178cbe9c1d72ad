"""When a learned rule may own its field: the trust the examples give it.

A rule is kept only as far as the examples vouch for it (see :func:`verdict`): it must
reproduce every example that gives the field; a positional rule (its element named by tag
and place alone) must be confirmed on every example that speaks of the field, and from one
such example it may only fill a field the page-text rules leave empty; and where the
page-text rules already read every example right, they keep the field unless the rule is
strong. An example silent on a field (no value, no "none") neither confirms nor refutes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scraper.extract import extract
from scraper.extract.choose import FieldReport, bare_name, checker, options, prose
from scraper.extract.decode import decode_html
from scraper.extract.fieldrules import FieldRule, read, select
from scraper.extract.induce import classed, complexity, narrow_anchor
from scraper.extract.page import Page, parse
from scraper.extract.profiles import page_year
from scraper.extract.rules import Rules
from scraper.model import Extraction


@dataclass
class Example:
    """One page and the values an admin says it shows (extraction contract keys)."""

    page: Page
    fields: Mapping[str, Any]
    source: str = ""
    #: what the rules without this profile extract from the page (None: not known)
    generic: Extraction | None = None


def example(
    html: bytes, source: str, fields: Mapping[str, Any], rules: Rules | None = None
) -> Example:
    """An example from a page's bytes: parsed, and extracted by the rules as they stand."""
    text, _encoding = decode_html(html, None)
    return Example(
        page=parse(text), fields=fields, source=source, generic=extract(html, source, rules=rules)
    )


def year_of(example: Example) -> int | None:
    """The year a date printed without one takes: the page's, as the profile reader finds it."""
    return page_year(example.page)


def generic_right(name: str, examples: Sequence[Example]) -> bool:
    """True when the rules without a profile already read every example's value of a field
    (``speaker.role`` and the like: of every example speaker)."""
    name = name.replace("speakers.", "speaker.", 1)
    for ex in examples:
        if ex.generic is None:
            return False
        if name.startswith("speaker."):
            part = name.removeprefix("speaker.")
            got = {bare_name(s.name): s for s in ex.generic.speakers}
            for person in ex.fields.get("speakers") or []:
                if part not in person:
                    continue
                mine = got.get(bare_name(str(person.get("name") or "")))
                if mine is None or not _agrees(name, person.get(part), getattr(mine, part), ex):
                    return False
            continue
        if name in ex.fields and not _agrees(name, ex.fields[name], getattr(ex.generic, name), ex):
            return False
    return True


def _agrees(name: str, want: Any, have: Any, ex: Example) -> bool:
    if not options(want):
        return not have
    return bool(have) and checker(name, want, year_of(ex))(str(have))


def strong(rule: FieldRule, examples: Sequence[Example]) -> bool:
    """A rule worth keeping even where the page-text rules read the examples right: a classed
    selector picking one element, its whole text, on every example page."""
    return (
        classed(rule.css)
        and complexity(rule) == 0
        and all(len(select(ex.page.root, rule.css)) == 1 for ex in examples)
    )


def anchored(name: str, rule: FieldRule, examples: Sequence[Example]) -> bool:
    """True for a rule that names no place: a classed ancestor and a tag under it, with no
    ``:nth-of-type()`` step and no n-th match ("div.article-metadata a"), that picks one
    element on every example (or, for the speakers' names, every match is read). Such a
    rule says where the template keeps the value, as a class on the element itself would;
    it is the common path of the examples' elements, not the place one page put it."""
    if ":nth-" in rule.css or rule.nth or not classed(rule.css) or ":contains(" in rule.css:
        return False
    if not all(narrow_anchor(rule.css, ex.page.root) for ex in examples):
        return False  # a wrapper round the whole page says nothing of where the value is
    if name == "speaker.name":
        return True
    return all(len(select(ex.page.root, rule.css)) == 1 for ex in examples)


OWNED = "owned by the profile"
GENERIC = "left to the page-text rules (they read every example right)"


def verdict(
    name: str,
    rule: FieldRule,
    report: FieldReport | None,
    examples: Sequence[Example],
    *,
    weak: bool,
    keep_strong: bool = False,
) -> str:
    """Whether a learned rule may own its field, and if not, why.

    A rule is trusted only as far as the examples vouch for it: with two or more examples
    giving the field, it must reproduce every one of them (a rule learned on one page that
    misses the other is that page's accident, not the template's). A positional rule (no
    class, id or label names its element) is weak evidence: it must hold on every example,
    and from a single example it may only fill a field the page-text rules leave empty. And
    where the page-text rules already read every example right, they keep the field: a rule
    then could only add risk on pages the examples do not show.
    """
    reproduced, given = (report.reproduced, report.given) if report else (0, 0)
    if given >= 2 and reproduced < given:
        return f"the rule misses {given - reproduced} of {given} examples"
    if weak and not _confirmed(name, rule, report, examples):
        return "a positional rule not confirmed on every example"
    if weak and givers(name, examples) == 1 and generic_found(name, examples):
        return "a positional rule from one example where the page-text rules read a value"
    # One example cannot tell a name element from one that on other pages also holds the
    # speaker's affiliation ("Name, Organisation"), and a profile that reads the speakers
    # replaces the page-text rules' roles and organisations: from one example a speaker rule
    # never overrides page-text rules that read it right.
    # Nor can one example tell a template's summary element from its abstract: a classed
    # paragraph that held the abstract on one page may hold a one-line teaser on the next.
    lone = givers(name, examples) == 1 and (
        name.startswith(("speaker.", "speakers.")) or prose(name)
    )
    if generic_right(name, examples) and not (keep_strong and not lone and strong(rule, examples)):
        return GENERIC
    return OWNED


def _confirmed(
    name: str, rule: FieldRule, report: FieldReport | None, examples: Sequence[Example]
) -> bool:
    """True when every example that speaks of the field confirms the rule: it reads their
    value, or nothing where they say the page has none. An example that gives no value and
    says nothing of the field (no speakers listed) neither confirms nor refutes it. (A speaker
    part must read every example speaker's value.)"""
    if name.startswith(("speaker.", "speakers.")):
        return report is not None and report.given > 0 and report.reproduced >= report.given
    out = given = 0
    for ex in examples:
        if name not in ex.fields:
            continue
        given += 1
        value = read(ex.page.root, rule)
        if not options(ex.fields[name]):
            out += value is None
        else:
            out += value is not None and checker(name, ex.fields[name], year_of(ex))(value)
    return given > 0 and out == given


def givers(name: str, examples: Sequence[Example]) -> int:
    """How many examples give a value of the field (of a speaker part: list speakers): one
    example's evidence is one page's, however many examples there are."""
    if name.startswith(("speaker.", "speakers.")):
        return sum(1 for ex in examples if ex.fields.get("speakers"))
    return sum(1 for ex in examples if options(ex.fields.get(name)))


def generic_found(name: str, examples: Sequence[Example]) -> bool:
    """True when the rules without a profile read some value of the field on every example
    that gives one (an example silent on the field says nothing of them)."""
    part = name.split(".", 1)[1] if name.startswith(("speaker.", "speakers.")) else ""
    giving = [ex for ex in examples if ex.fields.get("speakers" if part else name)]
    for ex in giving or examples:
        if ex.generic is None:
            return False
        if part:
            if not any(getattr(s, part, None) for s in ex.generic.speakers):
                return False
        elif not getattr(ex.generic, name, None):
            return False
    return True

"""Learn how a template shows its speakers: one element per speaker, and the parts inside it.

Three steps, each checked on every example page:

1. a page-level rule whose matches read every example speaker's name (``speaker.name``);
2. the speaker's element (``speaker``): the smallest ancestor of a name that also holds that
   speaker's role, organisation and bio and no other speaker's name;
3. the name, role, organisation and bio rules read inside that element.

A template that prints one speaker with facts spread over the page gets no ``speaker`` rule:
its parts are then read from the whole page.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from scraper.extract.choose import (
    Check,
    FieldReport,
    best_rule,
    candidates,
    checker,
    near,
    options,
    prose,
)
from scraper.extract.fieldrules import FieldRule, element_value, read_all, select
from scraper.extract.induce import cuts, selectors
from scraper.extract.page import HtmlElement

PARTS = ("role", "organisation", "bio")
_CLIMB = 6

Truth = tuple[HtmlElement, list[Mapping[str, Any]]]


def _name_checks(speakers: Sequence[Mapping[str, Any]]) -> list[Check]:
    return [checker("speaker.name", s.get("name")) for s in speakers if options(s.get("name"))]


def _all_names_rule(examples: Sequence[Truth]) -> FieldRule | None:
    """A page-level rule whose matches include every example speaker's name, and little else."""
    best: tuple[tuple[int, int, int], FieldRule] | None = None
    anchors = [(root, people) for root, people in examples if people][:2]
    for root, people in anchors:
        first = people[0]
        check = checker("speaker.name", first.get("name"))
        for el in candidates(root, near("speaker.name", first.get("name")), check):
            for cut in list(cuts(el, check))[:8]:
                for css in selectors(el, root)[:30]:
                    rule = FieldRule(
                        css=css, line=cut.line, after=cut.after, before=cut.before,
                        split=cut.split, parts=cut.parts,
                    )  # fmt: skip
                    key = (*_cover(rule, examples), -len(css))
                    if best is None or key > best[0]:
                        best = (key, rule)
    return best[1] if best and best[0][0] > 0 else None


def _cover(rule: FieldRule, examples: Sequence[Truth]) -> tuple[int, int]:
    """(speakers whose names the rule reads, minus values that are nobody's name; -extras)."""
    found = extra = 0
    for root, people in examples:
        values = read_all(root, rule)
        checks = _name_checks(people)
        found += sum(1 for c in checks if any(c(v) for v in values))
        extra += sum(1 for v in values if not any(c(v) for c in checks))
    return found - extra, -extra


def _name_elements(
    root: HtmlElement, rule: FieldRule, people: Sequence[Mapping[str, Any]]
) -> list[tuple[HtmlElement, int]]:
    """Each matched element that reads a true name, with the index of that speaker."""
    out: list[tuple[HtmlElement, int]] = []
    checks = [checker("speaker.name", s.get("name")) for s in people]
    for el in select(root, rule.css):
        value = element_value(el, rule)
        for i, check in enumerate(checks):
            if value and check(value) and all(j != i for _, j in out):
                out.append((el, i))
                break
    return out


def _lca(elements: Sequence[HtmlElement]) -> HtmlElement:
    chains = [[el, *el.iterancestors()] for el in elements]
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    return next(el for el in chains[0] if el in common)


def _item(
    name_el: HtmlElement, person: Mapping[str, Any], root: HtmlElement, others: list[HtmlElement]
) -> HtmlElement:
    """The speaker's element: the LCA of the name and the parts nearest to it, no other name."""
    parts = []
    for part in PARTS:
        value = person.get(part)
        if not options(value):
            continue
        name = f"speaker.{part}"
        found = candidates(root, near(name, value), checker(name, value), is_prose=prose(name))
        if found:  # the holder nearest to the name: the deepest common ancestor
            parts.append(max(found, key=lambda el: len(list(_lca([name_el, el]).iterancestors()))))
    item = _lca([name_el, *parts])
    if any(o is not name_el and _inside(o, item) for o in others):
        item = name_el  # the parts are not grouped with the name: climb without them
        for _ in range(_CLIMB):
            parent = item.getparent()
            if parent is None or any(o is not name_el and _inside(o, parent) for o in others):
                break
            item = parent
    return item


def _inside(el: HtmlElement, holder: HtmlElement) -> bool:
    return el is holder or any(a is holder for a in el.iterancestors())


def learn_speakers(examples: Sequence[Truth]) -> tuple[dict[str, FieldRule], list[FieldReport]]:
    """Speaker rules (``speaker``, ``speaker.name`` …) and a report per part."""
    people_given = sum(len(p) for _, p in examples)
    names = _all_names_rule(examples)
    if names is None:
        return {}, [FieldReport("speaker.name", None, 0, people_given)]
    # (item element, its speaker's truth) on every example, and the anchor's first item
    items: list[tuple[HtmlElement, Mapping[str, Any]]] = []
    by_example: list[tuple[HtmlElement, list[HtmlElement]]] = []
    for root, people in examples:
        found = _name_elements(root, names, people)
        els = [el for el, _ in found]
        page_items = [_item(el, people[i], root, els) for el, i in found]
        items += [(item, people[i]) for item, (_, i) in zip(page_items, found, strict=True)]
        by_example.append((root, page_items))
    rules: dict[str, FieldRule] = {}
    if not items:
        return {"speaker.name": names}, [FieldReport("speaker.name", names, 0, people_given)]
    item_rule = _item_rule(by_example, items)
    if item_rule is None:  # parts spread over the page: read them from the page
        holders = [(root, people[0]) for root, people in examples if len(people) == 1]
        rules["speaker.name"] = names
    else:
        rules["speaker"] = item_rule
        holders = items
    reports = []
    for part in ("name", *PARTS):
        if part == "name" and item_rule is None:
            good = sum(1 for root, _p in holders if read_all(root, names))
            reports.append(FieldReport("speaker.name", names, good, people_given))
            continue
        report = _learn_part(part, holders)
        if report.given or report.rule:
            reports.append(report)
        if report.rule is not None:
            rules[f"speaker.{part}"] = report.rule
    if item_rule is not None and "speaker.name" not in rules:
        rules["speaker.name"] = names
    return rules, reports


def _item_rule(
    by_example: list[tuple[HtmlElement, list[HtmlElement]]],
    items: list[tuple[HtmlElement, Mapping[str, Any]]],
) -> FieldRule | None:
    """A selector that picks exactly the speakers' elements on every example."""
    anchor = items[0][0]
    if anchor.tag in ("html", "body"):
        return None
    root = next(r for r, page_items in by_example if anchor in page_items)
    best: tuple[tuple[int, int], str] | None = None
    for css in selectors(anchor, root)[:30]:
        hit = miss = 0
        for page_root, page_items in by_example:
            chosen = select(page_root, css)
            hit += sum(1 for it in page_items if it in chosen)
            miss += sum(1 for el in chosen if el not in page_items)
        key = (hit - miss, -len(css))
        if best is None or key > best[0]:
            best = (key, css)
    if best is None or best[0][0] < len(items):
        return None
    return FieldRule(css=best[1])


def _learn_part(part: str, holders: Sequence[tuple[HtmlElement, Mapping[str, Any]]]) -> FieldReport:
    """The rule of one part inside each speaker's element."""
    name = f"speaker.{part}"
    pages: list[tuple[HtmlElement, Check | None]] = []
    anchors: list[tuple[HtmlElement, list[HtmlElement], Check]] = []
    for holder, person in holders:
        value = person.get(part)
        if not options(value):
            if part in person:
                pages.append((holder, None))
            continue
        check = checker(name, value)
        pages.append((holder, check))
        if len(anchors) < 2:
            anchors.append(
                (holder, candidates(holder, near(name, value), check, is_prose=prose(name)), check)
            )
    given = sum(1 for _, c in pages if c is not None)
    if not anchors:
        return FieldReport(name, None, 0, given)
    rule, good = best_rule(anchors, pages, is_prose=prose(name))
    return FieldReport(name, rule if good else None, good, given)

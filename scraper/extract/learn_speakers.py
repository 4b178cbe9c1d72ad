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
    example_values,
    literal,
    near,
    options,
    prose,
)
from scraper.extract.fieldrules import FieldRule, element_value, read_all, select
from scraper.extract.induce import classed, classes, cuts, grouped, narrow_anchor, selectors
from scraper.extract.page import HtmlElement

PARTS = ("role", "organisation", "bio")
_CLIMB = 6

Truth = tuple[HtmlElement, list[Mapping[str, Any]]]


def _name_checks(speakers: Sequence[Mapping[str, Any]]) -> list[Check]:
    return [checker("speaker.name", s.get("name")) for s in speakers if options(s.get("name"))]


def names_rule(examples: Sequence[Truth]) -> FieldRule | None:
    """A page-level rule whose matches include every example speaker's name, and little else;
    of equals, the one that names its elements by a class."""
    best: tuple[tuple[int, int, bool, bool, int, int], FieldRule] | None = None
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
                    # a classed anchor over a bare tag ("strong" reads bold names in the
                    # bios on one page, other bold words on the next), then one element
                    # holding every name (a byline lists all the speakers; author cards at
                    # the foot may show only some), then no place, then the shorter selector
                    key = (
                        *_cover(rule, examples), narrow_anchor(css, root),
                        grouped(css, root), -css.count(":nth-"), -len(css),
                    )  # fmt: skip
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
    """The speaker's element: the LCA of the name and the short parts nearest to it (role,
    organisation), widened to the nearest classed element, and never holding another name.

    A bio often sits in its own section ("About the speakers"), so it does not widen the
    element; the bio is then read across the page, the n-th for the n-th speaker.
    """
    parts = []
    for part in ("role", "organisation"):
        value = person.get(part)
        if not options(value):
            continue
        name = f"speaker.{part}"
        found = candidates(root, near(name, value), checker(name, value), is_prose=prose(name))
        if found:  # the holder nearest to the name: the deepest common ancestor
            parts.append(max(found, key=lambda el: len(list(_lca([name_el, el]).iterancestors()))))
    item = _lca([name_el, *parts])
    for _ in range(3):  # a card of its own: the nearest element with a class or an id
        parent = item.getparent()
        if classes(item) or item.get("id") or parent is None:
            break
        if any(o is not name_el and _inside(o, parent) for o in others):
            break
        item = parent
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
    names = names_rule(examples)
    if names is None:
        return {}, [FieldReport("speaker.name", None, 0, people_given)]
    # (item element, its speaker's truth) on every example, and the anchor's first item
    items: list[tuple[HtmlElement, Mapping[str, Any]]] = []
    by_example: list[tuple[HtmlElement, list[HtmlElement]]] = []
    ordered: list[Truth] = []  # each page's speakers in the order the page shows them
    for root, people in examples:
        found = _name_elements(root, names, people)
        els = [el for el, _ in found]
        page_items = [_item(el, people[i], root, els) for el, i in found]
        items += [(item, people[i]) for item, (_, i) in zip(page_items, found, strict=True)]
        by_example.append((root, page_items))
        ordered.append((root, [people[i] for _, i in found]))
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
        if item_rule is not None and part != "name" and report.reproduced < report.given:
            across = _learn_across(part, ordered)
            if across.reproduced > report.reproduced:
                report = across
        if report.given or report.rule:
            reports.append(report)
        if report.rule is not None:
            rules[report.field] = report.rule
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
    best: tuple[tuple[int, bool, int, int], str] | None = None
    for css in selectors(anchor, root)[:30]:
        hit = miss = 0
        for page_root, page_items in by_example:
            chosen = select(page_root, css)
            hit += sum(1 for it in page_items if it in chosen)
            miss += sum(1 for el in chosen if el not in page_items)
        key = (hit - miss, classed(css), -css.count(":nth-of-type"), -len(css))
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
    avoid = example_values({"speakers": [person for _, person in holders]})
    rule, good = best_rule(anchors, pages, is_prose=prose(name), avoid=avoid)
    return FieldReport(name, rule if good else None, good, given)


def _learn_across(part: str, examples: Sequence[Truth]) -> FieldReport:
    """A page-level rule for a part that sits outside the speakers' elements: its n-th match
    is the n-th speaker's (``speakers.bio``)."""
    name = f"speaker.{part}"
    best: tuple[tuple[int, int], FieldRule] | None = None
    given = 0
    pairs: list[tuple[HtmlElement, list[Check | None]]] = []
    for root, people in examples:
        checks = [checker(name, p.get(part)) if options(p.get(part)) else None for p in people]
        given += sum(c is not None for c in checks)
        pairs.append((root, checks))
    avoid = example_values({"speakers": [p for _, people in examples for p in people]})
    for root, people in examples[:2]:
        first = next((p for p in people if options(p.get(part))), None)
        if first is None:
            continue
        check = checker(name, first.get(part))
        for el in candidates(root, near(name, first.get(part)), check, is_prose=prose(name)):
            found = [c for c in cuts(el, check, prose=prose(name)) if not literal(c, avoid)]
            for cut in found[:4]:
                for css in selectors(el, root)[:30]:
                    rule = FieldRule(css=css, line=cut.line, after=cut.after, before=cut.before)
                    good = sum(
                        1
                        for page_root, checks in pairs
                        for value, c in zip(read_all(page_root, rule), checks, strict=False)
                        if c is not None and c(value)
                    )
                    key = (good, -len(css))
                    if best is None or key > best[0]:
                        best = (key, rule)
    if best is None or best[0][0] == 0:
        return FieldReport(f"speakers.{part}", None, 0, given)
    return FieldReport(f"speakers.{part}", best[1], best[0][0], given)

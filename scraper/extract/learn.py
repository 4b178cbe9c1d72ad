"""Learn a site profile from one to three pages whose true values an admin gave.

For each field the examples give, the learner finds the elements that hold the value on each
example page, lists the rules that could point at them again (scraper.extract.induce), and
keeps the rule that reproduces the value on the most examples, a unique and short selector
winning ties. Speakers are learned as a repeated element (one per speaker) with the name,
role, organisation and bio read inside it. The signature is the set of landmarks every
example has: the classed selectors of the rules the examples share, the labels in front of
values, and the page's body classes; a page without all of them is another template's.

Values a page does not print verbatim (dates, times) are compared through the parsers the
extraction uses, so "Tirsdag, 6 maj, 2014" is the example's "2014-05-06".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from scraper.extract.choose import (
    Check,
    FieldReport,
    any_value,
    bare_name,
    best_rule,
    candidates,
    checker,
    example_values,
    near,
    options,
    prose,
    words,
)
from scraper.extract.fieldrules import FieldRule, select
from scraper.extract.induce import classed, classes, narrow_anchor, positional
from scraper.extract.learn_speakers import learn_speakers, names_rule
from scraper.extract.page import HtmlElement
from scraper.extract.profiles import read_speakers
from scraper.extract.rules import Landmark, Profile
from scraper.extract.structured import extract_structured
from scraper.extract.trust import (
    GENERIC,
    OWNED,
    Example,
    anchored,
    example,
    verdict,
    year_of,
)

#: The fields that make a page the template's event page when its profile reads them all.
_CORE = frozenset({"title", "date", "speaker.name"})
#: The fields whose elements may enter the signature: those every event page of a template
#: shows. Optional ones (a location, an end time, a bio) would make pages without them look
#: like another template's.
_SIGNATURE_FIELDS = frozenset({"title", "date", "datetime", "start_time", "speaker"})
#: Page-level fields a profile can learn, in the contract's order.
LEARNABLE = (
    "title", "series", "host", "topic", "abstract", "date", "start_time", "end_time",
    "location", "last_updated",
)  # fmt: skip


@dataclass
class Learned:
    """A learned profile and, per field, how many examples its rule reproduces."""

    profile: Profile
    reports: list[FieldReport] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: per field: OWNED (the profile reads it), GENERIC (the page-text rules already read
    #: every example right) or why the learned rule was not trusted
    decisions: dict[str, str] = field(default_factory=dict)


def learn_field(name: str, examples: Sequence[Example]) -> FieldReport:
    """The best rule for one page-level field, with how many examples it reproduces."""
    pages: list[tuple[HtmlElement, Callable[[str], bool] | None]] = []
    anchors: list[tuple[HtmlElement, list[HtmlElement], Check]] = []
    for ex in examples:
        value = ex.fields.get(name)
        if not options(value):
            pages.append((ex.page.root, None) if name in ex.fields else (ex.page.root, any_value))
            continue
        check = checker(name, value, year_of(ex))
        pages.append((ex.page.root, check))
        if len(anchors) < 2:
            found = candidates(ex.page.root, near(name, value), check, is_prose=prose(name))
            if name == "abstract":
                found = _containers(found, ex) + found
            anchors.append((ex.page.root, found, check))
    given = sum(1 for _, check in pages if check not in (None, any_value))
    if not anchors:
        return FieldReport(name, None, 0, 0)
    scored = [(root, c) for root, c in pages if c is not any_value]
    avoid = [v for ex in examples for v in example_values(ex.fields)]
    rule, good = best_rule(anchors, scored, is_prose=prose(name), avoid=avoid)
    return FieldReport(name, rule if good else None, good, given)


def _containers(elements: list[HtmlElement], ex: Example) -> list[HtmlElement]:
    """Ancestors of an abstract's first paragraph that hold more of it and no other field."""
    others = [
        words(v) for key in ("title", "date", "location") for v in options(ex.fields.get(key))
    ] + [
        words(str(s.get(part) or ""))[:60]
        for s in ex.fields.get("speakers") or []
        for part in ("name", "bio")
        if s.get(part)
    ]
    out: list[HtmlElement] = []
    for el in elements[:2]:
        node = el.getparent()
        for _ in range(3):
            if node is None:
                break
            text = words(" ".join(node.itertext()))
            if any(o and o in text for o in others):
                break
            out.insert(0, node)
            node = node.getparent()
    return out


def signature(
    profile_fields: Mapping[str, FieldRule], examples: Sequence[Example]
) -> tuple[Landmark, ...]:
    """Landmarks every example has: classed rule selectors, labels, and shared body classes."""
    marks: list[Landmark] = []
    for rule in profile_fields.values():
        if "." in rule.css or "#" in rule.css:
            marks.append(Landmark(rule.css))
        if rule.after and len(rule.after) <= 30:
            marks.append(Landmark(rule.css, rule.after))
    bodies = [ex.page.root.find(".//body") for ex in examples]
    if all(b is not None for b in bodies):
        shared = set(classes(bodies[0])) if bodies[0] is not None else set()
        for body in bodies[1:]:
            shared &= set(classes(body)) if body is not None else set()
        marks.extend(Landmark(f"body.{c}") for c in sorted(shared))
    kept: list[Landmark] = []
    for mark in marks:
        if mark in kept or not all(_present(ex.page.root, mark) for ex in examples):
            continue
        kept.append(mark)
    return tuple(kept[:8])


def _present(root: HtmlElement, mark: Landmark) -> bool:
    found = select(root, mark.css)
    if not mark.text:
        return bool(found)
    return any(mark.text.casefold() in " ".join(el.itertext()).casefold() for el in found)


def _prefer(learned: Mapping[str, FieldRule], examples: Sequence[Example]) -> frozenset[str]:
    """Fields whose structured data disagrees with every example that has both."""
    names = [n for n in ("date", "start_time", "end_time", "location") if n in learned]
    if not names:
        return frozenset()
    structured = [extract_structured(ex.page, ex.source) for ex in examples]  # once per page
    out = set()
    for name in names:
        verdicts = []
        for ex, sd in zip(examples, structured, strict=True):
            value = ex.fields.get(name)
            sd_value = getattr(sd, name, None)
            if options(value) and sd_value:
                verdicts.append(checker(name, value, year_of(ex))(str(sd_value)))
        if verdicts and not any(verdicts):
            out.add(name)
    return frozenset(out)


def _names_report(learned: Mapping[str, FieldRule], examples: Sequence[Example]) -> FieldReport:
    """On how many example pages with speakers the learned speaker rules, read as extraction
    reads them, name a true speaker and nobody else (a second speaker printed elsewhere may be
    missed: the page-text rules still name the speakers where the profile reads none)."""
    rules = {k: v for k, v in learned.items() if k in ("speaker", "speaker.name")}
    found = given = 0
    for ex in examples:
        people = {bare_name(str(p.get("name") or "")) for p in ex.fields.get("speakers") or []}
        if not people:
            continue
        read = {bare_name(s.name) for s in read_speakers(ex.page.root, rules)}
        given += 1
        found += bool(read) and read <= people
    return FieldReport("speaker.name", learned["speaker.name"], found, given)


def _speaker_truths(examples: Sequence[Example]) -> list[tuple[HtmlElement, list[Any]]]:
    """Each example page with its speakers, leaving out the examples silent on them (no
    "speakers" key): the names a rule reads there are no extras, as they are on a page that
    says it has none."""
    return [
        (ex.page.root, list(ex.fields.get("speakers") or []))
        for ex in examples
        if "speakers" in ex.fields
    ]


def _byline_instead(
    learned: dict[str, FieldRule],
    decisions: dict[str, str],
    examples: Sequence[Example],
    *,
    keep_strong: bool,
) -> bool:
    """Replace the speaker rules by a page-level rule for the names alone, when one under a
    narrow classed anchor reads them (a byline of author links, "div.byline a") and the
    speaker rules are untrusted or their speaker element is a position under a page-wide
    wrapper ("div.page span"): that element is where one page put its speakers, the byline
    is where the template keeps them. Returns True when the speaker rules were replaced."""
    item = learned.get("speaker")
    if item is None or decisions.get("speaker.name") is None:
        return False
    loose = positional(item.css) and not all(
        narrow_anchor(item.css, ex.page.root) for ex in examples
    )
    if decisions["speaker.name"] in (OWNED, GENERIC) and not loose:
        return False
    names = names_rule(_speaker_truths(examples))
    if names is None or not anchored("speaker.name", names, examples):
        return False
    report = _names_report({"speaker.name": names}, examples)
    why = verdict("speaker.name", names, report, examples, weak=False, keep_strong=keep_strong)
    if why != OWNED:
        return False
    for name in [f for f in learned if f.startswith(("speaker", "speakers."))]:
        del learned[name]
        decisions.pop(name, None)
    learned["speaker.name"], decisions["speaker.name"] = names, OWNED
    return True


def _required(everywhere: set[str], kept: Mapping[str, FieldRule]) -> frozenset[str]:
    """The core fields the profile keeps a rule for that read every example, and always the
    speakers' names: a page the profile reads them all on is the template's event page. A
    headline or a date alone is on every page of a blog or a news template, so a profile that
    reads no speaker never makes a page an event by matching it. A field left to the page-text
    rules is not required: the profile reads nothing for it, so it could never be complete."""
    return frozenset(everywhere & _CORE & set(kept)) | {"speaker.name"}


def _repeats(kept: Mapping[str, FieldRule], examples: Sequence[Example]) -> dict[str, int]:
    """The most matches of the speaker-card and date selectors on any example page."""
    out: dict[str, int] = {}
    for name in ("speaker", "speaker.name", "date", "datetime"):
        rule = kept.get(name)
        if rule is None or (name == "speaker.name" and "speaker" in kept):
            continue
        most = max(len(select(ex.page.root, rule.css)) for ex in examples)
        if most:
            out[rule.css] = most
    return out


def learn(
    name: str, examples: Sequence[Example], description: str = "", *, keep_strong: bool = True
) -> Learned:
    """A profile from the examples, with a report per field and warnings for what failed.

    Each field's rule must pass :func:`verdict` to be kept; a field the page-text rules
    already read right on every example keeps no rule (unless ``keep_strong`` and the rule is
    strong, see :func:`strong`): a profile corrects what the rules get wrong and otherwise
    leaves the page to them. The signature is drawn from every rule learned.
    """
    if not examples:
        raise ValueError("learning a profile needs at least one example page")
    given = [f for f in LEARNABLE if any(f in ex.fields for ex in examples)]
    reports = [learn_field(f, examples) for f in given]
    learned = {r.field: r.rule for r in reports if r.rule is not None}
    if any(ex.fields.get("speakers") for ex in examples):
        speaker_rules, speaker_reports = learn_speakers(_speaker_truths(examples))
        learned.update(speaker_rules)
        reports += speaker_reports
    warnings = [
        f"{r.field}: no rule reproduces the examples' values" for r in reports if r.rule is None
    ]
    by_field = {r.field: r for r in reports}
    if "speaker.name" in learned:
        by_field["speaker.name"] = _names_report(learned, examples)
    item = learned.get("speaker")
    decisions: dict[str, str] = {}
    for f, rule in learned.items():
        if f == "speaker":
            continue
        report = by_field.get(f)
        weak = (
            positional(rule.css)
            and not anchored(f, rule, examples)
            and (not f.startswith("speaker.") or item is None or positional(item.css))
        )
        decisions[f] = verdict(f, rule, report, examples, weak=weak, keep_strong=keep_strong)
    if _byline_instead(learned, decisions, examples, keep_strong=keep_strong):
        item = None
    if decisions.get("speaker.name") not in (None, OWNED, GENERIC):
        decisions.update(
            {
                f: decisions["speaker.name"]
                for f in decisions
                if f.startswith(("speaker.", "speakers."))
            }
        )
    kept = {f: learned[f] for f, why in decisions.items() if why == OWNED}
    if any(f.startswith(("speaker.", "speakers.")) for f in kept):
        if "speaker.name" in learned and decisions.get("speaker.name") == GENERIC:
            kept["speaker.name"] = learned["speaker.name"]  # the parts are read by name
            decisions["speaker.name"] = OWNED
        if item is not None:
            kept["speaker"] = item
    warnings += [f"{f}: {why}" for f, why in decisions.items() if why not in (OWNED, GENERIC)]
    marks = signature({k: v for k, v in learned.items() if k in _SIGNATURE_FIELDS}, examples)
    if not any(classed(m.css) or m.text for m in marks):
        warnings.append("signature: no class, id or label is shared by the examples")
    everywhere = {r.field for r in reports if r.rule and r.reproduced == r.given == len(examples)}
    profile = Profile(
        name=name,
        signature=marks,
        fields=MappingProxyType(kept),
        prefer=_prefer(kept, examples),
        required=_required(everywhere, kept),
        repeats=MappingProxyType(_repeats(kept, examples)),
        description=description,
    )
    return Learned(profile=profile, reports=reports, warnings=warnings, decisions=decisions)


__all__ = ["GENERIC", "OWNED", "Example", "FieldReport", "Learned", "example", "learn", "verdict"]

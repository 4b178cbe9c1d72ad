"""Candidate rules for one element: the selectors and text cuts that could point at it again.

Wrapper induction in two small steps. For an element that holds an example's value, this
module lists CSS selectors that reach it (by its classes and id, through a classed or id'd
ancestor, by its place among its siblings) and the text cuts (a line, a label in front, a
split part) that leave just the value. The learner then keeps the candidate that reproduces
the value on every example page.

Class names and ids that carry a record number ("node-1234", "post-5678") differ on each page
of a template, so they never enter a selector.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from scraper.extract.fieldrules import SEPARATORS, FieldRule, select, text_value
from scraper.extract.page import HtmlElement, lines_of

_RECORD_NUMBER = re.compile(r"\d{2,}|[0-9a-f]{8,}")
_SAFE_NAME = re.compile(r"^-?[A-Za-z_][\w-]*$")
#: Ancestors climbed when looking for a classed or id'd anchor.
_CLIMB = 6
#: A short label in front of a value on the same line: letters, then a colon.
_LEADING_LABEL = re.compile(r"^[^\W\d][^:\n]{0,28}:")
#: Which parts of a split line make a value: the first, second or third, the last or the one
#: before it, and the runs between ("Name, Head of IT, Hospital" → role = parts 1 to -1).
_SLICES: tuple[tuple[int, int | None], ...] = (
    (0, 1), (1, 2), (2, 3), (-1, None), (-2, -1), (1, None), (0, -1), (1, -1), (2, None),
    (-2, None),
)  # fmt: skip
#: The longest label in front of (or suffix behind) a value that is taken as constant text.
_LABEL_MAX = 40


def stable(name: str) -> bool:
    """True for a class or id that names a kind of thing, not one record."""
    return bool(_SAFE_NAME.match(name)) and not _RECORD_NUMBER.search(name)


def _tag(el: HtmlElement) -> str:
    return el.tag if isinstance(el.tag, str) else "*"


def classes(el: HtmlElement) -> list[str]:
    """The element's stable class names."""
    return [c for c in (el.get("class") or "").split() if stable(c)]


def compound(el: HtmlElement, *, all_classes: bool = True) -> str:
    """The element as one compound selector: tag, stable id, stable classes."""
    out = _tag(el)
    el_id = el.get("id") or ""
    if el_id and stable(el_id):
        return f"{out}#{el_id}"
    names = classes(el)
    if names:
        out += "".join(f".{c}" for c in (names if all_classes else names[:1]))
    return out


def _nth_of_type(el: HtmlElement) -> str:
    parent = el.getparent()
    tag = _tag(el)
    if parent is None:
        return tag
    same = [c for c in parent if c.tag == el.tag]
    return tag if len(same) == 1 else f"{tag}:nth-of-type({same.index(el) + 1})"


def selectors(el: HtmlElement, top: HtmlElement) -> list[str]:
    """CSS selectors that reach el from top, most specific by class first, none repeated."""
    found: list[str] = []
    own = compound(el)
    if own != _tag(el):
        found.append(own)
        found.extend(f"{_tag(el)}.{c}" for c in classes(el) if f"{_tag(el)}.{c}" != own)
    step = _nth_of_type(el)
    path = [step]
    node = el.getparent()
    for _ in range(_CLIMB):
        if node is None or node is top.getparent():
            break
        anchor = compound(node)
        if anchor != _tag(node):
            found.append(f"{anchor} {own}")
            found.append(f"{anchor} > {' > '.join(path)}")
            if own != _tag(el):
                found.append(f"{anchor} {_tag(el)}")
        path.insert(0, _nth_of_type(node))
        node = node.getparent()
    own_label = _LEADING_LABEL.match(" ".join("".join(el.itertext()).split()))
    if own_label and '"' not in own_label.group(0):
        # a labelled line, "When: …", "Save the date: …": the label names the element
        found.insert(0, f'{_tag(el)}:contains("{own_label.group(0)}")')
    previous = el.getprevious()
    if previous is not None and isinstance(previous.tag, str):
        label = " ".join("".join(previous.itertext()).split())
        if 0 < len(label) <= _LABEL_MAX and '"' not in label and "\\" not in label:
            # a value after its label: <dt>Venue</dt><dd>…</dd>, <th>Sted</th><td>…</td>
            found.insert(0, f'{compound(previous)}:contains("{label}") + {_tag(el)}')
        found.append(f"{compound(previous)} + {_tag(el)}")
    found.append(f"{' > '.join(path)}")
    found.append(_tag(el))
    return list(dict.fromkeys(found))


def cuts(
    el: HtmlElement, check: Callable[[str], bool], *, prose: bool = False
) -> Iterator[FieldRule]:
    """Text cuts (as rules without a selector) that make check() true on el's text.

    For prose (an abstract, a bio) only whole texts, lines and a label in front are tried: a
    split part of a paragraph that happens to hold the example's first words is no rule.
    """
    lines = lines_of(el)
    whole = " ".join(lines)
    texts: list[tuple[int | None, str]] = [(None, whole)]
    texts += [(i, line) for i, line in enumerate(lines)] if len(lines) > 1 else []
    if len(lines) > 1:
        texts.append((-1, lines[-1]))
    for line, text in texts:
        base = FieldRule(css="", line=line)
        if check(text_value(text, base) or "") and not _label_fits(text, check):
            yield base
    for line, text in [] if prose else texts:
        for sep in SEPARATORS:
            parts = text.split(sep)
            if len(parts) < 2:
                continue
            for start, stop in _SLICES:
                rule = FieldRule(css="", line=line, split=sep, parts=(start, stop))
                value = text_value(text, rule)
                if value and check(value):
                    yield rule
    for line, text in texts:
        yield from (r for r in _labelled(text, line, check) if not (prose and r.before))


def _label_fits(text: str, check: Callable[[str], bool]) -> bool:
    """True when the text opens with a label ("Where: 3600 Morrissey Hall") and the value
    after it passes the check too: a loose check (a venue's words) must not keep the label
    as part of the value, or pages with a shorter value fail where the label weighs more."""
    label = _LEADING_LABEL.match(text)
    return label is not None and check(text[label.end() :].strip())


def _labelled(text: str, line: int | None, check: Callable[[str], bool]) -> Iterator[FieldRule]:
    """Cuts that drop constant text around the value: "Speaker: Anna Berg (keynote)"."""
    folded = text.casefold()
    words = list(re.finditer(r"\S+", text))
    for first in words[:8]:
        for last in reversed(words[-8:]):
            if last.end() <= first.start():
                break
            value = text[first.start() : last.end()]
            if not check(value):
                continue
            after = text[: first.start()].strip()
            before = text[last.end() :].strip()
            if len(after) > _LABEL_MAX or len(before) > _LABEL_MAX or not (after or before):
                continue
            if after and folded.find(after.casefold()) != folded.find(after.casefold(), 0):
                continue
            yield FieldRule(css="", line=line, after=after, before=before)


def complexity(rule: FieldRule) -> int:
    """How much of a rule is cutting text rather than pointing at an element (0: none).

    A label is one or two words ("Speaker:", "Tid"); a longer literal around the value is
    more likely the example's own text (its organisation in brackets) than the template's,
    so each further word costs one more.
    """
    literal = len(f"{rule.after} {rule.before}".split())
    label = 2 + max(0, literal - 2) if literal else 0
    return (rule.line is not None) + label + 3 * bool(rule.split)


def classed(css: str) -> bool:
    """True for a selector that names a class, an id or a label (it says what the element is)."""
    return "." in css or "#" in css or ":contains(" in css


def positional(css: str) -> bool:
    """True for a selector whose last step names its element by nothing but its tag and place
    ("div.content > p:nth-of-type(4)", "main p"): a classed ancestor says where to look, not
    what the element holds, so such a rule is weak evidence of the template."""
    last = re.split(r"\s*[\s>+~]\s*", css.split(":contains(")[0].strip())[-1]
    return ":contains(" not in css and "." not in last and "#" not in last


def names_element(css: str) -> bool:
    """True for a selector that names its element by a class or an id: the template's markup
    says what it holds, so a page without that element has no such value. A label found by
    its text ("Date:") is weaker evidence: authors of hand-written pages vary their labels;
    and so is a place under a classed ancestor ("div.content > p:nth-of-type(4)"): the
    paragraph that held the value on the examples may hold something else, or be missing."""
    return ":contains(" not in css and not positional(css)


#: The most of a page's text a classed ancestor may hold and still say where a value is: a
#: wrapper round the whole content ("div.page-wrapper strong") names no part of the page.
_NARROW = 0.5


def narrow_anchor(css: str, root: HtmlElement) -> bool:
    """True when the selector's steps before its last one (its anchor) are classed and hold
    no more than half the page's text: "div.article-metadata a" is the byline's links, while
    "div.page-wrapper strong" is every bold word of the page."""
    head = _head(css)
    if head == css or not classed(head):
        return classed(css)
    anchors = select(root, head)
    outer = [a for a in anchors if not any(b in anchors for b in a.iterancestors())]
    return sum(map(_visible, outer)) <= _NARROW * max(1, _visible(root))


def grouped(css: str, root: HtmlElement) -> bool:
    """True when the selector's matches are several and all sit in one element of its anchor
    (its steps before the last): a byline or a list of names, not one card per name."""
    head = _head(css)
    found = select(root, css)
    if head == css or len(found) < 2:
        return False
    anchors = set(select(root, head))
    holders = {next((a for a in el.iterancestors() if a in anchors), None) for el in found}
    return len(holders) == 1 and None not in holders


def _head(css: str) -> str:
    """A selector without its last step ("div.byline span a" → "div.byline span")."""
    return re.split(r"\s*[\s>+~]\s*(?=[^\s>+~]*$)", css.split(":contains(")[0].strip())[0]


def _visible(el: HtmlElement) -> int:
    """How many characters of text an element shows (scripts and styles left out)."""
    hidden = {"script", "style", "noscript", "template", "head"}
    return sum(
        len((node.text or "").strip())
        for node in el.iter()
        if isinstance(node.tag, str) and node.tag not in hidden
    ) + sum(
        len((node.tail or "").strip()) for node in el.iterdescendants() if isinstance(node.tag, str)
    )

"""How a site profile reads one field: a CSS selector, which match, and which part of its text.

A learned profile cannot always point at an element that holds exactly the value: a template
may print "Speaker: Anna Berg" in one element, or "Anna Berg, CIO, Region X" on one line. So a
field rule is a selector plus a small, data-only description of the text around the value:

- ``nth``: which of the selector's matches (0 the first, -1 the last);
- ``line``: which line of the element's text (its block elements and ``<br>`` breaks);
- ``after`` / ``before``: constant text in front of and behind the value (a label, a suffix);
- ``split`` and ``parts``: a separator and the slice of the parts that make up the value.

Both the profile learner and the profile reader use this module, so a rule reads on new pages
exactly what it was checked against on the examples.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cssselect import GenericTranslator, SelectorError
from lxml import etree

from scraper.extract.page import HtmlElement, clean, lines_of

log = logging.getLogger(__name__)

#: Separators a template puts between facts on one line, tried in this order.
SEPARATORS = (" | ", " · ", " – ", " — ", " - ", ", ", "; ", " / ", " (")


@dataclass(frozen=True)
class FieldRule:
    """Where one field's value sits on pages of a template (see the module docstring)."""

    css: str
    nth: int = 0
    line: int | None = None
    after: str = ""
    before: str = ""
    split: str = ""
    parts: tuple[int, int | None] = (0, None)

    def to_dict(self) -> dict[str, Any]:
        """The rule as JSON data, leaving out what has its default value."""
        out: dict[str, Any] = {"css": self.css}
        if self.nth:
            out["nth"] = self.nth
        if self.line is not None:
            out["line"] = self.line
        for key in ("after", "before", "split"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.split:
            out["parts"] = list(self.parts)
        return out

    @classmethod
    def from_data(cls, data: str | Mapping[str, Any]) -> FieldRule:
        """A rule from a profile file: a bare selector string or an object (bad keys raise)."""
        if isinstance(data, str):
            return cls(css=data)
        if not isinstance(data, Mapping) or not isinstance(data.get("css"), str):
            raise ValueError(f"a field rule needs a CSS selector string, not {data!r}"[:200])
        parts = data.get("parts") or (0, None)
        line = data.get("line")
        if not (isinstance(parts, list | tuple) and len(parts) == 2):
            raise ValueError(f"parts must be [start, stop], not {parts!r}"[:200])
        if not all(isinstance(v, int) for v in (data.get("nth") or 0, line or 0, parts[0])) or not (
            parts[1] is None or isinstance(parts[1], int)
        ):
            raise ValueError("nth, line and parts must be whole numbers")
        return cls(
            css=data["css"],
            nth=int(data.get("nth") or 0),
            line=int(line) if line is not None else None,
            after=str(data.get("after") or ""),
            before=str(data.get("before") or ""),
            split=str(data.get("split") or ""),
            parts=(int(parts[0]), int(parts[1]) if parts[1] is not None else None),
        )


@lru_cache(maxsize=512)
def compiled(selector: str) -> etree.XPath | None:
    """A CSS selector compiled to XPath once (None, logged, for a selector cssselect rejects)."""
    try:
        return etree.XPath(GenericTranslator().css_to_xpath(selector))
    except (SelectorError, etree.XPathSyntaxError) as error:
        log.warning("bad profile selector %r: %s", selector, error)
        return None


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements under root matching a CSS selector, in document order."""
    xpath = compiled(selector)
    if xpath is None:
        return []
    found = xpath(root)
    return [el for el in found if isinstance(el, etree._Element)] if isinstance(found, list) else []


def element_value(el: HtmlElement, rule: FieldRule) -> str | None:
    """The part of one element's text the rule describes, or None when the text does not fit."""
    lines = lines_of(el)
    if rule.line is not None:
        try:
            text = lines[rule.line]
        except IndexError:
            return None
    else:
        text = " ".join(lines)
    return text_value(text, rule)


def text_value(text: str, rule: FieldRule) -> str | None:
    """Apply the rule's label, suffix and split to a text; None when a landmark is missing."""
    text = clean(text)
    if rule.after:
        at = text.casefold().find(rule.after.casefold())
        if at < 0:
            return None
        text = text[at + len(rule.after) :].strip()
    if rule.before:
        at = text.casefold().rfind(rule.before.casefold())
        if at < 0:
            return None
        text = text[:at].strip()
    if rule.split:
        parts = [p.strip() for p in text.split(rule.split)]
        start, stop = rule.parts
        chosen = parts[start:stop]
        if not chosen or len(parts) < 2:
            return None
        text = rule.split.join(chosen)
        if rule.split == " (":
            text = text.rstrip(")")
    text = text.strip(" ,;:|·–—-")
    return text or None


def read(root: HtmlElement, rule: FieldRule) -> str | None:
    """The rule's value on a page (or under a speaker's element), None when it is not there."""
    found = select(root, rule.css)
    try:
        el = found[rule.nth]
    except IndexError:
        return None
    return element_value(el, rule)


def read_all(root: HtmlElement, rule: FieldRule) -> list[str]:
    """The rule's value in every match (a list of speakers' names), skipping misfits."""
    values = (element_value(el, rule) for el in select(root, rule.css))
    return [v for v in values if v]


def squash(text: str | None) -> str:
    """Text for comparing a value with an example's: case-folded, spaces and edge marks gone."""
    text = re.sub(r"\s+", " ", (text or "").casefold()).strip()
    return text.strip(" .,:;!?|·–—-\"'“”‘’„«»()")

"""Apply site profiles (CSS selectors kept as data) to a parsed page."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urlsplit

from lxml import etree

from scraper.extract.dates import find_dates, iso_date, split_datetime_line
from scraper.extract.page import Block, HtmlElement, Page, blocks_of, element_text
from scraper.extract.rules import Profile

log = logging.getLogger(__name__)

_COMPOUND = re.compile(r"([a-zA-Z][\w-]*|\*)?((?:[.#][\w-]+|\[[^\]]+\])*)")
_PART = re.compile(r"([.#])([\w-]+)|\[([\w-]+)(?:([~^$*|]?=)\"?([^\"\]]*)\"?)?\]")


@dataclass
class ProfileResult:
    """Fields a profile's selectors found (None when a selector matched nothing)."""

    profile: str
    values: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    last_updated: str | None = None
    body: list[Block] = field(default_factory=list)


def _compound_xpath(compound: str) -> str:
    """One compound selector (tag.class#id[attr]) as XPath predicates on a tag test."""
    m = _COMPOUND.fullmatch(compound)
    if not m:
        raise ValueError(f"unsupported selector part {compound!r}")
    tag = m.group(1) or "*"
    preds = []
    for dot, name, attr, op, value in _PART.findall(m.group(2) or ""):
        if dot == ".":
            preds.append(f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')")
        elif dot == "#":
            preds.append(f"@id='{name}'")
        elif not op:
            preds.append(f"@{attr}")
        elif op == "=":
            preds.append(f"@{attr}='{value}'")
        else:
            preds.append(f"contains(@{attr}, '{value}')")
    return tag + "".join(f"[{p}]" for p in preds)


@lru_cache(maxsize=256)
def css_to_xpath(selector: str) -> str:
    """Translate the simple CSS the profiles use (descendant, >, +, tag/.class/#id/[attr])."""
    alternatives = []
    for alternative in selector.split(","):
        tokens = re.findall(r"[>+]|[^\s>+]+", alternative.strip())
        if not tokens:
            continue
        xpath, axis = ".//", ""
        for token in tokens:
            if token == ">":
                axis = "/"
            elif token == "+":
                axis = "/following-sibling::*[1]/self::"
            else:
                xpath += (axis if axis else ("" if xpath.endswith("//") else "//")) + (
                    _compound_xpath(token)
                )
                axis = ""
        alternatives.append(xpath)
    if not alternatives:
        raise ValueError("empty selector")
    return " | ".join(alternatives)


def select(root: HtmlElement, selector: str) -> list[HtmlElement]:
    """Elements matching a CSS selector, in document order (a bad selector matches nothing)."""
    try:
        found = root.xpath(css_to_xpath(selector))
    except (ValueError, etree.XPathError) as error:
        log.warning("bad profile selector %r: %s", selector, error)
        return []
    return [el for el in found if isinstance(el, etree._Element)]


def matching_profile(page: Page, url: str, profiles: tuple[Profile, ...]) -> Profile | None:
    """The first profile whose host pattern fits the URL or whose signature is on the page."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    for profile in profiles:
        if host and profile.matches_host(host):
            return profile
    for profile in profiles:
        if profile.signature and select(page.root, profile.signature):
            return profile
    return None


def apply_profile(page: Page, profile: Profile) -> ProfileResult:
    """Read the profile's fields off the page; dates and times are parsed here."""
    out = ProfileResult(profile=profile.name)
    for name, selector in profile.fields.items():
        found = select(page.root, selector)
        if not found:
            continue
        if name == "body":
            out.body = [b for el in found for b in blocks_of(el, drop_furniture=False)]
            continue
        text = element_text(found[0])
        if not text:
            continue
        if name == "datetime":
            day, start, end = split_datetime_line(text)
            out.date, out.start_time, out.end_time = iso_date(day), start, end
        elif name == "last_updated":
            dates = find_dates(text)
            out.last_updated = iso_date(dates[-1][2]) if dates else None
        else:
            out.values[name] = text
    return out

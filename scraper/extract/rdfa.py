"""schema.org items written as RDFa (typeof/property attributes), read as JSON-LD-like dicts."""

from __future__ import annotations

from typing import Any

from scraper.extract.page import HtmlElement, clean, text_of

_MAX_ITEMS = 50


def rdfa_items(root: HtmlElement) -> list[dict[str, Any]]:
    """Every top-level typeof item of the page as {"@type": …, property: value} dicts.

    Values are the content/datetime/href attribute or the element's text; a property on an
    element with its own typeof is a nested item. Pages without typeof cost one lookup.
    """
    if root.find(".//*[@typeof]") is None:
        return []
    items: list[dict[str, Any]] = []
    for el in root.iterfind(".//*[@typeof]"):
        if el.get("property"):
            continue  # nested: read as part of its parent item
        if any(a.get("typeof") for a in el.iterancestors()):
            continue
        items.append(_item(el, depth=0))
        if len(items) >= _MAX_ITEMS:
            break
    return items


def _item(el: HtmlElement, depth: int) -> dict[str, Any]:
    """One typeof element's properties, nested items included (to a bounded depth)."""
    node: dict[str, Any] = {"@type": _last_word(el.get("typeof") or "")}
    stack = list(el)
    while stack:
        child = stack.pop(0)
        if not isinstance(child.tag, str):
            continue
        prop = child.get("property")
        if prop:
            key = _last_word(prop)
            if child.get("typeof") and depth < 4:
                value: Any = _item(child, depth + 1)
            else:
                value = _value(child)
            if key and value and key not in node:
                node[key] = value
            if child.get("typeof"):
                continue  # its properties belong to the nested item
        elif child.get("typeof"):
            continue  # an unrelated nested item
        stack[:0] = list(child)
    return node


def _value(el: HtmlElement) -> str:
    """A property element's value: content, datetime or href attribute, else its text."""
    for attr in ("content", "datetime"):
        if el.get(attr):
            return clean(el.get(attr))
    if el.tag in ("a", "link") and el.get("href") and not clean(text_of(el)):
        return clean(el.get("href"))
    return clean(text_of(el))


def _last_word(value: str) -> str:
    """The first term of a typeof/property value without its vocabulary prefix."""
    first = value.split()[0] if value.split() else ""
    return first.rsplit("/", 1)[-1].rsplit(":", 1)[-1].rsplit("#", 1)[-1]

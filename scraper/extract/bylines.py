"""By-lines: a short line that names who gives the talk with the language's "by" ("ved Stian
Thorgersen" under a headline, "A cura di Simon Tiffert:" over a bio, "presented by Ada Lind")."""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon
from scraper.extract.names import looks_like_name, strip_titles

__all__ = ["by_line_name"]


@cache
def _by_line() -> re.Pattern[str]:
    words = sorted(lexicon.words("by"), key=len, reverse=True)
    by = "|".join(re.escape(w) for w in words)
    return re.compile(rf"^\s*(?:{by})\s*:?\s+(.{{3,70}}?)\s*:?\s*$", re.I)


def by_line_name(text: str) -> str | None:
    """The person a whole line names after a "by" word, or None: "ved Stian Thorgersen" →
    "Stian Thorgersen". The rest must be a name alone, so "by the city council" or "di
    intelligenza artificiale" name nobody."""
    if len(text) > 90:
        return None
    m = _by_line().match(text)
    if not m:
        return None
    name = strip_titles(m.group(1).strip())
    return name if looks_like_name(name) else None

"""Language names for people: a talk's language code ("da") shown as the language calls
itself ("dansk"), from Babel's locale data."""

from __future__ import annotations

import functools

from babel import Locale, UnknownLocaleError


@functools.lru_cache(maxsize=256)
def language_name(code: str | None) -> str:
    """The language's own name for itself ("English", "dansk"); the code when unknown."""
    if not code:
        return ""
    try:
        locale = Locale.parse(code.strip().replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return code
    return locale.get_display_name(locale) or code

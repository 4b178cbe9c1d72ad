"""One accent folding for the whole project: extraction, speaker identity, slugs and the index.

Letters written without their accents become plain ASCII letters. The Nordic and German
letters have two customary ASCII spellings, one letter ("Sorensen") and two ("Soerensen");
:func:`fold` gives the first, :func:`fold_digraph` the second, and :func:`name_key` reduces
both (and the original "Sørensen") to one key, so every spelling of a name meets. The package
depends on nothing else in the project, so scraper, index and archive can all use it.
"""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "fold_digraph", "name_key"]

# Letters that decomposition does not reduce to an ASCII letter plus accents, or that have a
# customary two-letter spelling: (one-letter form, two-letter form).
_SPECIAL: dict[str, tuple[str, str]] = {
    "æ": ("ae", "ae"), "ø": ("o", "oe"), "å": ("a", "aa"), "ä": ("a", "ae"), "ö": ("o", "oe"),
    "ü": ("u", "ue"), "ß": ("ss", "ss"), "ð": ("d", "d"), "þ": ("th", "th"), "đ": ("d", "d"),
    "ł": ("l", "l"), "œ": ("oe", "oe"), "ı": ("i", "i"),
}  # fmt: skip
_TABLES: tuple[dict[int, str], dict[int, str]] = tuple(  # type: ignore[assignment]
    {
        **{ord(k): v[form] for k, v in _SPECIAL.items()},
        **{ord(k.upper()): v[form].capitalize() for k, v in _SPECIAL.items() if k != "ß"},
    }
    for form in (0, 1)
)
# The two-letter spellings, reduced so that one- and two-letter spellings meet in a key.
_COLLAPSE = (("aa", "a"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


def _strip_accents(text: str) -> str:
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Accents dropped, Nordic and German letters in one-letter form (ø→o, å→a, æ→ae, ß→ss).

    Case is kept; callers that compare words lower-case first.
    """
    return _strip_accents(text.translate(_TABLES[0]))


def fold_digraph(text: str) -> str:
    """Accents dropped, Nordic and German letters in two-letter form (ø→oe, å→aa, ü→ue)."""
    return _strip_accents(text.translate(_TABLES[1]))


def name_key(text: str) -> str:
    """A lossy key of a name or word: lower case, folded, two-letter spellings reduced, so
    "Sørensen", "Soerensen" and "Sorensen" (or "Kjærgaard", "Kjaergaard", "Kjargard") meet."""
    key = fold(text.casefold())
    for old, new in _COLLAPSE:
        key = key.replace(old, new)
    return key

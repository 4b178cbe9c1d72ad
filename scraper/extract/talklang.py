"""The language a talk is given in, from a "Language:" label or a statement on the page."""

from __future__ import annotations

from scraper.extract import lexicon
from scraper.extract.labels import Labelled
from scraper.extract.page import Block

# A "Language:" label's value: a language's name in any table, or its code.
_LANG_NAMES = {**{code: code for code in lexicon.claimed()}, **lexicon.language_names()}


def language_of(blocks: list[Block], labels: list[Labelled]) -> str | None:
    """The talk's language from a statement ("The talk is in English", "Sprog: dansk")."""
    for item in labels:
        if item.key == "language":
            # "English", "Dansk (slides in English)", "英語 / English": the first word of a half
            for half in item.value.split("/"):
                name = half.strip().strip(".,").lower()
                word = name.split()[0].strip(".,") if name else ""
                for key in (name, word):
                    if key in _LANG_NAMES:
                        return _LANG_NAMES[key]
    for block in blocks:
        code = lexicon.stated_language(block.text)
        if code:
            return code
    return None

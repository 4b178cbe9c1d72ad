"""The language a talk is given in, from a "Language:" label or a statement on the page."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.labels import Labelled
from scraper.extract.page import Block

#: Sentences that say which language the talk is given in ("The talk is in English"), built
#: from every language table's statement templates and names of languages.
LANGUAGE_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = lexicon.statement_patterns()
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
        for code, pattern in LANGUAGE_STATEMENTS:
            if pattern.search(block.text):
                return code
    return None

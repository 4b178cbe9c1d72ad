"""The language a page's prose is written in: its own lang attribute, else a detector.

A site's <html lang> names the site's language, not the talk's: an English abstract on a
Danish site is an English talk. So the description's own markup (a lang attribute on an
element inside the page) comes first, then py3langid on the text itself, restricted to the
languages the extractor claims.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from scraper.extract import lexicon
from scraper.extract.page import Block

#: The shortest text the detector is asked about, and the confidence it must reach.
MIN_CHARS = 60
MIN_CONFIDENCE = 0.9

_CODE = re.compile(r"^([a-z]{2,3})(?:[-_]|$)")


@cache
def _identifier() -> object:
    import py3langid.langid as langid  # loads its model once, on first use

    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(lexicon.claimed()))
    return identifier


def detect(text: str) -> str | None:
    """The claimed language text is written in, when the detector is confident of it."""
    text = text.strip()[:2000]
    if len(text) < MIN_CHARS:
        return None
    code, confidence = _identifier().classify(text)  # type: ignore[attr-defined]
    return str(code) if confidence >= MIN_CONFIDENCE else None


def marked_language(blocks: list[Block]) -> str | None:
    """The lang attribute most of the prose sits under, below the document element."""
    found: Counter[str] = Counter()
    for block in blocks:
        if len(block.text) < MIN_CHARS:
            continue
        for el in (block.el, *block.el.iterancestors()):
            value = el.get("lang") or el.get("xml:lang")
            if el.getparent() is None:  # <html lang>: the site's language, not the text's
                break
            if value:
                m = _CODE.match(value.strip().lower())
                if m:
                    found[m.group(1)] += len(block.text)
                break
    if not found:
        return None
    code, weight = found.most_common(1)[0]
    return code if weight * 2 > sum(found.values()) else None


def guess_language(blocks: list[Block]) -> str | None:
    """The language of the description: its own lang attribute, else what the text is in."""
    prose = " ".join(b.text for b in blocks if not b.level and len(b.text) >= MIN_CHARS)
    return marked_language(blocks) or detect(prose)

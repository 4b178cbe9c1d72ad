"""The owner of a personal site, who gives the talks its talk pages describe in the first person.

A researcher's own site ("Rob J Hyndman", "Jane Roe | Talks") names no speaker on its talk
pages: the abstract says "In this talk, I will …" and the site's name or its copyright line
names the person. The owner is the speaker only when both hold.
"""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon
from scraper.extract.bios import bio_of
from scraper.extract.names import looks_like_name
from scraper.extract.page import Block, Page, blocks_of
from scraper.extract.persons import is_given_name, is_person_name
from scraper.model import Speaker

__all__ = ["owner_as_speaker", "site_owner", "speaks_in_first_person"]

# "© Rob J Hyndman 1993–2018", "© 2024 Jane Roe", "Copyright 2019 by Jane Roe. All rights …"
_COPYRIGHT = re.compile(
    r"(?:©|\(c\)|copyright)\s*(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)?\d\d)?\s*)?(?:by\s+)?"
    r"([^\W\d_][^\d©|,.;:]{2,40}?)\s*(?=(?:19|20)\d\d|[|,.;:·]|$)",
    re.I,
)
_HEAD_SEPARATOR = re.compile(r"\s+[|–—·-]\s+")


def _person(text: str) -> str | None:
    """A person's name that opens with a known given name: a user group ("© Python Łódź") or
    a firm is shaped like a name too."""
    name = text.strip()
    if not (looks_like_name(name) and is_person_name(name)):
        return None
    return name if is_given_name(name.split()[0]) else None


def site_owner(head_title: str | None, lines: list[str]) -> str | None:
    """The person a site belongs to: the copyright holder of its footer, else the last part
    of its head title ("Talk title | Jane Roe"), when that is a person's name."""
    for line in reversed(lines[-40:]):
        for m in _COPYRIGHT.finditer(line):
            if owner := _person(m.group(1)):
                return owner
    parts = _HEAD_SEPARATOR.split(head_title or "")
    return _person(parts[-1]) if len(parts) >= 2 else None


@cache
def _first_person() -> re.Pattern[str]:
    """The tables' first-person words; a one-letter pronoun only as written, in capitals (the
    English "I"), and none that another language uses as a conjunction (Polish "ja" is
    Finnish "and")."""
    small = lexicon.words_of("and", "with", "by", "speaks_on")
    words = lexicon.words("first_person")
    letters = [w for w in words if len(w) == 1 and w.isascii() and w.isalpha()]
    long_words = [w for w in words if w not in letters and w not in small]
    parts = [rf"(?i:{lexicon.whole_words(long_words)})"] if long_words else []
    if letters:  # matched as written in capitals, so never the conjunction "i"
        capitals = "|".join(re.escape(w.upper()) for w in letters)
        parts.append(rf"(?<![\w'’])(?:{capitals})(?![\w])")
    return re.compile("|".join(parts) or r"(?!x)x")


def speaks_in_first_person(blocks: list[Block]) -> bool:
    """True when the page's running text speaks as "I" at least twice ("In this talk, I will
    discuss …", "Neste seminário eu apresento …")."""
    regex = _first_person()
    hits = sum(len(regex.findall(b.text)) for b in blocks[:80] if not b.level)
    return hits >= 2


def owner_as_speaker(page: Page) -> list[Speaker]:
    """The site's owner as the speaker of a talk page that names nobody and speaks as "I",
    with the bio (and job) the page's other parts give ("Rob J Hyndman is Professor of
    Statistics at Monash University" in a sidebar)."""
    if not speaks_in_first_person(page.blocks):
        return []  # checked first: reading every visible line of the page costs more
    owner = site_owner(page.head_title, page.lines)
    if not owner:
        return []
    person = Speaker(name=owner)
    bio_of(blocks_of(page.root, drop_furniture=False), person, person, set())
    return [person]

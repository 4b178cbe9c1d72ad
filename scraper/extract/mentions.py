"""Speakers named in running text: "Name, Role at Org" lines and "Our speaker is …" sentences."""

from __future__ import annotations

import re

from scraper.extract.names import name_at_start, role_and_organisation
from scraper.extract.page import Block
from scraper.model import Speaker

__all__ = ["person_line", "speakers_in_prose"]

# "Our speaker is X, …", "Oplægsholder er X, …", "Föreläsare är X": a speaker named in prose.
_SPEAKER_SENTENCE = re.compile(
    r"\b(?:speaker|presenter|keynote speaker|oplægsholder(?:en)?|taler(?:en)?|"
    r"foredragsholder(?:en)?|föreläsare(?:n)?|talare(?:n)?|referent(?:in)?)"
    r"(?:\s+(?:tonight\s+|today\s+|i dag\s+|idag\s+|heute\s+)?(?:is|will be|er|bliver|är|blir|ist)"
    r"\s+|\s*,\s+(?=[A-ZÆØÅÄÖ]))",
    re.I,
)
# "Talk 1: From batch to Kafka by Ida Bergholt (Skovgaard)": one of several talks on a page.
_TALK_BY = re.compile(
    r"^(?:talk|session|presentation|lightning talk|keynote|foredrag|oplæg|vortrag|charla|"
    r"exposé)\s*#?\d*\s*[:.–-]\s*.{3,200}?\s(?:by|af|von|por|par|ved)\s+(?=[A-ZÆØÅÄÖ])",
    re.I,
)
_AFTER_NAME_IS = re.compile(r"^(.{3,60}?),\s+(?:is|was|er|ist|est|es|är)\s+")
# "With Petra Lund, CIO at X." opening a paragraph: the person the event features.
_WITH_LINE = re.compile(r"^(?:with|med|mit|avec|met|featuring)\s+(?=[A-ZÆØÅÄÖ])", re.I)


def person_line(text: str) -> Speaker | None:
    """ "Name, Role at Org" / "Name (Org)" / "Name: Role en Org" / bare "Name" as a Speaker."""
    name = name_at_start(text)
    if not name:
        return None
    rest = text[text.find(name.split()[-1]) + len(name.split()[-1]) :].strip()
    if rest and rest[0] not in ",:(–-":
        return None if len(rest.split()) > 1 else Speaker(name=name)
    rest = rest.lstrip(",:–- ").strip()
    if rest.startswith("(") or text[len(text) - len(rest) - 1 : len(text) - len(rest)] == "(":
        inner = rest.strip("()").split(")")[0].strip()
        return Speaker(name=name, organisation=inner or None)
    role, org = role_and_organisation(rest) if rest else (None, None)
    return Speaker(name=name, role=role, organisation=org)


def speakers_in_prose(blocks: list[Block]) -> list[Speaker]:
    """Speakers a sentence names: "Our speaker is Camilla Norup, Head of Data at X."."""
    found = []
    for block in blocks:
        if block.level:
            continue
        starts = list(_SPEAKER_SENTENCE.finditer(block.text))
        starts += [m for m in [_WITH_LINE.match(block.text)] if m and len(block.text) < 200]
        starts += [m for m in [_TALK_BY.match(block.text)] if m]
        for m in starts:
            sentence = re.split(r"(?<=[a-zæøåäö)])\.(?:\s|$)", block.text[m.end() :], maxsplit=1)[0]
            sentence = _AFTER_NAME_IS.sub(r"\1, ", sentence, count=1)
            person = person_line(sentence)
            if person and (person.role or person.organisation or len(sentence.split()) <= 4):
                found.append(person)
    return found

"""The language a talk is given in, from a "Language:" label or a statement on the page."""

from __future__ import annotations

import re

from scraper.extract.labels import Labelled
from scraper.extract.page import Block

#: Sentences that say which language the talk is given in ("The talk is in English").
LANGUAGE_STATEMENTS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "en",
        re.compile(
            r"\b(?:(?:is|be|are|will be)\s+(?:held|given|conducted|presented|"
            r"delivered)?\s*in english|in english\b(?=[.!]|$)|language\s*:\s*english|"
            r"(?:holdes|foregår|er)\s+på\s+engelsk|sprog\s*:\s*engelsk|"
            r"auf englisch|english[- ]language (?:talk|seminar|lecture))",
            re.I,
        ),
    ),
    (
        "da",
        re.compile(
            r"\b(?:(?:holdes|foregår|afholdes|gives|er)\s+på\s+dansk|sprog\s*:\s*dansk|"
            r"in danish\b(?=\s*[.!)]|$)|language\s*:\s*danish|"
            r"(?:is|be)\s+(?:held|given)\s+in danish)",
            re.I,
        ),
    ),
    ("de", re.compile(r"\b(?:auf deutsch|in german\b|sprache\s*:\s*deutsch)", re.I)),
    ("no", re.compile(r"\b(?:holdes|foregår|er)\s+på\s+norsk\b", re.I)),
    ("sv", re.compile(r"\b(?:hålls|ges|sker)\s+på\s+svenska\b", re.I)),
    ("fr", re.compile(r"\b(?:se tient|se déroule|est donnée?|aura lieu)\s+en français\b", re.I)),
    ("nl", re.compile(r"\b(?:wordt|is)\s+(?:gegeven\s+)?in het nederlands\b", re.I)),
    (
        "en",
        re.compile(
            r"\b(?:in lingua inglese|em inglês|w języku angielskim|inglise keeles)|英語で", re.I
        ),
    ),
    ("it", re.compile(r"\bin lingua italiana\b|\bsi terrà in italiano\b", re.I)),
    ("pt", re.compile(r"\b(?:será|é) (?:ministrada|apresentada|realizada) em português\b", re.I)),
    ("pl", re.compile(r"\bw języku polskim\b", re.I)),
    ("et", re.compile(r"\b(?:toimub|on) eesti keeles\b", re.I)),
    ("ja", re.compile(r"日本語で(?:行|実施|開催)")),
)
_LANG_NAMES = {
    "english": "en",
    "engelsk": "en",
    "englisch": "en",
    "en": "en",
    "danish": "da",
    "dansk": "da",
    "dänisch": "da",
    "da": "da",
    "german": "de",
    "deutsch": "de",
    "tysk": "de",
    "de": "de",
    "swedish": "sv",
    "svensk": "sv",
    "norwegian": "no",
    "norsk": "no",
    "spanish": "es",
    "español": "es",
    "dutch": "nl",
    "nederlands": "nl",
    "norwegian bokmål": "no",
    "bokmål": "no",
    "svenska": "sv",
    "french": "fr",
    "français": "fr",
    "italian": "it",
    "italiano": "it",
    "inglese": "en",
    "portuguese": "pt",
    "português": "pt",
    "inglês": "en",
    "polish": "pl",
    "polski": "pl",
    "angielski": "en",
    "estonian": "et",
    "eesti": "et",
    "inglise": "en",
    "finnish": "fi",
    "suomi": "fi",
    "englanti": "en",
    "japanese": "ja",
    "日本語": "ja",
    "英語": "en",
    "fransk": "fr",
}


def language_of(blocks: list[Block], labels: list[Labelled]) -> str | None:
    """The talk's language from a statement ("The talk is in English", "Sprog: dansk")."""
    for item in labels:
        if item.key == "language":
            # "English", "Dansk (slides in English)", "英語 / English": the first word of a half
            for half in item.value.split("/"):
                word = half.strip().split()[0].strip(".,").lower() if half.strip() else ""
                if word in _LANG_NAMES:
                    return _LANG_NAMES[word]
    for block in blocks:
        for code, pattern in LANGUAGE_STATEMENTS:
            if pattern.search(block.text):
                return code
    return None

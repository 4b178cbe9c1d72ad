"""The words the extractor reads, one data table per language (scraper/data/languages/*.json).

Every language the extractor claims has a full table: the words for a talk and other event
kinds, gatherings of many talks, break and social words that mark a slot where nobody speaks,
labels ("Date:", "Sted:"), section headings, question-style section labels, calls to action,
parts of an institution, job titles, rooms, the names of languages and the phrases that state a
talk's language. Code never lists words of a language itself; it asks
this module, so adding a language is adding a file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGE_DIR = Path(__file__).resolve().parent.parent / "data" / "languages"

#: The label and heading keys every table must have (each with at least one word).
LABEL_KEYS = (
    "date", "time", "end_time", "location", "language", "speaker", "host",
    "people_not_speaking", "registration", "series", "topic", "type", "updated",
)  # fmt: skip
HEADING_KEYS = ("abstract", "bio", "speakers", "stop")
LIST_KEYS = (
    "talk_kinds", "event_kinds", "gatherings", "non_talk", "questions", "calls_to_action",
    "org_units", "roles", "rooms",
)  # fmt: skip


class LexiconError(ValueError):
    """A language table that is missing, malformed or incomplete."""


@dataclass(frozen=True)
class Language:
    """One language's table, as read from its file."""

    code: str
    name: str
    lists: Mapping[str, tuple[str, ...]]
    labels: Mapping[str, tuple[str, ...]]
    headings: Mapping[str, tuple[str, ...]]
    language_names: Mapping[str, str]
    language_statements: tuple[str, ...]


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a non-empty list of strings")
    return tuple(dict.fromkeys(v.strip().lower() for v in value if v.strip()))


def _language(data: Any, source: str) -> Language:
    """Check one table against the schema; every key present and every list non-empty."""
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: expected a JSON object")
    code = data.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}", code):
        raise LexiconError(f"{source}: 'code' must be a two- or three-letter language code")
    lists = {key: _strings(data.get(key), f"{source}: {key}") for key in LIST_KEYS}
    labels_in, headings_in = data.get("labels") or {}, data.get("headings") or {}
    labels = {k: _strings(labels_in.get(k), f"{source}: labels.{k}") for k in LABEL_KEYS}
    headings = {k: _strings(headings_in.get(k), f"{source}: headings.{k}") for k in HEADING_KEYS}
    names = data.get("language_names")
    if not isinstance(names, dict) or not names:
        raise LexiconError(f"{source}: 'language_names' must map names to language codes")
    statements = _strings(data.get("language_statements"), f"{source}: language_statements")
    for template in statements:
        if "{language}" not in template:
            raise LexiconError(f"{source}: statement {template!r} lacks {{language}}")
    return Language(
        code=code,
        name=str(data.get("name") or code),
        lists=lists,
        labels=labels,
        headings=headings,
        language_names={str(k).lower(): str(v) for k, v in names.items()},
        language_statements=statements,
    )


def read_languages(folder: Path = LANGUAGE_DIR) -> tuple[Language, ...]:
    """Every table in folder, checked (raises LexiconError on the first bad one)."""
    found = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise LexiconError(f"{path.name}: {error}") from error
        found.append(_language(data, path.name))
    if not found:
        raise LexiconError(f"no language tables in {folder}")
    return tuple(found)


@cache
def languages() -> tuple[Language, ...]:
    """The package's language tables (read once)."""
    return read_languages()


def claimed() -> tuple[str, ...]:
    """The codes of the languages the extractor claims."""
    return tuple(lang.code for lang in languages())


def words(key: str) -> tuple[str, ...]:
    """One list (talk_kinds, non_talk, …) over every language, without repeats."""
    return tuple(dict.fromkeys(w for lang in languages() for w in lang.lists[key]))


def labels(key: str) -> tuple[str, ...]:
    """The label words for one field over every language."""
    return tuple(dict.fromkeys(w for lang in languages() for w in lang.labels[key]))


def headings(key: str) -> tuple[str, ...]:
    """The section heading words of one kind over every language."""
    return tuple(dict.fromkeys(w for lang in languages() for w in lang.headings[key]))


def language_names() -> dict[str, str]:
    """Every language name as written in every table ("engelsk" → "en")."""
    return {name: code for lang in languages() for name, code in lang.language_names.items()}


def term_pattern(terms: Iterable[str]) -> str:
    """A regex alternative of terms; "*" at either end of a term stands for word letters.

    Longer terms come first so that a phrase wins over a word it starts with.
    """
    parts = []
    for term in sorted(set(terms), key=len, reverse=True):
        body = re.escape(term.strip("*")).replace(r"\ ", r"[\s-]+")
        lead = r"\w*" if term.startswith("*") else ""
        trail = r"\w*" if term.endswith("*") else ""
        parts.append(lead + body + trail)
    return "|".join(parts)


_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and kanji: no spaces between words


def whole_words(terms: Iterable[str]) -> str:
    """A regex matching any of terms as whole words; terms of scripts written without spaces
    (Japanese) match anywhere, since no letter boundary marks their words."""
    terms = list(terms)
    spaced = [t for t in terms if not _UNSPACED.search(t)]
    unspaced = [t for t in terms if _UNSPACED.search(t)]
    parts = []
    if spaced:
        parts.append(rf"(?<![^\W\d_])(?:{term_pattern(spaced)})(?![^\W\d_])")
    if unspaced:
        parts.append(rf"(?:{term_pattern(unspaced)})")
    return "|".join(parts) or r"(?!x)x"


@cache
def word_regex(key: str) -> re.Pattern[str]:
    """Whole-word regex for one list over every language ("talk_kinds", "non_talk", …)."""
    return re.compile(whole_words(words(key)), re.I)


@cache
def statement_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(language code, regex) for every statement of a talk's language, in every table.

    A table's templates are filled with the names of languages written in that table's own
    language ("holdes på {language}" with "engelsk", "dansk", …).
    """
    found: list[tuple[str, re.Pattern[str]]] = []
    for lang in languages():
        by_code: dict[str, list[str]] = {}
        for name, code in lang.language_names.items():
            by_code.setdefault(code, []).append(name)
        for code, names in by_code.items():
            alternatives = term_pattern(names)
            for template in lang.language_statements:
                before, _, after = template.partition("{language}")
                body = (
                    term_pattern([before.strip()]) if before.strip() else "",
                    f"(?:{alternatives})",
                    term_pattern([after.strip()]) if after.strip() else "",
                )
                regex = r"[\s-]*".join(p for p in body if p)
                if _UNSPACED.search(template) or any(_UNSPACED.search(n) for n in names):
                    found.append((code, re.compile(regex, re.I)))
                else:
                    found.append((code, re.compile(rf"(?<![^\W\d_]){regex}(?![^\W\d_])", re.I)))
    return tuple(found)

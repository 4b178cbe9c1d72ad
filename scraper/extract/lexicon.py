"""The words the extractor reads, one data table per language (scraper/data/languages/*.json).

Every language the extractor claims has a full table: the words for a talk and other event
kinds, gatherings of many talks, break and social words that mark a slot where nobody speaks,
the words that head a report on a past event ("Recap", "Rückblick"),
labels ("Date:", "Sted:"), section headings, question-style section labels, calls to action,
the words of an invitation to the event ("inviterer til", "kutsuu", "zapraszamy"),
parts of an institution, job titles, the functions a job title heads (IT, data, finance),
rooms, the phrases that say where a talk takes place ("tendrá lugar en"), academic titles,
the words that name a law or a standard, the legal forms written after a company's name, the
names of languages and the phrases that state a talk's language. Code never lists words of a
language itself; it asks this module, so adding a language is adding a file.
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
    "affiliation",
)  # fmt: skip
HEADING_KEYS = ("abstract", "bio", "speakers", "stop")
LIST_KEYS = (
    "talk_kinds", "event_kinds", "gatherings", "non_talk", "reports", "questions",
    "calls_to_action", "invitations", "org_units", "roles", "rooms", "venue_phrases", "titles",
    "laws", "functions", "speaks_on", "end_words", "and", "bio_verbs", "courses",
    "first_person", "speech_verbs",
)  # fmt: skip
#: Lists every table must have but that may be empty, with a "<key>_note" saying why: a
#: language that says "with", "by", "works at", "as" or "from" by a case ending or a
#: postposition has no word before the name; one without articles lists none. The words of
#: names and jobs: "role_links" join a job title to its employer ("CIO of", "IT-chef hos"),
#: "employer_links" of them only ever name an employer ("at", "bei"), and
#: "employer_only_links" are those after which the employer's name may run on in lower
#: case ("chez", "presso"); "articles" may follow a preposition; "name_links" join the
#: capitalised words of an organisation's name ("Universität zu Köln"); "surname_particles"
#: stand inside a person's name ("van", "af"); "lower_org_nouns" follow a proper name in lower
#: case ("Lahden kaupunki", "Björkby kommun"), "org_adjectives" after its first word
#: ("Centre hospitalier", "Azienda ospedaliera"); "former_words" mark a past post ("formerly
#: CIO of X", "tidligere it-chef"); "in_conversation" joins two speakers ("X in conversation
#: with Y", "i samtale med"); "copulas" and "today_words" name a speaker in a sentence ("Our
#: speaker tonight is X", "Foredragsholder er X"); "clause_openers" begin a relative or temporal
#: clause that ends a job title ("who", "som", "seit"). Times: "clock_words" stand before an
#: hour ("kl.", "klo", "godz."), "until_words" join the two ends of a range ("to", "bis"),
#: "approx_words" may stand before an end ("ca.", "gegen", "noin"), "noon_words" name 12:00.
OPTIONAL_LIST_KEYS = (
    "with", "by", "works_at", "as", "from", "role_links", "employer_links",
    "employer_only_links", "articles", "name_links", "surname_particles", "lower_org_nouns",
    "clause_openers", "clock_words", "until_words", "approx_words", "noon_words",
    "org_adjectives", "former_words", "in_conversation", "copulas", "today_words",
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
    legal_forms: tuple[str, ...] = ()


def _strings(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a non-empty list of strings")
    return tuple(dict.fromkeys(v.strip().lower() for v in value if v.strip()))


def _optional_strings(data: dict[str, Any], key: str, source: str) -> tuple[str, ...]:
    """An optional list: present, and either words or empty with a note saying why."""
    value = data.get(key)
    if value == []:
        if not isinstance(data.get(f"{key}_note"), str):
            raise LexiconError(f"{source}: {key} is empty without a {key}_note saying why")
        return ()
    return _strings(value, f"{source}: {key}")


def _language(data: Any, source: str) -> Language:
    """Check one table against the schema; every key present and every list non-empty."""
    if not isinstance(data, dict):
        raise LexiconError(f"{source}: expected a JSON object")
    code = data.get("code")
    if not isinstance(code, str) or not re.fullmatch(r"[a-z]{2,3}", code):
        raise LexiconError(f"{source}: 'code' must be a two- or three-letter language code")
    lists = {key: _strings(data.get(key), f"{source}: {key}") for key in LIST_KEYS}
    lists.update({key: _optional_strings(data, key, source) for key in OPTIONAL_LIST_KEYS})
    labels_in, headings_in = data.get("labels") or {}, data.get("headings") or {}
    labels = {k: _strings(labels_in.get(k), f"{source}: labels.{k}") for k in LABEL_KEYS}
    headings = {k: _strings(headings_in.get(k), f"{source}: headings.{k}") for k in HEADING_KEYS}
    names = data.get("language_names")
    if not isinstance(names, dict) or not names:
        raise LexiconError(f"{source}: 'language_names' must map names to language codes")
    statements = _strings(data.get("language_statements"), f"{source}: language_statements")
    forms = data.get("legal_forms")
    if not isinstance(forms, list) or not forms or not all(isinstance(f, str) for f in forms):
        raise LexiconError(f"{source}: legal_forms: expected a non-empty list of strings")
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
        legal_forms=tuple(dict.fromkeys(f.strip() for f in forms if f.strip())),
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


def words_of(*keys: str) -> frozenset[str]:
    """The words of several lists over every language, as one set ("and", "with", …)."""
    return frozenset(w for key in keys for w in words(key))


def labels(key: str) -> tuple[str, ...]:
    """The label words for one field over every language."""
    return tuple(dict.fromkeys(w for lang in languages() for w in lang.labels[key]))


def headings(key: str) -> tuple[str, ...]:
    """The section heading words of one kind over every language."""
    return tuple(dict.fromkeys(w for lang in languages() for w in lang.headings[key]))


def legal_forms() -> tuple[str, ...]:
    """The legal forms of companies and associations written after a name ("GmbH", "A/S",
    "S.p.A.", "Sp. z o.o."), over every language, as written: their case tells them from words."""
    return tuple(dict.fromkeys(f for lang in languages() for f in lang.legal_forms))


def language_names() -> dict[str, str]:
    """Every language name as written in every table ("engelsk" → "en")."""
    return {name: code for lang in languages() for name, code in lang.language_names.items()}


def alternatives(words: Iterable[str]) -> str:
    """A regex alternative of words as written, longer ones first so "de la" wins over "de"."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _atoms(term: str) -> list[str]:
    """The regex pieces of one term: letters, a space as "space or hyphen", "*" as letters."""
    atoms = [r"\w*"] if term.startswith("*") else []
    atoms += [r"[\s-]+" if c == " " else re.escape(c) for c in term.strip("*")]
    return atoms + ([r"\w*"] if term.endswith("*") and len(term) > 1 else [])


def _render(node: dict[str, dict]) -> str:
    """The regex of a trie node: its continuations, longest first, then the end if a term ends."""
    children = sorted(((a, n) for a, n in node.items() if a), key=lambda item: item[0] == r"\w*")
    if not children:
        return ""
    alternatives = [atom + _render(child) for atom, child in children]
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if "" in node else body


def term_pattern(terms: Iterable[str]) -> str:
    """A regex alternative of terms; "*" at either end of a term stands for word letters.

    The terms are merged into a trie ("seminar", "seminarium" → "seminar(?:ium)?") so that a
    long list costs about what one word costs, and a longer term wins over one it starts with.
    """
    trie: dict[str, dict] = {}
    for term in set(terms):
        if not term.strip("*"):
            continue
        node = trie
        for atom in _atoms(term):
            node = node.setdefault(atom, {})
        node[""] = {}
    return _render(trie) or r"(?!x)x"


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
    """(language code, regex) per language a talk can be said to be given in.

    Each table's templates are filled with the names of languages written in that table's own
    language ("holdes på {language}" with "engelsk", "dansk", …); the alternatives for one
    language from every table make one regex.
    """
    spaced: dict[str, list[str]] = {}
    unspaced: dict[str, list[str]] = {}
    for lang in languages():
        by_code: dict[str, list[str]] = {}
        for name, code in lang.language_names.items():
            if len(name) > 2:  # a code ("en", "de") names a language on a label, not in prose
                by_code.setdefault(code, []).append(name)
        for code, names in by_code.items():
            alternatives = f"(?:{term_pattern(names)})"
            for template in lang.language_statements:
                before, _, after = template.partition("{language}")
                body = (
                    term_pattern([before.strip()]) if before.strip() else "",
                    alternatives,
                    term_pattern([after.strip()]) if after.strip() else "",
                )
                regex = r"[\s-]*".join(p for p in body if p)
                cjk = _UNSPACED.search(template) or any(_UNSPACED.search(n) for n in names)
                (unspaced if cjk else spaced).setdefault(code, []).append(regex)
    found = []
    for code in dict.fromkeys([*spaced, *unspaced]):
        parts = []
        if code in spaced:
            parts.append(rf"(?<![^\W\d_])(?:{'|'.join(spaced[code])})(?![^\W\d_])")
        if code in unspaced:
            parts.append(f"(?:{'|'.join(unspaced[code])})")
        found.append((code, re.compile("|".join(parts), re.I)))
    return tuple(found)


@cache
def ends_with(key: str) -> re.Pattern[str]:
    """A regex for a text that ends with one of a list's terms ("… Department")."""
    return re.compile(rf"(?:{term_pattern(words(key))})$", re.I)


@cache
def _name_words() -> tuple[dict[str, frozenset[str]], re.Pattern[str]]:
    """Each word of a language name and the languages it names ("englisch" → en), and one
    regex that finds those words at a word's start, inflected or not ("englischer")."""
    found: dict[str, set[str]] = {}
    for name, code in language_names().items():
        if len(name) <= 2:
            continue
        parts = [name] if _UNSPACED.search(name) else re.findall(r"\w+", name)
        for w in parts:
            if len(w) > 3 or _UNSPACED.search(w):  # "kielellä", not "de"
                found.setdefault(w, set()).add(code)
    regex = re.compile(rf"(?<![^\W\d_])(?:{term_pattern(found)})", re.I)
    return {w: frozenset(c) for w, c in found.items()}, regex


def stated_language(text: str) -> str | None:
    """The language a sentence says a talk is given in ("… holdes på engelsk" → "en").

    Only the statement patterns of the languages the text names are tried.
    """
    codes, regex = _name_words()
    named: set[str] = set()
    for m in regex.finditer(text):
        named.update(codes.get(m.group(0).lower(), ()))
    if not named:
        return None
    for code, pattern in statement_patterns():
        if code in named and pattern.search(text):
            return code
    return None

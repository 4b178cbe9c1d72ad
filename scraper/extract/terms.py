"""Vocabulary terms found in text: accent-folded words, phrases and wildcard word parts."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from folding import fold as fold_accents

WORD = re.compile(r"[^\W_]+")
Hits = tuple[tuple[str, int], ...]


def fold(text: str) -> str:
    """Lower case and accent-folded by the project's one folding (ø→o, å→a, æ→ae)."""
    return fold_accents(text.casefold())


def words(text: str) -> list[str]:
    """The folded word tokens of ``text``."""
    return WORD.findall(fold(text))


@dataclass(frozen=True)
class Entry:
    """One distinct term and the (label, weight) pairs it counts for; none for ignored terms."""

    key: str
    hits: Hits


class Matcher:
    """Finds terms in word lists: whole words and phrases, word beginnings, endings and parts."""

    def __init__(self, terms: Mapping[str, Hits], source: str) -> None:
        self._exact: dict[str, Entry] = {}
        self._prefix: dict[str, Entry] = {}
        self._suffix: dict[str, Entry] = {}
        self._infix: list[tuple[str, Entry]] = []
        self._phrases: dict[str, list[tuple[tuple[str, ...], bool, Entry]]] = {}
        self._cache: dict[str, tuple[Entry, ...]] = {}
        for term, hits in terms.items():
            lead, trail, parts = term.startswith("*"), term.endswith("*"), words(term)
            if not parts or "*" in term.strip("*") or (lead and len(parts) > 1):
                raise ValueError(f"{source}: bad term {term!r} (* only starts or ends one word)")
            entry = Entry(term, hits)
            if len(parts) > 1:
                self._phrases.setdefault(parts[0], []).append((tuple(parts), trail, entry))
            elif lead and trail:
                self._infix.append((parts[0], entry))
            else:
                (self._suffix if lead else self._prefix if trail else self._exact)[parts[0]] = entry
        for options in self._phrases.values():
            options.sort(key=lambda option: -len(option[0]))
        self._prefix_sizes = sorted({len(k) for k in self._prefix})
        self._suffix_sizes = sorted({len(k) for k in self._suffix})

    def _single(self, word: str) -> tuple[Entry, ...]:
        found = self._cache.get(word)
        if found is None:
            size, prefix, suffix = len(word), self._prefix, self._suffix
            found = tuple(
                ([self._exact[word]] if word in self._exact else [])
                + [prefix[word[:n]] for n in self._prefix_sizes if n <= size and word[:n] in prefix]
                + [
                    suffix[word[-n:]]
                    for n in self._suffix_sizes
                    if n <= size and word[-n:] in suffix
                ]
                + [entry for part, entry in self._infix if part in word]
            )
            if len(self._cache) > 50_000:
                self._cache.clear()
            self._cache[word] = found
        return found

    def scan(self, words: Sequence[str]) -> list[tuple[Entry, ...]]:
        """The entries found at each matching position; the longest phrase takes its words."""
        found: list[tuple[Entry, ...]] = []
        i = 0
        while i < len(words):
            step = 1
            for phrase, last_is_prefix, entry in self._phrases.get(words[i], ()):
                last = words[i + len(phrase) - 1] if i + len(phrase) <= len(words) else ""
                head_matches = tuple(words[i + 1 : i + len(phrase) - 1]) == phrase[1:-1]
                if head_matches and (
                    last.startswith(phrase[-1]) if last_is_prefix else last == phrase[-1]
                ):
                    found.append((entry,))
                    step = len(phrase)
                    break
            else:
                if single := self._single(words[i]):
                    found.append(single)
            i += step
        return found


def term_table(groups: Iterable[tuple[str, int, list[str]]]) -> dict[str, Hits]:
    """Term → the (label, weight) pairs it counts for, from (label, weight, terms) groups."""
    table: dict[str, Hits] = {}
    for label, weight, terms in groups:
        for term in terms:
            table[term.lower()] = (*table.get(term.lower(), ()), (label, weight))
    return table

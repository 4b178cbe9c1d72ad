""" "Did you mean": each unknown word of a query replaced by the nearest word of the index.

Nearest means fewest edits first (insertions, deletions, substitutions and swaps of two
neighbouring letters, at most two), then the word found in most talks, then the alphabet, so
"clod" becomes "cloud" (one edit) rather than the frequent "cio" (two). Words the index knows,
words shorter than three letters, field names and operators are left as typed.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

MAX_EDITS = 2
MIN_LENGTH = 3
_WORD_RE = re.compile(r"[^\W\d_][\w'-]*")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})
_LEXICON_CACHE_SIZE = 4
_lock = threading.Lock()
_lexicons: OrderedDict[Hashable, tuple[str, ...]] = OrderedDict()


def nearest(word: str, candidates: Iterable[tuple[str, int]]) -> str | None:
    """The best replacement among (word, number of talks) candidates: fewest edits (at most
    :data:`MAX_EDITS`), then most talks, then alphabetical; None when none is near enough."""
    ranked = []
    for candidate, frequency in candidates:
        edits = OSA.distance(word, candidate, score_cutoff=MAX_EDITS)
        if 0 < edits <= MAX_EDITS and frequency > 0:
            ranked.append((edits, -frequency, candidate))
    return min(ranked)[2] if ranked else None


def correct(text: str, lexicon: Sequence[str], frequency: Callable[[str], int]) -> str | None:
    """``text`` with every unknown word replaced by its nearest known word; None when no word
    changed. ``frequency`` gives the number of talks a word is in (0: unknown)."""
    changed = False
    out: list[str] = []
    last = 0
    for match in _WORD_RE.finditer(text):
        word = match.group()
        out.append(text[last : match.start()])
        last = match.end()
        lower = word.lower()
        is_field = text[match.end() : match.end() + 1] == ":"
        if is_field or word in _OPERATORS or len(lower) < MIN_LENGTH or frequency(lower) > 0:
            out.append(word)
            continue
        close = process.extract(
            lower, lexicon, scorer=OSA.distance, score_cutoff=MAX_EDITS, limit=None
        )
        best = nearest(lower, ((choice, frequency(choice)) for choice, _, _ in close))
        out.append(best or word)
        changed = changed or best is not None
    out.append(text[last:])
    return "".join(out) if changed else None


def lexicon(state: Hashable, terms: Callable[[], Iterable[str]]) -> tuple[str, ...]:
    """The words of one index state (``state`` names it), read with ``terms`` once."""
    with _lock:
        found = _lexicons.get(state)
        if found is not None:
            _lexicons.move_to_end(state)
            return found
    words = tuple(terms())
    with _lock:
        _lexicons[state] = words
        while len(_lexicons) > _LEXICON_CACHE_SIZE:
            _lexicons.popitem(last=False)
    return words

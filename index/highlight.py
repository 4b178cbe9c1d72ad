"""Fast ``<mark>`` highlighting of query terms in snippets and titles.

Whoosh's highlighter runs the whole analyzer chain over every word of every hit's text, which
cost about a millisecond and a half per hit. Here each distinct word is analysed once and
remembered (prose repeats words, so nearly every lookup is a dictionary hit), and fragments are
cut around the matches by plain string arithmetic. Output is HTML: the text is escaped and
only ``<mark>`` is markup.
"""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable, Mapping
from typing import Any

from whoosh import query as wq
from whoosh.analysis import Analyzer
from whoosh.fields import Schema
from whoosh.reading import IndexReader

# The tokenizer of index.analysis: runs of word characters, inner dots kept.
_WORD_RE = re.compile(r"\w+(?:\.?\w+)*")
_MAX_WORDS = 200_000
_cache: dict[tuple[int, str], frozenset[str]] = {}
_lock = threading.Lock()


def _analysed(analyzer: Analyzer) -> Callable[[str], frozenset[str]]:
    """Word → the index terms the analyzer makes of it (stemmed, folded, variants)."""
    key_base = id(analyzer)

    def terms_of(word: str) -> frozenset[str]:
        key = (key_base, word)
        found = _cache.get(key)
        if found is None:
            found = frozenset(t.text for t in analyzer(word, mode="index"))
            with _lock:
                if len(_cache) > _MAX_WORDS:
                    _cache.clear()
                _cache[key] = found
        return found

    return terms_of


def matches(text: str, analyzer: Analyzer, terms: frozenset[str]) -> list[tuple[int, int, str]]:
    """Spans of the words in ``text`` whose analysed form is one of ``terms``."""
    terms_of = _analysed(analyzer)
    found = []
    for match in _WORD_RE.finditer(text):
        hit = terms_of(match.group(0)) & terms
        if hit:
            found.append((match.start(), match.end(), min(hit)))
    return found


def mark(
    text: str, spans: list[tuple[int, int, str]], start: int = 0, end: int | None = None
) -> str:
    """Escaped ``text[start:end]`` with the given spans wrapped in ``<mark>``."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for s, e, _term in spans:
        if s < start or e > end:
            continue
        out.append(html.escape(text[pos:s], quote=False))
        out.append("<mark>" + html.escape(text[s:e], quote=False) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:end], quote=False))
    return "".join(out)


def whole(text: str, analyzer: Analyzer, terms: frozenset[str]) -> str | None:
    """The whole text highlighted (titles), or None when nothing matched."""
    spans = matches(text, analyzer, terms)
    return mark(text, spans) if spans else None


def fragments(
    text: str,
    analyzer: Analyzer,
    terms: frozenset[str],
    *,
    top: int = 2,
    maxchars: int = 240,
    surround: int = 60,
    between: str = " … ",
) -> str | None:
    """Up to ``top`` fragments around matches, best (most distinct terms) first chosen, shown
    in text order; None when nothing matched."""
    spans = matches(text, analyzer, terms)
    if not spans:
        return None
    windows: list[tuple[int, int, list[tuple[int, int, str]]]] = []
    i = 0
    while i < len(spans):
        first = spans[i]
        w_start = max(0, first[0] - surround)
        group = [first]
        j = i + 1
        while j < len(spans) and spans[j][1] + surround - w_start <= maxchars:
            group.append(spans[j])
            j += 1
        w_end = min(len(text), group[-1][1] + surround)
        windows.append(
            (_word_start(text, w_start, first[0]), _word_end(text, w_end, group[-1][1]), group)
        )
        i = j
    best = sorted(
        range(len(windows)),
        key=lambda k: (-len({t for _, _, t in windows[k][2]}), -len(windows[k][2]), k),
    )[:top]
    parts = [mark(text, windows[k][2], windows[k][0], windows[k][1]).strip() for k in sorted(best)]
    return between.join(p for p in parts if p)


def _word_start(text: str, pos: int, limit: int) -> int:
    """Move a fragment start forward to a word boundary (never past the first match)."""
    if pos == 0 or not text[pos - 1].isalnum():
        return pos
    space = text.find(" ", pos, limit)
    return space + 1 if space != -1 else pos


def _word_end(text: str, pos: int, limit: int) -> int:
    """Move a fragment end back to a word boundary (never before the last match)."""
    if pos >= len(text) or not text[pos].isalnum():
        return pos
    space = text.rfind(" ", limit, pos)
    return space if space != -1 else pos


SNIPPET_CHARS = 240
_HIGHLIGHT_CHARS = 4000  # only the opening of very long abstracts is highlighted
_HIGHLIGHT_FIELDS = frozenset({"abstract", "title", "head", "body"})


def query_terms(reader: IndexReader, q: wq.Query | None) -> dict[str, frozenset[str]]:
    """The query's terms in the highlighted fields, as text, prefixes and wildcards expanded.

    (Whoosh's own ``Query.existing_terms`` stops after the first field it sees, so the leaves
    are walked here.)
    """
    if q is None:
        return {}
    by_field: dict[str, set[str]] = {}
    for leaf in q.leaves():
        if leaf.field() not in _HIGHLIGHT_FIELDS:
            continue
        try:
            terms = list(leaf.expanded_terms(reader, phrases=True))
        except Exception:  # a leaf that cannot list its terms simply gets no highlights
            continue
        for fieldname, text in terms:
            value = text.decode("utf-8") if isinstance(text, bytes) else str(text)
            by_field.setdefault(fieldname, set()).add(value)
    return {k: frozenset(v) for k, v in by_field.items()}


def snippet(schema: Schema, stored: Mapping[str, Any], terms: Mapping[str, frozenset[str]]) -> str:
    """Highlighted fragments of the abstract, or its escaped opening when nothing matched."""
    abstract = (stored.get("abstract") or "")[:_HIGHLIGHT_CHARS]
    # Free-text words reach the abstract through "body", which shares the abstract's analyzer.
    for fieldname in ("body", "abstract"):
        if abstract and terms.get(fieldname):
            analyzer = schema[fieldname].analyzer
            found = fragments(
                abstract, analyzer, terms[fieldname], maxchars=SNIPPET_CHARS, surround=60
            )
            if found:
                return found
    return html.escape(_opening(abstract or stored.get("topic") or "", SNIPPET_CHARS), quote=False)


def title(schema: Schema, text: str, terms: Mapping[str, frozenset[str]]) -> str:
    """The title escaped, query terms marked."""
    # Free text reaches the title through "body" ("head" in older indexes), which shares the
    # title's analyzer.
    wanted = terms.get("title", frozenset()) | terms.get("body", frozenset())
    wanted |= terms.get("head", frozenset())
    if text and wanted:
        marked = whole(text, schema["title"].analyzer, wanted)
        if marked:
            return marked
    return html.escape(text, quote=False)


def _opening(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"

"""Text analyzers for the talk index: English and Danish stemming with Nordic accent folding."""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.analysis import (
    Analyzer,
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
)
from whoosh.lang import stopwords_for_language
from whoosh.support.charset import accent_map

# Letters that accent_map leaves alone (æ) or folds to one letter only (ø→o, å→a).
_NORDIC_SINGLE = {"æ": "ae", "ø": "o", "å": "a", "ä": "a", "ö": "o", "ü": "u"}
# The two-letter transliterations Danish and German writers use when the letter is unavailable.
_NORDIC_DIGRAPH = {"æ": "ae", "ø": "oe", "å": "aa", "ä": "ae", "ö": "oe", "ü": "ue"}

_SINGLE_TABLE: dict[int, str] = {**accent_map, **{ord(k): v for k, v in _NORDIC_SINGLE.items()}}
_DIGRAPH_TABLE: dict[int, str] = {
    **accent_map,
    **{ord(k): v for k, v in _NORDIC_DIGRAPH.items()},
}
# Collapsing the transliterations makes every spelling of a name meet in one key.
_NAME_COLLAPSE = (("aa", "a"), ("ae", "a"), ("oe", "o"), ("ue", "u"))


def fold(text: str) -> str:
    """Fold accents and Nordic letters to the one-letter ASCII form (ø→o, å→a, æ→ae)."""
    return text.translate(_SINGLE_TABLE)


def fold_digraph(text: str) -> str:
    """Fold accents and Nordic letters to their two-letter transliteration (ø→oe, å→aa)."""
    return text.translate(_DIGRAPH_TABLE)


def name_key(text: str) -> str:
    """Reduce a lowercased name word to a lossy key: Kjærgaard, Kjaergaard, Kjargard meet."""
    key = fold(text)
    for old, new in _NAME_COLLAPSE:
        key = key.replace(old, new)
    return key


class NordicFoldFilter(Filter):
    """Folds accents; when indexing, also emits the digraph spelling at the same position.

    Queries are folded to the one-letter form, so "Ostergaard" and "Østergaard" both find an
    indexed "Østergaard", while "Oestergaard" finds it through the extra digraph token.
    """

    def __init__(self, variants: bool = True) -> None:
        self.variants = variants

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NordicFoldFilter) and other.variants == self.variants

    def __hash__(self) -> int:
        return hash((NordicFoldFilter, self.variants))

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            original = t.text
            single = original.translate(_SINGLE_TABLE)
            t.text = single
            yield t
            if self.variants and t.mode == "index":
                digraph = original.translate(_DIGRAPH_TABLE)
                if digraph != single:
                    # Tokens are reused objects: the consumer is done with the first one here.
                    t.text = digraph
                    yield t


class NameKeyFilter(Filter):
    """Replaces each word of a person or organisation name by its lossy :func:`name_key`."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NameKeyFilter)

    def __hash__(self) -> int:
        return hash(NameKeyFilter)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            t.text = name_key(t.text)
            yield t


def _tokenizer() -> RegexTokenizer:
    # Words are runs of letters/digits; dots inside (e.g. "e.g") stay joined, hyphens split.
    return RegexTokenizer(r"\w+(\.?\w+)*")


def english_analyzer() -> Analyzer:
    """Prose in English: stop words removed, folded, then Snowball-stemmed."""
    return (
        _tokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords_for_language("en"), minsize=1)
        | NordicFoldFilter()
        | StemFilter(lang="en", cachesize=50000)
    )


# Danish stop words that are also meaningful English words, kept in bilingual text.
_ENGLISH_TOO = frozenset({"ad", "din", "end", "hans", "man", "mine"})


def bilingual_stoplist() -> frozenset[str]:
    """English and Danish stop words together, minus Danish ones that are English words."""
    english, danish = stopwords_for_language("en"), stopwords_for_language("da")
    return frozenset(english | (danish - _ENGLISH_TOO))


def bilingual_analyzer() -> Analyzer:
    """Prose in either language: one term per word that English and Danish forms both reach.

    The Danish stemmer runs first (it needs æøå and strips the longer Danish endings such as
    -erne, -ene, -heden), then the text is folded and the English stemmer runs. One chain on
    both the indexing and the query side means one posting list per word instead of one per
    language, which is what keeps never-seen queries fast. The price is some extra conflation
    across languages ("hospitalet" also finds English "hospitals").
    """
    return (
        _tokenizer()
        | LowercaseFilter()
        | StopFilter(stoplist=bilingual_stoplist(), minsize=1)
        | StemFilter(lang="da", cachesize=50000)
        | NordicFoldFilter()
        | StemFilter(lang="en", cachesize=50000)
    )


def label_analyzer() -> Analyzer:
    """Short labels (themes, industries): stemmed and folded but no stop words, so "IT" stays."""
    return _tokenizer() | LowercaseFilter() | NordicFoldFilter() | StemFilter(lang="en")


def name_analyzer() -> Analyzer:
    """Person and organisation names: no stemming, one lossy key per word."""
    return _tokenizer() | LowercaseFilter() | NameKeyFilter()


def spelling_analyzer() -> Analyzer:
    """Words as written (lowercased, at least three letters) for "did you mean" suggestions."""
    return _tokenizer() | LowercaseFilter() | StopFilter(stoplist=frozenset(), minsize=3)

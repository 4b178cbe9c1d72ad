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

from folding import fold, fold_digraph, name_key

__all__ = ["fold", "fold_digraph", "name_key"]


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
            single = fold(original)
            t.text = single
            yield t
            if self.variants and t.mode == "index":
                digraph = fold_digraph(original)
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

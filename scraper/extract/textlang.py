"""The language a page's prose is written in, from its commonest function words."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """The space-separated words of ``text`` as a set."""
    return frozenset(text.split())


# Short, frequent words that are rare in the other languages listed (lower case).
_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": _words(
        "the and of to is in that with for are was his her he she they will from has have"
        " this which what how who be been at by"
    ),
    "da": _words(
        "og er det at en af til på med som har for ikke den de hvordan hun han blev"
        " også efter være vil skal kan hvad nu"
    ),
    "de": _words(
        "und der die das ist nicht mit ein eine wie für den dem des auch sich von zu wird"
        " werden bei sind im zum"
    ),
    "fr": _words(
        "le la les et est des une un du dans pour pas que qui sur avec au aux il elle sont"
        " ses son cette"
    ),
    "es": _words(
        "el la los las y es del una un en por con para que se su sus al como más fue ha desde"
    ),
    "sv": _words(
        "och är att en av till på med som har för inte det den hur hon han också efter"
        " vara vill ska kan vad"
    ),
    "nl": _words("de het en een van is dat op te met voor niet zijn hoe hij zij ook na wordt door"),
}
_WORD = re.compile(r"[^\W\d_]+")
_MIN_HITS = 8


def guess_language(text: str) -> str | None:
    """The language code whose function words are clearly the commonest in ``text``, or None.

    Used only when the page neither states the talk's language nor declares its own: a page
    saved without ``lang`` whose prose is plainly English is an English talk's page. Words
    shared by two languages count for both, so only a clear lead decides.
    """
    words = [w.lower() for w in _WORD.findall(text[:20000])]
    scores = {code: sum(w in vocab for w in words) for code, vocab in _FUNCTION_WORDS.items()}
    ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < _MIN_HITS or top < 1.5 * second:
        return None
    return best

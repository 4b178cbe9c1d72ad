"""Whether a capitalised phrase is a person's name: a known given name, or at least not a word.

"Social Sciences", "Previous Colloquium" and "Historischer Markt" have the shape of a name
(two capitalised words) but no given name, and their first word is an everyday word of a
language the extractor claims. A given name comes from gender-guesser's list of about 40,000
first names in European and other languages; how common a word is comes from wordfreq. A name
whose first word is neither a known given name nor a common word (Gaurav, Shubhangi, Berent)
is taken as a person's: the lists are never complete, and a missing speaker is worse than an
odd one.
"""

from __future__ import annotations

import re
from functools import cache

from folding import fold

#: wordfreq's codes for the languages whose everyday words are checked (Norwegian is "nb").
WORD_LANGUAGES = ("en", "da", "sv", "nb", "fi", "de", "nl", "fr", "es", "it", "pt", "pl")
#: On wordfreq's Zipf scale (log10 of uses per billion words) a word used more than about six
#: times per million words is everyday language, not a given name.
COMMON_WORD_ZIPF = 3.8

_INITIALS = re.compile(r"^(?:[^\W\d_]\.)+$")


@cache
def _detector() -> object:
    import gender_guesser.detector as guesser  # loads its name list once, on first use

    return guesser.Detector(case_sensitive=False)


@cache
def is_given_name(word: str) -> bool:
    """True for a first name gender-guesser knows, as written or without its accents."""
    detector = _detector()
    return any(
        detector.get_gender(form) != "unknown"  # type: ignore[attr-defined]
        for form in {word, fold(word)}
    )


@cache
def is_common_word(word: str) -> bool:
    """True for a word in everyday use in a claimed language ("previous", "social")."""
    from wordfreq import zipf_frequency  # loads each language's list on first use

    lower = word.lower()
    # the "small" lists hold every word above the threshold and load in a tenth of a second
    # and a few MB, where the full lists would take seconds and half a GB
    return any(
        zipf_frequency(lower, lang, wordlist="small") >= COMMON_WORD_ZIPF for lang in WORD_LANGUAGES
    )


@cache
def is_person_name(name: str) -> bool:
    """False for a name-shaped phrase whose first word is an everyday word and no given name.

    Every word of the name may be the given name ("Lee Min-ho", "Naveen K. P."), so any known
    given name makes it a person's; initials say nothing.
    """
    words = [w.strip(".,") for w in name.replace("-", " ").split()]
    words = [w for w in words if w and not _INITIALS.match(w + ".") and not _INITIALS.match(w)]
    if not words or any(is_given_name(w) for w in words):
        return True
    return not is_common_word(words[0])

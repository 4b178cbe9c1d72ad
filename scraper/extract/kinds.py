"""The event-kind words of a headline: a kind prefix ("Panel: …", "Meetup #14: …",
"Conférence du mardi 1er juin : …"), an edition that names only the session ("Seminar #42",
"April"), and a registration form's heading that names only the kind ("Webinar Registration")."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.dates import MONTHS, find_dates, parse_date, weekday_in

# Words naming a kind of event, from the language tables; also matched as the tail of a
# compound ("CIO-morgenmøde", "Gæsteforelæsning"), so a prefix made of them is no part of the
# topic.
_KIND_WORDS = lexicon.words("talk_kinds") + lexicon.words("event_kinds")
_KIND = f"(?:{lexicon.term_pattern(_KIND_WORDS)})"
KIND_ONLY = re.compile(lexicon.whole_words(_KIND_WORDS), re.I)
# The kind may take one adjective after it, as Romance languages write them ("Ponencia
# magistral: …", "Conferenza invitata: …", "Palestra convidada: …").
_KIND_PREFIX = re.compile(
    rf"^((?:[\w&+.'’-]+\s+){{0,3}}?[\w&+.'’-]*?{_KIND}(?:\s+[^\W\d_]{{5,20}})?"
    # an edition number or year: "Meetup #14: …", "Seminar Nr. 3 – …", "Webinar 2024: …"
    rf"(?:\s+(?:#\s*\d{{1,4}}|(?:no|nr|n°|nº)\.?\s*\d{{1,4}}|(?:19|20)\d\d))?)"
    rf"\s*(?::|\s[–—-])\s*(.{{6,}})$",
    re.I,
)
# A label before the first ":", " | " or dash, and the title after it.
LABEL_SPLIT = re.compile(r"^([^:|–—]{2,70}?)\s*(?::|\s\|\s|\s[–—-]\s)\s*(.{6,})$")
# An event-kind word anywhere in a label, also as the tail of a compound ("Forschungskolloquium").
KIND_IN = re.compile(rf"(?<![\w-])[\w'’-]*?{_KIND}(?![\w-])", re.I)
# "The CIO Agenda 2024: AI Beyond the Pilot": capitalised words ending in a year name an
# edition of a series; a title such as "From Data Centre to Colocation: …" has no year there.
_SERIES_YEAR = re.compile(
    r"^((?:[A-ZÆØÅ][\w&+.'’-]*\s+){1,4}(?:19|20)\d\d)\s*:\s*([A-ZÆØÅ0-9\"“].{5,})$"
)
# Prefix words that make "X: Y" a phrase of the topic rather than an event-kind label.
_PHRASE_WORDS = frozenset(
    ["the", "a", "an", "of", "in", "on", "about", "for", "is", "are", "why", "how", "what",
     "when", "this", "our", "your", "den", "det", "en", "et", "om", "af", "der", "die", "das",
     "ein", "eine", "über", "von", "för", "av"]
)  # fmt: skip


def _named_kind_prefix(title: str) -> tuple[str, str] | None:
    """A label of a few capitalised words holding an event-kind word anywhere, then a separator:
    "Kolloquium Medizinische Informatik: …", "CIO Roundtable Dublin: …", "Conferenza | …"."""
    m = LABEL_SPLIT.match(title)
    if not m:
        return None
    prefix, rest = m.group(1).strip(), m.group(2).strip()
    words = [w for w in prefix.split() if not re.fullmatch(r"(?:19|20)\d\d", w)]
    if not 1 <= len(words) <= 5 or not KIND_IN.search(prefix):
        return None
    if not all(w[0].isupper() or w[0].isdigit() or w in "&+" for w in words):
        return None  # a lowercase word: the prefix reads as a phrase of the title
    return prefix, rest


# An event kind and then the session's day: "Conférence du mardi 1er juin", "Talk on 3 May".
_KIND_THEN = re.compile(
    rf"^(?:[\w&+.'’-]+\s+){{0,2}}?[\w&+.'’-]*?{_KIND}\s+(?:[^\W\d_]{{1,4}}\s+)?", re.I
)


def _dated_kind_prefix(title: str) -> tuple[str, str] | None:
    """A kind and the session's day before the separator ("Conférence du mardi 1er juin : …"),
    a small word perhaps between them: the prefix says when, the rest what."""
    m = LABEL_SPLIT.match(title)
    kind = _KIND_THEN.match(m.group(1)) if m else None
    if not m or not kind:
        return None
    day = m.group(1)[kind.end() :]
    if len(day.split()) > 5 or not re.search(r"\d", day):
        return None
    if not only_a_day(day) and parse_date(day, default_year=2000) is None:
        return None  # "mardi 1er juin", "3 May": the year, where missing, is the page's
    return m.group(1).strip(), m.group(2).strip()


def kind_prefix(title: str) -> tuple[str, str] | None:
    """Split "Panel: Who Owns the Data?" into the event-kind prefix and the rest, if it has one."""
    title = title.strip()
    m = _KIND_PREFIX.match(title)
    split = (m.group(1).strip(), m.group(2).strip()) if m else _named_kind_prefix(title)
    if split is None and (dated_kind := _dated_kind_prefix(title)):
        return dated_kind  # its small word ("on", "du", "am") joins the kind to the day
    if split is None:
        dated = _SERIES_YEAR.match(title)
        return (dated.group(1), dated.group(2)) if dated else None
    # an acronym in capitals ("IS Leadership Talk", "DIE Kolloquium") is a name, not the
    # phrase word it spells
    phrase = any(
        word.lower() in _PHRASE_WORDS and not (len(word) >= 2 and word.isupper())
        for word in split[0].split()
    )
    if phrase and not KIND_ONLY.fullmatch(split[0]):  # "In conversation: …" names a kind
        return None
    return split


_EDITION_MARK = re.compile(
    r"^(?:#\s*\d+|(?:no|nr|n°|nº|núm|num|vol)\.?(?:\s*\d+)?|\d{1,4}|[IVXLC]{1,6}|"
    r"(?:19|20)\d\d(?:/\d\d)?)$",
    re.I,
)


def is_edition(text: str) -> bool:
    """True for the part of a headline that only numbers an edition of a series: "Seminar #42",
    "April", "May 2024", "No. 7", "2024/25"."""
    words = [w for w in text.strip(" .,").split() if not KIND_ONLY.fullmatch(w)]
    if words and only_a_day(text):
        return True  # "Séminaire virtuel: vendredi 15 mars 2024": the session's day
    if not words or len(words) > 3:
        return False
    return all(_EDITION_MARK.match(w) or w.lower().strip(".,") in MONTHS for w in words)


def only_a_day(text: str) -> bool:
    """True for a text that is one date and perhaps its weekday ("vendredi 15 mars 2024",
    "Tuesday, 6 May 2014") and nothing else."""
    found = find_dates(text)
    if len(found) != 1:
        return False
    start, end, _ = found[0]
    rest = (text[:start] + " " + text[end:]).replace(",", " ").split()
    return all(weekday_in(w) is not None for w in rest)


_FORM_WORDS = frozenset(
    w for w in lexicon.labels("registration") + lexicon.words("calls_to_action") if " " not in w
) | lexicon.words_of("articles", "name_links", "role_links")


def form_heading(title: str) -> bool:
    """True for a registration form's heading that names only the kind of event: "Webinar
    Registration", "Anmeldung zum Vortrag", "Inscription au webinaire"."""
    words = re.findall(r"[^\W\d_]+", title.casefold())
    if not words or not any(w in _FORM_WORDS for w in words):
        return False
    return all(w in _FORM_WORDS or KIND_ONLY.fullmatch(w) for w in words)


def series_from_prefix(prefix: str) -> str | None:
    """The series a kind prefix names ("CIO Talks"), not a bare kind ("Panel", "Guest lecture")."""
    words = prefix.split()
    if len(words) < 2 or KIND_ONLY.fullmatch(prefix.strip()):
        return None  # "Guest lecture", "Gæsteforelæsning": a kind of event, not a series
    return prefix

"""Parse dates, times and date lines from Danish, English and neighbouring-language pages."""

from __future__ import annotations

import datetime
import logging
import re
import warnings
from collections.abc import Iterator
from functools import lru_cache

from dateparser.date import DateDataParser
from dateparser.languages.loader import default_loader

from scraper.extract import lexicon
from scraper.extract.times import parse_time_range, time_match, time_span

logger = logging.getLogger(__name__)

#: dateparser locales whose month names the fast path recognises; the first five are also the
#: languages dateparser itself may use on the rare texts the regular expressions miss.
MONTH_LOCALES: tuple[str, ...] = (
    "en", "da", "de", "es", "fr", "sv", "nb", "nl", "it", "pt", "pl", "et", "fi", "cs", "hu", "is",
)  # fmt: skip
#: Locales whose three-letter weekday abbreviations are words of other languages (Czech "sob",
#: "ned", Hungarian "vas", Icelandic "fim", "lau"): only their full weekday names are read.
_FULL_WEEKDAYS_ONLY = frozenset({"cs", "hu", "is"})
PARSER_LANGUAGES: list[str] = ["en", "da", "de", "es", "fr"]

#: Words that, shortly before a date, say it is the page's own date rather than the event's.
PUBLICATION_MARKERS: tuple[str, ...] = (
    "posted on", "posted", "published on", "published", "date published", "listed on", "listed",
    "publiceret",
    "udgivet", "offentliggjort", "skrevet", "opdateret", "sidst opdateret", "senest opdateret",
    "sidst ændret", "senest ændret", "ændret", "oprettet", "last updated", "last modified",
    "last edited", "last changed", "last reviewed", "updated", "modified", "edited", "created",
    "copyright", "©", "(c)", "aktualisiert", "veröffentlicht", "erstellt", "geändert",
    "zuletzt geändert", "stand:", "publié le", "mis à jour", "publicado", "actualizado",
    "pubblicato", "aggiornato", "ultimo aggiornamento", "atualizado", "atualização",
    "última atualização", "opublikowano", "zaktualizowano", "aktualizacja", "avaldatud",
    "uuendatud", "muudetud", "掲載日", "更新日", "最終更新",
)  # fmt: skip

_YEAR_MIN, _YEAR_MAX = 1900, 2099
_PUB_WINDOW = 90  # characters before a date searched for a publication marker


def _month_table() -> dict[str, int]:
    """Month names and abbreviations (lower case, no dot) to month numbers, from dateparser.

    A name that means different months in different languages is left out, and so are the
    Roman numerals Hungarian writes for months ("V."): they are letters of names and words.
    """
    keys = ("january", "february", "march", "april", "may", "june", "july", "august",
            "september", "october", "november", "december")  # fmt: skip
    table: dict[str, int] = {}
    clashes: set[str] = set()
    for code in MONTH_LOCALES:
        info = default_loader.get_locale(code).info
        for number, key in enumerate(keys, start=1):
            for name in info.get(key, []):
                word = name.lower().rstrip(".")
                if re.fullmatch(r"[ivxlc]+", word):
                    continue
                if table.get(word, number) != number:
                    clashes.add(word)
                table.setdefault(word, number)
    for word in clashes:
        del table[word]
    return table


MONTHS: dict[str, int] = _month_table()
# Short words that are too common in running text to mark a date without a year.
_WEAK_MONTHS = frozenset(
    {"ago", "set", "des", "mar", "may", "jun", "jul", "jan", "out", "gen", "sie", "lis", "mag",
     "lip", "lut", "paz", "elo", "ott", "giu", "lug", "sty", "gru", "kwi", "wrz", "cze", "fev",
     "led", "pro", "dub", "srp", "már", "máj"}
)  # fmt: skip

# one trie of the names ("j(?:an(?:uary|vier)?|…)"), not a list of 300 alternatives: the
# regexes below try it at every word
_MON = lexicon.term_pattern(MONTHS)
_NOT_LETTER = r"(?![^\W\d_])"
_DAY = r"(?P<d>[0-3]?\d)(?:\.|st|nd|rd|th|er|º)?"
_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d)"

_ISO_RE = re.compile(r"(?<![\w.-])(?P<y>(?:19|20)\d\d)([-/.])(?P<m>[01]?\d)\2(?P<d>[0-3]?\d)(?!\d)")
_NUMERIC_RE = re.compile(
    r"(?<![\w.,/:+-])(?P<a>[0-3]?\d)(?P<s1>[./-])\s?(?P<b>[0-3]?\d)(?P<s2>[./-])\s?"
    r"(?P<y>(?:19|20)\d\d|\d\d)(?!\w|[.,/:-]\d)"
)
_DMY_RE = re.compile(
    rf"(?<![\d/:])(?<!\d[.,]){_DAY}[\s.\-/]*(?:(?:of|de|den)\s+)?(?P<mon>{_MON})\.?{_NOT_LETTER}"
    rf"[\s,.\-/]*(?:(?:de|del)\s+)?{_YEAR}",
    re.IGNORECASE,
)
_MDY_RE = re.compile(
    rf"(?<![^\W\d_])(?P<mon>{_MON})\.?{_NOT_LETTER},?\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
    rf"\s*,?\s*{_YEAR}",
    re.IGNORECASE,
)
_DM_RE = re.compile(
    rf"(?<![\d/:])(?<!\d[.,]){_DAY}\s*(?:(?:of|de|den)\s+)?(?P<mon>{_MON})(?P<dot>\.?){_NOT_LETTER}"
    rf"|(?<![^\W\d_])(?P<mon2>{_MON})(?P<dot2>\.?)\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)",
    re.IGNORECASE,
)
# "2019年5月28日": a Japanese or Chinese date, year, month and day
_CJK_RE = re.compile(r"(?P<y>(?:19|20)\d\d)\s*年\s*(?P<m>[01]?\d)\s*月\s*(?P<d>[0-3]?\d)\s*日")
_MONTH_WORD_RE = re.compile(rf"(?<![^\W\d_])(?:{_MON}){_NOT_LETTER}", re.IGNORECASE)
_HAS_YEAR_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_MAYBE_DATE_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|\d[./]\d\d(?!\d)")  # cheap pre-filter


@lru_cache(maxsize=1)
def _parser() -> DateDataParser:
    """The configured dateparser, built once (it is costly to set up)."""
    return DateDataParser(
        languages=PARSER_LANGUAGES,
        settings={
            "DATE_ORDER": "DMY",
            "PREFER_DAY_OF_MONTH": "first",
            "RETURN_AS_TIMEZONE_AWARE": False,
            "REQUIRE_PARTS": ["day", "month", "year"],
        },
    )


# "d. 13/10", "den 13/10": a Danish day and month without the year (the year is elsewhere)
_DM_NUMERIC_RE = re.compile(r"\b(?:d\.|den)\s*(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\b(?![/.]\d)", re.I)


def _make_date(year: int, month: int, day: int) -> datetime.date | None:
    """A date if the parts form a real one in the archive's range, else None."""
    if not _YEAR_MIN <= year <= _YEAR_MAX:
        return None
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _numeric(m: re.Match[str]) -> datetime.date | None:
    """Day-first numeric date; month-first only when day-first is impossible (04/30/2024)."""
    a, b, y = int(m["a"]), int(m["b"]), m["y"]
    if len(y) == 2:  # "06.05.14" yes; "1.2.13" is more often a version number
        if m["s1"] != m["s2"] or m["s1"] == "-" or len(m["a"]) + len(m["b"]) != 4:
            return None
        year = 2000 + int(y) if int(y) < 70 else 1900 + int(y)
    else:
        year = int(y)
    return _make_date(year, b, a) or _make_date(year, a, b)


def _candidates(text: str) -> Iterator[tuple[int, int, datetime.date | None]]:
    """Every regex candidate in text, in no particular order, with its parsed date or None."""
    for m in _ISO_RE.finditer(text):
        yield m.start(), m.end(), _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    for m in _NUMERIC_RE.finditer(text):
        yield m.start(), m.end(), _numeric(m)
    for m in _CJK_RE.finditer(text):
        yield m.start(), m.end(), _make_date(int(m["y"]), int(m["m"]), int(m["d"]))
    for regex in (_DMY_RE, _MDY_RE):
        for m in regex.finditer(text):
            month = MONTHS.get(m["mon"].lower())
            yield m.start(), m.end(), _make_date(int(m["y"]), month or 0, int(m["d"]))


def find_dates(text: str) -> list[tuple[int, int, datetime.date]]:
    """Every full date expression in text as (start, end, date), in reading order.

    Overlapping candidates keep the one that starts first (the longer one on a tie), so
    callers can look at the text before each span and skip publication dates.
    """
    if not isinstance(text, str) or not _MAYBE_DATE_RE.search(text):
        return []
    found = sorted(_candidates(text), key=lambda c: (c[0], -c[1]))
    result: list[tuple[int, int, datetime.date]] = []
    last_end = -1
    for start, end, date in found:
        if start < last_end:
            continue
        if date is not None:
            result.append((start, end, date))
            last_end = end
    return result


def _dateparser_date(text: str) -> datetime.date | None:
    """Ask dateparser about a short text the regexes missed; None unless it is a plain date."""
    cleaned = text
    span = time_span(text)
    if span:
        cleaned = (text[: span[0]] + " " + text[span[1] :]).strip(" ,-–")
    try:
        with warnings.catch_warnings():
            # dateparser and its timezone helpers warn about pytz and deprecated APIs.
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", message=".*pytz.*")
            data = _parser().get_date_data(cleaned)
    except Exception:  # dateparser can fail in many ways on odd text; a date is optional
        logger.debug("dateparser failed on %r", cleaned, exc_info=True)
        return None
    found = data.date_obj
    # Relative phrases ("in 3 days 2014") come back as today's date: insist on a stated year.
    if found is None or data.period != "day" or str(found.year) not in cleaned:
        return None
    return _make_date(found.year, found.month, found.day)


def parse_date(text: str, *, default_year: int | None = None) -> datetime.date | None:
    """The first date expressed in text (weekday names and other words around it are fine).

    A date needs day, month and year; with default_year, a day and a month name are enough.
    Numeric dates are day first ("02/06/2017" is 2 June). Never raises.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    found = find_dates(text)
    if found:
        return found[0][2]
    if len(text) <= 120 and _HAS_YEAR_RE.search(text) and _MONTH_WORD_RE.search(text):
        fallback = _dateparser_date(text)
        if fallback:
            return fallback
    if default_year is not None:
        numeric = _DM_NUMERIC_RE.search(text)
        if numeric:
            return _make_date(default_year, int(numeric["m"]), int(numeric["d"]))
        for m in _DM_RE.finditer(text):
            name = (m["mon"] or m["mon2"]).lower()
            dotted = bool(m["dot"] or m["dot2"])
            written = m["mon2"] or m["mon"]
            capital = written[0].isupper()  # "May 6" and "14 May", not "6 may" or "you may"
            if name in _WEAK_MONTHS and not (dotted or capital):
                continue
            day = int(m["d"] or m["d2"])
            date = _make_date(default_year, MONTHS.get(name, 0), day)
            if date:
                return date
    return None


_WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@lru_cache(maxsize=1)
def _weekday_regex() -> tuple[re.Pattern[str], dict[str, int]]:
    """Weekday names of the month locales (dateparser's data), at least three letters long."""
    names: dict[str, int] = {}
    for code in MONTH_LOCALES:
        info = default_loader.get_locale(code).info
        for number, key in enumerate(_WEEKDAY_KEYS):
            for name in info.get(key) or ():
                if len(name) >= (4 if code in _FULL_WEEKDAYS_ONLY else 3) and name.isalpha():
                    names.setdefault(name.lower(), number)
    alternatives = lexicon.term_pattern(names)
    return re.compile(rf"(?<![^\W\d_])(?:{alternatives})(?![^\W\d_])", re.I), names


def weekday_in(text: str) -> int | None:
    """The weekday (Monday = 0) a text names, if it names exactly one."""
    regex, names = _weekday_regex()
    found = {names[m.group(0).lower()] for m in regex.finditer(text)}
    return found.pop() if len(found) == 1 else None


def weekday_phrase(text: str, width: int = 50) -> str | None:
    """The stretch of running text that opens with a weekday's full name ("… am Donnerstag,
    19. September, um 17 Uhr …" → "Donnerstag, 19. September, um 17 Uhr …"): in prose, a short
    name such as "die" or "sa" is a word of the sentence, not a day."""
    regex, _names = _weekday_regex()
    for m in regex.finditer(text):
        if len(m.group(0)) >= 5:
            return text[m.start() : m.start() + width]
    return None


def year_by_weekday(text: str, years: list[int], near: int | None = None) -> int | None:
    """The one year among years in which text's year-less date falls on the weekday it names.

    "Wednesday, March 28th" on a page whose footer says "© 2016-2018" is 28 March 2018: of
    the page's own years only 2018 has a Wednesday on that day. When several years fit, the one
    nearest ``near`` (the year of the page's own dated content) is taken.
    """
    weekday = weekday_in(text)
    if weekday is None or find_dates(text):
        return None
    fits = set()
    for year in set(years):
        d = parse_date(text, default_year=year)
        if d is not None and d.weekday() == weekday:
            fits.add(year)
    if len(fits) > 1 and near is not None:  # the year nearest the page's own dates
        ranked = sorted(fits, key=lambda y: abs(y - near))
        return ranked[0] if abs(ranked[0] - near) < abs(ranked[1] - near) else None
    return fits.pop() if len(fits) == 1 else None


_YEARS_RE = re.compile(r"\b((?:19|20)\d\d)(?:\s*[-–]\s*((?:19|20)\d\d))?\b")


def years_in(lines: list[str]) -> list[int]:
    """Every year the lines mention; a range "2016-2018" gives each year in it."""
    years: set[int] = set()
    for line in lines:
        for m in _YEARS_RE.finditer(line):
            first = int(m.group(1))
            last = int(m.group(2)) if m.group(2) else first
            if 0 <= last - first <= 10:
                years.update(range(first, last + 1))
            else:
                years.update((first, last))
    return sorted(years)


def split_datetime_line(text: str) -> tuple[datetime.date | None, str | None, str | None]:
    """A date line such as "Tirsdag, 6 maj, 2014 - 08:00 to 10:00" as (date, start, end)."""
    if not isinstance(text, str):
        return None, None, None
    dates = find_dates(text)
    blanked = text
    for start, end, _ in dates:  # keep dates out of the time search, offsets intact
        blanked = blanked[:start] + " " * (end - start) + blanked[end:]
    found = time_match(blanked)
    # the range as parse_time_range reads it: "16 Uhr c.t." starts 16:15, "…, Ende ca. 17:30"
    times = parse_time_range(blanked) if found else (None, None)
    if dates:
        return dates[0][2], times[0], times[1]
    rest = text
    if found:
        rest = text[: found[0]] + " " + text[found[1] :]
    return parse_date(rest), times[0], times[1]


_MARKER_RE = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(re.escape(m) for m in sorted(PUBLICATION_MARKERS, key=len, reverse=True))
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
# What may stand between an unlabelled marker and its date: "Posted by Jane Doe on", "d.".
_MARKER_GAP_RE = re.compile(
    r"(?:\s|[-–—|/·•,]|\b(?:on|at|the|d\.|den|am|le|el)(?![^\W\d_])"
    r"|\bby(?:\s+[^\s,.;:]+){1,4}\s+on\b)*",
    re.IGNORECASE,
)
_SENTENCE_END_RE = re.compile(r"[!?]\s+|\.\s+(?=[A-ZÆØÅÄÖÜ])")
_EVENT_LABEL_RE = re.compile(
    r"\b(?:date|dato|when|hvornår|tidspunkt|termin|datum|beginn|event|seminar|arrangement)\b",
    re.IGNORECASE,
)


def is_publication_context(prefix: str) -> bool:
    """True when the text just before a date marks it as a publication or update date.

    Looks for a marker such as "Posted on", "Udgivet", "Sidst opdateret", "Last updated" or
    "©" in the last stretch of prefix, unless another date or an event label comes between.
    """
    if not isinstance(prefix, str):
        return False
    window = _SENTENCE_END_RE.split(prefix[-_PUB_WINDOW:].rsplit("\n", 1)[-1])[-1]
    marks = list(_MARKER_RE.finditer(window))
    if not marks:
        return False
    after = window[marks[-1].end() :]
    # A label ("Sidst opdateret: <author> // <date>") may stand well before its date; a word
    # in running text ("slides will be posted after the talk on …") must be right before it.
    if not after.lstrip().startswith(":") and not _MARKER_GAP_RE.fullmatch(after):
        return False
    return not (_HAS_YEAR_RE.search(after) or _EVENT_LABEL_RE.search(after))


def iso_date(d: datetime.date | None) -> str | None:
    """A date as YYYY-MM-DD (a datetime gives its date), or None for None."""
    if d is None:
        return None
    if isinstance(d, datetime.datetime):
        d = d.date()
    return d.isoformat()


__all__ = [
    "MONTHS",
    "find_dates",
    "is_publication_context",
    "iso_date",
    "parse_date",
    "parse_time_range",
    "split_datetime_line",
    "time_span",
    "weekday_phrase",
]

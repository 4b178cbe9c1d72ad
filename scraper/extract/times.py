"""Times of day and time ranges in many languages: "kl. 8.00-10.00", "2:45 pm – 3:45 pm", "14h"."""

from __future__ import annotations

import re
from functools import cache

from scraper.extract import lexicon

#: A slot's time opening a line: "13h00", "9h", "14:15 – 15:00" (its end perhaps)
SLOT_TIME = re.compile(
    r"^\s*\d{1,2}(?:[:.h]\d{2}|h)(?!\w)(?:\s*[-–—]\s*\d{1,2}(?:[:.h]\d{2}|h)(?!\w))?"
)

# --- times --------------------------------------------------------------------------------
_CLOCK = lexicon.alternatives(lexicon.words("clock_words"))
_APPROX = lexicon.alternatives(lexicon.words("approx_words"))
_TIME_RE = re.compile(
    # midday in words ("to noon", "à midi"), not the afternoon ("après-midi")
    rf"(?<![\w-])(?P<noon>{lexicon.alternatives(lexicon.words('noon_words'))})(?![\w-])|"
    # "kl. 8", "kell 14.15", "ore 15", "godz. 10", or a number not in the middle of another
    rf"(?:(?P<kl>\b(?:{_CLOCK})\b\.?\s*)|(?<![\d.:/,+]))"
    r"(?P<h>[0-2]?\d)(?:(?P<sep>[:.hu]|\s?h\s?)(?P<m>[0-5]\d)(?::[0-5]\d)?)?"
    r"(?![\d]|[.:/]\d)"  # not the start of 19.03.2018
    r"(?:\s?(?P<ap>[ap])\.?\s?m\b\.?)?(?:\s*(?P<uhr>uhr|o'?clock)\b|\s?(?P<hh>[hu])\b)?",
    re.IGNORECASE,
)
# Between the ends of a range: a dash, an arrow or a sign, or a word for "until"; perhaps the
# day again ("2027-03-18 17:30 → 2027-03-18 19:00") and a word for "about" ("– ca. 20.00").
_RANGE_SEP_RE = re.compile(
    r"\s*(?:-|–|—|→|->|>|~|〜|～|"
    rf"(?<![^\W\d_])(?:{lexicon.alternatives(lexicon.words('until_words'))})(?![^\W\d_]))\s*"
    r"(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}\s+)?"
    rf"(?:(?<![^\W\d_])(?:{_APPROX})(?:(?<=\.)|(?![^\W\d_]))\s*)?",
    re.IGNORECASE,
)
# "18h00 for 18h30", "7.30am arrival for an 8.00am start": English invitations give the doors
# time first and the start after "for"; the start is the time that counts.
_DOORS_FOR_RE = re.compile(r"\s+(?:[a-z]+\s+)?for\s+(?:an?\s+)?", re.IGNORECASE)
_TIME_CONTEXT_RE = re.compile(
    r"(?:\b(?:at|um|ab|von|from|fra|starts?|begins?|start|beginn|tid|time|tidspunkt)\s*:?"
    r"|(?:19|20)\d\d\s*[,\-–]?)\s*$",
    re.IGNORECASE,
)
_MONEY_RE = re.compile(r"(?:[€$£]|\b(?:kr|dkk|eur|usd|gbp|sek|nok)\b\.?)\s*$", re.IGNORECASE)


def _hour(h: int, ap: str | None) -> int:
    """24-hour clock hour for h with an optional 'a'/'p' meridiem."""
    if ap is None or h > 12:
        return h
    if ap == "a":
        return 0 if h == 12 else h
    return h if h == 12 else h + 12


class _Tok:
    """One time token: hour, minute, meridiem and whether it can stand alone as a time."""

    def __init__(self, m: re.Match[str], text: str) -> None:
        self.start, self.end = m.start(), m.end()
        self.ap: str | None
        if m["noon"]:
            self.h, self.m, self.ap = 12, 0, "p"
            self.has_minutes = self.suffixed = self.standalone = True
            self.money = False
            return
        self.h = int(m["h"])
        self.m = int(m["m"]) if m["m"] else 0
        self.ap = m["ap"].lower() if m["ap"] else None
        self.has_minutes = m["m"] is not None
        before = text[max(0, self.start - 16) : self.start]
        strong = bool(m["kl"] or m["ap"] or m["uhr"] or m["hh"])
        self.suffixed = bool(m["uhr"] or m["hh"] or m["ap"])  # "16 Uhr", "16h", "4 pm"
        self.money = not m["kl"] and bool(_MONEY_RE.search(before))
        if self.money:
            self.standalone = False
        elif m["hh"] and not self.has_minutes and not (m["kl"] or m["ap"] or m["uhr"]):
            # "14h" is a French-style time, "2h" far more often a duration ("a 2h workshop").
            self.standalone = 6 <= self.h <= 23
        elif m["sep"] in (":", "h", "u") or (m["sep"] or "").strip() == "h":
            self.standalone = True
        elif m["sep"] == ".":  # 12.50 is as often a number as a time: ask for context
            self.standalone = strong or bool(_TIME_CONTEXT_RE.search(before))
        else:
            self.standalone = strong


def _fmt(h: int, m: int) -> str | None:
    """HH:MM, or None for an impossible clock time."""
    return f"{h:02d}:{m:02d}" if 0 <= h <= 23 and 0 <= m <= 59 else None


def _resolve(a: _Tok, b: _Tok | None) -> tuple[str | None, str | None]:
    """Both ends of a range in 24-hour HH:MM, sharing a meridiem written only once."""
    if b is None:
        return _fmt(_hour(a.h, a.ap), a.m), None
    if a.ap is None and b.ap is not None:
        end = _hour(b.h, b.ap)
        start = _hour(a.h, b.ap)
        if start * 60 + a.m > end * 60 + b.m:
            start = _hour(a.h, "a" if b.ap == "p" else "p")
    elif b.ap is None and a.ap is not None:
        start = _hour(a.h, a.ap)
        end = _hour(b.h, a.ap)
        if end * 60 + b.m < start * 60 + a.m:
            end = _hour(b.h, "p" if a.ap == "a" else "a")
    else:
        start, end = _hour(a.h, a.ap), _hour(b.h, b.ap)
    first, last = _fmt(start, a.m), _fmt(end, b.m)
    if first is None:
        return None, None
    return first, last


_ISO_DAY = re.compile(r"\b\d{4}-\d\d-\d\d(?:T|\b)")
_FOUR_DIGIT_END = re.compile(r"(\b[0-2]?\d[:.][0-5]\d\s*[-–]\s*)([01]\d[0-5]\d|2[0-3][0-5]\d)\b")


def time_match(text: str) -> tuple[int, int, tuple[str | None, str | None]] | None:
    """The first time or time range in text: (start, end, (HH:MM, HH:MM or None))."""
    if not isinstance(text, str):
        return None
    # "14:00-1500": a range whose end is written as four digits, as 24-hour schedules do
    four = _FOUR_DIGIT_END.search(text)
    if four:
        fixed = (
            f"{text[: four.start(2)]}{four.group(2)[:2]}:{four.group(2)[2:]}{text[four.end(2) :]}"
        )
        found = time_match(fixed)
        if found is None:
            return None
        begin, stop, times = found
        shift = 1 if stop > four.start(2) + 2 else 0
        return begin, stop - shift, times
    # an ISO day inside the text ("2027-03-18 17:30 → 2027-03-18 19:00") holds no time
    masked = _ISO_DAY.sub(lambda d: " " * len(d.group()), text) if "-" in text else text
    toks = [_Tok(m, masked) for m in _TIME_RE.finditer(masked)]
    for i, tok in enumerate(toks):
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if (
            nxt is not None
            and tok.standalone
            and nxt.standalone
            and _DOORS_FOR_RE.fullmatch(masked, tok.end, nxt.start)
        ):
            continue  # the doors time: the start comes next
        if nxt is not None and _RANGE_SEP_RE.fullmatch(masked, tok.end, nxt.start):
            # "08.00-10.00" and "11 - 1pm" are ranges though neither start stands alone.
            both_minutes = tok.has_minutes and nxt.has_minutes
            # "14-16 Uhr": the unit written once, after the range's end
            unit_after = nxt.suffixed and nxt.standalone and 0 <= tok.h < nxt.h <= 24
            if not tok.money and (
                tok.standalone or both_minutes or nxt.ap is not None or unit_after
            ):
                start, end = _resolve(tok, nxt)
                if start and end:
                    return tok.start, nxt.end, (start, end)
        if tok.standalone:
            start, _ = _resolve(tok, None)
            if start:
                return tok.start, tok.end, (start, None)
    return None


def time_span(text: str) -> tuple[int, int] | None:
    """Where the first time or time range sits in text (start and end offsets), if anywhere."""
    found = time_match(text)
    return (found[0], found[1]) if found else None


def parse_time_range(text: str) -> tuple[str | None, str | None]:
    """The first time or time range in text as 24-hour ("HH:MM", "HH:MM" or None).

    Handles "08:00 to 10:00", "kl. 8.00-10.00", "2:45 pm – 3:45 pm", "fra kl. 14 til 16",
    "11am - 12pm"; dates such as 19.03.2018 and bare years are never taken as times.
    Returns (None, None) when there is no time. Never raises.
    """
    found = time_match(_CUM_TEMPORE.sub(" ", text))
    if not found:
        return None, None
    start, end = found[2]
    if start and end is None:
        end = _stated_end(text[found[1] : found[1] + 80], start)
    if _CUM_TEMPORE.search(text[found[0] : found[1] + 24]):
        start, end = _academic_quarter(start, end)
    return start, end


@cache
def _end_word_re() -> re.Pattern[str]:
    """The words that say when a talk ends ("ends at", "slutter", "endet"), any language."""
    return re.compile(
        rf"(?:{lexicon.whole_words(lexicon.words('end_words'))})[\s:]*(?:(?:{_APPROX})\s*)?",
        re.I,
    )


def _stated_end(tail: str, start: str) -> str | None:
    """The end a time line states in words after its start: "18h30 – lecture ends at 19h45",
    "8.00am start; finishes 9.15am". Only a time right after the word, later than the start."""
    word = _end_word_re().search(tail)
    if not word:
        return None
    found = time_match(tail[word.end() : word.end() + 20])
    if not found or found[0] != 0:
        return None
    end = found[2][0]
    return end if end and end > start else None


def end_line(text: str, start: str) -> str | None:
    """The end a short line of its own states after the start's line: "Ende gegen 19:45 Uhr ·
    Hörsaal C", "Finishes at 8.30 pm". The line must open with the end word."""
    line = text.strip()
    if len(line) >= 200 or not _end_word_re().match(line):
        return None
    return _stated_end(line[:80], start)


# "16 Uhr c.t." (cum tempore): German and Nordic universities start a quarter past the hour and
# end a quarter before; "s.t." (sine tempore) means on the hour.
_CUM_TEMPORE = re.compile(r"\(?\bc\.\s?t\.\)?|\bcum tempore\b", re.I)


def _academic_quarter(start: str | None, end: str | None) -> tuple[str | None, str | None]:
    """Start a quarter past and end a quarter before full hours, as "c.t." says."""

    def shift(value: str | None, minutes: int) -> str | None:
        if value is None or not value.endswith(":00"):
            return value
        total = int(value[:2]) * 60 + minutes
        return f"{total // 60 % 24:02d}:{total % 60:02d}"

    return shift(start, 15), shift(end, -15)

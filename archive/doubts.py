"""Doubtful values the review queue flags, as readable reasons: pure rules, values in.

An extraction can be complete and still wrong in ways an admin spots at a glance: a job title
read as the organisation ("Head of IT, Region Zealand"), a heading read as a speaker ("Social
Sciences"), a mistyped year that puts one talk decades away from the rest of its series, a
talk nobody gives. The rules reuse the extractor's own word tables and name checks
(``scraper.extract.lexicon``, ``names``, ``persons``), so a value the extractor itself would
have refused is flagged, and a language added there is covered here too. Nothing here reads
the database: :mod:`archive.admin.review` gathers the values in two queries and asks these
functions.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from urllib.parse import urlsplit

from scraper.extract import lexicon
from scraper.extract.names import TITLES, looks_like_name
from scraper.extract.persons import is_person_name

log = logging.getLogger(__name__)

#: Fields a talk should have; an empty one sends the talk to the review queue.
REVIEW_FIELDS = ("title", "topic", "date", "location")
#: A date is judged against its site's other talks only when at least this many are dated.
MIN_OTHER_DATES = 5
#: How far outside the quartiles a date must lie, in interquartile ranges ...
IQR_FENCE = 3
#: ... and at least this many days, so a site whose talks all fall in one season does not
#: flag the next year's talks (three years: "more than a few years outside").
MIN_FENCE_DAYS = 3 * 365 + 1
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # Japanese: no Latin name shape


@cache
def _role_at_start() -> re.Pattern[str]:
    """Job titles of every language table (``roles``), matched at a text's start.

    A term's trailing "*" stands for inflections in its own language (Finnish "ministeri*",
    Polish "partner*"); across languages it would take "Ministeriet" and "Partners Group" for
    job titles, so here such a term counts as the bare word. Leading "*" terms stay: they are
    compounds that end in a job title ("IT-chef", "tietohallintojohtaja").
    """
    terms = [t.rstrip("*") if not t.startswith("*") else t for t in lexicon.words("roles")]
    return re.compile(lexicon.whole_words(t for t in terms if t.strip("*")), re.I)


@lru_cache(maxsize=16384)  # organisations and names repeat across a series' talks
def organisation_reason(speaker: str, organisation: str | None) -> str | None:
    """A reason when an organisation starts with a job title (the role leaked into it)."""
    if not organisation:
        return None
    found = _role_at_start().match(organisation.strip())
    if found is None:
        return None
    return (
        f"organisation of {speaker} starts with the job title “{found.group(0)}”: “{organisation}”"
    )


@lru_cache(maxsize=16384)
def speaker_reason(name: str) -> str | None:
    """A reason when a speaker's name is not a person's, by the extractor's own checks.

    Not a person's name: the first word is an everyday word and no given name
    (``persons.is_person_name``), or the name has no name's shape (two to four capitalised
    words without organisation, date or heading words, ``names.looks_like_name``). Japanese
    names have no Latin shape to check, so only the first test applies to them.
    """
    core = TITLES.sub("", name.strip() + " ").strip()  # titles end in a space: "Prof." too
    if not core:
        return f"speaker “{name}” is only a title, no name"
    if not is_person_name(core):
        first = core.split()[0]
        return f"speaker “{name}” is not a person's name (“{first}” is an everyday word)"
    if not _UNSPACED.search(core) and not looks_like_name(core):
        return f"speaker “{name}” does not read as a person's name"
    return None


@lru_cache(maxsize=16384)  # each URL is read twice: for the spread, for its own date
def site_of(url: str) -> str:
    """The site a talk was published on: its URL's host name ("" for saved files)."""
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class SiteDates:
    """The spread of one site's talk dates, and the fences outside which a date is doubtful."""

    count: int
    q1: dt.date
    q3: dt.date
    low: dt.date
    high: dt.date


def site_dates(rows: Iterable[tuple[str, dt.date | None]]) -> dict[str, SiteDates]:
    """Per site, the quartiles and fences of its talks' dates, from (URL, date) rows.

    The rule: a date is doubtful when it lies below Q1 − f or above Q3 + f, where Q1 and Q3 are
    the quartiles of the site's dates in days and f is the larger of 3 × (Q3 − Q1) and three
    years; judged only on a site with at least :data:`MIN_OTHER_DATES` other dated talks.
    Quartiles are robust: a handful of mistyped years does not move them, so the talk's own
    date may stay in the sample (the fences need one pass per site, not one per talk).
    """
    days: dict[str, list[int]] = defaultdict(list)
    for url, date in rows:
        if date is not None:
            days[site_of(url)].append(date.toordinal())
    found = {}
    for site, values in days.items():
        if len(values) < MIN_OTHER_DATES + 1:
            continue
        q1, _median, q3 = statistics.quantiles(values, n=4, method="inclusive")
        fence = max(IQR_FENCE * (q3 - q1), MIN_FENCE_DAYS)
        found[site] = SiteDates(
            count=len(values),
            q1=dt.date.fromordinal(round(q1)),
            q3=dt.date.fromordinal(round(q3)),
            low=dt.date.fromordinal(max(1, round(q1 - fence))),
            high=dt.date.fromordinal(min(dt.date.max.toordinal(), round(q3 + fence))),
        )
    return found


def date_reason(date: dt.date | None, dates: SiteDates | None) -> str | None:
    """A reason when ``date`` lies far outside its site's other talk dates (see site_dates)."""
    if date is None or dates is None or dates.low <= date <= dates.high:
        return None
    span = (
        f"{dates.q1.year}" if dates.q1.year == dates.q3.year else f"{dates.q1.year}–{dates.q3.year}"
    )
    return (
        f"date {date.isoformat()} is far from this site's other talks "
        f"(most in {span}, {dates.count - 1} others dated)"
    )


@dataclass(frozen=True)
class Facts:
    """What the review rules read of one talk: plain values, no session behind them."""

    url: str
    warnings: Sequence[str] = ()
    values: Mapping[str, object] = field(default_factory=dict)
    #: (shown name, organisation, whether an admin corrected the name) per speaker
    speakers: Sequence[tuple[str, str | None, bool]] = ()
    date: dt.date | None = None


def reasons(facts: Facts, dates: Mapping[str, SiteDates] | None = None) -> list[str]:
    """Why a talk needs a look: extraction warnings, empty fields, no speaker, then doubtful
    values (organisations, speaker names, a date far from its site's others). A speaker name
    an admin corrected is not doubted again."""
    found = [str(w) for w in facts.warnings]
    found += [f"empty: {name}" for name in REVIEW_FIELDS if not facts.values.get(name)]
    if not facts.speakers:
        found.append("no speaker: the talk names nobody")
    for name, organisation, corrected in facts.speakers:
        doubt = None if corrected else speaker_reason(name)
        found += [r for r in (doubt, organisation_reason(name, organisation)) if r]
    doubt = date_reason(facts.date, (dates or {}).get(site_of(facts.url)))
    return found + ([doubt] if doubt else [])

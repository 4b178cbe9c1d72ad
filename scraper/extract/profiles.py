"""Apply site profiles (field rules kept as data) to a parsed page.

A profile's field names are the extraction contract's (``title``, ``topic``, ``date``,
``start_time``, ``location``, ``abstract`` …), plus ``datetime`` (one line holding date and
times), ``teaser`` and ``body`` (the description's container), and the speaker rules: ``speaker``
selects each speaker's element, and ``speaker.name``, ``speaker.role``,
``speaker.organisation`` and ``speaker.bio`` read inside it; ``speakers.bio`` (and the like)
reads a part kept outside the speakers' elements, its n-th match for the n-th speaker.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from scraper.extract.dates import find_dates, iso_date, parse_date, split_datetime_line
from scraper.extract.fieldrules import FieldRule, read, read_all, select
from scraper.extract.induce import names_element
from scraper.extract.names import looks_like_name
from scraper.extract.page import Block, HtmlElement, Page, blocks_of
from scraper.extract.rules import Landmark, Profile
from scraper.extract.times import parse_time_range
from scraper.model import Speaker

log = logging.getLogger(__name__)

#: Profile fields read as text and handed over as they are.
TEXT_FIELDS = ("title", "topic", "series", "host", "location", "abstract", "teaser")
SPEAKER_PARTS = ("name", "role", "organisation", "bio")
#: The fewest words an abstract read by a profile has: fewer are a link or a caption.
_PROSE_WORDS = 6


@dataclass
class ProfileResult:
    """Fields a profile's rules found (missing when a rule matched nothing)."""

    profile: str
    values: dict[str, str] = field(default_factory=dict)
    date: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    last_updated: str | None = None
    body: list[Block] = field(default_factory=list)
    speakers: list[Speaker] = field(default_factory=list)
    prefer: frozenset[str] = frozenset()
    #: every field the profile requires was read: the page is the template's event page
    complete: bool = False
    #: the profile requires the speakers' names but has no rule for them (the learner left
    #: them to the page-text rules, which read the examples right): the page's speakers from
    #: those rules must then be there for the page to be complete
    needs_speakers: bool = False
    #: the fields whose rule names its element by a class or an id: where such a rule reads
    #: nothing, the page has no value. A positional or label-found rule ("the third
    #: paragraph", "the line after 'Date:'") that reads nothing says less, so the page-text
    #: rules may still find the value.
    ruled: frozenset[str] = frozenset()

    def rules(self, name: str) -> bool:
        """True when the profile has a rule for the field (a datetime rule rules the date and
        times)."""
        if name in ("date", "start_time", "end_time") and "datetime" in self.ruled:
            return True
        return name in self.ruled

    def generic(self, name: str, value: str | None) -> str | None:
        """The page-text rules' value of a field, unless the profile rules that field."""
        return None if self.rules(name) else value


def _has(root: HtmlElement, landmark: Landmark) -> bool:
    found = select(root, landmark.css)
    if not landmark.text:
        return bool(found)
    wanted = landmark.text.casefold()
    return any(wanted in " ".join(el.itertext()).casefold() for el in found)


def signature_matches(root: HtmlElement, profile: Profile) -> bool:
    """True when every landmark of the profile's signature is on the page, and none of the
    template's repeated elements repeats far more often than on the examples (see
    :func:`repeats_fit`)."""
    return (
        bool(profile.signature)
        and all(_has(root, mark) for mark in profile.signature)
        and repeats_fit(root, profile)
    )


def repeats_fit(root: HtmlElement, profile: Profile) -> bool:
    """False for a page where a speaker card or a date element of the template repeats more
    than twice as often as on any example (and by more than two): a listing or a programme
    of many talks in the talk pages' layout, which the profile must not read as one talk."""
    for css, most in profile.repeats.items():
        if len(select(root, css)) > max(2 * most, most + 2):
            return False
    return True


def matching_profile(page: Page, url: str, profiles: tuple[Profile, ...]) -> Profile | None:
    """The first profile whose signature is on the page (and whose hosts, if any, fit the URL).

    A profile without a signature falls back on its hosts alone.
    """
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    for profile in profiles:
        if profile.hosts and not (host and profile.matches_host(host)):
            continue
        if profile.signature:
            if signature_matches(page.root, profile):
                return profile
        elif profile.hosts:
            return profile
    return None


def parse_day(text: str, year: int | None = None) -> str | None:
    """The date a text names (a day and month alone take the page's year when one is given)."""
    dates = find_dates(text)
    if dates:
        return iso_date(dates[0][2])
    return iso_date(parse_date(text, default_year=year))


#: A text that is a clock time and nothing else ("13.00", "9:30"): in a template's time
#: element that is a time, though in running text "13.00" could be a price or a number.
_LONE_TIME = re.compile(r"^\D{0,6}?([01]?\d|2[0-3])[.:]([0-5]\d)\D{0,6}$")


def parse_times(text: str) -> tuple[str | None, str | None]:
    """The start and end time a text names (dates in it are left out of the search)."""
    _day, start, end = split_datetime_line(text)
    if start:
        return start, end
    start, end = parse_time_range(text)
    if start is None and (lone := _LONE_TIME.match(text.strip())):
        return f"{int(lone.group(1)):02d}:{lone.group(2)}", None
    return start, end


def read_speakers(root: HtmlElement, fields: dict[str, FieldRule]) -> list[Speaker]:
    """One speaker per match of the ``speaker`` rule, each part read inside that element."""
    item = fields.get("speaker")
    parts = {p: fields[f"speaker.{p}"] for p in SPEAKER_PARTS if f"speaker.{p}" in fields}
    if "name" not in parts:
        return []
    if item is None:
        return _page_speakers(root, parts, fields)
    speakers: list[Speaker] = []
    for holder in select(root, item.css):
        values = {p: read(holder, rule) for p, rule in parts.items()}
        name = _person_name(values.get("name"))
        if name and all(s.name != name for s in speakers):
            speakers.append(
                Speaker(
                    name=name,
                    role=values.get("role"),
                    organisation=values.get("organisation"),
                    bio=values.get("bio"),
                )
            )
    _read_across(root, speakers, fields)
    return speakers


def _person_name(text: str | None) -> str | None:
    """A name as a rule read it, without the full stop of the sentence it ends ("Sprecher:
    Heiko Seeberger."); an initial's dot ("Ada L.") stays."""
    if not text:
        return text
    text = text.strip()
    if re.search(r"[^\W\d_]{2,}[.,;]$", text):
        return text[:-1].rstrip()
    return text


def _page_speakers(
    root: HtmlElement, parts: dict[str, FieldRule], fields: dict[str, FieldRule]
) -> list[Speaker]:
    """Speakers of a template without a speaker element: every match of the name rule that
    reads a person's name (a byline of several authors' links), the other parts read from the
    page when it names one speaker only (they were learned on pages of one speaker)."""
    names = list(dict.fromkeys(n for n in map(_person_name, read_all(root, parts["name"])) if n))
    if len(names) > 1:
        names = [n for n in names if looks_like_name(n)]
    if len(names) != 1:
        speakers = [Speaker(name=n) for n in names]
    else:
        values = {p: read(root, rule) for p, rule in parts.items()}
        speakers = [
            Speaker(
                name=names[0],
                role=values.get("role"),
                organisation=values.get("organisation"),
                bio=values.get("bio"),
            )
        ]
    _read_across(root, speakers, fields)
    return speakers


def _read_across(root: HtmlElement, speakers: list[Speaker], fields: dict[str, FieldRule]) -> None:
    """Parts kept outside the speakers' elements: the n-th match for the n-th speaker."""
    for part in ("role", "organisation", "bio"):
        across = fields.get(f"speakers.{part}")
        if across is not None:
            for speaker, value in zip(speakers, read_all(root, across), strict=False):
                if not getattr(speaker, part):
                    setattr(speaker, part, value)


def _same_place(rule: FieldRule, other: FieldRule | None) -> bool:
    return other is not None and (other.css, other.nth, other.line) == (
        rule.css,
        rule.nth,
        rule.line,
    )


def page_year(page: Page) -> int | None:
    """The page's most likely year for a date printed without one: the head title's or a
    heading's, else none."""
    for text in [page.head_title or "", *[b.text for b in page.blocks if b.level][:5]]:
        found = find_dates(text)
        if found:
            return found[0][2].year
    return None


def apply_profile(page: Page, profile: Profile) -> ProfileResult:
    """Read the profile's fields off the page; dates and times are parsed here."""
    ruled = frozenset(name for name, rule in profile.fields.items() if names_element(rule.css))
    out = ProfileResult(profile=profile.name, prefer=profile.prefer, ruled=ruled)
    fields = dict(profile.fields)
    root = page.root
    for name, rule in fields.items():
        if name.startswith("speaker"):
            continue
        if name == "body":
            out.body = [
                b for el in select(root, rule.css) for b in blocks_of(el, drop_furniture=False)
            ]
            continue
        text = read(root, rule)
        if not text or (name == "abstract" and len(text.split()) < _PROSE_WORDS):
            continue  # a link or a caption where the template's abstract should be is none
        if name == "datetime":
            day, start, end = split_datetime_line(text)
            out.date, out.start_time, out.end_time = iso_date(day), start, end
        elif name == "date":
            out.date = parse_day(text, page_year(page))
        elif name == "start_time":
            out.start_time = parse_times(text)[0]
        elif name == "end_time":
            start, end = parse_times(text)
            # a range's element holds the start too: a lone time there is no end time
            out.end_time = end if _same_place(rule, fields.get("start_time")) else end or start
        elif name == "last_updated":
            dates = find_dates(text)
            out.last_updated = iso_date(dates[-1][2]) if dates else None
        else:
            out.values[name] = text
    out.speakers = read_speakers(root, fields)
    read_names = {"speaker.name"} if out.speakers else set()
    read_names |= {n for n in out.values} | {
        n for n in ("date", "start_time", "end_time", "last_updated") if getattr(out, n)
    }
    if out.date:
        read_names.add("datetime")
    if "speaker.name" in profile.required and not any(n.startswith("speaker") for n in fields):
        read_names.add("speaker.name")
        out.needs_speakers = True
    out.complete = profile.required <= read_names | {"body", "speaker"}
    return out

"""Decide whether a page announces one talk event (not a listing, news item or concert)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from scraper.extract import lexicon
from scraper.extract.dates import MONTHS
from scraper.extract.labels import Labelled
from scraper.extract.structured import NON_TALK_EVENT_TYPES
from scraper.extract.venues import place_of_when_and_where

# Words that say a page is about a talk: the kinds of talk and the words for its speakers, in
# every language table.
TALK_WORDS = re.compile(
    lexicon.whole_words(lexicon.words("talk_kinds") + lexicon.headings("speakers")), re.I
)
_LISTING_TITLE = re.compile(
    r"(?:\b(?:list|listing|calendar|kalender|oversigt|archive|arkiv|program(?:me)?)|"
    r"\b(?:upcoming|kommende|past|tidligere|all)\s+\w+|\b(?:events|arrangementer|"
    r"veranstaltungen|seminars|talks|lectures|webinars|begivenheder))\s*$",
    re.I,
)


@dataclass
class EventSignals:
    """The facts the is-event decision weighs."""

    title: str  # the headline, the topic and the structured event name together
    page_title: str  # the headline alone
    main_text: str
    structured_type: str | None
    structured_events: int
    has_event_date: bool  # a date from structured data, a profile, a label or next to a time
    labelled_dates: int  # distinct values of "Date:" lines
    distinct_dates: int  # distinct non-publication dates in the main content
    has_speakers: bool
    is_news: bool  # an article with a publication date
    announces_later_talk: bool  # news dated before the talk it names, with a time and speakers
    has_profile: bool
    labelled_facts: int = 0  # distinct kinds of event labels: date, time, place, speaker
    has_abstract: bool = False  # an "Abstract" section or a description of the talk
    abstract_section: bool = False  # a heading opens an "Abstract"/"Resumo"/"Zusammenfassung"
    has_bio: bool = False  # a speaker's biography
    speaker_headline: bool = False  # the headline is the name of the page's speaker
    bio_section: bool = False  # a heading opens a speaker's biography
    one_talk_headline: bool = False  # "Kind: Title" with a talk kind in the singular
    headline_kind: str | None = None  # "talk" or "other" when the headline names an event kind
    report: bool = False  # the headline says the page reports on a past event ("Recap: …")
    labelled_day: bool = False  # one "Date:" label names one day, its year unsaid ("15. juni")
    course_opening: bool = False  # the description opens "The course …", "El curso …"
    speaker_count: int = 0
    slot_count: int = 0  # distinct slot times opening lines ("14h10 - 14h20", "09:30")
    numbered_headings: int = 0  # headings opened by an item's number ("1. …", "2) …")


# A course catalogue entry: credits, a course code, a schedule of weekly teaching.
_COURSE = re.compile(
    r"\b(?:ECTS|course code|kursuskode|kursuskatalog|course catalogue|course catalog|"
    r"studieordning|kursplan|modulbeschreibung|leistungspunkte|högskolepoäng|studiepoeng)\b",
    re.I,
)


# A day's programme: four timed slots or more and three speakers or more (a meetup of two talks,
# or one talk with doors, talk and drinks slots, stays one event).
_PROGRAMME_SLOTS = 4
_PROGRAMME_SPEAKERS = 3


def is_talk_event(s: EventSignals) -> tuple[bool, str]:
    """True for a page about one talk event, with the reason for the answer."""
    if (_COURSE.search(s.main_text) or s.course_opening) and s.structured_events == 0:
        return False, "a course description"
    if s.report and not s.has_profile:
        return False, "a report on a past event"
    if s.structured_type in NON_TALK_EVENT_TYPES:
        return False, f"structured data says {s.structured_type}, not a talk"
    if s.structured_events >= 2 or s.labelled_dates >= 2:
        return False, "a listing of several events"
    if s.slot_count >= _PROGRAMME_SLOTS and s.speaker_count >= _PROGRAMME_SPEAKERS:
        return False, "a programme of several talks"  # timed slots, each its own speaker
    if _series_headline(s.page_title) and s.distinct_dates >= 3:
        return False, "a series page listing its talks"
    single = s.has_profile or s.structured_events == 1 or s.labelled_dates == 1
    # an abstract and a speaker's bio, one of them under its own heading: one talk's sections
    own_sections = s.has_speakers and (
        (s.abstract_section and (s.bio_section or s.has_bio)) or (s.bio_section and s.has_abstract)
    )
    # "Seminario: Sistemas GxP en la nube", "CIO Talk: …": a headline naming one talk is one
    # talk's page, whatever dated teasers for other talks sit beside it; so is a page with
    # the talk's own sections (a lecture series' page for one lecture and its next dates)
    if not single and s.distinct_dates >= 3 and not (s.one_talk_headline or own_sections):
        return False, "a listing of several events"
    listing = _LISTING_TITLE.search(s.page_title)
    if listing and not s.has_profile and not (single and s.has_speakers and _bare_series(listing)):
        return False, "a listing page"
    if s.headline_kind == "other" or (s.headline_kind == "other-word" and not s.has_speakers):
        return False, "the headline names an event where nobody gives a talk"
    if not s.has_event_date and not s.labelled_day:
        if s.numbered_headings >= 3:
            return False, "a numbered list of talks with no date: a catalogue, not one talk"
        # a conference's page for one session: title, speaker, abstract, no date of its own
        if s.has_speakers and s.has_abstract and s.distinct_dates == 0 and not s.is_news:
            return True, "one talk, no date given"
        if own_sections:  # one talk's page, whatever dates sit beside it
            return True, "one talk, no date given"
        if s.has_speakers and s.one_talk_headline and s.labelled_facts and not s.is_news:
            # a conference's session page: "Keynote: Title", "Speaker: Name", no day of its own
            return True, "one talk, no date given"
        return False, "no event date"
    titled = bool(TALK_WORDS.search(s.title))
    # labelled facts of one event ("Time: …", "Speaker: …"), or a talk's own sections (an
    # abstract, and a speaker's bio or a headline that is the speaker's name), outweigh a post
    # date: a blog engine dates every page, talk pages included
    sections = s.abstract_section and (
        s.bio_section or (s.has_speakers and (s.has_bio or s.speaker_headline))
    )
    facts = (s.labelled_facts >= 2 or sections) and s.distinct_dates <= 2
    if (
        s.is_news
        and not single
        and not facts
        # a headline that is only a kind ("Webinar", "Webinaari") names no one talk
        and not (_names_one_talk(s.title) and not TALK_WORDS.fullmatch(s.page_title.strip()))
        and not s.announces_later_talk
    ):
        return False, "a news article"
    if facts and (s.has_speakers or s.has_abstract):
        return True, "talk event"
    if titled or s.has_speakers:
        return True, "talk event"
    if not s.is_news and TALK_WORDS.search(s.main_text):
        return True, "talk event"
    return False, "no talk: nobody is said to speak"


@cache
def _course_start() -> re.Pattern[str]:
    return re.compile(rf"^[\W_]*(?:{lexicon.whole_words(lexicon.words('courses'))})", re.I)


def opens_as_course(description: str | None) -> bool:
    """True for a description that opens by naming a taught course ("El curso está dirigido a
    profesionales …", "Der Kurs vermittelt …", "The course covers …"): a course's page, not a
    talk's, whatever dates and rooms it gives."""
    return bool(description) and bool(_course_start().match(description or ""))


def report_headline(title: str) -> bool:
    """True for a headline opened by a report word: "Recap: …", "Rückblick auf …",
    "Resoconto: …", "Compte rendu de …": a report on a talk that has taken place, not the
    talk's announcement. A single word counts only before a colon or a dash."""
    m = _report_start().match(title or "")
    if not m:
        return False
    rest = title[m.end() :]
    return " " in m.group(1) or bool(re.match(r"\s*[:–—|]|\s+-\s", rest))


@cache
def _report_start() -> re.Pattern[str]:
    return re.compile(rf"^[\W_]*({lexicon.whole_words(lexicon.words('reports'))})", re.I)


def headline_kind(title: str) -> str | None:
    """What kind of event a headline names: "talk" (a lecture, seminar, webinar …); "other" for
    an event where nobody gives a talk (a quiz, a lunch, an exhibition, a hackathon) or a
    gathering of many talks (a conference, an annual meeting) named as the headline's head, the
    last word of its first part ("World Logic Day Pub Quiz", "Developer Conference - …");
    "other-word" when such a word stands elsewhere ("Networking in SDN"); else None."""
    if not title:
        return None
    if lexicon.word_regex("talk_kinds").search(title):
        return "talk"
    other = [lexicon.word_regex("non_talk"), lexicon.word_regex("gatherings")]
    if not any(regex.search(title) for regex in other):
        return None
    head = re.split(r"\s+[-–—|:·]\s+|:\s", title.strip(), maxsplit=1)[0].strip(" .!?")
    if any(m.end() == len(head) for regex in other for m in regex.finditer(head)):
        return "other"
    # the head noun before its edition and its organiser: "Jahrestagung 2015 der X-Stiftung",
    # "Annual Meeting 2024 of the Society", "Congrès 2024 de l'Association"
    for regex in other:
        for m in regex.finditer(head):
            rest = head[m.end() :]
            if _EDITION_AND_OWNER.fullmatch(rest):
                return "other"
    return "other-word"


_EDITION_AND_OWNER = re.compile(
    r"(?:\s+(?:19|20)\d\d(?:/\d\d)?)?"
    rf"(?:\s+(?:{lexicon.alternatives(lexicon.words_of('role_links', 'name_links'))})\s.*)?",
    re.I,
)


def place_of_a_gathering(blocks: list[str], place: str | None) -> bool:
    """True when the paragraph naming the place names a kind of event where nobody gives a
    talk ("… a reception on 24 March at 4 pm at …", "Mittagessen ab 12 Uhr im …"): a post
    that gives only such a place announces no talk."""
    if not place:
        return False
    regex = lexicon.word_regex("non_talk")
    return any(place in text and regex.search(text) for text in blocks)


def _bare_series(listing: re.Match[str]) -> bool:
    """True when a listing-like headline is only a series name ("CIO Talks"), which an old
    page may use as the headline of one talk; "Upcoming talks" or "Calendar" list several."""
    return bool(re.fullmatch(r"(?:seminars|talks|lectures|webinars)\s*", listing.group(0), re.I))


def one_talk_headline(prefix: str | None) -> bool:
    """True for a headline's kind prefix ("Seminar" of "Seminar: Title") naming one talk."""
    return bool(prefix) and _names_one_talk(prefix or "")


def _series_headline(title: str) -> bool:
    """True for a headline that is only a series' name: a few words ending in a kind of talk
    ("AI4Science Colloquium", "CIO Talks"), with no title of a talk."""
    words = title.split()
    if not 1 <= len(words) <= 4 or ":" in title:
        return False
    return bool(lexicon.word_regex("talk_kinds").fullmatch(words[-1]))


def _names_one_talk(title: str) -> bool:
    """True when a title names a single talk ("Webinar on …"), not only a series ("CIO Talks …").

    News about a series ("CIO Talks fylder 10 år") uses the plural; news announcing one talk
    uses the singular.
    """
    for m in TALK_WORDS.finditer(title):
        word = m.group(0).lower()
        if not word.endswith("s") or word in ("thesis review", "symposium"):
            return True
    return False


def labelled_keys(labels: list[Labelled]) -> set[str]:
    """The fields the page's labels give; a when-and-where label ("Tid og sted: 3. maj,
    Auditorium 2") gives the place as well as the day."""
    keys = {i.key for i in labels}
    if "location" not in keys and any(
        i.key == "date" and place_of_when_and_where(i.label, i.value) for i in labels
    ):
        keys.add("location")
    return keys


def names_one_day(value: str) -> bool:
    """True for a date label's value that names one day ("15. kesäkuuta, Kinopalatsi"), not a
    run of them ("Wednesdays (Sept. 20, Oct. 4, Oct. 18)")."""
    months = [w for w in re.findall(r"[^\W\d_]+", value) if w.lower() in MONTHS]
    return len(months) <= 1 and len(re.findall(r"(?<!\d)\d{1,2}(?!\d)", value)) <= 3

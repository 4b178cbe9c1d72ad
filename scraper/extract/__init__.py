"""Pure extraction of talk facts from event pages: extract(html, url) -> Extraction."""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from scraper.extract.abstracts import abstract_of
from scraper.extract.bios import job_from_bio
from scraper.extract.datelines import (
    data_attribute_times,
    machine_times,
    room_in_prose,
    venue_after_dateline,
    venue_in_dateline,
)
from scraper.extract.dates import find_dates, iso_date, parse_date, years_in
from scraper.extract.decode import decode_html, looks_binary
from scraper.extract.events import (
    EventSignals,
    headline_kind,
    is_talk_event,
    labelled_keys,
    names_one_day,
    one_talk_headline,
    opens_as_course,
    place_of_a_gathering,
    report_headline,
)
from scraper.extract.generic import (
    date_and_time,
    host_of,
    last_updated_of,
    mentions_update,
)
from scraper.extract.kinds import form_heading, kind_prefix
from scraper.extract.labels import Labelled, heading_key, labelled_lines
from scraper.extract.owners import owner_as_speaker
from scraper.extract.page import Page, parse
from scraper.extract.profiles import ProfileResult, apply_profile, matching_profile
from scraper.extract.rules import Profile, Rules, load_rules
from scraper.extract.speakers import find_speakers, normalise_name, under_headline
from scraper.extract.structured import Structured, extract_structured, wall_clock
from scraper.extract.talklang import language_of
from scraper.extract.taxonomy import industries_for
from scraper.extract.textlang import guess_language
from scraper.extract.themes import theme_synonyms as _theme_synonyms
from scraper.extract.themes import themes_for
from scraper.extract.times import SLOT_TIME
from scraper.extract.titles import find_title, series_and_topic, topic_under_name
from scraper.extract.venues import (
    location_of,
    venue_after_time,
    venue_in_facts_line,
    venue_in_prose,
    whole_address,
)
from scraper.model import Extraction, Speaker

__all__ = ["Profile", "Rules", "extract", "load_rules", "matched_profile", "theme_synonyms"]

log = logging.getLogger(__name__)

_PUBLISHED = re.compile(
    r"^(?:published|posted|udgivet|offentliggjort|publiceret|veröffentlicht|publicerad|"
    r"by\s+\w+.*\|)\b|"
    # a news item's kind-and-date line: "Nyhed, 3. februar 2020", "News | 4 May 2021"
    r"^(?:news|nyhed|nyheder|nyhet|nyheter|nachricht|nachrichten|press release|"
    r"pressemeddelelse|pressemitteilung|pressmeddelande)\b[\s,:|–—-]*\d",
    re.I,
)
_CHECKED = ("title", "date", "start_time", "location", "language", "speakers", "abstract")


def theme_synonyms(rules: Rules | None = None) -> dict[str, list[str]]:
    """The theme vocabulary's terms per theme label (for the search index's synonyms)."""
    return _theme_synonyms((rules or load_rules()).taxonomy)


def extract(
    html: bytes, url: str, *, content_type: str | None = None, rules: Rules | None = None
) -> Extraction:
    """Extract one page's talk facts; never raises (failures become is_event=False + warnings)."""
    result = Extraction(source=url)
    try:
        if not html or not html.strip():
            result.warnings.append("empty page")
            return result
        if looks_binary(html):
            result.warnings.append("binary content")
            return result
        text, _encoding = decode_html(html, content_type)
        if not text.strip():
            result.warnings.append("empty page")
            return result
        return _extract(text, url, rules or load_rules(), result)
    except Exception as error:  # the contract: bad input never raises
        log.debug("extraction of %s failed", url, exc_info=True)
        return Extraction(
            source=url, warnings=[f"extraction failed: {type(error).__name__}: {error}"[:300]]
        )


def matched_profile(
    html: bytes, url: str, *, content_type: str | None = None, rules: Rules | None = None
) -> str | None:
    """The name of the profile whose signature (and hosts) the page fits, or None."""
    if not html or looks_binary(html):
        return None
    text, _encoding = decode_html(html, content_type)
    profile = matching_profile(parse(text), url, (rules or load_rules()).profiles)
    return profile.name if profile else None


def _pick(
    field: str,
    warnings: list[str],
    structured: str | None,
    profiled: str | None,
    generic: str | None,
    prefer: frozenset[str] = frozenset(),
) -> str | None:
    """The first value by precedence structured > profile > generic, warning on disagreement."""
    order = [("structured data", structured), ("profile", profiled), ("page text", generic)]
    if field in prefer:  # the admin's examples showed this template's structured data wrong
        order[:2] = order[1::-1]
    values = [(src, v) for src, v in order if v]
    if not values:
        return None
    chosen_src, chosen = values[0]
    for src, value in values[1:]:
        if value.casefold() != chosen.casefold() and field in ("date", "start_time", "end_time"):
            warnings.append(f"{field}: {chosen_src} says {chosen}, {src} says {value}")
            break
    return chosen


def _extract(text: str, url: str, rules: Rules, out: Extraction) -> Extraction:
    page = parse(text)
    sd = extract_structured(page, url)
    profile = matching_profile(page, url, rules.profiles)
    pr = apply_profile(page, profile) if profile else ProfileResult(profile="")
    blocks = pr.body or page.blocks
    labels = labelled_lines(page.blocks)
    labels += _side_labels(page, labels)
    w = out.warnings

    out.title = pr.values.get("title") or find_title(page) or sd.name
    series, topic = series_and_topic(out.title, page.blocks, labels)
    if topic and out.title and not pr.values.get("title") and form_heading(out.title):
        out.title = topic  # "Webinar Registration" heads the form; the topic names the event
    out.series = pr.values.get("series") or series
    out.topic = pr.values.get("topic") or topic
    out.host = pr.values.get("host") or host_of(labels) or sd.organizer
    year_texts = [page.head_title or ""] + [b.text for b in page.blocks if b.level]
    g_date, g_start, g_end, distinct = date_and_time(
        page.blocks, labels, out.title, year_texts, lambda: years_in(page.lines)
    )
    out.date = _pick("date", w, sd.date, pr.date, pr.generic("date", g_date), pr.prefer)
    sd_start, sd_end = wall_clock(sd, page.lines)
    out.start_time = _pick(
        "start_time", w, sd_start, pr.start_time, pr.generic("start_time", g_start), pr.prefer
    )
    out.end_time = _pick(
        "end_time", w, sd_end, pr.end_time, pr.generic("end_time", g_end), pr.prefer
    )
    # only a <time datetime="…"> or a data-start="…T08:30" says which day; a time the page
    # gives without its day ("Time: 3:00 PM – 4:30 PM") stays when they say nothing
    if not out.date and not pr.rules("date"):
        m_day, m_start, m_end = machine_times(page.main)
        if m_day:
            out.date, out.start_time, out.end_time = m_day, m_start, out.end_time or m_end
    if not out.date and not pr.rules("date"):
        m_day, m_start, m_end = data_attribute_times(page.root)
        if m_day:
            out.date, out.start_time, out.end_time = m_day, m_start, m_end
    if out.end_time and not out.start_time:
        out.end_time = None
    out.location = _pick(
        "location",
        w,
        _with_address(sd, page),
        pr.values.get("location"),
        pr.generic("location", location_of(page.blocks, labels)),
        pr.prefer,
    )
    if not out.location and not pr.rules("location"):
        out.location = (
            venue_in_dateline(page.blocks, out.date)
            or venue_after_dateline(page.blocks, out.date)
            or venue_after_time(page.blocks, out.date)
            or venue_in_prose(page.blocks)
            or venue_in_facts_line(page.blocks)
            or room_in_prose(page.blocks)
        )
    out.location = whole_address(page.blocks, out.location)
    # a statement or badge, the event's structured data, then the description's own markup or
    # text; never the site's <html lang> alone
    out.language = (
        language_of(page.blocks, labels) or _lang_code(sd.language) or guess_language(blocks)
    )
    out.last_updated = pr.last_updated or (
        last_updated_of(page.lines) if mentions_update(page.source) else None
    )

    leads = [pr.values["teaser"]] if "teaser" in pr.values else []
    leads += [b.text for b in page.blocks if re.search(r"\b(?:lead|teaser|intro)\b", b.hints)]
    people = page.blocks + page.side_people
    out.speakers = find_speakers(
        people,
        labelled_lines(people) if page.side_people else labels,
        title=out.title,
        leads=leads,
        # the profile's speakers, by name only: the page-text rules then read the role,
        # organisation and bio of each (a part the profile has no rule for comes from them)
        structured=sd.speakers + [Speaker(name=s.name) for s in pr.speakers],
        site=_site_name(page.head_title),
    )
    if pr.speakers:
        out.speakers = _with_generic_parts(pr.speakers, out.speakers, profile)
    if not out.speakers and len({i.key for i in labels} & {"date", "time", "location"}) >= 2:
        # an event record (date, time, place) whose byline names who presents it
        out.speakers = under_headline(page.blocks, out.title, headings_only=False)
    if not out.speakers:
        out.speakers = owner_as_speaker(page)  # a personal site's talk told as "I"
    if out.topic and out.topic == out.title and any(s.name == out.title for s in out.speakers):
        out.topic = topic_under_name(out.title, page.blocks) or out.topic
    bios = [s.bio for s in out.speakers if s.bio]
    out.abstract = (
        pr.values.get("abstract")
        or pr.generic("abstract", abstract_of(blocks, title=out.title, topic=out.topic, bios=bios))
        or sd.description
    )
    if pr.needs_speakers and not out.speakers:
        pr.complete = False  # the speakers the profile leaves to the page-text rules are not there
    _classify(out, rules, _signals(page, sd, pr, labels, out, distinct))
    if profile is not None and out.is_event and not pr.complete:
        # the page has the template's landmarks but not its event page's fields (a listing,
        # a conference's page in the same layout): a profile never makes such a page an event
        others = tuple(p for p in rules.profiles if p is not profile)
        plain = _extract(text, url, replace(rules, profiles=others), Extraction(source=url))
        if not plain.is_event:
            return plain
    _warn_missing(out)
    return out


_SIDE_KEYS = ("date", "time", "location", "language")


def _with_generic_parts(
    profiled: list[Speaker], generic: list[Speaker], profile: Profile | None
) -> list[Speaker]:
    """The profile's speakers; a part the profile has no rule for comes from the page text's
    reading of the same person."""
    ruled = set(profile.fields) if profile else set()
    by_name = {normalise_name(s.name): s for s in generic}
    for speaker in profiled:
        other = by_name.get(normalise_name(speaker.name))
        if other is None:
            continue
        for part in ("role", "organisation", "bio"):
            if {f"speaker.{part}", f"speakers.{part}"}.isdisjoint(ruled) and not getattr(
                speaker, part
            ):
                setattr(speaker, part, getattr(other, part))
    job_parts = {f"{k}.{p}" for k in ("speaker", "speakers") for p in ("role", "organisation")}
    if job_parts.isdisjoint(ruled):
        for speaker in profiled:
            if speaker.bio and not (speaker.role or speaker.organisation):
                job_from_bio(speaker)  # the selected bio says the job the page text did not find
    return profiled


def _side_labels(page: Page, labels: list[Labelled]) -> list[Labelled]:
    """Facts from an <aside> info box ("When: …", "Where: …") the main content does not give.

    Only keys the main content lacks are taken, and only when the aside gives a single date,
    so a sidebar listing other events adds nothing.
    """
    if not page.side_facts:
        return []
    have = {item.key for item in labels}
    found = [i for i in labelled_lines(page.side_facts) if i.key in _SIDE_KEYS]
    if sum(1 for i in found if i.key in ("date", "time") and _holds_a_day(i.value)) != 1:
        return []
    # an index past the main blocks, so nothing reads a main block for these labels
    return [
        Labelled(i.key, i.label, i.value, len(page.blocks) + i.index)
        for i in found
        if i.key not in have
    ]


def _with_address(sd: Structured, page: Page) -> str | None:
    """The structured venue as the page shows it: its name, and the address line right under
    the name when the page prints one ("Kork, TU Graz" / "Lessingstraße 25, Graz, Austria")."""
    if not sd.location or not sd.address:
        return sd.location
    street = sd.address.split(",")[0].strip().casefold()
    name = sd.location.casefold()
    if not re.search(r"\d", street):
        return sd.location  # a town alone is no street address
    lines = page.lines
    for i, line in enumerate(lines):
        folded = line.casefold()
        if name in folded and street in folded and len(line) <= 120:
            return line  # name and address on one line
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if folded == name and street and nxt.casefold().startswith(street) and len(nxt) <= 80:
            return f"{line} {nxt}"
    return sd.location


def _site_name(head_title: str | None) -> str | None:
    """The site's own name at the end of a head title ("Lunchtime talk … | Taranui District
    Council"), the segment after the last separator."""
    parts = re.split(r"\s[|–—·-]\s", head_title or "")
    return parts[-1].strip() or None if len(parts) >= 2 else None


def _holds_a_day(value: str) -> bool:
    """True for a date label's value that names a day ("19. oktober", "Tuesday 12 Nov"), not
    only a time ("Starts: 14:15") or a word ("data: gastcollege")."""
    return bool(find_dates(value) or parse_date(value, default_year=2000))


def _lang_code(value: str | None) -> str | None:
    """A BCP 47 tag's primary language ("en-US" → "en")."""
    if not value:
        return None
    code = value.strip().split("-")[0].split("_")[0].lower()
    return code if re.fullmatch(r"[a-z]{2,3}", code) else None


def _signals(
    page: Page, sd: Structured, pr: ProfileResult, labels: list, out: Extraction, distinct: int
) -> EventSignals:
    dated_labels = {
        item.value
        for item in labels
        if (item.key == "date" and _holds_a_day(item.value))
        or (item.key == "time" and find_dates(item.value))  # "Tid: onsdag den 24. januar …"
    }
    posted = [b.text for b in page.blocks[:60] if len(b.text) < 80 and _PUBLISHED.match(b.text)]
    is_news = bool(sd.published) or bool(posted)
    # the kinds of section the page's headings and short label lines open
    sections = {heading_key(b.text) for b in page.blocks if b.level or len(b.text) <= 30}
    abstract_section = "abstract" in sections
    published = sd.published or next(
        (iso_date(found[0][2]) for text in posted if (found := find_dates(text))), None
    )
    return EventSignals(
        title=" ".join(x for x in (out.title, out.topic, sd.name) if x),
        page_title=out.title or "",
        main_text=" ".join(b.text for b in page.blocks[:200]),
        structured_type=sd.event_type,
        structured_events=sd.event_count,
        has_event_date=bool(out.date),
        labelled_dates=len(dated_labels),
        distinct_dates=distinct,
        has_speakers=bool(out.speakers),
        speaker_count=len(out.speakers),
        numbered_headings=sum(1 for b in page.blocks if b.level and _NUMBERED.match(b.text)),
        slot_count=len({m.group(0).strip() for b in page.blocks if (m := SLOT_TIME.match(b.text))}),
        is_news=is_news,
        course_opening=opens_as_course(out.abstract),
        # a post announcing a talk later than its own date, at a set time, with its speakers or
        # its venue (not the venue of a reception or a lunch)
        announces_later_talk=bool(
            published
            and out.date
            and out.date > published
            and out.start_time
            and (
                out.speakers
                or (
                    out.location
                    and not place_of_a_gathering([b.text for b in page.blocks], out.location)
                )
            )
        ),
        has_profile=bool(pr.profile) and pr.complete,
        labelled_facts=len(labelled_keys(labels) & {"date", "time", "location", "speaker"}),
        has_abstract=bool(out.abstract) or abstract_section,
        abstract_section=abstract_section,
        has_bio=any(s.bio for s in out.speakers),
        speaker_headline=any(s.name == out.title for s in out.speakers),
        one_talk_headline=one_talk_headline((kind_prefix(out.title or "") or (None,))[0]),
        bio_section="bio" in sections,
        headline_kind=headline_kind(out.title or ""),
        report=report_headline(out.title or ""),
        labelled_day=len(dated_labels) == 1 and names_one_day(next(iter(dated_labels))),
    )


# "1. Notes from a newsroom", "2) Data in the town hall": one numbered heading per item
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+\w")


def _classify(out: Extraction, rules: Rules, signals: EventSignals) -> None:
    """Set is_event, industries and themes."""
    out.is_event, reason = is_talk_event(signals)
    if not out.is_event:
        out.warnings.append(f"not an event: {reason}")
        return
    for speaker in out.speakers:
        speaker.industries = industries_for(
            speaker.organisation, speaker.bio or "", rules.taxonomy, role=speaker.role
        )
        for label in speaker.industries:
            if label not in out.industries:
                out.industries.append(label)
    out.themes = themes_for(
        _without_job_titles(" ".join(x for x in (out.topic, out.abstract) if x), out.speakers),
        rules.taxonomy,
        title=out.title or "",
        industries=out.industries,
    )


def _without_job_titles(text: str, speakers: list[Speaker]) -> str:
    """The text without the speakers' job titles of two or more words: "Chief Information
    Officer" in "X, Chief Information Officer at Y, will talk about …" says who speaks, not what
    the talk is about (a one-word "CIO" may be the subject, as in "the CIO's role")."""
    for role in {s.role for s in speakers if s.role and len(s.role.split()) >= 2}:
        text = re.sub(re.escape(role), " ", text, flags=re.I)
    return text


def _warn_missing(out: Extraction) -> None:
    """A warning for every contract field the page did not yield."""
    if not out.is_event:
        return
    for name in _CHECKED:
        if not getattr(out, name):
            out.warnings.append(f"{name}: not found")

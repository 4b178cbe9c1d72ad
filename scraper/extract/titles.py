"""The page's headline, the series it names and the talk's own title (topic)."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.bylines import by_line_name
from scraper.extract.dates import MONTHS, find_dates, parse_time_range, weekday_in
from scraper.extract.kinds import (
    KIND_IN,
    KIND_ONLY,
    is_edition,
    kind_prefix,
    series_from_prefix,
)
from scraper.extract.labels import Labelled, heading_key, label_key
from scraper.extract.mentions import person_line
from scraper.extract.names import looks_like_name
from scraper.extract.page import Block, Page, clean, text_of
from scraper.extract.persons import is_given_name

_TITLE_SPLIT = re.compile(r"\s+[|–—·•⋆»~-]\s+|\s+::\s+")
# Class and id words of a site's banner: its name or logo, repeated on every page of the site.
_BANNER_HINTS = re.compile(
    r"(?:^|[-_ ])(?:site-?(?:title|name|branding|header|logo)|logo|brand|branding|masthead|"
    r"sidebar-about|navbar-brand)(?:[-_ ]|$)"
)
_SERIES_AT = re.compile(
    r"^((?:[A-Z][\w&+-]*\s+){0,3}(?:Talks?|Seminars?|Lectures?|Series|Forum))\s+"
    r"(?:at|på|i|with|med|:)\s",
)
# A headline that is only the series' name ("CIO Talks") names no talk.
_BARE_SERIES = re.compile(
    r"^(?:[\w&+.-]+\s+){0,3}(?:talks|seminars?|lectures|series|forum)\s*$", re.I
)
_GENERIC_HEADINGS = re.compile(r"^(?:[\w-]+\s+){0,3}(?:with|med|mit)\s", re.I)
_SENTENCE = re.compile(r"[.!?]\s*$")


def find_title(page: Page) -> str | None:
    """The page's own headline; a heading that only names a kind of event ("Event",
    "Veranstaltung", "Webinar") gives way to the heading right under it, which names this one."""
    title = _headline(page)
    kinds = (lexicon.word_regex(key) for key in ("talk_kinds", "event_kinds"))
    if not title or not any(kind.fullmatch(title.strip(" :")) for kind in kinds):
        return title
    headings = [b for b in page.blocks if b.level and not is_banner(b)]
    for i, block in enumerate(headings[:-1]):
        if block.text == title:
            nxt = headings[i + 1]
            if nxt.level <= 3 and len(nxt.text) > 8 and not heading_key(nxt.text):
                return nxt.text
            break
    return title


def _headline(page: Page) -> str | None:
    """The page's own headline: a heading repeating part of the <title>, its h1, or the <title>.

    Old table layouts have no h1 and a <title> of "Site - Headline", so every part of the
    <title> is tried against the headings, not only the first.
    """
    head = (page.head_title or page.meta.get("og:title") or "").strip(" ·|–—-»•⋆~:")
    parts = [p.strip() for p in _TITLE_SPLIT.split(head) if p.strip()] if head else []
    wanted = _title_spans(head)
    banners = {clean(b.text).casefold() for b in page.blocks if b.level and is_banner(b)}
    headings = [b for b in page.blocks if b.level and not is_banner(b)]
    if parts and banners and all(p.casefold() in banners for p in parts):
        # the <title> names only the site: the page's first own heading is its headline
        own = [b for b in headings if b.level <= 3]
        if own:
            return own[0].text
    for i, block in enumerate(headings):
        if clean(block.text).casefold() in wanted:
            nxt = headings[i + 1] if i + 1 < len(headings) else None
            if block.level > 1 and nxt is not None and nxt.level == 1 and len(block.text) < 40:
                return nxt.text  # a series kicker right above the h1: the h1 is the headline
            return block.text
    h1s = [b for b in headings if b.level == 1]
    if h1s:
        return h1s[0].text
    for block in headings[:3]:
        if block.level <= 3 and len(block.text) > 8 and block.text.casefold() in head.casefold():
            return block.text
    og_title = page.meta.get("og:title")
    if og_title and any(clean(b.text).casefold() == og_title.casefold() for b in page.blocks):
        return og_title  # the <title> names the site section; og:title repeats the headline
    if not headings:
        shown = _bold_headline(page.blocks)
        if shown:
            return shown
    sections = (is_section_label, heading_key)
    own = [b for b in headings if b.level <= 2 and not any(f(b.text) for f in sections)]
    if own and parts and not _named_on_page(parts, page):
        return own[0].text  # a <title> the page never shows as its content is the site's name
    return parts[0] if parts else None


def _named_on_page(parts: list[str], page: Page) -> bool:
    """True when some part of the <title> is shown as the page's own text: a line of the main
    content, or a heading anywhere (outside the main element too). A sentence that mentions
    the site ("… organised by the Java User Group") does not count."""
    wanted = {p.casefold() for p in parts}
    if any(clean(b.text).casefold() in wanted for b in page.blocks):
        return True
    shown = {clean(text_of(h)).casefold() for h in page.root.iter("h1", "h2")}
    return bool(wanted & shown)


def _title_spans(head: str) -> set[str]:
    """Every run of consecutive parts of a <title> ("Talk - Series | Site" gives "Talk",
    "Talk - Series", "Series | Site", …), case-folded: the headline is one of them."""
    head = head.strip()
    if not head:
        return set()
    cuts = [(m.start(), m.end()) for m in _TITLE_SPLIT.finditer(head)]
    starts = [0] + [end for _, end in cuts]
    ends = [start for start, _ in cuts] + [len(head)]
    return {head[a:b].strip().casefold() for a in starts for b in ends if b > a}


def is_banner(block: Block) -> bool:
    """True for a heading that is the site's banner, not the page's headline: a heading that
    links to the site's home page, or sits in an element named for the site's name or logo."""
    el = block.el
    for link in [*el.iterancestors("a"), *el.iter("a")]:
        href = (link.get("href") or "").strip()
        if href.startswith(("#", "?")):
            continue  # a link into the page itself (a permalink, an anchor), not to its home
        path = re.sub(r"^(?:https?:)?//[^/]+", "", href).split("?")[0].split("#")[0]
        if href and path in ("", "/", "/index.html", "/index.php", "./", "../"):
            return True
    near = [el, *list(el.iterancestors())[:3]]
    return any(
        _BANNER_HINTS.search(f"{a.get('class') or ''} {a.get('id') or ''}".lower()) for a in near
    )


def _bold_headline(blocks: list[Block]) -> str | None:
    """An old layout's headline: the first paragraph that is one big or bold run of words.

    "<p><font size="4"><b>Research Seminar: …</b></font></p>" on a page with no h1–h6; a
    label ("<b>Abstract</b>") or a one-word menu item is no headline.
    """
    for block in blocks[:80]:
        if block.tag not in ("p", "div", "td", "center") or block.text.endswith(":"):
            continue
        words = block.text.split()
        if not 3 <= len(words) <= 25 or (block.el.text or "").strip():
            continue
        children = list(block.el)
        if len(children) != 1 or (children[0].tail or "").strip():
            continue
        run = children[0]
        big = run.tag == "font" and (run.get("size") or "").lstrip("+").isdigit()
        big = big and int((run.get("size") or "0").lstrip("+")) >= 4
        if (big or run.tag in ("b", "strong")) and label_key(words[0]) is None:
            return block.text
    return None


def is_tag_list(text: str) -> bool:
    """True for a calendar's subject tags ("Health, Technology", "AI; Cloud; Security"): two or
    more short capitalised items with no conjunction, which name categories, not a talk."""
    items = [i.strip() for i in re.split(r"[,;|]", text) if i.strip()]
    return len(items) >= 2 and all(
        len(i.split()) <= 2 and i[0].isupper() and not re.search(r"[:?!.]", i) for i in items
    )


def _subheading_topic(title: str | None, blocks: list[Block]) -> str | None:
    """A subheading right after the headline, before the body text starts, names the talk."""
    seen_title = False
    prose = 0
    for block in blocks:
        if title and block.level and block.text == title:
            seen_title = True
            continue
        if not seen_title:
            continue
        if block.level:
            if (
                heading_key(block.text)
                or label_key(block.text)
                or _GENERIC_HEADINGS.match(block.text)
                or parse_time_range(block.text)[0]
                or find_dates(block.text)
            ):
                return None  # a section, a label or the date line: no subtitle follows
            if (
                looks_like_name(block.text)
                or by_line_name(block.text)
                or is_section_label(block.text)
                or _names_a_person(block.text)
            ):
                return None  # the speaker ("ved Name", "Name, Org") or a section under it
            if block.text.strip(" .").lower() in MONTHS or weekday_in(block.text) is not None:
                return None  # "April", "Tuesday": a date badge under the headline, no subtitle
            if len(block.text) > 3:
                return block.text
            continue
        is_prose = (
            len(block.text) >= 60 and _SENTENCE.search(block.text) and ":" not in block.text[:25]
        )
        prose += bool(is_prose and block.tag == "p")
        if len(block.text) > 200 or prose >= 2:  # a lead may come first; then the body starts
            return None
    return None


def _names_a_person(text: str) -> bool:
    """True for "Name, Org" or "Name, Role of Org": a speaker's line, not a subtitle."""
    person = person_line(text)
    return person is not None and bool(person.organisation or person.role)


# A title quoted in a headline: „…“, "…", “…”, «…», ‚…‘, '…'.
# A ’ between letters is an apostrophe ("State’s"), not the closing quote.
_QUOTED = re.compile(r"[„“\"«‚‘]\s*((?:[^„“”\"«»‚‘’]|’(?=\w)){6,200}?)\s*(?:[“”\"»‘]|’(?!\w))")
# "Ada Lovelace on ‘…’", "Kari Nordmann om «…»", "Max Muster über „…“": a speaker's name, then
# the word a language joins a speaker to the subject of the talk with, then the quoted title.
_NAME_SPEAKS_ON = re.compile(
    r"^(?:[A-ZÀ-ÞĀ-Ž][\w'’.-]*\s+){2,5}"
    rf"(?:{lexicon.whole_words(lexicon.words('speaks_on'))})\s*$"
)
_SECTION_LABELS = frozenset(lexicon.words("questions") + lexicon.words("calls_to_action"))


def is_section_label(text: str) -> bool:
    """True for a question-style section label ("What will you learn?", "Hvad får du ud af
    det?") or a call to action ("Register now", "Watch the recording"): never a talk's title."""
    bare = re.sub(r"[\s?!.:…]+$", "", text.strip().lower())
    return bare in _SECTION_LABELS or (text.strip().endswith("?") and len(text.split()) <= 8)


def quoted_topic(title: str) -> str | None:
    """The talk's title quoted in a headline: 'Guest lecture "Data in the cloud"',
    'Gastvortrag „Digitale Verwaltung“', '« L'IA à l'hôpital » : conférence'."""
    m = _QUOTED.search(title)
    if not m or len(m.group(1).split()) < 2:
        return None
    # the rest of the headline may only say what kind of event it is, not go on with a title
    outside = re.sub(r"[\s:;,.–—|-]+", " ", title[: m.start()] + " " + title[m.end() :]).strip()
    after = re.sub(r"[\s:;,.–—|-]+", "", title[m.end() :])
    if not after and _NAME_SPEAKS_ON.match(title[: m.start()].strip() + " "):
        return m.group(1).strip()
    if outside and not (KIND_ONLY.search(outside) and len(outside.split()) <= 4):
        return None
    return m.group(1).strip()


# "Erik Weyer's Talk on State conditional filtering", "Ada Roe's seminar: …": the speaker's
# possessive, a kind of talk, then the talk's title after the language's "on"/"about" or a colon
_POSSESSIVE_KIND = re.compile(
    r"^((?:[A-ZÀ-ÞĀ-Ž][\w.()’'-]*\s+){0,4}[A-ZÀ-ÞĀ-Ž][\w-]*)['’]s?\s+"
    rf"(?i:{lexicon.term_pattern(lexicon.words('talk_kinds'))})(?![\w-])"
    rf"\s*(?:(?i:{lexicon.term_pattern(lexicon.words('speaks_on'))})(?![\w-])|[:–—-])?\s*(.*)$"
)


def possessive_talk(title: str | None) -> tuple[str, str | None] | None:
    """(name, topic) of a headline naming a person's talk by the possessive ("Erik Weyer's
    Talk on …"); the topic is None when the headline stops after the kind of talk."""
    m = _POSSESSIVE_KIND.match(title or "")
    if not m or not looks_like_name(m.group(1)):
        return None
    topic = m.group(2).strip(" .:–—-")
    return m.group(1), topic or None


def series_and_topic(
    title: str | None, blocks: list[Block], labels: list[Labelled] | None = None
) -> tuple[str | None, str | None]:
    """The series a title names ("CIO Talks at …") and the talk's own title.

    The topic is, in order: a labelled "Topic:"/"Emne:" line; the title without an event-kind
    prefix ("Panel: …", "Gæsteforelæsning: …"), or a subheading that extends it; a subheading
    right after the title; the title itself unless it only says who speaks.
    """
    series = topic = None
    edition = False  # the headline names only the session ("Séminaire virtuel: vendredi …")
    owned = possessive_talk(title)
    if title and owned and owned[1]:
        topic = owned[1]
    elif title:
        split = kind_prefix(title)
        if split:
            series, topic = series_from_prefix(split[0]), split[1]
            if is_edition(topic):
                topic = None  # "CIO Breakfast – April", "… Series – Seminar #42": no talk title
                edition = True
        m2 = _SERIES_AT.match(title)
        if m2:
            series = m2.group(1).strip()
    for block in blocks:
        if "series" in block.hints and len(block.text) < 60 and not block.level:
            series = block.text
            break
    for item in labels or []:
        if item.key == "topic" and 3 < len(item.value) < 200 and not is_tag_list(item.value):
            labelled = kind_prefix(item.value)  # "Sujet : Webinaire – …": the kind is no topic
            if labelled and not is_edition(labelled[1]):
                return series, labelled[1]
            return series, item.value.strip()
    quoted = quoted_topic(title) if title else None
    if not quoted and topic:
        quoted = quoted_topic(topic)  # "Breakfast briefing: Ada Lovelace on ‘…’"
    if quoted:
        return series, quoted
    topic = _without_trailing_date(topic)
    sub = (
        _subheading_topic(title, blocks)
        or _standfirst_topic(title, blocks)
        or _introduced_quote(title, blocks)
    )
    if topic:
        if sub and len(sub) > len(topic) and sub.casefold().startswith(topic.casefold()):
            return series, sub
        return series, topic
    if sub:
        return series, sub
    title = _without_trailing_date(title)
    if (
        title
        and not edition
        and not (_GENERIC_HEADINGS.search(title) and _with_guest(title))
        and not _BARE_SERIES.match(title)
        and not is_edition(title)  # "June evening talk": which session, not what it is about
        and not _with_guest(title)
    ):
        return series, title
    return series, None


def _with_guest(title: str) -> bool:
    """True for a headline that ends by naming its guest after "with" ("Samtale med Hanne
    Lund"): a known given name follows; "Reasoning with Brain-Like Specialization" names none."""
    m = re.search(r"\b(?:with|med|mit)\s+([A-ZÆØÅ][\w-]*)", title)
    return m is not None and is_given_name(m.group(1))


_EDITION_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?:/\d\d)?(?!\d)")


def _without_trailing_date(text: str | None) -> str | None:
    """A headline without the date a blog appends to it ("Vad är ett bra sjukhus? 28 november
    2019", "Debate on AI – 4 May 2023"): the date is the event's, not part of the talk's
    title. A headline that is nothing but words around a date keeps it."""
    if not text:
        return text
    found = find_dates(text)
    if not found:
        return text
    start, end, _ = found[-1]
    if text[end:].strip(" .)]") or start == 0:
        return text
    rest = text[:start].rstrip(" ,-–—|:([")
    return rest if len(rest.split()) >= 2 else text


# a whole line that is one quotation: “Vad är ett bra sjukhus?”
_QUOTED_LINE = re.compile(rf"^\s*{_QUOTED.pattern}\s*[.!]?\s*$")


def _introduced_quote(title: str | None, blocks: list[Block]) -> str | None:
    """The talk's title quoted on a line of its own after a line that introduces it ("Örebro
    Läkaresällskap bjuder in till:", "The society invites you to:"), near the headline: the
    introduction's colon points at the title of the talk it invites to."""
    at = next((i for i, b in enumerate(blocks) if b.level and b.text == title), None)
    if at is None:
        return None
    for before, block in zip(blocks[at : at + 10], blocks[at + 1 : at + 11], strict=False):
        m = _QUOTED_LINE.match(block.text)
        if m and before.text.rstrip().endswith(":") and len(m.group(1).split()) >= 2:
            return m.group(1).strip()
    return None


def _standfirst_topic(title: str | None, blocks: list[Block]) -> str | None:
    """The talk's title on the line right under a headline that names a lecture series'
    edition ("Distinguished Lecture in Digital Leadership 2024" / "Moving a County Council to
    the Cloud"): a kind of talk and a year in the headline, then a short line that is no
    sentence, label, date or time."""
    if not title or not _EDITION_YEAR.search(title) or not KIND_IN.search(title):
        return None
    at = next((i for i, b in enumerate(blocks) if b.level and b.text == title), None)
    if at is None or at + 1 >= len(blocks):
        return None
    text = blocks[at + 1].text.strip()
    if blocks[at + 1].level or not 3 <= len(text.split()) <= 16 or len(text) > 120:
        return None
    if re.search(r"[.!:]$", text) or _SENTENCE_BREAK.search(text) or ":" in text[:25]:
        return None
    if find_dates(text) or parse_time_range(text)[0] or label_key(text) or heading_key(text):
        return None
    return None if looks_like_name(text) else text


_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-ZÀ-Þ]")


def topic_under_name(title: str, blocks: list[Block]) -> str | None:
    """The talk's title on a page headed by its speaker's name: the first short line after the
    headline that is no label, date, time or sentence ("Frank Noé" / "Boltzmann-generating
    Flows" / "Speaker: …")."""
    after = False
    for block in blocks:
        if not after:
            after = block.text == title
            continue
        text = block.text
        if label_key(text.split(":")[0]) or heading_key(text) or find_dates(text):
            return None
        if parse_time_range(text)[0] or len(text) > 200 or _SENTENCE.search(text):
            return None
        if len(text.split()) >= 2:
            return text
    return None

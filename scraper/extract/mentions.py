"""Speakers named in running text: "Name, Role at Org" lines and "Our speaker is …" sentences."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.names import (
    NAME_PATTERN,
    ROLE_WORDS,
    leading_role,
    looks_like_name,
    name_at_start,
    organisation_at,
)
from scraper.extract.page import Block
from scraper.extract.roles import role_and_organisation
from scraper.extract.times import SLOT_TIME
from scraper.model import Speaker

__all__ = ["person_line", "speakers_in_appositions", "speakers_in_prose"]

# "Our speaker is X, …", "Oplægsholder er X, …", "Foreleser er X": a speaker named in prose.
# The nouns are the language tables' speaker labels (the longer ones: short ones such as
# "med" or "con" are prepositions), perhaps with a definite ending ("taleren", "föreläsaren").
_SPEAKER_NOUNS = sorted(
    (w for w in lexicon.labels("speaker") if len(w) >= 5 and " " not in w), key=len, reverse=True
)
_SPEAKER_SENTENCE = re.compile(
    rf"\b(?:{lexicon.term_pattern(_SPEAKER_NOUNS)})(?:en|n|in|et)?"
    rf"(?:\s+(?:(?:{lexicon.alternatives(lexicon.words('today_words'))})\s+)?"
    rf"(?:{lexicon.alternatives(lexicon.words('copulas'))})"
    r"\s+|\s*,\s+(?=[A-ZÆØÅÄÖ]))",
    re.I,
)
# "Talk 1: From batch to Kafka by Ida Bergholt (Skovgaard)": one of several talks on a page.
_SESSION_KINDS = lexicon.term_pattern(lexicon.words_of("talk_kinds", "event_kinds"))
_TALK_BY = re.compile(
    rf"^(?:{_SESSION_KINDS})\s*#?\d*\s*[:.–-]\s*.{{3,200}}?"
    rf"\s(?:{lexicon.alternatives(lexicon.words('by'))})\s+(?=[A-ZÀ-ÞĀ-Ž])",
    re.I,
)
# "X, CIO of A, in conversation with Y, CIO of B": a dialogue between two speakers.
_CONVERSATION = re.compile(
    rf",?\s+(?:{lexicon.alternatives(lexicon.words('in_conversation'))})\s+(?=[A-ZÀ-ÞĀ-Ž])",
    re.I,
)
# The left-hand person of a "… in conversation with …" who leads it rather than speaks.
_HOST_WORDS = re.compile(
    r"\b(?:moderat\w*|host\w*|chair\w*|interview\w*|ordstyre\w*|vært\w*|samtaleleder\w*)\b",
    re.I,
)
_AFTER_NAME_IS = re.compile(r"^(.{3,60}?),\s+(?:is|was|er|ist|est|es|är)\s+")
# "With Petra Lund, CIO at X." opening a paragraph: the person the event features.
_WITH_LINE = re.compile(
    rf"^(?:{lexicon.alternatives(lexicon.words('with'))})\s+(?=[A-ZÀ-ÞĀ-Ž])", re.I
)


# "Assistant Professor Jane Roe, from the Department of X, will be giving a short overview …",
# "Barnläkare Jonas Ludvigsson föreläser om …": the language tables' verbs that say a person
# gives the talk, right after the person
_WILL_TALK = re.compile(rf"\s+(?:{lexicon.whole_words(lexicon.words('speech_verbs'))})")
# "Name from Org" before such a verb: the tables' words for where a person comes from
_FROM = re.compile(rf"^\s*(?:{lexicon.whole_words(lexicon.words('from'))})\s+(?=[A-ZÆØÅÄÖ])", re.I)
# "13h00 - 13h50 – Name (Org)", "14:15–15:00 — Name, Role, Org": a slot's time, then a dash
# and the person who speaks in it
_TIMED_SLOT = re.compile(SLOT_TIME.pattern + r"\s*[-–—:]\s+(?=[A-ZÀ-ÞĀ-Ž])")
# "Jane Roe – 10 min", "Jane Roe (Org) - 15 minutes": a slot of an agenda with its length.
_AGENDA_SLOT = re.compile(
    r"^(.{3,120}?)\s*[-–—:]\s*\d{1,3}\s*(?:min|mins|minutes|minutter|minuten|minuter|minuti|minutos|minut|minuuttia)\b\.?$",
    re.I,
)


# "a talk with Anna Berg (journalist)", "ein Gespräch mit …", "una charla con …": a kind of
# talk or event, then the languages' "with", then the person.
_KIND_WORDS = sorted(
    {w for w in lexicon.words("talk_kinds") + lexicon.words("event_kinds") if "*" not in w},
    key=len,
    reverse=True,
)
_WITH_WORDS = sorted(lexicon.words("with"), key=len, reverse=True)
_KIND_WITH = re.compile(
    rf"\b(?:{lexicon.term_pattern(_KIND_WORDS)})\s+(?:{'|'.join(map(re.escape, _WITH_WORDS))})"
    r"\s+(?=[A-ZÆØÅÄÖ])",
    re.I,
)
# ", who leads cloud engineering at Coral Coast Water": the employer in a relative clause
_WHO_AT = re.compile(
    r"^,\s+(?:who|der|som|qui|que|che|die|welche)\b[^,.;]{0,80}?\s(?:at|of|for|hos|bei|chez|"
    r"på|bij|presso|en|em|w)\s+(?=[A-ZÆØÅÄÖ])"
)


# a sentence's end, not the dot of a title such as "Dr." or "Mrs." before a name
_SENTENCE_END = re.compile(r"(?<=[a-zæøåäö)])(?<!\b[A-Z][a-z])(?<!\b[A-Z][a-z]{2})\.(?:\s|$)")


def _kind_with(text: str) -> list[Speaker]:
    """The person of "a talk with Name (role)" or "a conversation with Name, who … at Org"."""
    found = []
    for m in _KIND_WITH.finditer(text):
        rest = text[m.end() :]
        person = person_line(_SENTENCE_END.split(rest, maxsplit=1)[0])
        if person is None:
            continue
        if not person.organisation:
            after = rest[rest.find(person.name.split()[-1]) + len(person.name.split()[-1]) :]
            who = _WHO_AT.match(after)
            org = organisation_at(after[who.end() :]) if who else None
            person.organisation = org
            if org:
                person.role = None  # the relative clause says what they do, not a job title
        found.append(person)
    return found


def person_line(text: str) -> Speaker | None:
    """ "Name, Role at Org" / "Name (Org)" / "Name: Role en Org" / bare "Name" as a Speaker."""
    name = name_at_start(text)
    if not name:
        return None
    rest = text[text.find(name.split()[-1]) + len(name.split()[-1]) :].strip()
    lead_role = leading_role(text, name)
    if lead_role:
        person = person_line(text[text.find(name) :])
        if person:
            person.role = person.role or lead_role
        return person
    if re.match(r":n\b", rest):
        return None  # "Järvi Oy:n tietohallintojohtaja …": a Finnish genitive, not "Name: …"
    if rest and rest[0] not in ",:(–—-":
        role, org = role_and_organisation(rest) if rest[:1].isupper() else (None, None)
        if role and org and rest.startswith(role):
            # "Name  Chief Data Officer, Org": a byline whose parts sit in elements of their own
            return Speaker(name=name, role=role, organisation=org)
        return None if len(rest.split()) > 1 else Speaker(name=name)
    rest = rest.lstrip(",:–—- ").strip()
    if rest.startswith("(") or text[len(text) - len(rest) - 1 : len(text) - len(rest)] == "(":
        inner = rest.strip("()").split(")")[0].strip()
        role, org = role_and_organisation(inner) if inner else (None, None)
        if role:  # "Name (Role, Organisation)"
            return Speaker(name=name, role=role, organisation=org)
        return Speaker(name=name, organisation=inner or None)
    rest = _without_former_post(rest)
    role, org = role_and_organisation(rest) if rest else (None, None)
    if not role and not org and rest:
        org = _employer_segment(rest)
    return Speaker(name=name, role=role, organisation=org)


_FORMER = re.compile(rf"^(?:{lexicon.whole_words(lexicon.words('former_words'))})[\s-]", re.I)
_VERB_NOW = re.compile(
    rf"^(?:{lexicon.whole_words(lexicon.words('bio_verbs'))})\s+(?:[^\W\d_]+\s+(?=[A-ZÀ-Þ]))?"
)


def _without_former_post(rest: str) -> str:
    """ "formerly CIO of X, is now Chief Digital Officer at Y": the past post is not the job;
    the clause after it, its verb (and an adverb such as "now") dropped, is."""
    if not _FORMER.match(rest):
        return rest
    after = rest.split(",", 1)[1].strip() if "," in rest else ""
    return _VERB_NOW.sub("", after, count=1)


def _employer_segment(rest: str) -> str | None:
    """The organisation of "Name, TCS Research" or "Name, CWI, Amsterdam": with no job title
    after the name, the first comma-separated segment that is a whole capitalised name."""
    first = rest.split(",")[0].strip()
    org = organisation_at(first)
    if not org or org != first or ROLE_WORDS.search(org) or len(org.split()) > 8:
        return None
    return org


def speakers_in_prose(blocks: list[Block]) -> list[Speaker]:
    """Speakers a sentence names: "Our speaker is Camilla Norup, Head of Data at X."."""
    found = []
    for block in blocks:
        if block.level:
            continue
        starts = list(_SPEAKER_SENTENCE.finditer(block.text))
        starts += [m for m in [_WITH_LINE.match(block.text)] if m and len(block.text) < 200]
        starts += [m for m in [_TALK_BY.match(block.text)] if m]
        for m in starts:
            sentence = re.split(r"(?<=[a-zæøåäö)])\.(?:\s|$)", block.text[m.end() :], maxsplit=1)[0]
            sentence = _AFTER_NAME_IS.sub(r"\1, ", sentence, count=1)
            person = person_line(sentence)
            if person and (person.role or person.organisation or len(sentence.split()) <= 4):
                found.append(person)
        found += _in_conversation(block.text)
        found += _kind_with(block.text)
        found += _future_speaker(block.text)
        slot = _AGENDA_SLOT.match(block.text)
        if slot and (person := person_line(slot.group(1))):
            found.append(person)
    for block in blocks:  # headings too: "13h00 - 13h50 – Vincent Noël (Institut Curie)"
        timed = _TIMED_SLOT.match(block.text)
        person = person_line(block.text[timed.end() :]) if timed else None
        if person and (person.organisation or person.role):
            found.append(person)
    return found


def _future_speaker(text: str) -> list[Speaker]:
    """The person of "… Role Name, from Org, will be giving a talk on …" or "Name from Org
    talks about …": the words right before the speech verb are a name, perhaps after a role
    and before an apposition or the organisation the person comes from."""
    found = []
    for m in _WILL_TALK.finditer(text):
        before = re.split(r"(?<=[a-z)])[.!?:]\s+", text[: m.start()])[-1]
        while re.search(r",[^,]{2,120},?\s*$", before):  # ", Ph.D., the Director of X,"
            before = re.sub(r",[^,]{2,120},?\s*$", "", before).strip()
        person = _name_from(before) or _name_before(before)
        if person:
            found.append(person)
    return found


def _name_before(before: str) -> Speaker | None:
    """The name that ends the words before a speech verb, with the job title before it."""
    words = before.split()
    start = None
    for i in range(len(words) - 2, max(-1, len(words) - 6), -1):
        candidate = " ".join(words[i:])
        if name_at_start(candidate) != candidate:
            if start is not None:
                break
            continue
        if start is not None and ROLE_WORDS.search(words[i]):
            break  # "Professor Jane Roe": the title is not part of the name
        start = i
    if start is None:
        return None
    role = _clean_lead_role(" ".join(words[max(0, start - 4) : start]))
    return Speaker(name=" ".join(words[start:]), role=role)


def _name_from(before: str) -> Speaker | None:
    """ "Mahesh Mohan from Google (IN)" before a speech verb: the clause opens with the name
    (perhaps after a job title) and the organisation follows the word for "from"."""
    name = name_at_start(before)
    if not name:
        return None
    rest = before[before.find(name) + len(name) :]
    origin = _FROM.match(rest)
    org = organisation_at(rest[origin.end() :]) if origin else None
    if not org:
        return None
    return Speaker(name=name, role=leading_role(before, name), organisation=org)


def _clean_lead_role(text: str) -> str | None:
    """The job title written right before a name ("Assistant Professor"), if it is one."""
    m = re.search(r"((?:[A-ZÀ-ÞĀ-Ž][\w.-]*\s*){1,4})$", text)
    if not m or not ROLE_WORDS.search(m.group(1)):
        return None
    return m.group(1).strip()


def _in_conversation(text: str) -> list[Speaker]:
    """Both people of "X, Role of A, in conversation with Y, Role of B"."""
    found = []
    for m in _CONVERSATION.finditer(text):
        after = re.split(r"(?<=[a-zæøåäö)])\.(?:\s|$)", text[m.end() :], maxsplit=1)[0]
        before = re.split(r"(?<=[a-zæøåäö)])\.\s", text[: m.start()])[-1]
        # the first person stands after any lead-in ("In this edition, CIO X, Org, …")
        people = [person_line(before[w.start() :]) for w in re.finditer(r"(?<!\S)\S", before)]
        named = [p for p in people if p]
        described = [p for p in named if p.role or p.organisation]
        if (described or named) and not _HOST_WORDS.search(before):
            found.append((described or named)[0])
        person = person_line(after)
        if person:
            found.append(person)
    return found


# "Name, Role at Org": a person introduced in running text by an apposition with a job title.
_NAME_COMMA = re.compile(rf"(?<![\w'’-])({NAME_PATTERN})\s*,\s+(?=\S)")
# Words right before a name that make the person a host or chair rather than a speaker.
_LED_BY = re.compile(
    r"\b(?:moderat\w*|chair\w*|host\w*|hosted|introduc\w*|welcom\w*|ordstyre\w*|vært\w*|"
    r"moderiert\w*|begrüßt\s+von|contact\w*|kontakt\w*)\W+(?:\w+\W+){0,3}$",
    re.I,
)


_LINK_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:{lexicon.alternatives(lexicon.words('role_links'))})\s+$", re.I
)
_WITH_BEFORE = re.compile(
    rf"(?<![^\W\d_])(?:{lexicon.alternatives(lexicon.words_of('with', 'in_conversation'))})\s+$",
    re.I,
)


def speakers_in_appositions(blocks: list[Block]) -> list[Speaker]:
    """People the running text introduces by name and job title: "… begrüßen wir Sabine Roth,
    Bereichsleiterin IT bei der Stadtwerke X", "… Mele Tupou, Chief Information Security
    Officer at Y, will share …". For a page where nothing else names a speaker: an event page
    that writes its speaker only in prose still names them this way, with a role."""
    found = []
    for block in blocks:
        if block.level or len(block.text) < 80 or not re.search(r"\w[.!?]\s", block.text + " "):
            continue  # running text only: a bare "Name, Role, Org" line may list a judge or host
        for m in _NAME_COMMA.finditer(block.text):
            name = m.group(1)
            before = block.text[: m.start()]
            # "… to host a conversation with Name, …": the person after "with" is the guest
            guest = _WITH_BEFORE.search(before)
            if (_LED_BY.search(before) and not guest) or not looks_like_name(name):
                continue
            if _LINK_BEFORE.search(before) and not guest:
                continue  # "… CIO of Harbourside Water, is now …": an employer, not a person
            person = person_line(block.text[m.start() :])
            # a job title and an employer vouch for the name, though its first word may also be
            # a common word somewhere ("Mele", "Rose")
            if person and person.role and person.organisation:
                found.append(person)
    return found

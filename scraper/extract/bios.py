"""A speaker's biography on the page: where it starts, where it ends, and the role and
organisation its first sentences give ("… is CIO of X", "… joined Y as CTO")."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.cards import card_under_role_line, job_and_employer
from scraper.extract.labels import heading_key
from scraper.extract.names import (
    ROLE_WORDS,
    TITLES,
    name_at_start,
    normalise_name,
    organisation_at,
)
from scraper.extract.page import Block
from scraper.extract.roles import role_and_organisation
from scraper.model import Speaker

__all__ = ["BIO_VERB", "bio_of"]


def _unambiguous_bio_verbs() -> list[str]:
    """The language tables' bio verbs, less those that another language uses as a preposition
    or conjunction (Finnish "on" is English "on"): the tables are applied to every page."""
    small_words = {w for w in lexicon.words_of("speaks_on", "with", "and") if " " not in w}
    return [verb for verb in lexicon.words("bio_verbs") if verb not in small_words]


# What follows a person's name when a paragraph is about them: a relative clause, a birth
# year, or one of the language tables' bio verbs ("is", "se formou", "si è laureata", "johtaa").
BIO_VERB = re.compile(
    r"^\s*(?:,\s*(?:who|der|som|is|er|ist|est|es|är)\b|\((?:born|f\.)|"
    rf"(?:{lexicon.whole_words(_unambiguous_bio_verbs())}))",
    re.I,
)
_STOP_TEXT = re.compile(
    r"\b(?:if you (?:plan|wish|want|would like) to|please (?:register|sign up|let us know)|"
    r"register (?:here|now|at|via)|sign up|tilmelding|tilmeld dig|anmeldung|rsvp|"
    r"registration|read more|læs mere|e-?mail:|contact:|kontakt:|"
    r"the (?:talk|webinar|seminar|lecture|event) is (?:in|given in|held in)|"
    r"(?:holdes|foregår|afholdes) på (?:dansk|engelsk)|refreshments will|all welcome|"
    r"alle er velkomne|moderated by|chaired by|moderation\s*:|moderator\s*:|ordstyrer\s*:)",
    re.I,
)
_JOINED = re.compile(
    r"\b(?:joined|came to|moved to|returned to|kom til|begyndte i|startede i|vendte tilbage til|"
    r"kam zu|wechselte zu|kom till|började på)\s+(?:the\s+)?",
    re.I,
)
# "Our speaker, Rosalind Yates, is …": the words before the name in a bio's first sentence.
_SPEAKER_LEAD = re.compile(
    r"^(?:our|the|vores|unser(?:e)?|notre|nuestr[ao])\s+(?:guest\s+)?(?:speaker|presenter|"
    r"oplægsholder|taler|referent(?:in)?|intervenant|ponente)\s*,?\s+",
    re.I,
)


def _bio_start(blocks: list[Block], person: Speaker, others: set[str]) -> int | None:
    """Index of the paragraph that starts the person's bio ("Name is/er/has …")."""
    key = normalise_name(person.name)
    surname = person.name.split()[-1]
    for i, block in enumerate(blocks):
        if block.level or len(block.text) < 30:
            continue
        lead = _SPEAKER_LEAD.match(block.text) or _run_in_bio_head(block.text)
        text = block.text[lead.end() :] if lead else block.text
        name = name_at_start(text)
        if name and normalise_name(name) == key:
            rest = text[text.find(surname) + len(surname) :]
            # "Name (Ngāti Kahungunu) grew up …": a parenthesis between the name and the verb
            if BIO_VERB.match(rest) or BIO_VERB.match(_AFTER_PARENTHESES.sub("", rest, count=1)):
                return i
    for i, block in enumerate(blocks[:-1]):
        # a heading, or a short label line of its own ("Bio:") over the paragraph
        kind = heading_key(block.text) if block.level or len(block.text) <= 30 else None
        if kind == "speakers" and block.level and not blocks[i + 1].level:
            # "Relatore" over "Paolo Venturelli si è laureato …": a paragraph under the
            # speakers heading that opens with the name and a verb is the bio
            nxt = blocks[i + 1]
            after = nxt.text[len(person.name) : len(person.name) + 2]
            opens = nxt.text.startswith(person.name + " ") and after[1:].islower()
            if opens and len(nxt.text) > 60:
                return i + 1
        if kind == "bio":
            nxt = blocks[i + 1]
            name = name_at_start(nxt.text)
            if name and normalise_name(name) == key:
                return i + 1
            # "Om foredragsholderen" over "Hanne er CIO hos …": the given name alone
            given = person.name.split()[0]
            if (
                not nxt.level
                and len(person.name.split()) > 1
                and nxt.text.startswith(given + " ")
                and BIO_VERB.match(nxt.text[len(given) :])
            ):
                return i + 1
    return (
        _given_name_start(blocks, person, others)
        or _lead_in_start(blocks, person)
        or _card_bio_start(blocks, person)
    )


# "Name (Org) is …": an employer or a date in parentheses between the name and the verb
_AFTER_PARENTHESES = re.compile(r"^\s\([^()]{1,80}\)(?=\s)")


def _card_bio_start(blocks: list[Block], person: Speaker) -> int | None:
    """A speaker card's bio: the paragraph right under the person's name line (or under the
    name and affiliation lines) that opens with the person's name and a verb in lower case,
    whatever the verb ("Theresia Pichler-Wallner verantwortet …", "Chiara Bonfanti guida …",
    "Arjun Iyer leads …" under "Arjun Venkatesh Iyer")."""
    words = person.name.split()
    if len(words) < 2:
        return None
    forms = tuple(dict.fromkeys([person.name, f"{words[0]} {words[-1]}", words[0]]))
    for i, block in enumerate(blocks):
        if len(block.text) > 200 or person.name not in block.text:
            continue
        for j in range(i + 1, min(i + 3, len(blocks))):
            nxt = blocks[j]
            if nxt.level or heading_key(nxt.text) not in (None, "bio"):
                break  # "Abstract:" between the name and the paragraph: the talk's text follows
            if len(nxt.text) < 40:
                continue
            for form in forms:
                after = _AFTER_PARENTHESES.sub("", nxt.text[len(form) :], count=1)
                if nxt.text.startswith(form + " ") and after[1:2].islower():
                    return j
    return None


_RUN_IN = re.compile(r"^([^\W\d][\w' ’]{1,30}):\s+")


def _run_in_bio_head(text: str) -> re.Match[str] | None:
    """A bio heading run into its paragraph: "About the speaker: Name …", "Zur Person: …"."""
    m = _RUN_IN.match(text)
    return m if m and heading_key(m.group(1)) == "bio" else None


def without_bio_head(text: str) -> str:
    """A paragraph without the bio heading run into it ("Bio: Erik Weyer is …")."""
    m = _run_in_bio_head(text)
    return text[m.end() :] if m else text


def _given_name_start(blocks: list[Block], person: Speaker, others: set[str]) -> int | None:
    """A paragraph about the person by the given name alone ("Priya is a consultant …",
    "Aoife has spent twenty years …"), unless another speaker has that given name."""
    words = person.name.split()
    given = words[0]
    if len(words) < 2 or any(o.split()[:1] == [normalise_name(given)] for o in others):
        return None
    surname = words[-1]
    for i, block in enumerate(blocks):
        if block.level or len(block.text) < 60 or block.tag not in ("p", "div", "dd"):
            continue
        if block.text.startswith(given + " ") and BIO_VERB.match(block.text[len(given) :]):
            return i
        titled = TITLES.match(block.text)  # "Dr. Sharma has …": a title and the surname
        after = block.text[titled.end() :] if titled else ""
        if after.startswith(surname + " ") and BIO_VERB.match(after[len(surname) :]):
            return i
    return None


def _lead_in_start(blocks: list[Block], person: Speaker) -> int | None:
    """A bio that opens with a phrase about the person before the name: "Ingénieure civile de
    formation, Isabelle Dumont a passé …", "Laureata in giurisprudenza, Giulia Rossi è …"."""
    for i, block in enumerate(blocks):
        if block.level or len(block.text) < 60:
            continue
        head, comma, rest = block.text.partition(", ")
        if not comma or len(head.split()) > 12 or not rest.startswith(person.name + " "):
            continue
        if BIO_VERB.match(rest[len(person.name) :]):
            return i
    return None


def _bio_inside(blocks: list[Block], person: Speaker) -> tuple[int, int] | None:
    """A bio that starts mid-paragraph: (block index, offset) of "… tonight. Name built …"."""
    key = normalise_name(person.name)
    surname = person.name.split()[-1]
    for i, block in enumerate(blocks):
        if block.level:
            continue
        # "… to leave. Biography: Rasmus Ølgaard is …": a run-in head may come first
        for m in re.finditer(
            r"(?<=[.!?])\s+(?:[^\W\d][\w' ]{1,30}:\s+)?(?=[A-ZÆØÅÄÖ])", block.text
        ):
            rest = block.text[m.end() :]
            name = name_at_start(rest)
            if name and normalise_name(name) == key:
                after = rest[rest.find(surname) + len(surname) :]
                if BIO_VERB.match(after):
                    return i, m.end()
    return None


def _bio(blocks: list[Block], start: int, others: set[str], offset: int = 0) -> str:
    """The bio's paragraphs from start (at offset in it) to the end of the person's own text."""
    parts = [blocks[start].text[offset:]]
    parent = blocks[start].el.getparent()
    for block in blocks[start + 1 :]:
        if block.level or _STOP_TEXT.search(block.text) or len(block.text) < 25:
            break
        if block.el.getparent() is not parent and block.el is not blocks[start].el:
            break
        name = name_at_start(block.text)
        if name and normalise_name(name) in others:
            break
        parts.append(block.text)
    return " ".join(parts)


_PRESENT = re.compile(
    r"\b(?:is|er|ist|är|est|es|è|é|jest|on)\s+(?:(?:now|currently|presently|nu|derzeit|"
    r"zurzeit|actuellement|actualmente|attualmente|atualmente|obecnie|tällä hetkellä)\s+)?(?=\S)",
    re.I,
)


def job_from_bio(person: Speaker) -> None:
    """Fill a person's role and organisation from the bio they already have (one a site
    profile selected): the bio says the job as any bio does."""
    if person.bio:
        _bio_role(person.bio, person)


def _bio_role(bio: str, person: Speaker) -> None:
    """Fill role/organisation from the bio's first sentence ("… is CIO of X"), else from a later
    sentence that says what the person is now ("At present, Hemant is a Principal Scientist at
    X", "She is currently CTO of Y"); "Name (Org) is …" gives the employer in parentheses."""
    sentences = re.split(r"(?<=[a-zæøå0-9)])\.\s", bio)
    first = sentences[0]
    _joined_as(first, person)
    _parenthesised_employer(first, person)
    m = _COPULA.search(first)
    if m:
        role, org = role_and_organisation(first[m.end() :])
        if role and not person.role:
            person.role = role
        if org and not person.organisation:
            person.organisation = org
    if person.role:
        return
    subject = {person.name.split()[0], person.name.split()[-1]}
    for sentence in sentences[1:8]:
        m = _PRESENT.search(sentence)
        if not m or m.start() > 60:
            continue
        lead = set(re.findall(r"\w+", sentence[: m.start()]))
        if not lead & (subject | {"He", "She", "They", "Han", "Hun", "Er", "Sie", "Hän"}):
            continue
        role, org = role_and_organisation(sentence[m.end() :])
        if role:
            person.role = role
            person.organisation = person.organisation or org
            break
    for sentence in sentences[1:4]:  # "Stian jobber for tiden hos Red Hat som project lead …"
        if person.role:
            break
        _joined_as(sentence, person)


# The verbs "is/was/became" and "as" that put a job after a name, in the claimed languages
# (Portuguese "é", Italian "è", Polish "jest", Finnish "on" among them).
_COPULA = re.compile(
    r"\b(?:is|er|was|var|been|været|as|som|ist|war|es|är|became|blev|wurde|est|vært|é|è|"
    r"jest|on|foi|fue|era|était|werd|wordt|als|como|come|jako)\s+"
    r"(?:(?:now|currently|nu|er|derzeit|actuellement|actualmente|attualmente|atualmente)\s+)?"
    r"(?=\S)"
)
_IN_PARENTHESES = re.compile(r"^[^()]{3,60}?\s\(([^()]{2,80})\)\s")


def _parenthesised_employer(first: str, person: Speaker) -> None:
    """ "Koen Vermeersch (Brabo Verzekeringen) is er directeur …": a whole organisation's name in
    parentheses right after the name is the employer."""
    m = _IN_PARENTHESES.match(first)
    if not m or person.organisation or not first.startswith(person.name.split()[0]):
        return
    org = organisation_at(m.group(1))
    if org and org == m.group(1).strip() and not ROLE_WORDS.search(org):
        person.organisation = org


def _works_phrase() -> re.Pattern[str]:
    """The language tables' "works at" phrases, with up to two words between the verb and its
    preposition ("jobber for tiden hos", "arbeitet seit 2019 bei")."""
    parts = []
    for phrase in sorted(lexicon.words("works_at"), key=len, reverse=True):
        verb, _, prep = phrase.rpartition(" ")
        parts.append(rf"{re.escape(verb)}(?:\s+[\w-]+){{0,2}}?\s+{re.escape(prep)}")
    return re.compile(rf"\b(?:{'|'.join(parts) or '(?!x)x'})\s+(?:the\s+)?", re.I)


_WORKS = _works_phrase()
# a job after "as" ends at a comma or at one of the "works at" phrases' prepositions ("som
# project lead på Keycloak")
_PREPOSITIONS = sorted({p.rpartition(" ")[2] for p in lexicon.words("works_at")}, key=len)
_JOB_END = re.compile(rf"\s+(?:{'|'.join(map(re.escape, _PREPOSITIONS))})\s+|[,.;]")
_AS = "|".join(re.escape(w) for w in sorted(lexicon.words("as"), key=len, reverse=True))
_AS_ROLE = re.compile(rf"\s+(?:{_AS})\s+(?:the\s+|a\s+|an\s+|ny\s+)?(.+)$", re.I)


def _joined_as(sentence: str, person: Speaker) -> None:
    """Fill organisation and role from "… joined Copperleaf Water as CIO in 2014" and from the
    language tables' "works at": "Stian jobber hos Red Hat som project lead på Keycloak"."""
    for regex in (_JOINED, _WORKS):
        m = regex.search(sentence)
        org = organisation_at(sentence[m.end() :]) if m else None
        if not m or not org:
            continue
        after = sentence[m.end() + sentence[m.end() :].find(org) + len(org) :]
        as_role = _AS_ROLE.match(after)
        role = role_and_organisation(as_role.group(1))[0] if as_role else None
        if not role and regex is _WORKS and as_role:
            # "… som project lead på Keycloak": the job up to its own preposition or comma
            role = _JOB_END.split(as_role.group(1))[0]
            role = role if 2 < len(role) <= 60 else None
        if not role:
            continue
        if regex is _WORKS:
            role = _JOB_END.split(role)[0]
        role = re.split(r"\s+(?:in|i|im|since|siden|from|fra)\s+\d", role)[0].strip()
        person.organisation = person.organisation or org
        person.role = person.role or role
        return


def bio_of(blocks: list[Block], who: Speaker, person: Speaker, others: set[str]) -> bool:
    """Set person's bio (and fill its role) from the paragraphs about who (the person or one of
    its shorter names); False when the page has no bio for who."""
    start, offset = _bio_start(blocks, who, others), 0
    if start is None:
        start, offset = _bio_inside(blocks, who) or (None, 0)
    if start is None:
        card = card_under_role_line(blocks, who)
        if card is None:
            return False
        start = card[0]
        if not person.role and not person.organisation:
            person.role, person.organisation = job_and_employer(card[1])
    run_in = _run_in_bio_head(blocks[start].text) if not offset else None
    person.bio = _bio(blocks, start, others, run_in.end() if run_in else offset)
    _bio_role(person.bio, person)
    titled = TITLES.match(person.bio)
    if not person.role and titled and ROLE_WORDS.fullmatch(titled.group().strip(" .")):
        person.role = titled.group().strip(" .")  # "Professor Ada Lind is …": a title that is a job
    return True

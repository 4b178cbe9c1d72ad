"""Who gives the talk: speaker names, roles, organisations and bios from a page's blocks."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.bios import BIO_VERB, bio_of, without_bio_head
from scraper.extract.bylines import by_line_name
from scraper.extract.cards import (
    captioned_photos,
    linked_profiles,
    named_photos,
    people_of_cards,
)
from scraper.extract.kinds import kind_prefix
from scraper.extract.labels import Labelled, heading_key
from scraper.extract.mentions import person_line, speakers_in_appositions, speakers_in_prose
from scraper.extract.names import (
    NAME_PATTERN,
    ROLE_WORDS,
    looks_like_name,
    name_at_start,
    normalise_name,
    organisation_at,
    strip_titles,
)
from scraper.extract.page import Block
from scraper.extract.persons import is_given_name, is_person_name
from scraper.extract.roles import role_and_organisation
from scraper.extract.titles import possessive_talk
from scraper.model import Speaker

__all__ = ["find_speakers", "normalise_name"]

# every language table's "and" ("og", "et", "e", "oraz") and its "with" before a name
_AND = "|".join(map(re.escape, sorted(lexicon.words("and"), key=len, reverse=True)))
_WITH = "|".join(map(re.escape, sorted(lexicon.words("with"), key=len, reverse=True)))
_TITLE_WITH = re.compile(
    rf"(?<!\w)(?:{_WITH})\s+((?:{NAME_PATTERN})"
    rf"(?:\s*(?:,|\b(?:{_AND})\b|&)\s*(?:{NAME_PATTERN}))*)\s*$"
)
_SPLIT_PEOPLE = re.compile(rf"\s*(?:;|\b(?:{_AND})\b|&)\s*")
_SPLIT_NAMES = re.compile(rf"[,;]|\b(?:{_AND})\b")
_SPLIT_CHUNKS = re.compile(rf"(\s*;\s*|\s+(?:{_AND}|&)\s+(?=[A-ZÆØÅÄÖ])|\),\s+(?=[A-ZÆØÅÄÖ]))")
_APPOSITION = re.compile(rf"({NAME_PATTERN})\s*[,(]\s*([^,;()]{{2,140}})")
_NEXT_SEGMENT = re.compile(r",\s*([^,;()]{2,100}?)\s*(?:[,;()]|\.(?:\s|$)|$)")
# "Tennard Water's Chief Information Officer, Marguerite Oyelaran": the employer's possessive,
# the role, then the name; also "Name, the council's Chief Digital Officer" (role only).
_OWNER_ROLE_NAME = re.compile(
    rf"((?:[A-Z][\w&.-]*\s+){{0,4}}[A-Z][\w&.-]*)['’]s\s+([^,;()]{{2,80}}?),\s+({NAME_PATTERN})"
)
# Finnish writes a name's genitive with a colon: "Järvi Oy:n tietohallintojohtaja Anna Lahti".
_OWNER_COLON = r"((?:[A-ZÄÖ][\w&.-]*\s+){0,4}[A-ZÄÖ][\w&.-]*):n\s+([^\W\d][\w-]{2,60})"
_OWNER_COLON_ROLE_NAME = re.compile(rf"{_OWNER_COLON}\s+({NAME_PATTERN})")
_NAME_OWNER_ROLE = re.compile(
    rf"({NAME_PATTERN}),\s+(?:the\s+)?([\w&.\s-]{{2,60}}?)['’]s\s+([^,;()]{{2,80}}?)[,.]"
)


def _from_labels(labels: list[Labelled]) -> tuple[list[Speaker], set[str]]:
    """Speakers named on "Speaker:" lines, and names on contact/host/moderator lines."""
    speakers: list[Speaker] = []
    excluded: set[str] = set()
    for item in labels:
        if item.key in ("people_not_speaking", "host"):
            for part in _SPLIT_NAMES.split(item.value):
                name = name_at_start(part.strip())
                if name:
                    excluded.add(normalise_name(name))
        elif item.key == "speaker":
            name = name_at_start(item.value)
            surname = name.split()[-1] if name else ""
            if name and BIO_VERB.match(item.value[item.value.find(surname) + len(surname) :]):
                speakers.append(Speaker(name=name))  # the label's value is the person's bio
                continue
            chunks = [item.value] if looks_like_name(item.value) else _chunks(item.value)
            for chunk in chunks:
                person = person_line(chunk)
                if person:
                    speakers.append(person)
    return speakers, excluded


def _chunks(value: str) -> list[str]:
    """A speaker value split into one text per person ("A, CIO of X and B, CTO of Y"; "A (X),
    B (Y), C (Z)": a comma after a closing bracket that a name follows starts the next)."""
    tokens = _SPLIT_CHUNKS.split(value)
    people, current = [], tokens[0]
    for sep, piece in zip(tokens[1::2], tokens[2::2], strict=False):
        bracketed = sep.startswith(")") and bool(name_at_start(piece))
        if (
            ";" in sep
            or bracketed
            or (_next_person(sep, piece) and not _firm_ampersand(sep, piece))
        ):
            people.append(current + (")" if sep.startswith(")") else ""))
            current = piece
        else:  # "Chief Digital and Information Officer": "and" inside a role, not between people
            current += sep + piece
    people.append(current)
    return [p for p in people if p.strip()] or [value]


def _next_person(sep: str, piece: str) -> bool:
    """True when the text after a conjunction starts another person's full name. A short
    conjunction ("e", "i", "y", "en", "ja") is also a word of other languages ("directora en
    Eléctrica del Tajo") or joins one person's surnames ("Puigdollers i Vidal"), so after it
    the name must open with a given name and have a surname."""
    name = name_at_start(piece)
    if not name:
        return False
    if len(sep.strip()) > 2 or sep.strip() == "&":
        return True
    words = name.split()
    return len(words) >= 2 and is_given_name(words[0])


def _appositions_beside(blocks: list[Block], speakers: dict[str, Speaker]) -> list[Speaker]:
    """People introduced by name, job title and employer in running text: all of them when
    nothing else names a speaker; else those of a paragraph that introduces a known speaker
    the same way ("A, CIO of X, will open the evening …; B, Head of Data at Y, then explains")."""
    if not speakers:
        return speakers_in_appositions(blocks)
    found = []
    surnames = {s.name.split()[-1] for s in speakers.values() if s.name.split()}
    for block in blocks:
        if not any(surname in block.text for surname in surnames):
            continue  # no known speaker is named here
        people = speakers_in_appositions([block])
        if any(normalise_name(strip_titles(p.name)) in speakers for p in people):
            found += people
    return found


def _each_person(person: Speaker) -> list[Speaker]:
    """One structured-data person whose name joins two ("Ana Ruiz y Rodolfo L. Chávez", a
    site builder's author field) as the people it names."""
    names = _chunks(person.name)
    if len(names) < 2 or not all(looks_like_name(n) for n in names):
        return [person]
    return [Speaker(name=n.strip()) for n in names]


def _firm_ampersand(sep: str, piece: str) -> bool:
    """True when an "&" joins the partners of a firm's name ("Lindgren & Rauch Logistik GmbH"),
    not two people: a second person after "&" starts with a given name."""
    first = piece.split(None, 1)[0].strip(".,") if piece.strip() else ""
    return sep.strip() == "&" and not is_given_name(first)


def _from_title(title: str | None) -> list[Speaker]:
    """Speakers a title names at its end: "… with Per Hansen", "… med Lars Ø"; or a title that
    is a kind of talk and a person: "Vierailuluento: Antti Rönkkö (Järvisähkö Oy)"."""
    if not title:
        return []
    owned = possessive_talk(title)
    if owned:
        return [Speaker(name=owned[0])]
    split = kind_prefix(title)
    person = person_line(split[1]) if split else None
    if person and (person.organisation or person.role) and looks_like_name(person.name):
        return [person]
    m = _TITLE_WITH.search(title)
    if not m:
        return []
    # a headline is more often a title than a name ("Reasoning with Brain-Like
    # Specialization"): each guest after "with" opens with a known given name
    return [
        Speaker(name=strip_titles(p))
        for p in _SPLIT_PEOPLE.split(m.group(1).replace(",", " and "))
        if looks_like_name(p) and is_given_name(strip_titles(p).split()[0])
    ]


_FIRST_SENTENCE = re.compile(r"(?<=[a-zæøåäö)])\.\s+(?=[A-ZÆØÅÄÖ])")


def _from_sections(blocks: list[Block]) -> list[Speaker]:
    """People listed under a "Speakers"/"Talere" heading: a name line, then a role line."""
    speakers: list[Speaker] = []
    level = 0
    for i, block in enumerate(blocks):
        if block.level and heading_key(block.text) == "speakers":
            level = block.level
            continue
        if not level:
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            # a person card: a name line (a heading, or a short line) over a "Role, Org" line
            card = block.level or (len(block.text) <= 60 and block.tag in _CARD_TAGS)
            if card and nxt and not nxt.level and looks_like_name(block.text):
                # a heading that is a person's name over a "Role, Organisation" line
                role, org = role_and_organisation(nxt.text) if len(nxt.text) < 120 else (None, None)
                if role and not org:
                    org = _organisation_line(blocks, i + 2, nxt)
                if role:
                    name = strip_titles(block.text.strip(" ,.:"))
                    speakers.append(Speaker(name=name, role=role, organisation=org))
            continue
        if block.level and block.level <= level:
            level = 0
            continue
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        role_next = bool(nxt and len(nxt.text) < 120 and ROLE_WORDS.search(nxt.text))
        if (block.level or "name" in block.hints or role_next) and looks_like_name(block.text):
            person = Speaker(name=strip_titles(block.text.strip(" ,.:")))
            if nxt and len(nxt.text) < 120 and ROLE_WORDS.search(nxt.text):
                person.role, person.organisation = role_and_organisation(nxt.text)
                if person.role and not person.organisation:  # "Name / Role / Organisation"
                    person.organisation = _organisation_line(blocks, i + 2, nxt)
            speakers.append(person)
        elif block.tag in ("li", "dd") and len(block.text) < 160:
            listed = person_line(block.text)  # "Name, Role, Organisation" list items
            if listed and (listed.role or listed.organisation):
                speakers.append(listed)
        elif block.tag in ("p", "div"):
            # a "Name, Role, Organisation" line of its own under the heading (a speaker card's
            # first line, its bio in the next paragraph, or the same paragraph's next
            # sentences): a job title vouches for the name
            line = block.text
            if len(line) >= 160:  # its first sentence, past any title's full stop ("Ing.")
                end = next((m for m in _FIRST_SENTENCE.finditer(line) if m.start() > 30), None)
                line = line[: end.start()] if end else line
            listed = person_line(line) if len(line) < 160 else None
            if listed and listed.role and (listed.organisation or "," in line):
                speakers.append(listed)
    return speakers


_CARD_TAGS = ("p", "div", "li", "dd", "figcaption")


def _organisation_line(blocks: list[Block], i: int, role_line: Block) -> str | None:
    """The organisation on the third line of a "Name / Role / Organisation" card: a short line
    of the role line's own element that is a whole organisation's name and no job title."""
    line = blocks[i] if i < len(blocks) else None
    if line is None or line.level or len(line.text) > 80:
        return None
    # the card's next line: the same element after a <br>, or a sibling element
    if line.el is not role_line.el and line.el.getparent() is not role_line.el.getparent():
        return None
    org = organisation_at(line.text)
    return org if org == line.text.strip(" ,.") and not ROLE_WORDS.search(org) else None


def _headline_index(blocks: list[Block], title: str | None) -> int | None:
    """The index of the block that is the page's headline, if one is."""
    return next((i for i, b in enumerate(blocks) if title and b.text == title), None)


def under_headline(blocks: list[Block], title: str | None, *, headings_only: bool) -> list[Speaker]:
    """People named on the short lines right under the headline, before the text starts: a
    subheading "Sara Negri" or "Dr. A. Rao, TCS Research" under a talk's title (and, with
    headings_only False, an event record's byline of plain name lines)."""
    start = _headline_index(blocks, title)
    found: list[Speaker] = []
    if start is None:
        return found
    for block in blocks[start + 1 : start + 6]:
        if len(block.text) > 120 or (block.level == 1):
            break
        person = person_line(block.text)
        # off a heading only a byline counts: "Name  Role, Organisation" in spans of their own
        byline = person is not None and bool(person.role and person.organisation)
        if headings_only and not block.level and not byline:
            continue
        whole = person is not None and (
            looks_like_name(block.text) or bool(person.organisation or person.role)
        )
        if person and whole and is_person_name(person.name):
            found.append(person)
        elif found:
            break
    return found


def _from_by_lines(blocks: list[Block], title: str | None) -> list[Speaker]:
    """People a by-line names: a heading, a line near the headline, or a line that opens the
    person's paragraphs with a colon ("A cura di Simon Tiffert:"). A by-line elsewhere in the
    text may credit a photo or a text, not a talk."""
    start = _headline_index(blocks, title) or 0
    found = []
    for i, block in enumerate(blocks):
        near = start <= i <= start + 8
        if not (block.level or near or block.text.rstrip().endswith(":")):
            continue
        name = by_line_name(block.text)
        if name:
            found.append(Speaker(name=name))
    return found


def _headline_name(title: str | None) -> list[Speaker]:
    """A headline that is only a person's name: colloquium pages headed by their speaker."""
    name = strip_titles(title or "")
    # a headline is more often a title than a name: its first word must be a known given name
    if name and looks_like_name(name) and is_given_name(name.split()[0]):
        return [Speaker(name=name)]
    return []


def _from_lists(blocks: list[Block]) -> list[Speaker]:
    """List items and short lines that begin "Name: Role …" or "Name, Role at Org"."""
    speakers = []
    for block in blocks:
        if block.level or block.tag not in ("li", "p", "dd", "div"):
            continue
        if re.search(r"\b(?:vcard|speaker|person|presenter)\b", block.hints):
            person = person_line(block.text) if len(block.text) < 160 else None
            if person and person.role:
                speakers.append(person)
                continue
        m = re.match(rf"^({NAME_PATTERN})\s*[:–]\s+(.+)$", block.text)
        if m and looks_like_name(m.group(1)):
            role, org = role_and_organisation(m.group(2))
            if role:
                speakers.append(Speaker(name=strip_titles(m.group(1)), role=role, organisation=org))
    return speakers


def _from_bio_headings(blocks: list[Block]) -> list[Speaker]:
    """The person a "Biography" section's first paragraph is about."""
    found = []
    for i, block in enumerate(blocks[:-1]):
        is_heading = block.level or block.tag in ("dt", "strong", "b")
        if is_heading and heading_key(block.text) == "bio":
            nxt = blocks[i + 1].text
            person = person_line(nxt) if len(nxt) < 160 else None  # "Name, Role of Org"
            name = name_at_start(nxt)
            if person:
                found.append(person)
            elif name:
                found.append(Speaker(name=name))
    return found


def _from_bio_paragraphs(blocks: list[Block]) -> list[Speaker]:
    """The person a bio paragraph is about: "Name is CIO of X …", "Name har været IT-direktør …".

    Only a paragraph whose first sentence names a job counts, so a quote or an anecdote that
    happens to start with a name adds nobody.
    """
    found = []
    for block in blocks:
        if block.level or len(block.text) < 60 or block.tag not in ("p", "div", "dd", "li"):
            continue
        text = without_bio_head(block.text)
        name = name_at_start(text)
        if not name:
            continue
        surname = name.split()[-1]
        rest = text[text.find(surname) + len(surname) :]
        first = re.split(r"(?<=[a-zæøåäö)])\.\s", rest, maxsplit=1)[0]
        if BIO_VERB.match(rest) and ROLE_WORDS.search(first):
            found.append(Speaker(name=name))
    return found


def _appositions(
    texts: list[str], person: Speaker, aliases: list[str], site: str | None = None
) -> None:
    """Fill role/organisation from "Name, <role> of <Org>," in titles, leads and paragraphs.

    An apposition that gives the person's name in full ("Ruud van der Meulen, CIO bij …" for a
    speaker otherwise named "Van der Meulen") also gives the name; the shorter one becomes an
    alias."""
    key = _tokens(person.name)
    surname = person.name.split()[-1] if person.name.split() else ""
    for text in texts:
        if surname not in text:
            continue  # the apposition names the person, so the text holds the surname
        if ("s " in text and ("'s " in text or "’s " in text)) or ":n " in text:
            _possessive_role(text, person, key, site)
        for m in _APPOSITION.finditer(text):
            named = strip_titles(m.group(1))
            words = _tokens(named)
            if words != key and not (_is_part_of(key, words) and len(key) > 1):
                continue
            role, org = role_and_organisation(m.group(2))
            if role and not org and (after := _NEXT_SEGMENT.match(text, m.end())):
                # "Name, Role, Organisation": the employer is the comma segment after the role
                role, org = role_and_organisation(f"{m.group(2)}, {after.group(1)}")
            if words != key:
                if not role or not looks_like_name(named) or not is_person_name(named):
                    continue  # "With Petra Lund, CIO …": a lead-in word, not a longer name
                aliases.append(person.name)
                person.name, key = named, words
            if role and not person.role:
                person.role = role
            if org and not person.organisation and role:
                person.organisation = org
            if person.role and person.organisation:
                return


def _possessive_role(text: str, person: Speaker, key: list[str], site: str | None) -> None:
    """Fill role and organisation from "Org's Role, Name" or "Name, the org's Role" (the
    site's own organisation when "the council" is the last word of its name)."""
    for m in (*_OWNER_ROLE_NAME.finditer(text), *_OWNER_COLON_ROLE_NAME.finditer(text)):
        if _tokens(strip_titles(m.group(3))) == key and ROLE_WORDS.search(m.group(2)):
            org = organisation_at(m.group(1))
            person.role = person.role or m.group(2).strip()
            if org == m.group(1).strip():
                person.organisation = person.organisation or org
            return
    for m in _NAME_OWNER_ROLE.finditer(text):
        if _tokens(strip_titles(m.group(1))) == key and ROLE_WORDS.search(m.group(3)):
            person.role = person.role or m.group(3).strip()
            org = organisation_at(m.group(2))
            if org == m.group(2).strip():
                person.organisation = person.organisation or org
            elif site and site.split()[-1].casefold() == m.group(2).strip().casefold():
                # "Name, the council's CDO" on the pages of "Taranui District Council"
                person.organisation = person.organisation or site
            return


def find_speakers(
    blocks: list[Block],
    labels: list[Labelled],
    *,
    title: str | None,
    leads: list[str],
    structured: list[Speaker],
    site: str | None = None,
) -> list[Speaker]:
    """The page's speakers with role, organisation and bio, in order of first mention; site is
    the organisation whose pages these are (from the head title), if it names one."""
    from_labels, excluded = _from_labels(labels)
    candidates = (
        [person for given in structured for person in _each_person(given)]
        + from_labels
        + _from_sections(blocks)
        + under_headline(blocks, title, headings_only=True)
        + _from_title(title)
        + _headline_name(title)
        + _from_bio_headings(blocks)
        + _from_lists(blocks)
        + speakers_in_prose(blocks)
        + captioned_photos(blocks)
        + named_photos(blocks)
        + linked_profiles(blocks)
        + _from_by_lines(blocks, title)
        + _from_bio_paragraphs(blocks)
    )
    employers = {normalise_name(p.organisation) for p in candidates if p.organisation}
    speakers: dict[str, Speaker] = {}
    for person in candidates:
        if normalise_name(person.name) in employers:
            continue  # "… a night with Coral Coast Water": another speaker's employer
        person.name = strip_titles(person.name)
        key = normalise_name(person.name)
        if not key or key in excluded or not is_person_name(person.name):
            continue
        if key in speakers:
            known = speakers[key]
            known.role = known.role or person.role
            known.organisation = known.organisation or person.organisation
        else:
            speakers[key] = person
    beside = bool(speakers)  # others already named: appositions only beside them
    for person in _appositions_beside(blocks, speakers):
        key = normalise_name(strip_titles(person.name))
        if beside and (key in employers or not is_person_name(person.name)):
            continue  # beside named speakers, an employer written like a name is no one
        if key and key not in excluded and key not in speakers:
            person.name = strip_titles(person.name)
            speakers[key] = person
    if not speakers:
        # nobody named in the text: the person card of a personal site's talk page
        for person in people_of_cards(blocks):
            key = normalise_name(person.name)
            if key not in excluded and is_person_name(person.name):
                speakers.setdefault(key, person)
    people = _merge_short_names(list(speakers.values()))
    if len(people) == 1:
        _affiliation(people[0][0], labels)
    texts = [title or "", *leads, *(b.text for b in blocks if not b.level)]
    for person, aliases in people:
        _appositions(texts, person, aliases, site)
    for person, aliases in people:
        others = {normalise_name(n) for p, a in people if p is not person for n in (p.name, *a)}
        for who in [person, *(Speaker(name=alias) for alias in aliases)]:
            if bio_of(blocks, who, person, others):
                break
    return [person for person, _ in people]


def _affiliation(person: Speaker, labels: list[Labelled]) -> None:
    """Fill the one speaker's role and organisation from the page's single "Affiliation:"
    field ("Chief Data Officer, Bluewing Airlines", or the employer's name alone)."""
    values = {item.value.strip() for item in labels if item.key == "affiliation"}
    if len(values) != 1 or (person.role and person.organisation):
        return
    value = values.pop()
    if len(value) > 160:
        return
    role, org = role_and_organisation(value)
    if not role:
        whole = organisation_at(value)
        org = whole if whole == value.strip(" .") else None
    person.role = person.role or role
    person.organisation = person.organisation or org


def _tokens(name: str) -> list[str]:
    return normalise_name(name).split()


def _is_part_of(short: list[str], full: list[str]) -> bool:
    """True when short is a run of full's words: "Wei Jie" of "Lim Wei Jie", "Van der Meulen"
    of "Ruud van der Meulen" (pages name a speaker in full once, then shorter)."""
    n = len(short)
    return 0 < n < len(full) and any(full[i : i + n] == short for i in range(len(full) - n + 1))


def _merge_short_names(found: list[Speaker]) -> list[tuple[Speaker, list[str]]]:
    """The speakers with a shorter mention of a name folded into the full one, whose role,
    organisation and bio it may fill; a lone given name stays apart (two people may share it)."""
    people: list[tuple[Speaker, list[str]]] = []
    for person in sorted(found, key=lambda p: -len(_tokens(p.name))):
        words = _tokens(person.name)
        longer = (pair for pair in people if _is_part_of(words, _tokens(pair[0].name)))
        full = next(longer, None) if len(words) > 1 else None
        if full is None:
            people.append((person, []))
            continue
        full[0].role = full[0].role or person.role
        full[0].organisation = full[0].organisation or person.organisation
        full[1].append(person.name)
    order = {id(p): i for i, p in enumerate(found)}
    return sorted(people, key=lambda pair: order[id(pair[0])])

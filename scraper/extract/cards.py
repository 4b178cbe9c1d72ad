"""Person cards: a box a site template draws for one person, with the name on a line of its own,
a job line under it and perhaps a paragraph about them.

Site builders give the box a class that says what it is ("author-card" in the Hugo Academic and
Wowchemy themes that many academics' sites use, "speaker-card", "person-box", "profile-info").
On a talk page of a personal site the card is the site owner's, who gave the talk.
"""

from __future__ import annotations

import re
from functools import cache

from lxml.html import HtmlElement

from folding import fold
from scraper.extract import lexicon
from scraper.extract.labels import heading_key, label_key
from scraper.extract.names import (
    ROLE_WORDS,
    looks_like_name,
    normalise_name,
    strip_titles,
)
from scraper.extract.page import Block, clean, text_of
from scraper.extract.persons import is_given_name
from scraper.extract.roles import role_and_organisation
from scraper.model import Speaker

__all__ = [
    "captioned_photos",
    "card_under_role_line",
    "job_and_employer",
    "linked_profiles",
    "named_photos",
    "people_of_cards",
]

# the class or id of a box for one person: "author-card", "speaker_box", "person-info"
_CARD_CLASS = re.compile(
    r"(?:author|speaker|presenter|person|people|profile|member)[-_]?(?:card|box|info|block|bio)",
    re.I,
)
_SENTENCE = re.compile(r"[.!?:]\s|[.!?:]$")


def _in_card(block: Block, depth: int = 4) -> bool:
    """True when the block sits in an element whose class or id names a person's box."""
    for i, el in enumerate(block.el.iterancestors()):
        if i >= depth:
            return False
        if _CARD_CLASS.search(f"{el.get('class') or ''} {el.get('id') or ''}"):
            return True
    return False


def _job_line(text: str) -> bool:
    """True for a short line that names a job ("Research Fellow in Statistics"), no sentence."""
    return len(text) <= 100 and not _SENTENCE.search(text) and bool(ROLE_WORDS.search(text))


def job_and_employer(line: str) -> tuple[str, str | None]:
    """A card's job line as (role, employer): the whole line is the job ("Professor de
    Estatística": a field, not an employer) unless a comma parts off the employer ("Chief Data
    Officer, Kestrel Health Trust")."""
    role, employer = role_and_organisation(line) if "," in line else (None, None)
    return (role, employer) if role and employer else (line, None)


def people_of_cards(blocks: list[Block]) -> list[Speaker]:
    """The people of person cards: a heading inside a person's box that is a name, with the job
    line under it as the role."""
    found: list[Speaker] = []
    for i, block in enumerate(blocks):
        name = block.text.strip()
        if not block.level or len(name) > 60 or not looks_like_name(name):
            continue
        if _job_line(name) and not is_given_name(name.split()[0]):
            continue  # "Profesora de Marketing" under the name is the job, not a person
        if not _in_card(block):
            continue
        nxt = blocks[i + 1].text.strip() if i + 1 < len(blocks) else ""
        person = Speaker(name=name)
        if nxt and _job_line(nxt) and _in_card(blocks[i + 1]):
            person.role, person.organisation = job_and_employer(nxt)
        found.append(person)
    return found


def card_under_role_line(blocks: list[Block], person: Speaker) -> tuple[int, str] | None:
    """A person card: the name as a line of its own, a short line with a job title under it,
    then a paragraph, which is the bio whatever its words (a site owner's card on a personal
    academic site: "Ben Dêivide" / "Professor de Estatística" / "Minhas principais linhas de
    pesquisa …"). Returns the paragraph's index and the job line."""
    key = normalise_name(person.name)
    for i, block in enumerate(blocks[:-2]):
        if len(block.text) > 80 or normalise_name(block.text.strip()) != key:
            continue
        role_line, paragraph = blocks[i + 1].text.strip(), blocks[i + 2]
        if (
            not _job_line(role_line)
            or paragraph.level
            or len(paragraph.text) < 40
            or heading_key(paragraph.text) is not None
        ):
            continue
        return i + 2, role_line
    return None


def captioned_photos(blocks: list[Block]) -> list[Speaker]:
    """A speaker photo whose alt text is the name, captioned with the role ("CIO, Org")."""
    found = []
    for block in blocks:
        if block.tag != "figcaption" or len(block.text) > 120 or not ROLE_WORDS.search(block.text):
            continue
        figure = block.el.getparent()
        for img in figure.iter("img") if figure is not None else ():
            alt = (img.get("alt") or "").strip()
            if looks_like_name(alt):
                person = Speaker(name=strip_titles(alt))
                person.role, person.organisation = role_and_organisation(block.text)
                found.append(person)
                break
    return found


_CARD_TEXT = 300  # characters of a small box holding one person's photo and name


def named_photos(blocks: list[Block]) -> list[Speaker]:
    """People drawn as a photo with their name beside it: a short line that is a name, in a
    small box whose <img> has that name as its alt text (a talk's speaker avatar). Boxes
    after a heading or label for people who do not speak (organisers, hosts, contacts) or a
    closing section (related events, sponsors) are left out."""
    found = []
    skipping = False
    for block in blocks:
        label = label_key(block.text)
        if block.level or label:
            skipping = (heading_key(block.text) or label) in ("stop", "people_not_speaking", "host")
            continue
        name = block.text.strip()
        if skipping or len(name) > 60 or not looks_like_name(name):
            continue
        box = block.el
        for _ in range(3):
            if box.getparent() is None:
                break
            box = box.getparent()
            if len(clean(text_of(box))) > _CARD_TEXT:
                break
            alts = {clean(img.get("alt")).casefold() for img in box.iter("img")}
            if name.casefold() in alts:
                found.append(Speaker(name=strip_titles(name)))
                break
    return found


@cache
def _profile_folders() -> frozenset[str]:
    """The folder names a site gives its speakers' profile pages: the tables' words for
    speakers ("/speakers/ada-lovelace", "/referenten/…", "/intervenants/…"), folded."""
    words = lexicon.headings("speakers") + lexicon.labels("speaker")
    return frozenset(fold(w) for w in words if len(w) >= 5 and " " not in w and "'" not in w)


def linked_profiles(blocks: list[Block]) -> list[Speaker]:
    """People whose name links to their profile in the site's speakers folder: a conference
    or a user group's talk page links each of its speakers so ("/speakers/camille_roux")."""
    found: list[Speaker] = []
    seen: set[str] = set()
    for block in blocks:
        for link in block.el.iter("a"):
            href = re.sub(r"^(?:https?:)?//[^/]+", "", link.get("href") or "").split("?")[0]
            # the folder right above the profile's own name ("/speakers/ada/" or "/speakers/ada")
            folders = [fold(part) for part in href.rstrip("/").split("/")[:-1] if part]
            if not folders or folders[-1] not in _profile_folders():
                continue
            name = clean(text_of(link))
            if not looks_like_name(name):  # a card link: the element marked as the name
                named = link.xpath(".//*[contains(@class, 'name')]")
                name = clean(text_of(named[0])) if named else name
            if name in seen or len(name) > 60 or not looks_like_name(name):
                continue
            seen.add(name)
            found.append(Speaker(name=strip_titles(name), organisation=_marked_employer(link)))
    return found


# the class a template gives a speaker's employer beside the name ("speaker-company")
_EMPLOYER_CLASS = re.compile(r"company|organi[sz]ation|affiliation|employer|institution", re.I)


def _marked_employer(link: HtmlElement) -> str | None:
    """The employer a speaker's profile link (or the box around it) shows in an element whose
    class names it so ("speaker-company", "affiliation")."""
    for box in (link, link.getparent()):
        if box is None:
            continue
        for el in box.iter():
            if el is not link and _EMPLOYER_CLASS.search(el.get("class") or ""):
                text = clean(text_of(el))
                return text if 1 < len(text) <= 80 else None
    return None

"""Labelled lines ("Date: …", "Sted: …", "Speaker: …") and section headings, multilingual."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract.page import Block

# Label words (lower case) by the field they introduce.
LABELS: dict[str, tuple[str, ...]] = {
    "date": (
        "date",
        "dato",
        "seminar date",
        "event date",
        "lecture date",
        "talk date",
        "when",
        "hvornår",
        "termin",
        "datum",
        "wann",
        "fecha",
        "day",
        "dag",
        "date and time",
        "date & time",
        "dato og tid",
        "dato og tidspunkt",
        "tid og sted",
        "datum und uhrzeit",
        "beginn",
        "start",
        "starts",
        "begins",
        "starttid",
    ),
    "time": ("time", "tid", "tidspunkt", "kl", "klokken", "uhrzeit", "zeit", "hora", "times"),
    "location": (
        "place",
        "sted",
        "venue",
        "location",
        "where",
        "hvor",
        "lokale",
        "room",
        "lokation",
        "adresse",
        "address",
        "veranstaltungsort",
        "ort",
        "anschrift",
        "lugar",
        "mødested",
        "mødelokale",
        "place and room",
    ),
    "language": ("language", "sprog", "sprache", "idioma", "talk language", "undervisningssprog"),
    "speaker": (
        "speaker",
        "speakers",
        "taler",
        "talere",
        "oplægsholder",
        "oplægsholdere",
        "foredragsholder",
        "foredragsholdere",
        "presenter",
        "presenters",
        "presented by",
        "keynote",
        "keynote speaker",
        "mit",
        "med",
        "with",
        "referent",
        "referentin",
        "referenten",
        "sprecher",
        "sprecherin",
        "vortragende",
        "redner",
        "rednerin",
        "instructor",
        "underviser",
        "lecturer",
        "panelists",
        "panellists",
        "panel",
        "guest",
        "guest speaker",
        "gæst",
        "gæstetaler",
        "ponente",
        "ponentes",
    ),
    "host": (
        "organised by",
        "organized by",
        "organiser",
        "organizer",
        "arrangør",
        "arrangeret af",
        "host",
        "hosted by",
        "vært",
        "veranstalter",
        "organisation",
        "organization",
    ),
    "people_not_speaking": (
        "contact",
        "contacts",
        "kontakt",
        "kontaktperson",
        "moderator",
        "moderation",
        "moderated by",
        "chair",
        "chaired by",
        "ordstyrer",
        "ansprechpartner",
        "ansprechpartner/in",
        "ansprechpartnerin",
        "tilmelding",
        "registration",
        "anmeldung",
        "author",
        "posted by",
        "skrevet af",
        "forfatter",
        "af",
        "written by",
        "redaktør",
        "editor",
        "photo",
        "foto",
    ),
    "series": ("series", "serie", "event series", "seminar series", "seminarrække"),
    "type": ("seminar type", "event type", "type", "kategori", "category", "format"),
    "updated": (
        "last updated",
        "updated",
        "sidst opdateret",
        "senest opdateret",
        "opdateret",
        "last modified",
        "page last modified",
        "page last updated",
        "last edited",
        "aktualisiert",
        "zuletzt aktualisiert",
        "modified",
    ),
}
HEADINGS: dict[str, tuple[str, ...]] = {
    "abstract": (
        "abstract",
        "summary",
        "description",
        "beskrivelse",
        "resumé",
        "resume",
        "about the talk",
        "about the event",
        "about the seminar",
        "about the lecture",
        "om arrangementet",
        "om foredraget",
        "om oplægget",
        "inhalt",
        "details",
        "indhold",
        "program",
        "programme",
        "overview",
        "event details",
        "talk abstract",
        "synopsis",
    ),
    "bio": (
        "biography",
        "bio",
        "speaker bio",
        "speaker biography",
        "about the speaker",
        "about the speakers",
        "om oplægsholderen",
        "om oplægsholderne",
        "om taleren",
        "om talerne",
        "about the presenter",
        "short bio",
        "biografi",
        "zur person",
        "speaker's bio",
        "presenter bio",
    ),
    "speakers": (
        "speakers",
        "speaker",
        "talere",
        "taler",
        "oplægsholdere",
        "oplægsholder",
        "foredragsholdere",
        "presenters",
        "panelists",
        "panellists",
        "the panel",
        "referenten",
        "referent",
        "sprecher",
        "line-up",
        "lineup",
    ),
    "stop": (
        "registration",
        "tilmelding",
        "register",
        "sign up",
        "anmeldung",
        "practical information",
        "praktisk information",
        "praktiske oplysninger",
        "contact",
        "kontakt",
        "related events",
        "other events",
        "andre arrangementer",
        "more events",
        "related news",
        "share",
        "del",
        "see also",
        "se også",
        "tickets",
        "billetter",
        "location",
        "venue",
        "sted",
        "about the author",
        "comments",
        "kommentarer",
    ),
}
_LABEL_INDEX = {word: key for key, words in LABELS.items() for word in words}
_HEADING_INDEX = {word: key for key, words in HEADINGS.items() for word in words}
_LABELLED = re.compile(r"^\s*([^\W\d][\w/&' .-]{0,40}?)\s*:\s*(.*)$", re.S)
_LABEL_TAGS = frozenset(["dt", "h2", "h3", "h4", "h5", "h6", "strong", "b", "label"])


@dataclass
class Labelled:
    """A label's field key, its value text and the index of the block it came from."""

    key: str
    label: str
    value: str
    index: int


def label_key(text: str) -> str | None:
    """The field a label text stands for ("Sted" → location), or None."""
    return _LABEL_INDEX.get(text.strip().strip(":").strip().lower())


def heading_key(text: str) -> str | None:
    """The kind of section a heading opens ("Biography" → bio), or None."""
    bare = re.sub(r"[:.!?]+$", "", text.strip()).strip().lower()
    return _HEADING_INDEX.get(bare)


def labelled_lines(blocks: list[Block]) -> list[Labelled]:
    """Every "Label: value" line, and bare labels whose value is the next block."""
    found: list[Labelled] = []
    for i, block in enumerate(blocks):
        m = _LABELLED.match(block.text)
        if m and len(m.group(1).split()) <= 4:
            key = label_key(m.group(1))
            if key:
                value = m.group(2).strip()
                if not value and i + 1 < len(blocks):
                    value = blocks[i + 1].text
                found.append(Labelled(key, m.group(1).strip(), value, i))
                continue
        key = label_key(block.text)
        if block.tag == "th":
            continue  # a table's column header labels a column, not the next cell
        is_label_like = block.tag in _LABEL_TAGS or "label" in block.hints
        short = len(block.text) <= 40 and key != "people_not_speaking"
        allowed = is_label_like or key not in ("speaker", "series")
        if key and i + 1 < len(blocks) and allowed and (short or is_label_like):
            found.append(Labelled(key, block.text.strip(), blocks[i + 1].text, i))
    return found

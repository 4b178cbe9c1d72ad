"""Labelled lines ("Date: …", "Sted: …", "Speaker: …") and section headings, multilingual."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract.names import looks_like_name
from scraper.extract.page import Block

# Label words (lower case) by the field they introduce.
LABELS: dict[str, tuple[str, ...]] = {
    "date": (
        "date", "dato", "seminar date", "event date", "lecture date", "talk date", "when",
        "hvornår", "termin", "datum", "wann", "fecha", "day", "dag", "date and time",
        "date & time", "dato og tid", "dato og tidspunkt", "tid og sted", "datum und uhrzeit",
        "beginn", "start", "starts", "begins", "starttid", "datum och tid", "tid och plats",
        "veranstaltungstermin", "recorded", "recorded on", "optaget", "date de l'événement",
        "dato og klokkeslett", "tid og dato", "datum en tijd", "päivämäärä", "päivä",
        "data", "data e ora", "giorno", "quando", "data e horário", "dia", "kiedy",
        "data i godzina", "kuupäev", "toimumisaeg", "aeg", "日時", "日付", "開催日", "開催日時",
    ),
    "time": (
        "time", "tid", "tidspunkt", "kl", "klokken", "uhrzeit", "zeit", "hora", "times", "tijd",
        "heure", "horaire", "klokkeslett", "aanvang", "aika", "kellonaika",
        "orario", "ora", "ore", "horário", "horario", "godzina", "godz", "kellaaeg", "時間",
    ),
    "end_time": (
        "ends", "end time", "finishes", "sluttid", "slut", "ende", "slutter", "til",
    ),
    "location": (
        "place", "sted", "venue", "location", "where", "hvor", "lokale", "room", "lokation",
        "adresse", "address", "veranstaltungsort", "ort", "anschrift", "lugar", "mødested",
        "mødelokale", "place and room", "plats", "lokal", "sal", "raum", "hörsaal", "adress",
        "locatie", "plaats", "lieu", "salle", "adres", "zaal", "var", "ort und raum", "paikka",
        "luogo", "sede", "aula", "indirizzo", "local", "endereço", "miejsce", "sala wykładowa",
        "koht", "toimumiskoht", "asukoht", "場所", "会場", "開催場所",
    ),
    "language": (
        "language", "sprog", "sprache", "idioma", "talk language", "undervisningssprog", "språk",
        "vortragssprache", "taal", "langue", "kieli",
        "lingua", "língua", "język", "keel", "言語", "使用言語",
    ),
    "speaker": (
        "speaker", "speakers", "taler", "talere", "oplægsholder", "oplægsholdere",
        "foredragsholder", "foredragsholdere", "presenter", "presenters", "presented by",
        "keynote", "keynote speaker", "mit", "med", "with", "referent", "referentin",
        "referenten", "sprecher", "sprecherin", "vortragende", "redner", "rednerin", "instructor",
        "underviser", "lecturer", "panelists", "panellists", "panel", "guest", "guest speaker",
        "gæst", "gæstetaler", "ponente", "ponentes", "föreläsare", "talare", "gästföreläsare",
        "medverkande", "gastredner", "gastreferent", "vortragender", "featuring", "spreker",
        "sprekers", "door",
        "intervenant", "intervenante", "intervenants", "conférencier", "conférencière",
        "foredragsholdar", "foreleser", "forelæser", "gæsteforelæser", "puhuja", "puhujat",
        "luennoitsija", "alustaja", "alustajat",
        "relatore", "relatrice", "relatori", "palestrante", "palestrantes", "orador",
        "oradora", "conferencista", "prelegent", "prelegentka", "prelegenci", "esineja",
        "esinejad", "講演者", "講師", "登壇者", "発表者",
    ),
    "host": (
        "organised by", "organized by", "organiser", "organizer", "arrangør", "arrangeret af",
        "host", "hosted by", "vært", "veranstalter", "organisation", "organization", "anordnare",
        "organisers", "organizers", "veranstaltet von", "järjestäjä",
        "organizzato da", "organizzatore", "organização", "organizador", "organizator",
        "korraldaja", "主催", "共催",
    ),
    "people_not_speaking": (
        "contact", "contacts", "kontakt", "kontaktperson", "moderator", "moderation",
        "moderated by", "chair", "chaired by", "ordstyrer", "ansprechpartner",
        "ansprechpartner/in", "ansprechpartnerin", "tilmelding", "registration", "anmeldung",
        "author", "posted by", "skrevet af", "forfatter", "af", "written by", "redaktør",
        "editor", "photo", "foto", "contact person", "contact persons", "kontaktpersoner",
        "moderatorin", "facilitator",
        "moderatore", "moderador", "moderatorka", "司会", "contatto", "contato", "kontakt",
    ),
    "series": (
        "series", "serie", "event series", "seminar series", "seminarrække",
    ),
    "topic": (
        "topic", "talk title", "title of the talk", "emne", "thema", "ämne",
        "föreläsningens titel", "vortragstitel",
    ),
    "type": (
        "seminar type", "event type", "type", "kategori", "category", "format",
    ),
    "updated": (
        "last updated", "updated", "sidst opdateret", "senest opdateret", "opdateret",
        "last modified", "page last modified", "page last updated", "last edited", "aktualisiert",
        "zuletzt aktualisiert", "modified",
        "ultimo aggiornamento", "aggiornato", "última atualização", "atualizado em",
        "ostatnia aktualizacja", "zaktualizowano", "viimati muudetud", "uuendatud", "最終更新",
        "更新日",
    ),
}  # fmt: skip
HEADINGS: dict[str, tuple[str, ...]] = {
    "abstract": (
        "abstract", "summary", "description", "beskrivelse", "resumé", "resume", "about the talk",
        "about the event", "about the seminar", "about the lecture", "om arrangementet",
        "om foredraget", "om oplægget", "inhalt", "details", "indhold", "program", "programme",
        "overview", "event details", "talk abstract", "synopsis", "about", "about this event",
        "om lezing", "over de lezing", "résumé", "présentation",
        "sommario", "descrizione", "resumo", "descrição", "sobre a palestra", "opis",
        "streszczenie", "o wykładzie", "kokkuvõte", "概要", "講演概要", "要旨",
    ),
    "bio": (
        "biography", "bio", "speaker bio", "speaker biography", "about the speaker",
        "about the speakers", "om oplægsholderen", "om oplægsholderne", "om taleren",
        "om talerne", "about the presenter", "short bio", "biografi", "zur person",
        "speaker's bio", "presenter bio", "bios", "biographies", "speaker bios",
        "about the panellists", "about the panelists", "om paneldeltagerne", "om föreläsaren",
        "om talaren", "über den referenten", "über die referentin", "om foredragsholderen",
        "om foredragsholderne", "over de spreker", "over de sprekers", "l'intervenant",
        "l'intervenante", "les intervenants", "om föredragshållaren", "speaker biography",
        "about our speaker", "meet the speaker", "om forelæseren", "om foreleseren",
        "about the lecturer", "om gæsteforelæseren", "om oplægsholder", "über den vortragenden",
        "il relatore", "la relatrice", "i relatori", "sobre o palestrante",
        "sobre a palestrante", "o prelegencie", "o prelegentce", "esinejast", "講演者紹介",
        "講師紹介", "略歴",
    ),
    "speakers": (
        "speakers", "speaker", "talere", "taler", "oplægsholdere", "oplægsholder",
        "foredragsholdere", "presenters", "panelists", "panellists", "the panel", "referenten",
        "referent", "sprecher", "line-up", "lineup", "foreleser", "forelæser", "intervenant",
        "intervenants", "föreläsare", "talare", "sprekers", "spreker", "forelesere",
        "relatore", "relatrice", "relatori", "palestrante", "palestrantes", "prelegent",
        "prelegenci", "esineja", "esinejad", "講演者", "講師",
    ),
    "stop": (
        "registration", "tilmelding", "register", "sign up", "anmeldung", "practical information",
        "praktisk information", "praktiske oplysninger", "contact", "kontakt", "related events",
        "other events", "andre arrangementer", "more events", "related news", "share", "del",
        "see also", "se også", "tickets", "billetter", "location", "venue", "sted",
        "about the author", "comments", "kommentarer",
        "iscrizione", "inscrições", "inscrição", "rejestracja", "registreerimine",
    ),
}  # fmt: skip
_LABEL_INDEX = {word: key for key, words in LABELS.items() for word in words}
_HEADING_INDEX = {word: key for key, words in HEADINGS.items() for word in words}
_LABELLED = re.compile(r"^\s*([^\W\d][\w/&' .-]{0,40}?)\s*:\s*(.*)$", re.S)
_LISTED_KEYS = frozenset(["speaker", "people_not_speaking"])
_ABOUT_EVENT = re.compile(
    r"^(?:about|om|über|zum|zur)\s+(?:the\s+|this\s+|dette\s+|denne\s+|det\s+|den\s+|das\s+|"
    r"die\s+|der\s+|den här\s+|detta\s+)?(?:talk|event|webinar|seminar|lecture|session|"
    r"workshop|panel|debate|meeting|arrangementet|webinaret|webinariet|seminaret|seminariet|"
    r"foredraget|forelæsningen|föreläsningen|oplægget|mødet|vortrag|veranstaltung|webinar)$",
    re.I,
)
_ABOUT_PERSON = re.compile(r"^(?:about|om|über|meet|mød)\s+(.+)$", re.I)
_LABEL_TAGS = frozenset(["dt", "h2", "h3", "h4", "h5", "h6", "strong", "b", "label"])


@dataclass
class Labelled:
    """A label's field key, its value text and the index of the block it came from."""

    key: str
    label: str
    value: str
    index: int


def label_key(text: str) -> str | None:
    """The field a label text stands for ("Sted" → location), or None.

    A bilingual label ("日時 / Date", "Sted / Venue") stands for what either half stands for.
    """
    bare = text.strip().strip(":：").strip().lower()
    found = _LABEL_INDEX.get(bare)
    if found is None and "/" in bare and len(bare) <= 40:
        halves = [_LABEL_INDEX.get(h.strip(" :：")) for h in bare.split("/")]
        found = next((h for h in halves if h), None)
    return found


def heading_key(text: str) -> str | None:
    """The kind of section a heading opens ("Biography" → bio, "Om Jørgen Gram" → bio), or None."""
    bare = re.sub(r"[:.!?：]+$", "", text.strip()).strip()
    found = _HEADING_INDEX.get(bare.lower())
    if found is None and " / " in bare and len(bare) <= 50:  # "概要 / Abstract"
        found = next((k for h in bare.split(" / ") if (k := _HEADING_INDEX.get(h.lower()))), None)
    if found is None:
        if _ABOUT_EVENT.match(bare):
            return "abstract"
        m = _ABOUT_PERSON.match(bare)
        if m and looks_like_name(m.group(1)):
            return "bio"
    return found


def labelled_lines(blocks: list[Block]) -> list[Labelled]:
    """Every "Label: value" line, and bare labels whose value is the next block.

    A bare "Speakers:" over a list labels every item of the list (one entry per item).
    """
    found: list[Labelled] = []
    for i, block in enumerate(blocks):
        if block.level == 1:
            continue  # the headline: "Panel: Who Owns the Data?" labels nothing
        m = _LABELLED.match(block.text)
        if m and len(m.group(1).split()) <= 4:
            key = label_key(m.group(1))
            if key:
                value = m.group(2).strip()
                if value:
                    found.append(Labelled(key, m.group(1).strip(), value, i))
                else:
                    found.extend(
                        Labelled(key, m.group(1).strip(), text, i)
                        for text in _values_after(blocks, i, key)
                    )
                continue
        lead = _leading_label(block)
        if lead:
            found.append(Labelled(lead[0], lead[1], lead[2], i))
            continue
        key = label_key(block.text)
        if block.tag == "th" and not _is_row_header(block):
            continue  # a table's column header labels a column, not the next cell
        is_label_like = (
            block.tag in _LABEL_TAGS
            or "label" in block.hints
            or _all_bold(block)
            or (block.tag in ("th", "td") and _is_row_header(block))
        )
        short = len(block.text) <= 40 and key != "people_not_speaking"
        allowed = is_label_like or key not in ("speaker", "series")
        if key and i + 1 < len(blocks) and allowed and (short or is_label_like):
            found.extend(
                Labelled(key, block.text.strip(), text, i) for text in _values_after(blocks, i, key)
            )
    return found


def _leading_label(block: Block) -> tuple[str, str, str] | None:
    """(key, label, value) of a line whose first element is a label without a colon.

    "<li><span class="meta-key">Time</span> <span>15:00 – 16:30</span></li>" (or the value as
    bare text after the label's element): the label is
    marked up apart from its value, so no colon is needed to tell them apart.
    """
    if len(block.el) < 1 or (block.el.text or "").strip():
        return None
    first = block.el[0]
    if len(block.el) == 1 and not (first.tail or "").strip():
        return None
    if first.tag not in ("span", "strong", "b", "em", "label", "div", "dt", "th", "i"):
        return None
    label = " ".join((first.text_content() or "").split()).strip().rstrip(":")
    key = label_key(label) if label else None
    if not key or key in _LISTED_KEYS or not block.text.startswith(label):
        return None
    value = block.text[len(label) :].strip(" :")
    return (key, label, value) if value else None


def _all_bold(block: Block) -> bool:
    """True for a paragraph that is one bold run, "<p><strong>Speaker</strong></p>"."""
    children = list(block.el)
    return (
        block.tag == "p"
        and len(children) == 1
        and children[0].tag in ("strong", "b")
        and not (block.el.text or "").strip()
        and not (children[0].tail or "").strip()
    )


def _is_row_header(block: Block) -> bool:
    """True for a <th> that heads its row (a <td> follows it), as in a facts table, or the
    first of a row's two <td> cells."""
    nxt = block.el.getnext()
    if block.tag == "td":  # a two-cell row "<td>Speaker</td><td>…</td>" is a facts table's too
        first = block.el.getprevious() is None
        return first and nxt is not None and nxt.tag == "td" and nxt.getnext() is None
    return nxt is not None and nxt.tag == "td"


def _values_after(blocks: list[Block], i: int, key: str) -> list[str]:
    """The value(s) of a bare label at blocks[i]: the next block, or each item of a list there."""
    if i + 1 >= len(blocks):
        return []
    first = blocks[i + 1]
    if key not in _LISTED_KEYS or first.tag not in ("li", "dd"):
        return [first.text]
    parent = first.el.getparent()
    values = []
    for block in blocks[i + 1 :]:
        if block.tag != first.tag or block.el.getparent() is not parent:
            break
        values.append(block.text)
    return values

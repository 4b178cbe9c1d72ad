"""Labelled lines ("Date: …", "Sted: …", "Speaker: …") and section headings, multilingual."""

from __future__ import annotations

import re
from dataclasses import dataclass

from scraper.extract import lexicon
from scraper.extract.names import looks_like_name
from scraper.extract.page import Block, text_of

# Label words (lower case) by the field they introduce, from every language table. A
# registration line ("Tilmelding: Anna Berg") names someone who does not speak.
LABELS: dict[str, tuple[str, ...]] = {
    key: lexicon.labels(key) for key in lexicon.LABEL_KEYS if key != "registration"
}
LABELS["people_not_speaking"] += lexicon.labels("registration")
HEADINGS: dict[str, tuple[str, ...]] = {key: lexicon.headings(key) for key in lexicon.HEADING_KEYS}
_LABEL_INDEX = {word: key for key, words in LABELS.items() for word in words}
# "Aika & Paikka", "Zeit & Ort": a label of two words joined by its language's "and" ("aika ja
# paikka", "zeit und ort") is written with "&" as well
_LABEL_INDEX.update(
    {
        f"{parts[0]} & {parts[2]}": key
        for word, key in list(_LABEL_INDEX.items())
        if len(parts := word.split()) == 3
        and len(parts[1]) <= 3
        and parts[1] != "&"
        and f"{parts[0]} & {parts[2]}" not in _LABEL_INDEX
    }
)
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
# "Session overview", "Seminar description", "Descripción del seminario", "Résumé de la
# conférence": an abstract heading word joined to a word for the event.
_ONE_WORD_ABSTRACT = [h for h in lexicon.headings("abstract") if " " not in h]
_KINDS = lexicon.term_pattern(lexicon.words("talk_kinds") + lexicon.words("event_kinds"))
_ABSTRACT_WORD = lexicon.term_pattern(_ONE_WORD_ABSTRACT)
_KIND_SECTION = re.compile(
    rf"^(?:(?:{_KINDS})\s+(?:{_ABSTRACT_WORD})|(?:{_ABSTRACT_WORD})\s+(?:of the|of this|del|de la|"
    rf"de l['’]|du|de|della|dello|dell['’]|do|da|des|zum|zur|der|des)\s*(?:{_KINDS}))$",
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
    if found is None and len(bare) <= 40:
        found = _compound_key(bare)
    return found


# "Time, Date, Location", "Date & time", "Tid og sted": labels joined by a comma, "&" or a
# language's "and"
_LABEL_JOIN = re.compile(
    rf"\s*(?:,|&|\+|(?<!\w)(?:{lexicon.term_pattern(lexicon.words('and'))})(?!\w))\s*"
)


def _compound_key(bare: str) -> str | None:
    """The key of a label made of several labels: the date's when one names the day (its
    value gives the day first, then the time and the place), else the first part's."""
    parts = [p for p in _LABEL_JOIN.split(bare) if p]
    if len(parts) < 2:
        return None
    keys = [_LABEL_INDEX.get(p) for p in parts]
    if not all(keys):
        return None
    return "date" if "date" in keys else keys[0]


def heading_key(text: str) -> str | None:
    """The kind of section a heading opens ("Biography" → bio, "Om Jørgen Gram" → bio), or None."""
    # Spanish opens a question or an exclamation with its own mark: "¿De qué se trata?"
    bare = re.sub(r"[:.!?：]+$", "", text.strip()).strip().lstrip("¿¡ ")
    found = _HEADING_INDEX.get(bare.lower())
    if found is None and " / " in bare and len(bare) <= 50:  # "概要 / Abstract"
        found = next((k for h in bare.split(" / ") if (k := _HEADING_INDEX.get(h.lower()))), None)
    if found is None:
        if _ABOUT_EVENT.match(bare) or _KIND_SECTION.match(bare):
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
    label = " ".join((text_of(first) or "").split()).strip().rstrip(":")
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
    if key in _LISTED_KEYS and first.tag not in ("li", "dd"):
        # one cell or paragraph of people, a line each after <br>: every line is a value
        lines = [first.text]
        for block in blocks[i + 2 :]:
            if block.el is not first.el:
                break
            lines.append(block.text)
        return lines
    if key not in _LISTED_KEYS:
        return [first.text]
    parent = first.el.getparent()
    values = []
    for block in blocks[i + 1 :]:
        if block.tag != first.tag or block.el.getparent() is not parent:
            break
        values.append(block.text)
    return values

"""The talk's abstract: an "Abstract" section, a run-in "Abstract: …" paragraph, else the
descriptive paragraphs under the headline, before the speakers' bios, without the lead that
only invites to the event or the lines that say when and where."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.dates import find_dates, parse_date, parse_time_range
from scraper.extract.labels import heading_key, label_key
from scraper.extract.page import Block

__all__ = ["abstract_of"]


def abstract_of(
    blocks: list[Block], *, title: str | None, topic: str | None, bios: list[str]
) -> str | None:
    """The descriptive text about the talk: an "Abstract" section, else body text before bios."""
    stop = bios
    for block in blocks:
        run_in = _RUN_IN.match(block.text)
        if not block.level and run_in and heading_key(run_in.group(1)) == "abstract":
            text = _before_bio(block.text[run_in.end() :], bios)
            if len(text) >= 40:  # "Abstract: … Biography: …" in one paragraph
                return text
    for i, block in enumerate(blocks):
        if (block.level or block.tag in ("dt", "strong", "b") or len(block.text) <= 30) and (
            heading_key(block.text) == "abstract"
        ):
            text = _collect(blocks[i + 1 :], stop)
            if text:
                return text
    begin = 0
    for i, block in enumerate(blocks):
        if block.text in (topic, title) and (block.level or block.tag in ("div", "p")):
            begin = i + 1  # the headline, marked up as a heading or not
    text = _collect(blocks[begin:], stop, skip_lead=True)
    return text or None


_RUN_IN = re.compile(r"^([^\W\d][\w' -]{1,30}):\s+")
_NEXT_RUN_IN = re.compile(r"(?<=[.!?])\s+([^\W\d][\w' -]{1,30}):\s")


def _before_bio(text: str, bios: list[str]) -> str:
    """A run-in abstract's text up to the next run-in head of another kind or a bio."""
    for m in _NEXT_RUN_IN.finditer(text):
        if heading_key(m.group(1)) != "abstract":
            text = text[: m.start()]
            break
    for bio in bios:
        at = text.find(bio[:60]) if len(bio) >= 30 else -1
        if at > 0:
            text = text[:at]
    return text.strip()


# A lead that only invites to the event and names the guest ("X inviterer til morgenmøde med
# …", "we welcome …", "kutsuu … kuulemaan") says who comes, not what the talk is about: the
# invitation words of every language table.
_INVITATION = lexicon.word_regex("invitations")


def _is_date_line(text: str) -> bool:
    """A line giving when (and maybe where): a date, with or without its year, and a time."""
    if not parse_time_range(text)[0]:
        return False
    return bool(find_dates(text)) or parse_date(text, default_year=2000) is not None


_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _weight(text: str) -> int:
    """A text's length in Latin-letter terms: a Chinese, Japanese or Korean character says as
    much as a short word, so it counts double (a 40-character Japanese sentence is prose)."""
    return len(text) + len(_CJK.findall(text))


def _collect(blocks: list[Block], stop: list[str], *, skip_lead: bool = False) -> str:
    """Descriptive paragraphs up to a bio, a heading of another kind or registration text."""
    parts: list[str] = []
    skipped = ""
    previous: Block | None = None
    for block in blocks:
        prev, previous = previous, block
        if prev is not None and _fact_cell(prev, block):
            continue
        # the bio's first paragraph (a short line that only opens it, the speaker's name over
        # the abstract, is not where it starts)
        if any(
            bio.startswith(block.text) and (len(block.text) >= 30 or bio == block.text)
            for bio in stop
        ):
            break
        inside = [block.text.find(bio[:60]) for bio in stop if len(bio) >= 30]
        cut = min((i for i in inside if i > 0), default=-1)
        if cut > 0:  # the bio starts mid-paragraph: keep what comes before it, then stop
            if not parts:
                parts.append(block.text[:cut].strip())
            break
        if (
            parts
            and len(block.text) <= 40
            and block.tag not in ("th", "td", "dt", "dd", "li")  # a row of facts goes on
            and heading_key(block.text) in ("bio", "speakers", "stop")
        ):
            break  # "Bio:", "Speakers", "Registration" as a short line: the next section opens
        if block.level:
            if parts:
                break
            continue
        if re.match(
            r"^(?:if you|tilmelding|register|anmeldung|please (?:register|sign|rsvp|let us|note|"
            r"contact|e-?mail|book))",
            block.text,
            re.I,
        ):
            if parts or _weight(block.text) >= 60:
                break
            continue  # "Tilmelding: senest 9. april" in the facts above the description
        if skip_lead and re.search(
            r"\b(?:lead|teaser|intro|summary|series)\b", block.hints.replace("with-summary", "")
        ):
            continue
        if skip_lead and not parts and len(block.text) < 300 and _INVITATION.search(block.text):
            skipped = skipped or block.text
            continue
        if _weight(block.text) < 60 or ":" in block.text[:25] or block.text.endswith(":"):
            continue
        if _venue_line(block.text):
            continue
        head, colon, _rest = block.text.partition(":")
        if colon and len(head) <= 60 and label_key(head):
            continue  # "Organizer / Organisateur : …": a labelled fact in two languages
        if len(block.text) < 160 and _is_date_line(block.text):
            continue
        if skip_lead and not parts and len(block.text) < 200 and _is_date_line(block.text):
            # "Join us on Wed 16 June, 6.30pm–8pm, at …, when we will hear from …": the short
            # lead that says when and where, not what the talk is about (a longer one says
            # that too, as real pages' opening paragraphs do)
            skipped = skipped or block.text
            continue
        if len(block.text) < 80 and lexicon.stated_language(block.text):
            continue
        parts.append(block.text)
    # a page whose only paragraph is its invitation: that is all it says about the talk
    return " ".join(parts) or skipped


_LABEL_HEAD = re.compile(r"^(\S+(?:\s\S+)?)\s+(?=[A-ZÀ-ÞĀ-Ž0-9])")
# a sentence break: "!", "?", or a full stop after a long word or a number ("Av. Universidad"
# and "St. Mary's" are abbreviations)
_NOT_IN_A_PLACE = re.compile(r"[!?]|(?:[^\W\d_]{4,}|\d)\.\s+[A-ZÀ-Þ]")


def _venue_line(text: str) -> bool:
    """True for a line that says where, not what: a venue's name and address ("Pavillon
    Desjardins, salle 2320, 2325, rue de l'Université, Québec"), perhaps after its label
    written without a colon ("Ort Hochschule X, Raum 0.31, …", "Where The Boardroom, …").

    Such a line has at least two commas and a number, no date, time or sentence break, and
    mostly words in capitals (names) or numbers."""
    if len(text) > 160 or text.count(",") < 2 or not re.search(r"\d", text):
        return False
    head = _LABEL_HEAD.match(text)
    if head and label_key(head.group(1)) == "location":
        text = text[head.end() :]
    if _NOT_IN_A_PLACE.search(text) or find_dates(text) or parse_time_range(text)[0]:
        return False
    words = re.findall(r"[^\W_][\w'’.-]*", text)
    lower = sum(1 for w in words if w[0].islower())
    return bool(words) and 2 * lower <= len(words)


def _fact_cell(head: Block, cell: Block) -> bool:
    """True for the value of a row of facts: a table cell or definition under its header
    ("Referentin:" / "Dr. A, CIO bei B", "Venue" / "Hall 3"), unless the header opens the
    abstract. Such a value says who, when or where, not what the talk is about."""
    pairs = {("th", "td"), ("dt", "dd"), ("td", "td")}
    if (head.tag, cell.tag) not in pairs or head.level:
        return False
    label = head.text.strip()
    if head.tag == "td" and not label.endswith(":"):
        return False  # two cells of running text, not a header and its value
    return len(label) <= 40 and heading_key(label) != "abstract"

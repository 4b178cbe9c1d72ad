"""BibTeX (biblatex-friendly) entries, written by ``bibtexparser``.

Every value is made safe for BibTeX here, before the writer encloses it in braces: TeX's
special characters become commands whose own braces balance (BibTeX counts every brace, even
an escaped one, so ``\\{`` would end a field early), TeX ligatures are broken, and words
with inner capitals (``IT``, ``DKK``, ``iPhone``) are braced so styles keep their case. URLs
are percent-encoded down to characters that cannot close a field. Whatever a scraped page
says, each value stays inside its own field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote

import bibtexparser
from bibtexparser.middlewares.parsestack import default_unparse_stack
from bibtexparser.model import Entry, Field

from archive.citation.record import Citation, cite_key

_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
}
_SPECIAL = re.compile(r"[\\{}~^%&$#_]")
#: Pairs TeX would typeset as one glyph (–, “, ¿ …): an empty group keeps them apart.
_LIGATURE = re.compile(r"(?<=-)(?=-)|(?<=`)(?=`)|(?<=')(?=')|(?<=[?!])(?=`)")
_WORD = re.compile(r"[^\W_]+")
#: Characters a URL keeps verbatim in a braced field (no braces, backslash, quote or space).
_URL_SAFE = "/:?#[]@!$&'()*+,;=-._~%"
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _tex(text: str) -> str:
    return _LIGATURE.sub("{}", _SPECIAL.sub(lambda m: _TEX[m.group()], text))


def escape(text: str) -> str:
    """``text`` as a BibTeX value that TeX prints as written; whitespace runs become one space."""
    return _tex(" ".join(text.split()))


def _needs_case_kept(word: str) -> bool:
    return any(c.isupper() for c in word[1:])


def protect_case(text: str) -> str:
    """``text`` escaped, with each word that has a capital after its first letter in braces."""
    plain = " ".join(text.split())
    out: list[str] = []
    last = 0
    for match in _WORD.finditer(plain):
        out.append(_tex(plain[last : match.start()]))
        word = match.group()
        out.append(f"{{{word}}}" if _needs_case_kept(word) else word)
        last = match.end()
    out.append(_tex(plain[last:]))
    return "".join(out)


def safe_url(url: str) -> str:
    """The URL with every character that could close or break a BibTeX field percent-encoded
    (non-ASCII, spaces, braces, backslashes, quotes); a ``%`` already encoding a byte stays."""
    return quote(url.strip(), safe=_URL_SAFE)


def _name(name: str) -> str:
    """A speaker's name for ``author``: a name BibTeX would split (a comma or the word "and")
    is braced as a whole."""
    value = escape(name)
    if "," in name or re.search(r"\band\b", name, re.I):
        return f"{{{value}}}"
    return value


def fields(record: Citation) -> list[Field]:
    """The entry's fields in the order they are written."""
    values: list[tuple[str, str | None]] = [
        ("author", " and ".join(_name(p.name) for p in record.speakers) or None),
        ("title", protect_case(record.title)),
        ("date", record.date.isoformat() if record.date else None),
        ("year", str(record.date.year) if record.date else None),
    ]
    out = [Field(key, value) for key, value in values if value]
    if record.date:
        # a bare month macro: styles print it as the month's name
        out.append(Field("month", _MONTHS[record.date.month - 1], enclosing="no-enclosing"))
    more: list[tuple[str, str | None]] = [
        ("howpublished", "Talk"),
        ("organization", escape(record.host) if record.host else None),
        ("series", protect_case(record.series) if record.series else None),
        ("location", escape(record.location) if record.location else None),
        ("language", escape(record.language) if record.language else None),
        ("abstract", escape(record.abstract) if record.abstract else None),
        ("keywords", escape(", ".join(record.themes)) if record.themes else None),
        ("url", safe_url(record.permalink)),
        ("urldate", record.accessed.isoformat()),
        ("note", "Announced at " + escape(record.source_url) if record.source_url else None),
    ]
    out += [Field(key, value) for key, value in more if value]
    return out


def _format() -> bibtexparser.BibtexFormat:
    style = bibtexparser.BibtexFormat()
    style.indent = "  "
    return style


_STYLE = _format()


def entry(record: Citation) -> str:
    """One ``@misc`` entry, ending in a newline."""
    library = bibtexparser.Library([Entry("misc", cite_key(record), fields(record))])
    # a fresh library per entry, changed in place: no defensive copies, no duplicate-key scan
    stack = default_unparse_stack(allow_inplace_modification=True)
    text = bibtexparser.write_string(library, unparse_stack=stack, bibtex_format=_STYLE)
    return text.strip() + "\n"


def entries(records: Iterable[Citation]) -> str:
    """``@misc`` entries for the records, separated by blank lines."""
    return "\n".join(entry(r) for r in records)

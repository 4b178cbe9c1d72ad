"""A job title and its employer in one phrase: "Group CIO of Nordlys Energi", "CIO, Egeskov
Municipality", "Professorin an der Universität zu Lindau". The words that join the two (links,
articles, clause openers) come from the language tables."""

from __future__ import annotations

import re

from scraper.extract import lexicon
from scraper.extract.names import (
    FUNCTIONS,
    LEGAL_DOTTED,
    LEGAL_FORMS,
    LO,
    ORG_TOKEN,
    ROLE_LINKS,
    ROLE_WORDS,
    UP,
    organisation_at,
)

_ARTICLES = frozenset(lexicon.words("articles"))
_WORD_ARTICLES = lexicon.alternatives(frozenset(a for a in _ARTICLES if not a.endswith("'")))
_ELIDED_ARTICLES = lexicon.alternatives(frozenset(a[:-1] for a in _ARTICLES if a.endswith("'")))
_WORD_LINKS = frozenset(w for w in ROLE_LINKS if not w.endswith("'"))
_ELIDED_LINKS = frozenset(w[:-1] for w in ROLE_LINKS if w.endswith("'"))
_PREPOSITIONS = re.compile(
    rf"\s(?:(?:{lexicon.alternatives(_WORD_LINKS)})\s+"
    # an article after the preposition: "bei der", "chez le", "presso la", "at the", "van de"
    rf"(?:(?:{_WORD_ARTICLES})\s+|(?:{_ELIDED_ARTICLES})['’])?"
    # or an elided one before a capital: "Docente dell'Università", "Directeur d'Orange"
    rf"|(?:{lexicon.alternatives(_ELIDED_LINKS)})['’](?=[{UP}]))",
    re.I,
)
_EMPLOYER_AT = re.compile(
    rf"\s(?:{lexicon.alternatives(lexicon.words('employer_links'))})\s+[{UP}]"
)
# A relative or temporal clause, or "and" before a verb or an article, ends a job title
# ("CIO since 2019", "Head of IT who …", "IT-chef og har …").
_ROLE_STOP = re.compile(
    rf"\s(?:{lexicon.alternatives(lexicon.words('clause_openers'))}|"
    rf"(?:{lexicon.alternatives(lexicon.words('and'))})\s+"
    rf"(?:{lexicon.alternatives(lexicon.words_of('bio_verbs', 'articles'))}))\s",
    re.I,
)


# A sentence ends at a full stop, but not at an abbreviation such as "St." or "Dr.".
# A full stop ends a sentence only before a word that does not start in lower case: "dyrektor
# ds. architektury IT", "Dr. sc. techn." abbreviate inside one phrase.
# A bracket opens an aside, but not around the acronym of the job: "teknikchef (CTO) på …".
_CLAUSE_END = re.compile(
    rf"(?<=[a-zæøå0-9)])(?<!\b[A-Z][a-z])\.\s(?![{LO}])|[;|•·]|\((?![A-Z]{{2,6}}\))|\s[–—-]\s"
)
_SPACED_FORMS = re.compile("|".join(re.escape(f) for f in sorted(LEGAL_FORMS) if ". " in f))


# A sentence ending on a legal form written without dots: "… of Nordvik Logistik AB. Hon är …"
_UNDOTTED_FORMS = sorted(
    f for f in LEGAL_FORMS if "." not in f and " " not in f and f[:1].isupper()
)
_FORM_END = re.compile(rf"\b(?:{lexicon.alternatives(_UNDOTTED_FORMS)})(?=\.\s+[{UP}])")


def _first_clause(phrase: str) -> str:
    """The phrase up to its first clause end, read through legal forms such as "sp. z o.o."."""
    inside = [m.span() for m in _SPACED_FORMS.finditer(phrase)]
    form = _FORM_END.search(phrase)
    for m in _CLAUSE_END.finditer(phrase):
        if form and form.end() <= m.start():
            break
        if not any(a <= m.start() < b for a, b in inside):
            return phrase[: m.start() + (1 if m.group().startswith(".") else 0)].strip()
    return phrase[: form.end()].strip() if form else phrase


# A relative or temporal clause opener that no language also uses as an article or a link
# ("who", "which", "som", "seit", not German "der")
_RELATIVE = re.compile(
    r"[\s,]+(?:"
    + lexicon.alternatives(
        lexicon.words_of("clause_openers")
        - lexicon.words_of("articles", "role_links", "name_links")
    )
    + r")\s",
    re.I,
)
# An abbreviation of two or more dotted parts, then a lower-case word: "Ph.D. a …", "M.Sc. in"
_LEADING_DEGREE = re.compile(rf"^(?:[^\W\d_]{{1,4}}\.){{2,3}},?\s+(?=[{LO}])")


def role_and_organisation(phrase: str) -> tuple[str | None, str | None]:
    """Split "Group CIO of Nordlys Energi, a …" or "CIO, Egeskov Municipality" into both parts.

    The role must contain a job-title word; the organisation is the capitalised name after
    of/at/in/i/hos/… (or after a comma); either may be None.
    """
    # a degree written first ("Ph.D. a statistician in …", "cand.merc. og it-chef …") is no job
    phrase = _LEADING_DEGREE.sub("", phrase.strip())
    dashed = _role_dash_organisation(phrase)
    if dashed:
        return dashed
    phrase = _first_clause(phrase)
    relative = _RELATIVE.search(phrase)
    if relative:  # "… in the Office of X who is also a faculty member at Y": another clause
        phrase = phrase[: relative.start()].strip(" ,")
    owned = _owner_role(phrase)
    if owned:
        return owned
    last = phrase.rsplit(None, 1)[-1] if phrase else ""
    if not LEGAL_DOTTED.fullmatch(last):  # "… S.A." keeps the dot of its legal form
        phrase = phrase.rstrip(".")
    for m in _PREPOSITIONS.finditer(" " + phrase):
        role = _clean_role(phrase[: m.start()])
        org = organisation_at(phrase[m.end() - 1 :])
        if role and org and _EMPLOYER_ONLY.match(m.group()):
            org = _whole_clause_name(phrase[m.end() - 1 :]) or org
        if role and _comma_ends_role(role):
            continue  # "CIO, Styrelsen for X": the comma, not the "for", ends the role
        if role and org and re.search(r"\bhead$", role, re.I) and "," in phrase[m.end() - 1 :]:
            continue  # "Head of Procurement, Region X": "Head of …" names a function
        if (
            role
            and org
            and _EMPLOYER_AT.search(phrase[m.end() - 1 :].split(", ")[0])
            and not _EMPLOYER_AT.match(phrase[m.start() - 1 :])
        ):
            continue  # "Head of Platform Engineering at X": "at" names the employer
        if role and org:
            role, org = _function_first(role, org, phrase)
            employer = None if is_unit(org) else _employer_after(phrase, org)
            if employer:  # "Head of Data of Region West, Meridian Shield Insurance"
                return phrase[: phrase.find(org) + len(org)].strip(), employer
            parent = institution_of(org, phrase[m.end() - 1 :])
            if parent != org and is_unit(org) and parent in phrase:
                # "Leiterin der Abteilung IT im Magistrat X": the unit belongs to the role
                lead = _clean_role(_TRAILING_LINK.sub("", phrase[: phrase.find(parent)]))
                return (lead or role), parent
            return role, parent
    head, _, tail = phrase.partition(",")
    role = _clean_role(head)
    if role and tail:
        org = organisation_at(tail)
        if org and not ROLE_WORDS.search(org):
            parent = institution_of(org, tail)
            if parent != org and is_unit(org):
                # "Dean, School of Information Systems, Deccan Institute": the unit is part of
                # the job, the institution employs the person
                return f"{role}, {org}", parent
            return role, parent
    stop = _ROLE_STOP.search(" " + head + " ")
    if stop:
        head = head[: max(stop.start() - 1, 0)]
    return _clean_role(head), None


# "Chief Digital Officer – Godavari Care Hospitals Group": a role, a spaced dash, an employer
_DASHED = re.compile(r"^(.{2,80}?)\s[–—-]\s(.{2,100})$")
# "Karoo Power Generation's General Manager for Enterprise Applications": the owner's possessive
_OWNER = re.compile(r"^((?:[A-Z][\w&.-]*\s+){0,5}[A-Z][\w&.-]*?)['’]s?\s+(.{2,100})$")


# Prepositions that only ever introduce an employer ("chez", "auprès de", "presso"): the
# name after them runs to the clause's end, lower-case words and all, as French and Italian
# write names ("Service public fédéral Affaires numériques").
_EMPLOYER_ONLY = re.compile(
    rf"\s(?:{lexicon.alternatives(lexicon.words('employer_only_links'))})\s", re.I
)


def _whole_clause_name(rest: str) -> str | None:
    """The organisation after an employer-only preposition: the clause (the phrase was cut at
    its sentence end) up to a comma or a bracket, when it opens with a capital and is at most
    eight words long."""
    clause = re.split(r"[,;()]", rest.strip(), maxsplit=1)[0].strip()  # one clause already
    words = clause.split()
    if not words or not words[0][:1].isupper() or len(words) > 8:
        return None
    if words[0].lower() in _ARTICLES or words[0].lower()[:2] in ("l'", "l’"):
        return None
    return clause


def _role_dash_organisation(phrase: str) -> tuple[str, str] | None:
    """ "Role – Organisation": the dash parts a job title from the whole name of its employer."""
    m = _DASHED.match(phrase)
    if not m:
        return None
    role, rest = _clean_role(m.group(1)), m.group(2).strip(" .")
    org = organisation_at(rest)
    if not role or not org or org != rest or ROLE_WORDS.search(org) or is_unit(org):
        return None
    return role, org


def _owner_role(phrase: str) -> tuple[str, str] | None:
    """ "Org's Role …" (English writes the employer as the role's owner): the role is all that
    follows the possessive, function and all."""
    m = _OWNER.match(phrase)
    if not m or not (m.group(0)[len(m.group(1)) :].startswith(("'s ", "’s ", "' ", "’ "))):
        return None
    owner = m.group(1)
    role = _clean_role(m.group(2))
    if not role or organisation_at(owner) != owner or ROLE_WORDS.search(owner):
        return None
    return role, owner


_TRAILING_LINK = re.compile(
    rf"(?:[\s,]+(?:{lexicon.alternatives(w for w in _WORD_LINKS | _ARTICLES if ' ' not in w)}))*"
    r"[\s,]*$",
    re.I,
)


# A function and the link after it: "Data of …", "Sistemas de …", "IT bei …"
_FUNCTION_HEAD = re.compile(
    rf"^((?:\S+\s+){{0,2}}?\S+)\s+(?:{lexicon.alternatives(_WORD_LINKS)})\s+(.+)$", re.I
)


def _function_first(role: str, org: str, phrase: str) -> tuple[str, str]:
    """ "Head of Data of Region X": "Data" is the function headed, so the role is "Head of
    Data" and the organisation "Region X", not "Data of Region X"; functions may follow one
    another ("directora de Sistemas de Información de Supermercados X")."""
    at = phrase.find(org)
    employer = org
    while at >= 0 and (m := _FUNCTION_HEAD.match(employer)):
        if not all(w.lower() in FUNCTIONS for w in m.group(1).split()):
            break
        rest = organisation_at(m.group(2))
        if not rest or rest not in employer:
            break
        employer = rest
    if employer == org:
        return role, org
    start = at + org.find(employer)
    return _TRAILING_LINK.sub("", phrase[:start]).strip(), employer  # the role as written


def _employer_after(phrase: str, org: str) -> str | None:
    """The employer named after a comma that follows "Role of X": in "Head of Data of Region
    West, Meridian Shield Insurance" X is part of the role and the name of several words after
    the comma is the organisation (one word there is more often a town or a country)."""
    at = phrase.find(org)
    rest = phrase[at + len(org) :] if at >= 0 else ""
    if not rest.startswith(","):
        return None
    employer = organisation_at(rest[1:])
    if not employer or len(employer.split()) < 2 or is_unit(employer):
        return None
    return None if ROLE_WORDS.search(employer) else employer


def is_unit(name: str) -> bool:
    """True for the name of a part of an institution: "Department of Physics", "ECE
    Department", "Institut für Informatik" (the unit words come from the language tables)."""
    return bool(lexicon.word_regex("org_units").match(name)) or bool(
        lexicon.ends_with("org_units").search(name)
    )


def institution_of(org: str, text: str) -> str:
    """The institution a unit belongs to, when text names both: "Department of Electrical
    Engineering, Koç University" gives "Koç University", "Institute of Media of TU Graz" gives
    "TU Graz"; any other organisation is returned as it is."""
    owner = re.match(r"^(.+?)['’]s\s", org + " ")
    if owner and organisation_at(owner.group(1)) == owner.group(1):
        return owner.group(1)  # "BT's R&D", "Siemens' research unit": the owner employs them
    if not is_unit(org):
        return org
    after = text[text.find(org) + len(org) :] if org in text else ""
    m = re.match(r"\s*,\s*(?:the\s+)?", after) or _PREPOSITIONS.match(after)
    parent = organisation_at(after[m.end() :]) if m else None
    if parent and not is_unit(parent) and not ROLE_WORDS.search(parent):
        return parent
    inner = re.search(r"\s(?:of|at)\s+((?:the\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*)*)$", org)
    named = inner and (len(inner.group(1).split()) >= 2 or inner.group(1).isupper())
    if inner and named and not is_unit(inner.group(1)) and inner.start() > 0:
        return inner.group(1)
    return org


def _comma_ends_role(role: str) -> bool:
    """True for "CIO, Styrelsen": a role, a comma, then the start of an organisation's name."""
    head, comma, tail = role.partition(",")
    if not comma or not _clean_role(head):
        return False
    words = tail.split()
    return bool(words) and bool(ORG_TOKEN.match(words[0])) and words[0].lower() not in FUNCTIONS


def _clean_role(text: str) -> str | None:
    """A role phrase without leading articles, or None unless it names a job."""
    text = re.sub(r"^(?:the|a|an|en|et|our|vores)\s+", "", text.strip(" ,.:;–-"), flags=re.I)
    if not text or len(text) > 80 or not ROLE_WORDS.search(text):
        return None
    return text

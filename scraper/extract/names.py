"""People's names, job titles (roles) and organisations in running text, English and Danish."""

from __future__ import annotations

import re
import unicodedata

from folding import name_key
from scraper.extract import lexicon

_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĹĽŁŃŇŐŒŔŘŚŞŠŤŢŰŹŻŽ"
_LO = "a-zß-öø-ÿāăąćčďđēęěğĺľłńňőœŕřśşšťţűźżž"
# a capitalised word, perhaps with one inner capital after a short prefix ("McDonald",
# "DeVries", "AlKhamissi", "LeCun")
_WORD = (
    rf"[{_UP}](?:[{_LO}]{{1,3}}[{_UP}][{_LO}]+|[{_LO}]+|[{_UP}][{_LO}]+)"
    rf"(?:['’\-][{_UP}{_LO}][{_LO}]+)*"
)
# An initial, with its dot or, as Indian names are often written ("K P Naveen"), without one
_INITIAL = rf"[{_UP}]\.|[{_UP}](?=\s+[{_UP}])"
_PARTICLE = r"(?:van|von|de|der|den|del|della|da|di|du|la|le|af|ten|ter|bin|al|zu|y)"


def _title_pattern(titles: tuple[str, ...]) -> str:
    """Academic and courtesy titles of the language tables, capitalised as written before a
    name ("Dr", "Mag.a", "Dott.ssa", "Dipl.-Ing."); a short one needs its dot ("Ing.", "Ir."),
    since a bare short word is more often an initial or a word."""
    bare_ok = {"dr", "mr", "ms", "mrs", "prof"}
    parts = []
    for title in sorted({t for t in titles if len(t) >= 2 and not _UNSPACED_TITLE.search(t)},
                        key=len, reverse=True):  # fmt: skip
        # the first letter in either case: Polish and Czech write "dr", "mgr", "prof." in lower
        first = f"[{re.escape(title[0].upper())}{re.escape(title[0].lower())}]"
        body = first + re.escape(title[1:]).replace(r"\ ", r"\s+")
        dot = r"\.?" if len(title) > 3 or title in bare_ok else r"\."
        parts.append(body + (dot if not title.endswith(".") else ""))
    return "(?:" + "|".join(parts) + ")"


_UNSPACED_TITLE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
# a doctorate's field abbreviated in lower case after the title: "Dr. rer. nat.", "Dr. sc.
# techn.", "Dr. med. dent.", "Dr. h.c."
_TITLE = _title_pattern(lexicon.words("titles")) + r"(?:\s+[a-zäöü]{1,6}\.(?:[a-z]{1,3}\.)?)*"
TITLES = re.compile(rf"^(?:{_TITLE}\s+)+")
NAME_PATTERN = (
    rf"(?:{_TITLE}\s+)*(?:{_WORD}|{_INITIAL})"
    rf"(?:\s+(?:{_PARTICLE}\s+)*(?:{_WORD}|{_INITIAL})){{1,3}}"
)
NAME_AT_START = re.compile(rf"^\s*({NAME_PATTERN})(?![\w'’-])")

# Capitalised words that are not given names or surnames (sentence starts, organisations, dates).
NOT_NAME_WORDS = frozenset(
    [
        "the", "this", "that", "these", "those", "there", "their", "our", "your", "his", "her",
        "its", "a", "an", "at", "in", "on", "for", "with", "and", "or", "of", "to", "from", "by",
        "as", "about", "after", "before", "during", "when", "where", "what", "who", "how", "why",
        "if", "all", "any", "some", "each", "every", "department", "institute", "institut",
        "university", "universitet", "school", "business", "academy", "college", "faculty",
        "region", "municipality", "kommune", "company", "group", "bank", "talk", "talks",
        "seminar", "seminars", "lecture", "webinar", "workshop", "conference", "meetup", "panel",
        "speaker", "speakers", "abstract", "biography", "bio", "date", "time", "venue",
        "location", "room", "host", "registration", "contact", "kontakt", "program", "programme",
        "agenda", "details", "january", "february", "march", "april", "may", "june", "july",
        "august", "september", "october", "november", "december", "januar", "februar", "marts",
        "maj", "juni", "juli", "august", "oktober", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "mandag", "tirsdag", "onsdag", "torsdag", "fredag",
        "lørdag", "søndag", "digital", "data", "health", "care", "management", "centre", "center",
        "office", "ministry", "agency", "styrelsen", "ministeriet", "lab", "laboratory",
        "association", "society", "council", "board", "committee", "hospital", "read", "more",
        "home", "news", "events", "event", "register", "sign", "join", "we", "you", "he", "she",
        "han", "hun", "der", "den", "det", "vi", "ved", "om", "med", "til", "på", "fra", "mit",
        "zu", "die", "das", "ein", "eine", "und", "für", "chief", "officer", "director",
        "information", "technology", "security", "vice", "president", "senior", "head", "manager",
        "executive", "global", "group", "energy", "international", "national", "european",
        "nordic", "danish", "english", "dansk", "engelsk", "new", "about", "welcome", "online",
        "free", "public", "private", "limited", "inc", "ltd", "plc", "a/s", "aps", "gmbh", "ab",
    ]
)  # fmt: skip

# Job titles ("CIO", "Head", "professor", "it-direktør", "toimitusjohtajan"), from every
# language table; a degree ("PhD") or a membership is no job title.
ROLE_WORDS = re.compile(lexicon.whole_words(lexicon.words("roles")), re.IGNORECASE)
# A name word after an elided article: "de l'Estuaire", "dell'Adriatico", "d'Aosta".
_ELIDED = re.compile(rf"^(?:l|d|dell|all|nell|dall|sull)['’][{_UP}]")
_ORG_TOKEN = re.compile(rf"^(?:[{_UP}0-9][\w&'’.\-/]*|&)$")
# The functions a job title heads ("Head of Data", "Directora de Tecnología"), from every
# language table, and the words that join them.
_FUNCTIONS = frozenset(lexicon.words("functions")) | {"&", "and", "of", "og", "i", "for", "the"}
# Nouns Swedish, Norwegian and German write in lower case after an organisation's proper name.
# Finnish writes the kind of body in lower case after the name in the genitive
# ("Päijät-Kymen hyvinvointialue", "Lahden kaupunki", "Tampereen yliopisto").
_LOWER_ORG_NOUNS = frozenset(
    ["kommun", "kommune", "region", "regionen", "län", "landsting", "universitet", "högskola",
     "sjukhus", "sykehus", "sygehus", "stad", "kommunes", "fylkeskommune", "amt",
     "kaupunki", "kunta", "hyvinvointialue", "yliopisto", "ammattikorkeakoulu", "korkeakoulu",
     "sairaanhoitopiiri", "kuntayhtymä", "seurakunta", "virasto"]
)  # fmt: skip
# The words that join a job title to its organisation ("CIO of", "IT-chef hos", "responsabile
# presso"), longer ones first so "de la" wins over "de".
_ROLE_LINKS = (
    "auprès de", "au sein de", "de la", "of", "at", "in", "i", "hos", "ved", "with", "for",
    "en", "bei", "von", "der", "chez", "from", "fra", "van", "bij", "på", "vid", "du", "des",
    "del", "im", "beim", "presso", "da", "do", "dos", "das", "w", "we", "di", "della",
    "dello", "degli", "delle", "dei", "de",
)  # fmt: skip
# The small words inside an organisation's name between two capitalised words: the
# prepositions and articles of names, and every language table's "and" ("Instituto de
# Matemática e Estatística", "Facultad de Economía y Empresa") unless another language uses
# it to join a role to its employer ("directora en Eléctrica del Tajo", Swedish "i").
ORG_CONNECTORS = frozenset(
    ["for", "för", "voor", "of", "&", "de", "du", "la", "für", "i", "the", "di", "da",
     "do", "dos", "das", "della", "delle", "del", "dei", "degli", "der", "des"]
) | frozenset(w for w in lexicon.words("and") if w not in _ROLE_LINKS)  # fmt: skip
# Legal-form abbreviations kept with their dots ("S.A.", "S.p.A.", "Ltd.", "Co., Ltd.").
_CO_TAIL = re.compile(r"(?:Ltd|Inc)\.?", re.I)
_LEGAL_DOTTED = re.compile(
    r"(?:[A-Za-z]{1,3}\.){2,}|Ltd\.|Inc\.|Corp\.|Co\.|Ltda\.|Bhd\.|Pty\.|Sp\.|Plc\.", re.I
)
_PREPOSITIONS = re.compile(
    rf"\s(?:{'|'.join(_ROLE_LINKS)})\s+"
    # an article after the preposition: "bei der", "chez le", "presso la", "at the", "van de"
    r"(?:(?:the|der|die|das|dem|den|le|la|les|il|lo|el|o|a|os|as|het|de)\s+|l['’])?",
    re.I,
)
_EMPLOYER_AT = re.compile(r"\s(?:at|hos|bei|chez|på|bij)\s+[A-ZÆØÅÄÖ]")
_ROLE_STOP = re.compile(
    r"\s(?:since|siden|where|who|which|der|som|and\s+(?:has|is|was|a|an|the)|og\s+(?:har|er))\s",
    re.I,
)


def strip_titles(name: str) -> str:
    """A name without leading academic or courtesy titles."""
    return TITLES.sub("", name.strip()).strip()


def looks_like_name(text: str) -> bool:
    """True when text is a person's name: 2-4 capitalised tokens, no organisation words."""
    text = strip_titles(text.strip().strip(",.:;"))
    m = NAME_AT_START.match(text)
    if not m or m.group(1).strip() != text:
        return False
    words = [w for w in text.split() if not re.fullmatch(_PARTICLE, w)]
    if words[-1].endswith(".") or len(words) > 4:
        return False
    # an initial ("A.") is no word, whatever word its letter spells
    return not any(
        w.lower().strip(".") in NOT_NAME_WORDS for w in words if not re.fullmatch(r"\w\.", w)
    )


def name_at_start(text: str) -> str | None:
    """The person's name a text begins with (titles stripped), if it begins with one."""
    m = NAME_AT_START.match(text)
    if not m:
        return None
    words = strip_titles(m.group(1)).split()
    if len(words) >= 3 and _leading_role(words[0]):
        words = words[1:]  # "Tietohallintojohtaja Päivi Koskelainen": the job title comes first
    # Shrink from the right until the words form a name ("Per Buchwaldt Is" never matches,
    # but "Lars Østergaard Fortæller" could at a sentence start).
    while len(words) >= 2:
        candidate = " ".join(words)
        if looks_like_name(candidate):
            return candidate
        words = words[:-1]
    return None


# Words that end the lower-case part of a Nordic agency's name: conjunctions, relatives and
# prepositions of place and time.
_TAIL_STOP = frozenset(
    ["og", "och", "and", "som", "der", "hvor", "där", "i", "på", "med", "siden", "sedan",
     "fra", "från", "til", "till", "at", "in", "since"]
)  # fmt: skip


def _lower_tail(tokens: list[str]) -> list[str]:
    """The lower-case words of a Danish, Norwegian or Swedish agency's name after "for"/"för",
    up to a conjunction, a preposition or punctuation; none when the clause goes on past four."""
    tail: list[str] = []
    for token in tokens:
        if token in ",;:()[]" or token.lower() in _TAIL_STOP:
            return tail
        bare = token.rstrip(".")
        if not bare[:1].islower() or not bare.replace("-", "").isalpha():
            return tail if bare != token or not bare else []
        tail.append(bare)
        if bare != token:
            return tail  # the sentence ends here
    return tail if len(tokens) < 4 else []


def _leading_role(word: str) -> bool:
    """True for a job title written before a name ("Tietohallintojohtaja", "CIO"), not a given
    name that is also a job ("Dean")."""
    from scraper.extract.persons import is_given_name

    return bool(ROLE_WORDS.fullmatch(word)) and not is_given_name(word)


def leading_role(text: str, name: str) -> str | None:
    """The job title a line writes before the person's name, if it is one word of a job title."""
    lead = text[: text.find(name)].strip() if name in text else ""
    return lead if lead and " " not in lead and _leading_role(lead) else None


def organisation_at(text: str) -> str | None:
    """The capitalised organisation name a text begins with ("Region Zealand and …")."""
    tokens = re.findall(r"[^\s,;:()\[\]]+|[,;:()\[\]]", text.strip())
    taken: list[str] = []
    end = len(tokens)  # the index of the first token after the name
    for i, token in enumerate(tokens):
        bare = token.rstrip(".")
        if (_ORG_TOKEN.match(bare) or (taken and _ELIDED.match(bare))) and not (
            taken == [] and bare.lower() == "the"
        ):
            if taken and _LEGAL_DOTTED.fullmatch(token):
                taken.append(token)  # "Bank Wiślany S.A.": the legal form ends the name
                after = [*tokens[i + 1 : i + 3], "", ""]
                end = i + 1
                if token.lower() == "co." and after[0] == "," and _CO_TAIL.fullmatch(after[1]):
                    taken[-1] = f"{token}, {after[1]}"  # "Co., Ltd."
                    end = i + 3
                break
            abbreviation = re.fullmatch(r"[A-Z]\.|St\.|Co\.", token)
            taken.append(token if abbreviation and len(token) > 2 else bare)  # "St. Aldric"
            if token.endswith(".") and not abbreviation:
                end = i + 1
                break
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if taken and bare in _LOWER_ORG_NOUNS:
            taken.append(bare)  # "Björkby kommun", "Sundvik universitet"
            end = i + 1
            break
        joins = nxt and (_ORG_TOKEN.match(nxt.rstrip(".")) or _ELIDED.match(nxt))
        if taken and token.lower() in ORG_CONNECTORS and joins:
            taken.append(token)
            continue
        if len(taken) == 1 and token.lower() in ("for", "för") and nxt[:1].islower():
            tail = _lower_tail(tokens[i + 1 : i + 5])
            if tail:  # "Direktoratet for statlig innkreving", "Myndigheten för digital förvaltning"
                taken += [token, *tail]
                end = i + 1 + len(tail)
                break
        if joins and token.lower() == "at" and taken[0].lower().startswith("univ"):
            taken.append(token)  # "University of California at Irvine": a campus of one name
            continue
        if not taken and token.lower() == "the":
            continue
        end = i
        break
    while taken and taken[-1].lower() in ORG_CONNECTORS:
        taken.pop()
    if taken:
        for form in _legal_tail(tokens, end):
            taken[-1] += form if form.startswith(",") else f" {form}"
    if not taken or len(taken) > 10:
        return None
    org = " ".join(taken)
    if all(t.lower() in _FUNCTIONS or t.lower() in ORG_CONNECTORS for t in taken):
        return None  # "Director of IT", "Head of Digital Innovation": a function, not an employer
    if org.lower() in NOT_NAME_WORDS or not re.search(r"[^\W\d_]", org):
        return None
    if is_law(org):
        return None  # "the GDPR Act", "ISO 27001", "Datenschutzgesetz": a rule, not an employer
    return org


_LEGAL_FORMS = frozenset(lexicon.legal_forms())


def _legal_tail(tokens: list[str], end: int) -> list[str]:
    """The legal form written after a name, as its own tokens: "gGmbH", "e.V.", "Sp. z o.o.",
    ", S.A." (after a comma only a form no town or country code is written like), "Co. AB"."""
    tail: list[str] = []
    for _ in range(2):
        comma = end < len(tokens) and tokens[end] == ","
        start = end + 1 if comma else end
        for size in (4, 3, 2, 1):
            form = " ".join(tokens[start : start + size])
            if start + size > len(tokens) or form not in _LEGAL_FORMS:
                continue
            if comma and not (re.search(r"[./]", form) or len(form) > 3):
                continue  # "Oslo, NO", "Stockholm, SE": a place and its country
            tail.append(f", {form}" if comma else form)
            end = start + size
            break
        else:
            break
    return tail


_STANDARD = re.compile(r"^(?:ISO|IEC|EN|DIN|NEN|NF|UNE|BS)(?:/IEC)?[\s-]?\d", re.I)


def is_law(name: str) -> bool:
    """True for the name of a law, regulation or standard ("AI Act", "NIS2-direktivet",
    "ISO 27001"), whose last word is one of the language tables' words for them."""
    last = name.split()[-1] if name.split() else ""
    return bool(_STANDARD.match(name)) or bool(lexicon.word_regex("laws").fullmatch(last))


# A sentence ends at a full stop, but not at an abbreviation such as "St." or "Dr.".
# A full stop ends a sentence only before a word that does not start in lower case: "dyrektor
# ds. architektury IT", "Dr. sc. techn." abbreviate inside one phrase.
_CLAUSE_END = re.compile(rf"(?<=[a-zæøå0-9)])(?<!\b[A-Z][a-z])\.\s(?![{_LO}])|[;(|•·]|\s[–—-]\s")
_SPACED_FORMS = re.compile("|".join(re.escape(f) for f in sorted(_LEGAL_FORMS) if ". " in f))


def _first_clause(phrase: str) -> str:
    """The phrase up to its first clause end, read through legal forms such as "sp. z o.o."."""
    inside = [m.span() for m in _SPACED_FORMS.finditer(phrase)]
    for m in _CLAUSE_END.finditer(phrase):
        if not any(a <= m.start() < b for a, b in inside):
            return phrase[: m.start() + (1 if m.group().startswith(".") else 0)].strip()
    return phrase


def role_and_organisation(phrase: str) -> tuple[str | None, str | None]:
    """Split "Group CIO of Nordlys Energi, a …" or "CIO, Egeskov Municipality" into both parts.

    The role must contain a job-title word; the organisation is the capitalised name after
    of/at/in/i/hos/… (or after a comma); either may be None.
    """
    dashed = _role_dash_organisation(phrase.strip())
    if dashed:
        return dashed
    phrase = _first_clause(phrase.strip())
    owned = _owner_role(phrase)
    if owned:
        return owned
    last = phrase.rsplit(None, 1)[-1] if phrase else ""
    if not _LEGAL_DOTTED.fullmatch(last):  # "… S.A." keeps the dot of its legal form
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
_EMPLOYER_ONLY = re.compile(r"\s(?:chez|auprès de|au sein de|presso)\s", re.I)


def _whole_clause_name(rest: str) -> str | None:
    """The organisation after an employer-only preposition: the clause (the phrase was cut at
    its sentence end) up to a comma or a bracket, when it opens with a capital and is at most
    eight words long."""
    clause = re.split(r"[,;()]", rest.strip(), maxsplit=1)[0].strip()  # one clause already
    words = clause.split()
    if not words or not words[0][:1].isupper() or len(words) > 8:
        return None
    if words[0].lower() in ("le", "la", "les", "l'", "il", "lo"):
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
    r"(?:[\s,]+(?:of|at|in|i|hos|ved|på|bei|im|beim|chez|presso|da|do|der|die|das|dem|the|"
    r"le|la|il|el))*[\s,]*$",
    re.I,
)


def _function_first(role: str, org: str, phrase: str) -> tuple[str, str]:
    """ "Head of Data of Region X": "Data" is the function headed, so the role is "Head of
    Data" and the organisation "Region X", not "Data of Region X"."""
    m = re.match(
        r"^((?:\S+\s+){0,2}?\S+)\s+(of|for|at|i|hos|ved|bei|de|du|di|da|do|del|della|des|der|w)"
        r"\s+(.+)$",
        org,
    )
    if not m or not all(w.lower() in _FUNCTIONS for w in m.group(1).split()):
        return role, org
    rest = organisation_at(m.group(3))
    at = phrase.find(org)
    if not rest or at < 0:
        return role, org
    return phrase[: at + len(m.group(1))].strip(), rest  # the role as written, with its function


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
    m = re.match(r"\s*(?:,|\ban der\b|\bder\b)\s*(?:the\s+)?", after) or _PREPOSITIONS.match(after)
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
    return bool(words) and bool(_ORG_TOKEN.match(words[0])) and words[0].lower() not in _FUNCTIONS


def _clean_role(text: str) -> str | None:
    """A role phrase without leading articles, or None unless it names a job."""
    text = re.sub(r"^(?:the|a|an|en|et|our|vores)\s+", "", text.strip(" ,.:;–-"), flags=re.I)
    if not text or len(text) > 80 or not ROLE_WORDS.search(text):
        return None
    return text


_FOLD_TITLES = re.compile(
    r"\b(?:dr|prof|professor|assoc|associate|mr|mrs|ms|miss|herr|frau|lektor|sir|dame|phd)\b\.?"
)  # the titles a name key drops (kept as they were: the keys of stored speakers use them)


def normalise_name(name: str) -> str:
    """A speaker's identity key: the project's lossy name key, titles dropped, so "Sørensen",
    "Soerensen" and "Sorensen" are one person."""
    text = name_key(unicodedata.normalize("NFKC", name or ""))
    text = _FOLD_TITLES.sub(" ", text)
    text = re.sub(r"[^\w\s-]", " ", text)
    return re.sub(r"\s+", " ", text).strip()

"""People's names, job titles (roles) and organisations in running text; the small words that
join them (links, articles, particles) come from the language tables."""

from __future__ import annotations

import re
import unicodedata

from folding import name_key
from scraper.extract import lexicon

UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞĹĽŁŃŇŐŒŔŘŚŞŠŤŢŰŹŻŽ"
LO = "a-zß-öø-ÿāăąćčďđēęěğĺľłńňőœŕřśşšťţűźżž"
# a capitalised word, perhaps with one inner capital after a short prefix ("McDonald",
# "DeVries", "AlKhamissi", "LeCun")
_WORD = (
    rf"[{UP}](?:[{LO}]{{1,3}}[{UP}][{LO}]+|[{LO}]+|[{UP}][{LO}]+)"
    rf"(?:['’\-][{UP}{LO}][{LO}]+)*"
)
# An initial, with its dot or, as Indian names are often written ("K P Naveen"), without one
_INITIAL = rf"[{UP}]\.|[{UP}](?=\s+[{UP}])"


# The particles inside a person's name ("van", "af", "della"), from every language table.
_PARTICLE = f"(?:{lexicon.alternatives(lexicon.words('surname_particles'))})"


def _title_pattern(titles: tuple[str, ...]) -> str:
    """Academic and courtesy titles of the language tables, capitalised as written before a
    name ("Dr", "Mag.a", "Dott.ssa", "Dipl.-Ing."); a short one needs its dot ("Ing.", "Ir."),
    since a bare short word is more often an initial or a word."""
    bare_ok = {"dr", "mr", "ms", "mrs", "prof"}
    # grouped by first letter ("[Dd](?:r\.?|ipl\.-ing\.?|…)"), so that a position is tried
    # against one class per letter rather than against every title
    groups: dict[str, list[str]] = {}
    for title in sorted({t for t in titles if len(t) >= 2 and not _UNSPACED_TITLE.search(t)},
                        key=len, reverse=True):  # fmt: skip
        # the first letter in either case: Polish and Czech write "dr", "mgr", "prof." in lower
        first = f"[{re.escape(title[0].upper())}{re.escape(title[0].lower())}]"
        rest = re.escape(title[1:]).replace(r"\ ", r"\s+")
        dot = r"\.?" if len(title) > 3 or title in bare_ok else r"\."
        groups.setdefault(first, []).append(rest + (dot if not title.endswith(".") else ""))
    parts = [f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items()]
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
# A name word after an elided article or preposition: "de l'Estuaire", "dell'Adriatico".
_ELIDED_WORDS = frozenset(
    w[:-1] for w in lexicon.words_of("articles", "name_links") if w[-1:] == "'"
)
_ELIDED = re.compile(rf"^(?:{lexicon.alternatives(_ELIDED_WORDS)})['’][{UP}]")
ORG_TOKEN = re.compile(rf"^(?:[{UP}0-9][\w&'’.\-/]*|&)$")
# The functions a job title heads ("Head of Data", "Directora de Tecnología"), from every
# language table, and the words that join them.
FUNCTIONS = frozenset(lexicon.words("functions")) | lexicon.words_of("and", "name_links") | {"&"}
# Nouns written in lower case after an organisation's proper name, from every language table
# ("Björkby kommun", "Lahden kaupunki", "Tampereen yliopisto").
_LOWER_ORG_NOUNS = frozenset(lexicon.words("lower_org_nouns"))
_ORG_ADJECTIVES = frozenset(lexicon.words("org_adjectives"))
# The words that join a job title to its organisation ("CIO of", "IT-chef hos", "responsabile
# presso"), from every language table.
ROLE_LINKS = frozenset(lexicon.words("role_links"))
# "of the", "de la", "van het" inside a name: a link of names, then an article
_NAME_LINKS = frozenset(lexicon.words("name_links"))
_NAME_ARTICLES = frozenset(a for a in lexicon.words("articles") if not a.endswith("'"))
# The small words inside an organisation's name between two capitalised words: the tables'
# "name_links", and every table's "and" ("Instituto de Matemática e Estatística", "Facultad de
# Economía y Empresa") unless another language uses it to join a role to its employer
# ("directora en Eléctrica del Tajo", Swedish "i").
ORG_CONNECTORS = (
    _NAME_LINKS | {"&"} | frozenset(w for w in lexicon.words("and") if w not in ROLE_LINKS)
)
# Legal-form abbreviations kept with their dots ("S.A.", "S.p.A.", "Ltd.", "Co., Ltd.").
_CO_TAIL = re.compile(r"(?:Ltd|Inc)\.?", re.I)
LEGAL_DOTTED = re.compile(
    r"(?:[A-Za-z]{1,3}\.){2,}|Ltd\.|Inc\.|Corp\.|Co\.|Ltda\.|Bhd\.|Pty\.|Sp\.|Plc\.", re.I
)


# Courtesy titles of one letter ("D." for Don in Spanish, "M." for Monsieur in French): read as
# a title only before a known given name and a surname, else they are an initial.
_LETTER_TITLE = re.compile(rf"^([{UP}])\.\s+(?=\S+\s+\S)", re.I)
_LETTER_TITLES = frozenset(t for t in lexicon.words("titles") if len(t) == 1)


def strip_titles(name: str) -> str:
    """A name without leading academic or courtesy titles."""
    name = TITLES.sub("", name.strip()).strip()
    letter = _LETTER_TITLE.match(name)
    if letter and letter.group(1).lower() in _LETTER_TITLES:
        from scraper.extract.persons import is_given_name

        rest = name[letter.end() :]
        if is_given_name(rest.split()[0]):
            return rest
    return name


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


# Words that end the lower-case part of a Nordic agency's name: conjunctions, relatives,
# "with", "from" and the prepositions that join a job title to its employer.
_TAIL_STOP = lexicon.words_of("and", "clause_openers", "with", "from", "role_links")


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
        if (ORG_TOKEN.match(bare) or (taken and _ELIDED.match(bare))) and not (
            taken == [] and bare.lower() == "the"
        ):
            if taken and LEGAL_DOTTED.fullmatch(token):
                taken.append(token)  # "Bank Wiślany S.A.": the legal form ends the name
                after = [*tokens[i + 1 : i + 3], "", ""]
                end = i + 1
                if token.lower() == "co." and after[0] == "," and _CO_TAIL.fullmatch(after[1]):
                    taken[-1] = f"{token}, {after[1]}"  # "Co., Ltd."
                    end = i + 3
                break
            if taken and re.fullmatch(r"(?:19|20)\d\d", bare):
                end = i  # "teknikchef på Fjällpost 2023": a year after a name is a date
                break
            if taken and token in LEGAL_FORMS:
                end = i  # "Oberland GmbH und …": the legal form ends the name (_legal_tail)
                break
            abbreviation = re.fullmatch(r"[A-Z]\.|St\.|Co\.", token)
            taken.append(token if abbreviation and len(token) > 2 else bare)  # "St. Aldric"
            if token.endswith(".") and not abbreviation:
                end = i + 1
                break
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if taken and token[:1].islower() and bare in _ORG_ADJECTIVES:
            taken.append(bare)  # "Centre hospitalier des …", "Azienda ospedaliera di …"
            continue
        if taken and bare in _LOWER_ORG_NOUNS:
            taken.append(bare)  # "Björkby kommun", "Sundvik universitet"
            end = i + 1
            break
        joins = nxt and (ORG_TOKEN.match(nxt.rstrip(".")) or _ELIDED.match(nxt))
        if taken and token.lower() in ORG_CONNECTORS and joins:
            taken.append(token)
            continue
        third = tokens[i + 2] if i + 2 < len(tokens) else ""
        if (
            taken
            and token.lower() in _NAME_LINKS
            and nxt.lower() in _NAME_ARTICLES
            and ORG_TOKEN.match(third.rstrip("."))
        ):
            taken.append(token)  # "University of the Lomond", "Banco de la Nación"
            continue
        if taken and taken[-1].lower() in _NAME_LINKS and token.lower() in _NAME_ARTICLES and joins:
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
    if all(t.lower() in FUNCTIONS or t.lower() in ORG_CONNECTORS for t in taken):
        return None  # "Director of IT", "Head of Digital Innovation": a function, not an employer
    if org.lower() in NOT_NAME_WORDS or not re.search(r"[^\W\d_]", org):
        return None
    if is_law(org):
        return None  # "the GDPR Act", "ISO 27001", "Datenschutzgesetz": a rule, not an employer
    return org


LEGAL_FORMS = frozenset(lexicon.legal_forms())


def _legal_tail(tokens: list[str], end: int) -> list[str]:
    """The legal form written after a name, as its own tokens: "gGmbH", "e.V.", "Sp. z o.o.",
    ", S.A." (after a comma only a form no town or country code is written like), "Co. AB"."""
    tail: list[str] = []
    for _ in range(2):
        comma = end < len(tokens) and tokens[end] == ","
        start = end + 1 if comma else end
        for size in (4, 3, 2, 1):
            form = " ".join(tokens[start : start + size])
            if start + size > len(tokens) or form not in LEGAL_FORMS:
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

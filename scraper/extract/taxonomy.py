"""Industries and themes from the data-file vocabulary, organisation gazetteer and industry terms.

The three JSON files in ``scraper/data/`` are admin-editable; an instance folder may replace any of
them. Matching works on accent-folded word tokens, so Danish and English spellings, hyphens and
compounds ("sundheds-it", "Fjordbank") are handled by the terms' wildcards rather than by code.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from scraper.extract.terms import WORD, Entry, Matcher, fold, term_table, words

INDUSTRIES: tuple[str, ...] = (
    "Health care",
    "Public administration",
    "Financial services",
    "Energy & utilities",
    "Professional services",
    "IT & telecommunications",
    "Manufacturing & engineering",
    "Pharma & life sciences",
    "Retail & consumer goods",
    "Transport & logistics",
    "Education & research",
    "Media & entertainment",
    "Food & agriculture",
    "Construction & real estate",
    "Non-profit & interest organisations",
)
THEMES: tuple[str, ...] = (
    "Health care IT",
    "Digital transformation",
    "IT strategy & governance",
    "IT leadership & organisation",
    "Sourcing & outsourcing",
    "Cloud computing",
    "Cybersecurity",
    "Data & analytics",
    "Artificial intelligence",
    "ERP & enterprise systems",
    "Enterprise architecture",
    "Agile & DevOps",
    "IT project & portfolio management",
    "Public sector digitalisation",
    "Innovation & emerging technology",
    "Customer experience & digital channels",
    "Mergers & integration",
    "Sustainability & green IT",
)
VOCABULARY_FILE = "vocabulary.json"
GAZETTEER_FILE = "gazetteer.json"
INDUSTRY_TERMS_FILE = "industry_terms.json"

STRONG, WEAK = 2, 1
_SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
_DESCRIBES = re.compile(r"\s*(?:,|\(|:|–|—|-\s|\b(?:is|are|er|was|var|which|that|som|der)\b)")
_CLAUSE_END = re.compile(
    r"[;).!?]|,\s*(?:and|og|but|men|while|mens)\b|\b(?:before|after|until|prior|previously|"
    r"formerly|earlier|tidligere|inden|indtil|he|she|han|hun|his|her|hans|hendes|joined|left)\b"
)
_HEAD = re.compile(r"\b(\w+)\s+(?:for|of|af)\s+$")
_JOINED = re.compile(
    r"\b(?:joined|joining|came to|moved to|returned to)\s+the\s+(\w+(?:\s+\w+)?)"
    r"|\b(?:kom|kommer|skiftede|vendte tilbage) til\s+(\w+(?:et|en|erne))\b"
)


def _namewords(name: str) -> list[str]:
    """Name words as compared: folded, 'Århus' = 'Aarhus' (not acronyms), 'A/S' = 'as'."""
    text = re.sub(r"\.(?:dk|com|org|net|eu)\b", "", fold(name))
    words = WORD.findall(re.sub(r"[.'’/]", "", text).replace("&", " and "))
    return [
        "and" if w == "og" else w.replace("aa", "a").replace("oe", "o") if len(w) > 4 else w
        for w in words
    ]


def _name_key(name: str, legal_suffixes: frozenset[str]) -> str:
    """An organisation name as the gazetteer compares it (no leading 'the', no 'A/S')."""
    words = _namewords(name)
    while len(words) > 1 and words[0] in ("the", "den", "det"):
        words.pop(0)
    while len(words) > 1 and words[-1] in legal_suffixes:
        words.pop()
    return " ".join(words)


@dataclass(frozen=True)
class Organisation:
    """A gazetteer entry: canonical name, other names it goes by and its industry labels."""

    name: str
    aliases: tuple[str, ...]
    industries: tuple[str, ...]


@dataclass(frozen=True)
class Taxonomy:
    """The parsed vocabulary, gazetteer and industry terms, with their matchers built once.

    Two taxonomies are equal when their source files had the same content (``fingerprint``).
    """

    fingerprint: str
    themes: tuple[str, ...] = field(compare=False)
    theme_terms: Mapping[str, tuple[str, ...]] = field(compare=False, repr=False)
    # theme label -> the speakers' industries that are one weak term of evidence for it
    theme_sectors: Mapping[str, frozenset[str]] = field(compare=False, repr=False)
    organisations: tuple[Organisation, ...] = field(compare=False, repr=False)
    industry_terms: Mapping[str, tuple[str, ...]] = field(compare=False, repr=False)
    legal_suffixes: frozenset[str] = field(compare=False, repr=False)
    not_describing: frozenset[str] = field(compare=False, repr=False)
    _themes: Matcher = field(compare=False, repr=False)
    _names: Matcher = field(compare=False, repr=False)
    _contexts: Matcher = field(compare=False, repr=False)
    _roles: Matcher = field(compare=False, repr=False)
    _org_keys: Mapping[str, Organisation] = field(compare=False, repr=False)


def _read(name: str, override_dir: Path | None) -> tuple[dict[str, Any], str, str]:
    """The file's JSON object, its text and a label for messages; the override's copy wins."""
    if override_dir is not None and (override_dir / name).is_file():
        source = str(override_dir / name)
        text = (override_dir / name).read_text(encoding="utf-8")
    else:
        source = f"scraper/data/{name}"
        text = resources.files("scraper").joinpath("data", name).read_text(encoding="utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"{source}: malformed JSON: {error}") from error
    if not isinstance(data, dict):
        raise ValueError(f"{source}: expected a JSON object at the top")
    return data, text, source


def _strings(value: object, source: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValueError(f"{source}: {where} must be a list of non-empty strings")
    return [v.strip() for v in value]


def _industry_labels(value: object, source: str, where: str) -> list[str]:
    """A list of industry labels, each one of the fixed labels."""
    labels = _strings(value, source, where)
    if unknown := [label for label in labels if label not in INDUSTRIES]:
        raise ValueError(f"{source}: unknown label {unknown[0]!r} in {where}")
    return labels


def _labelled(data: dict[str, Any], key: str, known: Sequence[str], source: str) -> dict[str, Any]:
    """The data[key] object of label → term lists, every label checked against ``known``."""
    section = data.get(key)
    if not isinstance(section, dict):
        raise ValueError(f"{source}: missing object {key!r}")
    for label, spec in section.items():
        if label not in known:
            raise ValueError(f"{source}: unknown label {label!r}")
        if not isinstance(spec, dict):
            raise ValueError(f"{source}: {label!r} must be an object of term lists")
    return section


def _vocabulary(
    override_dir: Path | None,
) -> tuple[str, tuple[str, ...], dict[str, Any], dict[str, frozenset[str]], Matcher]:
    """The vocabulary's text, theme labels, strong terms per label, the speakers' industries
    that count as evidence per label and the theme matcher."""
    data, text, source = _read(VOCABULARY_FILE, override_dir)
    extra = _strings(data.get("extra_themes", []), source, "'extra_themes'")
    themes = tuple(dict.fromkeys((*THEMES, *extra)))
    groups = [("", 0, _strings(data.get("ignore", []), source, "'ignore'"))]
    for label, spec in _labelled(data, "themes", themes, source).items():
        for weight, kind in ((STRONG, "strong"), (WEAK, "weak")):
            groups.append(
                (label, weight, _strings(spec.get(kind, []), source, f"{label!r} {kind}"))
            )
    table = {term: tuple(h for h in hits if h[1]) for term, hits in term_table(groups).items()}
    per_label = {
        t: tuple(term for label, w, terms in groups if label == t and w == STRONG for term in terms)
        for t in themes
    }
    sectors = {
        label: frozenset(_industry_labels(spec["sectors"], source, f"{label!r} sectors"))
        for label, spec in data["themes"].items()
        if "sectors" in spec
    }
    return text, themes, per_label, sectors, Matcher(table, source)


def _gazetteer(override_dir: Path | None) -> tuple[str, frozenset[str], dict[str, Organisation]]:
    """The gazetteer's text, legal suffixes and organisations by name key (names and aliases)."""
    data, text, source = _read(GAZETTEER_FILE, override_dir)
    suffixes = _strings(data.get("legal_suffixes", []), source, "'legal_suffixes'")
    legal = frozenset(" ".join(_namewords(suffix)) for suffix in suffixes)
    entries = data.get("organisations")
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ValueError(f"{source}: 'organisations' must be a list of objects")
    keys: dict[str, Organisation] = {}
    for entry in entries:
        name = _strings([entry.get("name")], source, "every organisation's 'name'")[0]
        labels = _industry_labels(entry.get("industries"), source, f"{name!r} industries")
        aliases = _strings(entry.get("aliases", []), source, f"{name!r} aliases")
        org = Organisation(name, tuple(aliases), tuple(labels))
        for alias in (name, *aliases):
            other = keys.setdefault(_name_key(alias, legal), org)
            if other is not org:
                raise ValueError(f"{source}: {alias!r} is listed for {other.name!r} and {name!r}")
    return text, legal, keys


def _industry_terms(
    override_dir: Path | None,
) -> tuple[str, frozenset[str], dict[str, tuple[str, ...]], Matcher, Matcher, Matcher]:
    """The industry terms file: text, look-back stop words, terms per label, the matchers of
    names, of describing words and of job titles."""
    data, text, source = _read(INDUSTRY_TERMS_FILE, override_dir)
    stop = frozenset(
        words(" ".join(_strings(data.get("not_describing", []), source, "'not_describing'")))
    )
    both: dict[str, tuple[list[str], list[str]]] = {
        label: (
            _strings(spec.get("terms", []), source, f"{label!r} terms"),
            _strings(spec.get("name_only", []), source, f"{label!r} name_only"),
        )
        for label, spec in _labelled(data, "industries", INDUSTRIES, source).items()
    }
    names = Matcher(term_table((k, 1, a + b) for k, (a, b) in both.items()), source)
    contexts = Matcher(term_table((k, 1, a) for k, (a, _) in both.items()), source)
    roles = Matcher(
        term_table(
            (label, 1, _strings(spec.get("roles", []), source, f"{label!r} roles"))
            for label, spec in _labelled(data, "industries", INDUSTRIES, source).items()
        ),
        source,
    )
    return text, stop, {k: (*a, *b) for k, (a, b) in both.items()}, names, contexts, roles


def load_taxonomy(override_dir: Path | None = None) -> Taxonomy:
    """Read the three data files; a same-named file in ``override_dir`` replaces the default.

    Raises ValueError naming the file when one is malformed or uses an unknown label.
    """
    vocabulary_text, themes, theme_terms, sectors, theme_matcher = _vocabulary(override_dir)
    gazetteer_text, legal, org_keys = _gazetteer(override_dir)
    terms_text, stop, industry_terms, names, contexts, roles = _industry_terms(override_dir)
    digest = hashlib.sha256("\0".join((vocabulary_text, gazetteer_text, terms_text)).encode())
    return Taxonomy(
        fingerprint=digest.hexdigest(),
        themes=themes,
        theme_terms=theme_terms,
        theme_sectors=sectors,
        organisations=tuple(dict.fromkeys(org_keys.values())),
        industry_terms=industry_terms,
        legal_suffixes=legal,
        not_describing=stop,
        _themes=theme_matcher,
        _names=names,
        _contexts=contexts,
        _roles=roles,
        _org_keys=org_keys,
    )


def _find_organisation(name: str, taxonomy: Taxonomy) -> Organisation | None:
    """Exact (normalised) match, else the longest known name of 3+ letters inside this one."""
    words = _name_key(name, taxonomy.legal_suffixes).split()
    for size in range(min(len(words), 6), 0, -1):
        for start in range(len(words) - size + 1):
            part = " ".join(words[start : start + size])
            if (len(part) >= 3 or size == len(words)) and part in taxonomy._org_keys:
                return taxonomy._org_keys[part]
    return None


def canonical_organisation(name: str, taxonomy: Taxonomy) -> str | None:
    """The gazetteer's canonical name for a name or alias ("Region Sjælland" → "Region Zealand")."""
    org = taxonomy._org_keys.get(_name_key(name, taxonomy.legal_suffixes))
    return org.name if org else None


def _ranked(found: Iterable[tuple[Entry, ...]], order: Sequence[str]) -> list[str]:
    counts: dict[str, int] = {}
    for entries in found:
        for label in {label for entry in entries for label, _ in entry.hits}:
            counts[label] = counts.get(label, 0) + 1
    return sorted(counts, key=lambda label: (-counts[label], order.index(label)))


def _context_windows(organisation: str, context: str, stop: frozenset[str]) -> list[list[str]]:
    """Three lists of context text about the organisation, most telling first.

    1. a head word written just before the name ("Styrelsen for" X, "University of" X);
    2. the apposition or predicate right after the name ("Fjordbank, a regional bank", "X is a
       shipping line") and the few words right before it ("the Danish bank Fjordbank"), cut at
       clause boundaries so earlier jobs in the same sentence do not count;
    3. a definite back-reference anywhere ("joined the bank in 2012", "kom til teleselskabet").
    """
    name = words(organisation)
    mention = re.compile(r"\b" + r"\W+".join(map(re.escape, name)) + r"(?:['’]?s)?\b")
    heads: list[str] = []
    describing: list[str] = []
    for sentence in _SENTENCES.split(context or "") if name else ():
        folded = fold(sentence)
        for match in mention.finditer(folded):
            if head := _HEAD.search(folded, 0, match.start()):
                heads.append(head.group(1))
            after = folded[match.end() :]
            if _DESCRIBES.match(after):
                end = _CLAUSE_END.search(after)
                describing.append(after[: end.start() if end else 300])
            before: list[str] = []
            for word in reversed(WORD.findall(re.split(r"[,;:()]", folded[: match.start()])[-1])):
                if word in stop or len(before) == 3:
                    break
                before.insert(0, word)
            describing.append(" ".join(before))
    joined = []
    for match in _JOINED.finditer(fold(context or "") if name else ""):
        following = match.group(match.lastindex or 1).split()
        joined.append(" ".join(itertools.takewhile(lambda word: word not in stop, following)))
    return [heads, describing, joined]


def _by_role(role: str | None, taxonomy: Taxonomy) -> list[str]:
    """The one industry a job title names, if only one industry has it ("professor")."""
    return _ranked(taxonomy._roles.scan(words(role or "")), INDUSTRIES)[:1]


def industries_for(
    organisation: str | None, context: str, taxonomy: Taxonomy, *, role: str | None = None
) -> list[str]:
    """Industry labels of an organisation, most certain first; [] when nothing says.

    The gazetteer decides first, then industry words in the organisation's own name (with a head
    word written before it: "Styrelsen for" X), then words describing it in the context sentences
    that name it, then a definite back-reference ("joined the bank"). Other industries mentioned
    elsewhere in the context (an earlier career: "worked in the financial services industry")
    never count. Without an organisation, or with one nothing describes, the role's job title
    may name the industry.
    """
    if not organisation or not organisation.strip():
        # with no employer named, a job title that only one industry has ("professor") says it
        return _by_role(role, taxonomy)
    known = _find_organisation(organisation, taxonomy)
    if known is not None:
        return list(known.industries)
    heads, describing, joined = _context_windows(organisation, context, taxonomy.not_describing)
    found = _ranked(taxonomy._names.scan([*heads, *words(organisation)]), INDUSTRIES)
    for windows in (describing, joined):
        if not found:
            hits = (hit for w in windows for hit in taxonomy._contexts.scan(words(w)))
            found = _ranked(hits, INDUSTRIES)
    if not found:
        # an employer nothing describes ("CWI", "IIT Tirupati"): the job title may still say
        # it ("Assistant Professor" works in education and research)
        found = _by_role(role, taxonomy)
    return found

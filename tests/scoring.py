"""Scores extractor answers against a truth file, by the Scoring rules of the extraction spec.

Each page contributes checks to named fields; a field's score is the share of its checks passed
and the overall score is the share of all checks passed. A truth entry that leaves a field out
does not score it. The rules, in short:

- ``title``, ``topic``, ``date``, ``start_time``, ``end_time``, ``language``, ``last_updated``:
  equal after case-folding and collapsing white space; a ``null`` truth wants an empty answer.
- ``location``: token-set (Jaccard) similarity of the words of at least ``LOCATION_THRESHOLD``.
- ``abstract``: contains the true abstract's first words and no part of any speaker's bio.
- ``speakers``: the same set of names, compared without honorifics ("Dr.", "Prof.", "Herr");
  then per true speaker ``speaker_organisation`` (equal), ``speaker_role`` (answer contains the
  true role) and ``speaker_bio`` (answer contains the bio's first and last words).
- ``industries``, ``themes``: every true label is among the answer's, and at most
  ``EXTRA_LABELS`` more than the truth has (a page is not tagged with everything).
- ``is_event``: equal, on every page.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup

from scraper.extract import extract
from scraper.extract.decode import decode_html

LOCATION_THRESHOLD = 0.8
EXTRA_LABELS = 2
EXACT_FIELDS = ("title", "topic", "date", "start_time", "end_time", "language", "last_updated")
FIELD_ORDER = (
    "is_event",
    *EXACT_FIELDS,
    "location",
    "abstract",
    "speakers",
    "speaker_organisation",
    "speaker_role",
    "speaker_bio",
    "industries",
    "themes",
)
HONORIFICS = frozenset(
    {"dr", "prof", "professor", "herr", "frau", "fru", "hr", "mr", "mrs", "ms", "sir", "dame"}
)

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


@dataclass
class FieldScore:
    """Pass count, check count and the failed checks' descriptions for one field."""

    passed: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def ratio(self) -> float:
        """Share of checks passed; a field with no checks counts as fully passed."""
        return self.passed / self.total if self.total else 1.0

    def record(self, ok: bool, what: str) -> None:
        """Count one check, remembering ``what`` when it failed."""
        self.total += 1
        if ok:
            self.passed += 1
        else:
            self.failures.append(what)


def normalise(value: Any) -> str:
    """Case-folded text with white space collapsed; ``None`` becomes the empty string."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value))
    return _SPACE.sub(" ", text).strip().casefold()


def texts_equal(got: Any, want: Any) -> bool:
    """Equal after normalisation; a ``None`` truth is met only by an empty answer."""
    return normalise(got) == normalise(want)


def word_set(text: Any) -> set[str]:
    """The set of case-folded words in ``text``."""
    return set(_WORD.findall(normalise(text)))


def token_set_similarity(a: Any, b: Any) -> float:
    """Jaccard similarity of the two texts' word sets (1.0 when both have no words)."""
    left, right = word_set(a), word_set(b)
    if not left and not right:
        return 1.0
    return len(left & right) / len(left | right)


def location_matches(got: Any, want: Any) -> bool:
    """The same words, allowing small differences; a ``None`` truth wants no location."""
    if want is None:
        return not normalise(got)
    return token_set_similarity(got, want) >= LOCATION_THRESHOLD


def strip_honorifics(name: Any) -> str:
    """The normalised name without leading titles such as "Dr." or "Prof."."""
    words = normalise(name).split(" ")
    while len(words) > 1 and words[0].rstrip(".") in HONORIFICS:
        words = words[1:]
    return " ".join(words)


def abstract_matches(got: Any, abstract_start: str, bio_snippets: Iterable[str]) -> bool:
    """The answer holds the abstract's first words and none of the given bio snippets."""
    text = normalise(got)
    if normalise(abstract_start) not in text:
        return False
    return not any(normalise(s) and normalise(s) in text for s in bio_snippets)


def role_matches(got: Any, want: Any) -> bool:
    """The answer's role contains the true role; a ``None`` truth wants no role."""
    if want is None:
        return not normalise(got)
    return bool(normalise(got)) and normalise(want) in normalise(got)


def bio_matches(got: Any, want: Mapping[str, Any]) -> bool:
    """The answer's bio contains the true bio's first and last words (those the truth gives)."""
    text = normalise(got)
    return all(normalise(want[key]) in text for key in ("bio_start", "bio_end") if want.get(key))


def labels_cover(got: Any, want: Iterable[str]) -> bool:
    """Every true label is among the answer's labels (compared normalised), with at most
    ``EXTRA_LABELS`` labels beyond the true ones."""
    have = {normalise(label) for label in got or []}
    want = [normalise(label) for label in want]
    return all(label in have for label in want) and len(have) <= len(set(want)) + EXTRA_LABELS


def score_page(
    answer: Mapping[str, Any], truth: Mapping[str, Any], page: str = ""
) -> dict[str, FieldScore]:
    """Score one page's answer (an ``Extraction.to_dict()``) against its truth entry."""
    scores = {name: FieldScore() for name in FIELD_ORDER}

    def check(name: str, ok: bool, got: Any, want: Any) -> None:
        scores[name].record(ok, f"{page}: {name} got {got!r}, want {want!r}")

    if "is_event" in truth:
        is_event = bool(answer.get("is_event"))
        check("is_event", is_event == bool(truth["is_event"]), is_event, truth["is_event"])
    for name in EXACT_FIELDS:
        if name in truth:
            check(name, texts_equal(answer.get(name), truth[name]), answer.get(name), truth[name])
    if "location" in truth:
        got = answer.get("location")
        check("location", location_matches(got, truth["location"]), got, truth["location"])
    true_speakers: list[Mapping[str, Any]] = list(truth.get("speakers") or [])
    if "abstract_start" in truth:
        bios = [s.get(k) or "" for s in true_speakers for k in ("bio_start", "bio_end")]
        got = answer.get("abstract")
        ok = abstract_matches(got, truth["abstract_start"], bios)
        check("abstract", ok, got, truth["abstract_start"])
    if "speakers" in truth:
        _score_speakers(answer.get("speakers") or [], true_speakers, scores, page)
    for name in ("industries", "themes"):
        if name in truth:
            got = answer.get(name)
            check(name, labels_cover(got, truth[name]), got, truth[name])
    return scores


def _score_speakers(
    got_speakers: list[Mapping[str, Any]],
    true_speakers: list[Mapping[str, Any]],
    scores: dict[str, FieldScore],
    page: str,
) -> None:
    """The name-set check, then organisation, role and bio for each true speaker."""
    by_name = {strip_honorifics(s.get("name")): s for s in got_speakers}
    want_names = {strip_honorifics(s.get("name")) for s in true_speakers}
    scores["speakers"].record(
        set(by_name) == want_names,
        f"{page}: speakers got {sorted(by_name)!r}, want {sorted(want_names)!r}",
    )
    for want in true_speakers:
        name = strip_honorifics(want.get("name"))
        got: Mapping[str, Any] = by_name.get(name, {})
        where = f"{page}: speaker {name!r}"
        if "organisation" in want:
            scores["speaker_organisation"].record(
                bool(got) and texts_equal(got.get("organisation"), want["organisation"]),
                f"{where} organisation got {got.get('organisation')!r}, "
                f"want {want['organisation']!r}",
            )
        if "role" in want:
            scores["speaker_role"].record(
                bool(got) and role_matches(got.get("role"), want["role"]),
                f"{where} role got {got.get('role')!r}, want {want['role']!r}",
            )
        if want.get("bio_start") or want.get("bio_end"):
            scores["speaker_bio"].record(
                bool(got) and bio_matches(got.get("bio"), want),
                f"{where} bio got {str(got.get('bio'))[:80]!r}..., "
                f"want {want.get('bio_start')!r} ... {want.get('bio_end')!r}",
            )


def score_corpus(
    answers: Mapping[str, Mapping[str, Any]], truth: Mapping[str, Mapping[str, Any]]
) -> dict[str, FieldScore]:
    """Sum the per-page scores over every page in ``truth`` (a missing answer counts as empty)."""
    totals = {name: FieldScore() for name in FIELD_ORDER}
    for page, want in truth.items():
        for name, score in score_page(answers.get(page, {}), want, page).items():
            totals[name].passed += score.passed
            totals[name].total += score.total
            totals[name].failures.extend(score.failures)
    return totals


def overall(scores: Mapping[str, FieldScore]) -> float:
    """Share of all checks passed across every field."""
    total = sum(s.total for s in scores.values())
    return sum(s.passed for s in scores.values()) / total if total else 1.0


def extract_folder(folder: Path, pages: list[str]) -> dict[str, dict[str, Any]]:
    """Every named page of a fixture folder run through the extractor, as contract dicts."""
    return {
        name: extract((folder / name).read_bytes(), (folder / name).as_uri()).to_dict()
        for name in pages
    }


def visible_text(path: Path) -> str:
    """A page's visible text, decoded as the extractor decodes it, image alt texts included
    (truth files quote the page; a speaker may be named only in a photo's alt text)."""
    text, _encoding = decode_html(path.read_bytes(), None)
    soup = BeautifulSoup(text, "lxml")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    alts = " ".join(str(img.get("alt") or "") for img in soup.find_all("img"))
    return re.sub(r"\s+", " ", soup.get_text(" ") + " " + alts).casefold()


FIXTURE_ROOT = Path(__file__).resolve().parent / "fixtures"


@dataclass(frozen=True)
class Corpus:
    """A fixture corpus: its folder, its truth entries and its page names."""

    folder: Path
    truth: dict[str, dict[str, Any]]
    pages: list[str]


@cache
def fixture_corpus(name: str) -> Corpus:
    """The corpus in ``tests/fixtures/<name>``, read once per session."""
    folder = FIXTURE_ROOT / name
    truth = json.loads((folder / "truth.json").read_text("utf-8"))
    return Corpus(folder, truth, sorted(p.name for p in folder.glob("*.html")))


@cache
def corpus_answers(name: str) -> dict[str, dict[str, Any]]:
    """Every page of a fixture corpus through the extractor, once per session (do not mutate)."""
    corpus = fixture_corpus(name)
    return extract_folder(corpus.folder, corpus.pages)


def truth_quotes(truth: dict[str, Any], *, with_location: bool = False) -> list[str]:
    """The strings a truth entry quotes from its page: title, topic, abstract start, speakers."""
    quotes = [truth["title"], truth.get("topic") or "", truth["abstract_start"]]
    if with_location:
        quotes.append(truth.get("location") or "")
    for speaker in truth["speakers"]:
        quotes += [speaker.get(k) or "" for k in ("name", "role", "organisation")]
        quotes += [speaker.get(k) or "" for k in ("bio_start", "bio_end")]
    return quotes

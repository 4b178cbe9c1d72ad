"""The themes of a talk: vocabulary terms in its topic and abstract, weighed and cut to a few.

The vocabulary (scraper/data/vocabulary.json, read by ``taxonomy``) gives each theme strong and
weak terms in every claimed language and the speakers' sectors that count as evidence for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from scraper.extract.taxonomy import STRONG, WEAK, Taxonomy
from scraper.extract.terms import words

# "AI" and "ML" count only in capitals: lower-case "ai" is an Italian and Portuguese word
# ("rivolti ai cittadini") and "ml" a unit.
_LOWER_ACRONYMS = re.compile(r"(?<![^\W\d_])(?:[Aa]i|[Mm]l)(?![^\W\d_])")


#: The most theme labels one talk gets (a page is not tagged with everything).
MAX_THEMES = 3


def themes_for(
    text: str, taxonomy: Taxonomy, *, title: str = "", industries: Iterable[str] = ()
) -> list[str]:
    """Theme labels of a talk from its topic (``title``) and abstract (``text``), strongest first.

    A theme needs one strong term or two pieces of weak evidence: two different weak terms, or
    one weak term in both the title and the text (a headline word the abstract takes up again,
    "Governance" over a text on governance, is what the talk is about). Hits in the title weigh
    double in the ordering. The same term counts at most twice per field. The speakers' industries
    are one weak term for the sector themes the vocabulary ties to them: an IT talk by a
    hospital's CIO is about health-care IT once the text says one more word of it.
    """
    scores: dict[str, int] = {}
    strong: set[str] = set()
    weak: dict[str, set[str]] = {}
    sectors = set(industries)
    for label, tied in taxonomy.theme_sectors.items():
        if tied & sectors:
            scores[label] = WEAK
            weak[label] = {"sector:"}
    for factor, part in ((2, title), (1, text)):
        seen: dict[str, int] = {}
        for entries in taxonomy._themes.scan(words(_LOWER_ACRONYMS.sub(" ", part or ""))):
            best: dict[str, tuple[int, str]] = {}
            for entry in entries:
                seen[entry.key] = seen.get(entry.key, 0) + 1
                for label, weight in entry.hits if seen[entry.key] <= 2 else ():
                    best[label] = max(best.get(label, (0, "")), (weight, entry.key))
            for label, (weight, key) in best.items():
                scores[label] = scores.get(label, 0) + weight * factor
                if weight >= STRONG:
                    strong.add(label)
                else:
                    weak.setdefault(label, set()).add(f"{key}@{factor}")
    chosen = [label for label in scores if label in strong or len(weak.get(label, ())) >= 2]
    ranked = sorted(chosen, key=lambda label: (-scores[label], taxonomy.themes.index(label)))
    # a talk is about a few things: the themes that weigh at least an eighth of the strongest
    top = scores[ranked[0]] if ranked else 0
    return [label for label in ranked if 8 * scores[label] >= top][:MAX_THEMES]


def theme_synonyms(taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Label → its lower-case label and strong terms (wildcards removed), for search synonyms.

    Weak terms ("patient", "data") are evidence for a theme, not other names for it, so a search
    for them is left alone.
    """
    return {
        label: list(dict.fromkeys([label.lower(), *(t.strip("*").strip() for t in terms)]))
        for label, terms in taxonomy.theme_terms.items()
    }

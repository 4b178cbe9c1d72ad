"""Tables for the general rules that give a talk its themes and its speakers' industries: each row
a fact of a language or of a trade that holds on many sites, in invented words, not a phrase of
one page."""

from __future__ import annotations

import pytest

from scraper.extract.taxonomy import Taxonomy, load_taxonomy, themes_for


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


@pytest.mark.parametrize(
    ("text", "industries", "label", "found"),
    [
        # the speaker's sector and one more word of the theme give the sector theme
        ("How the council moved its forms online.", ["Public administration"],
         "Public sector digitalisation", True),
        ("Comment la commune a ouvert ses démarches en ligne.", ["Public administration"],
         "Public sector digitalisation", True),
        ("Wie die Gemeinde ihre Formulare digitalisiert.", ["Public administration"],
         "Public sector digitalisation", True),
        ("Il comune e i suoi servizi online.", ["Public administration"],
         "Public sector digitalisation", True),
        ("Why patients wait for their test results.", ["Health care"], "Health care IT", True),
        ("Varför patienterna väntar på svar.", ["Health care"], "Health care IT", True),
        # the sector alone says nothing of what the talk is about
        ("How we chose a new accounting system.", ["Public administration"],
         "Public sector digitalisation", False),
        ("How we chose a new accounting system.", ["Health care"], "Health care IT", False),
        # one word of the theme without the sector is not enough either
        ("How the council moved its forms online.", [], "Public sector digitalisation", False),
        ("How the council moved its forms online.", ["Financial services"],
         "Public sector digitalisation", False),
    ],
)  # fmt: skip
def test_the_speakers_sector_is_one_word_of_evidence(
    taxonomy: Taxonomy, text: str, industries: list[str], label: str, found: bool
) -> None:
    assert (label in themes_for(text, taxonomy, industries=industries)) is found


@pytest.mark.parametrize(
    ("text", "label"),
    [
        # the federal level of government, in the claimed languages that have one
        ("Cloud for the federal administration", "Public sector digitalisation"),
        ("Le cloud dans les administrations fédérales", "Public sector digitalisation"),
        ("Cloud in der Bundesverwaltung", "Public sector digitalisation"),
        ("La nube en la administración federal", "Public sector digitalisation"),
        ("Skyen i statsforvaltningen", "Public sector digitalisation"),
        # platform teams and internal developer platforms are DevOps practice in any language
        ("What our platform teams learned", "Agile & DevOps"),
        ("Building an internal developer platform", "Agile & DevOps"),
        ("Plattformteams als Produkt", "Agile & DevOps"),
        ("Hur plattformsteamet arbetar", "Agile & DevOps"),
        ("Un equipo de plataforma para cien desarrolladores", "Agile & DevOps"),
        ("Zespoły platformowe w praktyce", "Agile & DevOps"),
    ],
)
def test_sector_and_practice_terms(taxonomy: Taxonomy, text: str, label: str) -> None:
    assert label in themes_for(text, taxonomy)


def test_a_weaker_second_theme_is_kept() -> None:
    """A talk with one dominant theme keeps a second that the text names once, strongly."""
    taxonomy = load_taxonomy()
    text = (
        "Enterprise architecture in practice: capability maps, enterprise architecture boards "
        "and architecture principles, and where the ERP fits."
    )
    found = themes_for(text, taxonomy, title="Enterprise architecture for managers")
    assert found[0] == "Enterprise architecture"
    assert "ERP & enterprise systems" in found

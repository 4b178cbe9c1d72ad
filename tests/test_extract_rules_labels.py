"""Tables for the general rules that give a talk its themes and its speakers' industries: each row
a fact of a language or of a trade that holds on many sites, in invented words, not a phrase of
one page."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.taxonomy import Taxonomy, industries_for, load_taxonomy
from scraper.extract.themes import themes_for


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def _people(body: str, lang: str = "en") -> list[tuple[str | None, ...]]:
    """(name, role, organisation) of each speaker extracted from a page with this body."""
    html = f"<html lang='{lang}'><body><main>{body}</main></body></html>".encode()
    return [
        (s.name, s.role, s.organisation) for s in extract(html, "https://example.org/e").speakers
    ]


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


@pytest.mark.parametrize(
    ("title", "text", "label", "found"),
    [
        # a weak term in the headline that the text takes up again is what the talk is about
        ("Governance for the board", "Why governance fails in mid-sized firms.",
         "IT strategy & governance", True),
        ("Données et décisions", "Les données du service client.", "Data & analytics", True),
        # one weak term in one place only is not enough
        ("Governance for the board", "Why boards meet twice a year.",
         "IT strategy & governance", False),
        ("", "Why governance fails in mid-sized firms.", "IT strategy & governance", False),
    ],
)  # fmt: skip
def test_a_headline_word_taken_up_by_the_text(
    taxonomy: Taxonomy, title: str, text: str, label: str, found: bool
) -> None:
    assert (label in themes_for(text, taxonomy, title=title)) is found


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


@pytest.mark.parametrize(
    ("organisation", "label"),
    [
        # words that name a trade inside a firm's name, one or more per claimed language
        ("Nordhavn Power", "Energy & utilities"),
        ("Lillå Kraft AS", "Energy & utilities"),
        ("Fjellkraft", "Energy & utilities"),
        ("Mälarvatten AB", "Energy & utilities"),
        ("Koskisähkö Oy", "Energy & utilities"),
        ("Lahden Voima", "Energy & utilities"),
        ("Lindauer Wasser", "Energy & utilities"),
        ("Eaux du Val", "Energy & utilities"),
        ("Aguas del Norte", "Energy & utilities"),
        ("Acque Lombarde", "Energy & utilities"),
        ("Águas do Vale", "Energy & utilities"),
        ("Wodociągi Miejskie", "Energy & utilities"),
        ("Järvenpään Osuuskauppa", "Retail & consumer goods"),
        ("Lojas Serrano", "Retail & consumer goods"),
        ("Magazzini Riva", "Retail & consumer goods"),
        ("Almacenes Prado", "Retail & consumer goods"),
        ("Officine Meccaniche Brenta", "Manufacturing & engineering"),
        ("Talleres Arrieta", "Manufacturing & engineering"),
        ("Zakłady Mechaniczne Orla", "Manufacturing & engineering"),
        ("Sandby Verkstäder", "Manufacturing & engineering"),
        ("Hofmann Werke", "Manufacturing & engineering"),
    ],
)
def test_trade_words_in_a_firms_name(taxonomy: Taxonomy, organisation: str, label: str) -> None:
    assert industries_for(organisation, "", taxonomy)[:1] == [label]


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # "&" joins the partners of a firm's name; a second person after it has a given name
        ("Dr. Lena Brandt, CTO bei Hallgren & Rauch Spedition GmbH",
         [("Lena Brandt", "CTO", "Hallgren & Rauch Spedition GmbH")]),
        ("Lena Brandt, CIO at Morrow & Finch Ltd",
         [("Lena Brandt", "CIO", "Morrow & Finch Ltd")]),
        ("Lena Brandt, CIO, Nordvik Bank & Peter Holm, CTO, Osterby Energi",
         [("Lena Brandt", "CIO", "Nordvik Bank"), ("Peter Holm", "CTO", "Osterby Energi")]),
    ],
)  # fmt: skip
def test_an_ampersand_inside_a_firms_name(line: str, want: list[tuple[str, ...]]) -> None:
    body = (
        "<h1>Shipping data across borders</h1><p>Date: 9 May 2024, 13:00-14:00</p>"
        f"<p>Speaker: {line}</p><p>Venue: Lecture Theatre 1</p>"
    )
    assert _people(body) == want


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # "Name, Role, Organisation": the employer is the comma segment after the role
        ("<strong>Marit Solberg</strong>, Chief Information Officer, Halden Mutual Insurance",
         ("Marit Solberg", "Chief Information Officer", "Halden Mutual Insurance")),
        ("<strong>Tomas Ekberg</strong>, Chief Data Officer, Northwind Regional Airlines.",
         ("Tomas Ekberg", "Chief Data Officer", "Northwind Regional Airlines")),
        # a segment that is no organisation is left alone
        ("<strong>Tomas Ekberg</strong>, Chief Data Officer, will talk about fares.",
         ("Tomas Ekberg", "Chief Data Officer", None)),
    ],
)  # fmt: skip
def test_name_role_organisation_in_prose(sentence: str, want: tuple[str | None, ...]) -> None:
    body = (
        "<h1>Speaker series: June</h1><p>Date: 9 May 2024, 13:00-14:00</p>"
        f"<h2>Pricing with data</h2><p>{sentence}</p>"
        "<p>How a fare model is tested before it meets customers.</p>"
        f"<h3>About the speaker</h3><p>{want[0]} has led technology at the firm since 2019.</p>"
        "<p>Venue: Lecture Theatre 1</p>"
    )
    assert _people(body) == [want]


@pytest.mark.parametrize(
    ("sentence", "want"),
    [
        # Finnish writes the genitive of a name it cannot inflect with a colon: "Org:n role Name"
        ("Koskivesi Oy:n tietohallintojohtaja Liisa Mäkelä kertoo, miten pilvi muutti työtä.",
         ("Liisa Mäkelä", "tietohallintojohtaja", "Koskivesi Oy")),
        ("Luennoitsijana on Koskivesi Oy:n IT-päällikkö Liisa Mäkelä.",
         ("Liisa Mäkelä", "IT-päällikkö", "Koskivesi Oy")),
    ],
)  # fmt: skip
def test_the_finnish_genitive_of_an_employer(sentence: str, want: tuple[str, ...]) -> None:
    body = (
        "<h1>Vierailuluento: Liisa Mäkelä (Koskivesi Oy)</h1>"
        "<p>Aika: torstai 11.3.2027 klo 14.15–16.00</p>"
        f"<p>{sentence}</p><p>Paikka: Sali 2</p>"
    )
    assert _people(body, "fi") == [want]

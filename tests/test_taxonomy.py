"""Tests for industry and theme classification from the taxonomy data files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract.taxonomy import (
    INDUSTRIES,
    THEMES,
    Taxonomy,
    canonical_organisation,
    industries_for,
    load_taxonomy,
)
from scraper.extract.themes import theme_synonyms, themes_for


@pytest.fixture(scope="module")
def taxonomy() -> Taxonomy:
    return load_taxonomy()


def test_labels_are_the_fixed_ones(taxonomy: Taxonomy) -> None:
    assert len(INDUSTRIES) == 15 and len(THEMES) == 18
    assert taxonomy.themes[: len(THEMES)] == THEMES
    assert set(taxonomy.industry_terms) == set(INDUSTRIES)
    assert all(taxonomy.theme_terms[label] for label in THEMES)


THEME_CASES = [
    # (title, abstract, expected label)
    ("Spending a fortune on healthcare IT", "", "Health care IT"),
    (
        "",
        "How three hospitals replaced their electronic health records with one platform.",
        "Health care IT",
    ),
    ("Sundheds-it i praksis", "", "Health care IT"),
    ("", "Regionen indfører en ny patientjournal på alle sygehuse.", "Health care IT"),
    ("", "Sundhedsvæsenet får nye it-løsninger til de praktiserende læger.", "Health care IT"),
    ("Moving the insurer to the cloud", "", "Cloud computing"),
    ("", "Kommunen flytter sine fagsystemer op i skyen.", "Cloud computing"),
    ("", "We moved every workload to Azure and bought SaaS where we could.", "Cloud computing"),
    ("Outsourcing the data centre", "", "Sourcing & outsourcing"),
    ("", "Styrelsen sendte driften i udbud og valgte en ny leverandør.", "Sourcing & outsourcing"),
    ("", "Why the agency chose udlicitering of its service desk.", "Sourcing & outsourcing"),
    ("Ransomware in the town hall", "", "Cybersecurity"),
    ("", "Hvordan styrker vi it-sikkerheden mod hackerangreb?", "Cybersecurity"),
    ("Making decisions with analytics", "", "Data & analytics"),
    ("", "Vi bygger en dataplatform og et datadrevet beslutningsgrundlag.", "Data & analytics"),
    ("What machine learning did to our claims handling", "", "Artificial intelligence"),
    ("", "Kunstig intelligens læser nu alle indkomne breve.", "Artificial intelligence"),
    ("Replacing SAP after twenty years", "", "ERP & enterprise systems"),
    ("", "Et nyt økonomisystem til hele koncernen.", "ERP & enterprise systems"),
    ("Enterprise architecture as a steering tool", "", "Enterprise architecture"),
    (
        "",
        "Fællesoffentlig arkitektur gør systemerne i stand til at tale sammen.",
        "Enterprise architecture",
    ),
    ("Scrum in a regulated business", "", "Agile & DevOps"),
    ("", "Vi gik fra vandfald til agile teams og DevOps.", "Agile & DevOps"),
    ("Why large IT projects fail", "", "IT project & portfolio management"),
    ("", "Store it-projekter i staten og porteføljestyring.", "IT project & portfolio management"),
    ("Digitalisering af den offentlige sektor", "", "Public sector digitalisation"),
    (
        "",
        "Citizens now use e-government services for most of their errands.",
        "Public sector digitalisation",
    ),
    ("The IT department as a business partner", "", "IT leadership & organisation"),
    (
        "",
        "Hvordan ser fremtidens it-organisation ud, og hvad kræver det af it-ledelsen?",
        "IT leadership & organisation",
    ),
    ("Our new IT strategy", "", "IT strategy & governance"),
    (
        "",
        "IT governance og prioritering af it-investeringer i bestyrelsen.",
        "IT strategy & governance",
    ),
    ("Digital transformation of an old industry", "", "Digital transformation"),
    ("", "Digitaliseringen ændrer forretningsmodellen fundamentalt.", "Digital transformation"),
    ("Blockchain and the Internet of Things", "", "Innovation & emerging technology"),
    (
        "",
        "Vi tester droner og nye teknologier i vores innovationslab.",
        "Innovation & emerging technology",
    ),
    ("One customer experience across all channels", "", "Customer experience & digital channels"),
    (
        "",
        "Netbutikken og kundeoplevelsen i de fysiske butikker skal hænge sammen.",
        "Customer experience & digital channels",
    ),
    ("IT after the merger", "", "Mergers & integration"),
    ("", "Fusionen af tre selskaber krævede ét fælles it-landskab.", "Mergers & integration"),
    ("Green IT in the data centre", "", "Sustainability & green IT"),
    ("", "Bæredygtig it og CO2-aftrykket fra vores servere.", "Sustainability & green IT"),
]


@pytest.mark.parametrize(("title", "abstract", "label"), THEME_CASES)
def test_themes_found(taxonomy: Taxonomy, title: str, abstract: str, label: str) -> None:
    assert label in themes_for(abstract, taxonomy, title=title)


@pytest.mark.parametrize(
    "text",
    [
        "The seminar starts with breakfast and ends with questions from the audience.",
        "CIO Talks at Department of IT Management, Institut for IT-ledelse.",
        "A customer called about the weather.",  # one weak word only
        "",
    ],
)
def test_no_theme_without_evidence(taxonomy: Taxonomy, text: str) -> None:
    assert themes_for(text, taxonomy) == []


def test_title_hits_rank_first(taxonomy: Taxonomy) -> None:
    abstract = "The outsourcing contract was signed."
    found = themes_for(abstract, taxonomy, title="Cloud first")
    assert found[:2] == ["Cloud computing", "Sourcing & outsourcing"]
    found = themes_for("We moved to the cloud. " + abstract, taxonomy)
    assert found[0] == "Sourcing & outsourcing"


def test_two_distinct_weak_terms_needed(taxonomy: Taxonomy) -> None:
    assert "Cybersecurity" not in themes_for("Security, security, security.", taxonomy)
    assert "Cybersecurity" in themes_for("Security threats grow every year.", taxonomy)


INDUSTRY_CASES = [
    # (organisation, context, expected labels that must all be present)
    ("Statsarkivet", "Hun er CIO i Styrelsen for Statsarkivet.", {"Public administration"}),
    (
        "Tranum",
        "Ida er CIO i Tranum. Hun kom til teleselskabet i 2019.",
        {"IT & telecommunications"},
    ),
    ("Tranum", "Ida is CIO of Tranum. She joined the bank in 2015.", {"Financial services"}),
    ("Region Sjælland", "", {"Health care", "Public administration"}),
    ("region sjaelland", "", {"Health care"}),
    ("Danske Bank A/S", "", {"Financial services"}),
    ("The LEGO Group", "", {"Retail & consumer goods"}),
    ("A.P. Møller - Mærsk", "", {"Transport & logistics"}),
    ("Maersk Line", "", {"Transport & logistics"}),
    ("Ørsted", "", {"Energy & utilities"}),
    ("DONG Energy", "", {"Energy & utilities"}),
    ("Københavns Kommune", "", {"Public administration"}),
    ("Koebenhavns Kommune", "", {"Public administration"}),
    ("Skattestyrelsen", "", {"Public administration"}),
    ("Deloitte Consulting Denmark", "", {"Professional services"}),
    ("Århus Universitet", "", {"Education & research"}),
    ("Novo Nordisk", "", {"Pharma & life sciences"}),
    ("Dansk Røde Kors", "", {"Non-profit & interest organisations"}),
    ("Sydkyst Sparekasse", "", {"Financial services"}),
    ("Vestbank", "", {"Financial services"}),
    ("Holmegaard Forsikring", "", {"Financial services"}),
    ("Østvind Energi", "", {"Energy & utilities"}),
    ("Strandby Kommune", "", {"Public administration"}),
    ("Styrelsen for Byggeri og Boliger", "", {"Public administration"}),
    ("Moorfield University", "", {"Education & research"}),
    ("Lindholm Biotech", "", {"Pharma & life sciences"}),
    ("Fjordhavn Line", "", {"Transport & logistics"}),
    ("Kystmejeriet", "", {"Food & agriculture"}),
    ("Granly Sygehus", "", {"Health care"}),
    ("Nordvest Media", "", {"Media & entertainment"}),
    ("Solbakke Ejendomme", "", {"Construction & real estate"}),
    (
        "Tranum",
        "Ida Berg is CIO of Tranum, a Danish pension fund owned by its members.",
        {"Financial services"},
    ),
    (
        "Tranum",
        "Ida Berg er it-direktør i Tranum, en af landets største rådgivningsvirksomheder.",
        {"Professional services"},
    ),
    (
        "Tranum",
        "Ida Berg leads IT at the Danish software company Tranum.",
        {"IT & telecommunications"},
    ),
    (
        "Tranum",
        "Tranum is a grocery retailer with 300 stores in Jutland.",
        {"Retail & consumer goods"},
    ),
    (
        "Tranum",
        "Ida Berg er CIO i Tranum, en dansk producent af pumper og ventiler til industrien.",
        {"Manufacturing & engineering"},
    ),
    # the kind of business in the name, in several languages
    ("Pellucid Wireless", "", {"IT & telecommunications"}),
    ("Fonderie Castellari S.p.A.", "", {"Manufacturing & engineering"}),
    ("Gießerei Weidental GmbH", "", {"Manufacturing & engineering"}),
    ("Taranui District Council", "", {"Public administration"}),
    ("Laboratoires Bréval", "", {"Pharma & life sciences"}),
    ("ASL Collina Nord", "", {"Health care"}),
    ("Northgate Outfitters", "", {"Retail & consumer goods"}),
]


@pytest.mark.parametrize(("organisation", "context", "expected"), INDUSTRY_CASES)
def test_industries(
    taxonomy: Taxonomy, organisation: str, context: str, expected: set[str]
) -> None:
    found = industries_for(organisation, context, taxonomy)
    assert expected <= set(found), found
    assert set(found) <= set(INDUSTRIES)


@pytest.mark.parametrize(
    ("organisation", "context"),
    [
        # Earlier careers or other organisations in the bio must not colour the current employer.
        (
            "Tranum",
            "He worked in the Financial Services Industry for years. Today he runs IT at Tranum.",
        ),
        ("Tranum", "Before joining Tranum in 2012 he spent ten years in the retail industry."),
        ("Tranum", "Hun var it-chef i en bank, før hun kom til Tranum."),
        ("Tranum", "Ida Berg is CIO of Tranum, and before that she was head of IT at a hospital."),
        ("Tranum", "Ida Berg is CIO of Tranum. The bank next door is a customer."),
        ("Tranum", ""),
        ("Tranum", "Ida is CIO of Tranum. She joined the board of a bank in 2019."),
        ("Tranum", "Ida er CIO i Tranum. Hun kom til Danmark fra en bank i 2019."),
        (None, "She is CIO of a large bank."),
        ("", "She is CIO of a large bank."),
    ],
)
def test_industries_stay_conservative(
    taxonomy: Taxonomy, organisation: str | None, context: str
) -> None:
    assert industries_for(organisation, context, taxonomy) == []


def test_gazetteer_beats_words(taxonomy: Taxonomy) -> None:
    # "SAS" is the airline; "SAS Institute" the software house; the longer name wins.
    assert industries_for("SAS", "", taxonomy) == ["Transport & logistics"]
    assert industries_for("SAS Institute A/S", "SAS is a bank.", taxonomy) == [
        "IT & telecommunications"
    ]


@pytest.mark.parametrize(
    ("name", "canonical"),
    [
        ("Region Sjælland", "Region Zealand"),
        ("REGION ZEALAND", "Region Zealand"),
        ("DONG Energy A/S", "Ørsted"),
        ("Orsted", "Ørsted"),
        ("Post Danmark", "PostNord"),
        ("Skat", "Danish Tax Agency"),
        ("Nowhere Trading ApS", None),
        ("", None),
    ],
)
def test_canonical_organisation(taxonomy: Taxonomy, name: str, canonical: str | None) -> None:
    assert canonical_organisation(name, taxonomy) == canonical


def test_theme_synonyms(taxonomy: Taxonomy) -> None:
    synonyms = theme_synonyms(taxonomy)
    assert set(THEMES) <= set(synonyms)
    health = synonyms["Health care IT"]
    assert health[0] == "health care it"
    assert {"healthcare", "health-care", "sundheds-it", "e-health"} <= set(health)
    assert {"udbud", "outsourc"} <= set(synonyms["Sourcing & outsourcing"])
    assert "skyen" in synonyms["Cloud computing"]
    assert all("*" not in term for terms in synonyms.values() for term in terms)


def _write(folder: Path, name: str, data: object) -> None:
    (folder / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_override_dir_takes_precedence(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "vocabulary.json",
        {
            "extra_themes": ["Quantum"],
            "themes": {"Quantum": {"strong": ["qubit*"]}, "Cloud computing": {"strong": ["sky"]}},
        },
    )
    _write(
        tmp_path,
        "gazetteer.json",
        {
            "organisations": [
                {
                    "name": "Tranum",
                    "aliases": ["Tranum Holding"],
                    "industries": ["Media & entertainment"],
                }
            ]
        },
    )
    custom = load_taxonomy(tmp_path)
    assert themes_for("Qubits for beginners", custom) == ["Quantum"]
    assert themes_for("Vi flytter til skyen", custom) == []  # the default vocabulary is replaced
    assert themes_for("Vi flytter til sky", custom) == ["Cloud computing"]
    assert industries_for("Tranum Holding", "", custom) == ["Media & entertainment"]
    assert canonical_organisation("Region Zealand", custom) is None
    # industry_terms.json was not overridden, so the defaults still apply.
    assert industries_for("Vestbank", "", custom) == ["Financial services"]
    assert custom != load_taxonomy()
    assert load_taxonomy() == load_taxonomy()
    assert hash(load_taxonomy()) == hash(load_taxonomy())


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vocabulary.json", "{not json", "malformed JSON"),
        ("gazetteer.json", "[1, 2]", "JSON object"),
        (
            "vocabulary.json",
            {"themes": {"Cloud Computing": {"strong": ["cloud"]}}},
            "unknown label",
        ),
        ("vocabulary.json", {"themes": {"Cloud computing": {"strong": ["clo*ud"]}}}, "bad term"),
        ("vocabulary.json", {"themes": {"Cloud computing": {"strong": "cloud"}}}, "list of"),
        ("vocabulary.json", {"topics": {}}, "missing object"),
        (
            "gazetteer.json",
            {"organisations": [{"name": "X", "industries": ["Banking"]}]},
            "unknown label",
        ),
        ("gazetteer.json", {"organisations": [{"industries": ["Health care"]}]}, "'name'"),
        (
            "gazetteer.json",
            {
                "organisations": [
                    {"name": "Alpha", "aliases": ["Beta"], "industries": ["Health care"]},
                    {"name": "Beta", "industries": ["Health care"]},
                ]
            },
            "listed for",
        ),
        ("industry_terms.json", {"industries": {"Fintech": {"terms": ["bank"]}}}, "unknown label"),
    ],
)
def test_malformed_files_name_the_file(
    tmp_path: Path, name: str, content: object, message: str
) -> None:
    if isinstance(content, str):
        (tmp_path / name).write_text(content, encoding="utf-8")
    else:
        _write(tmp_path, name, content)
    with pytest.raises(ValueError, match=message) as raised:
        load_taxonomy(tmp_path)
    assert name in str(raised.value)


@pytest.mark.parametrize(
    ("organisation", "role", "want"),
    [
        # an employer nothing on the page describes: the academic job title says the sector
        ("CWI", "Research Fellow", ["Education & research"]),
        ("Universidade Federal", "Professora de Estatística", ["Education & research"]),
        ("Tokai Labs", "准教授", ["Education & research"]),
        ("IIT Tirupati", "Assistant Professor", ["Education & research"]),
        # a job title any sector has says nothing
        ("Meridian", "Chief Information Officer", []),
        # what the employer's name says beats the job title
        ("Nordvik Hospital", "Professor", ["Health care"]),
    ],
)
def test_a_job_title_speaks_for_an_employer_nothing_describes(
    taxonomy: Taxonomy, organisation: str, role: str, want: list[str]
) -> None:
    assert industries_for(organisation, "", taxonomy, role=role) == want

"""Tables for names, roles, organisations and speaker identity (English and Danish)."""

from __future__ import annotations

import pytest

from scraper.extract.labels import labelled_lines
from scraper.extract.names import (
    looks_like_name,
    name_at_start,
    organisation_at,
    strip_titles,
)
from scraper.extract.page import Block, parse
from scraper.extract.roles import role_and_organisation
from scraper.extract.speakers import find_speakers, normalise_name


@pytest.mark.parametrize(
    ("phrase", "role", "organisation"),
    [
        ("CIO of Nordhavn Shipping and member of its board", "CIO", "Nordhavn Shipping"),
        ("Group CIO of Vestkyst Energi, a power producer", "Group CIO", "Vestkyst Energi"),
        (
            "CIO i Styrelsen for Digitale Skoler, under ministeriet",
            "CIO",
            "Styrelsen for Digitale Skoler",
        ),
        (
            "Senior Vice President and CIO of Lindholm Pharma",
            "Senior Vice President and CIO",
            "Lindholm Pharma",
        ),
        ("CIO of Berg & Partners", "CIO", "Berg & Partners"),
        ("Software Engineer at Quokka Labs", "Software Engineer", "Quokka Labs"),
        ("CISO, Solby Kommune", "CISO", "Solby Kommune"),
        ("CIO, Styrelsen for Statsejendomme", "CIO", "Styrelsen for Statsejendomme"),
        ("Head of Procurement, Region Sydhavn", "Head of Procurement", "Region Sydhavn"),
        ("Director, Digital at Acme Group", "Director, Digital", "Acme Group"),
        ("CIO of Region Zealand, Denmark", "CIO", "Region Zealand"),
        ("IT-Leiter der Stadt Hafenau", "IT-Leiter", "Stadt Hafenau"),
        ("IT-chef, Björkby kommun", "IT-chef", "Björkby kommun"),
        ("it-chef hos Fynske Medier", "it-chef", "Fynske Medier"),
        ("IT-direktør i Region Nord", "IT-direktør", "Region Nord"),
        (
            "Chief Digital Officer at Havn Logistics since 2019",
            "Chief Digital Officer",
            "Havn Logistics",
        ),
        ("Head of Data at Tårnby Bank.", "Head of Data", "Tårnby Bank"),
        ("professor ved Aalborg Universitet", "professor", "Aalborg Universitet"),
        ("the lead engineer at the Brisbane Code Lab", "lead engineer", "Brisbane Code Lab"),
        ("Coach für digitale Teams", "Coach für digitale Teams", None),
        ("Director of IT", "Director of IT", None),
        (
            "digitaliseringschef i Holby Kommune og har været it-chef",
            "digitaliseringschef",
            "Holby Kommune",
        ),
        ("a keen sailor and father of three", None, None),
        # the links and articles of every language table
        ("Professeur à l'Université de Valmont", "Professeur", "Université de Valmont"),
        ("Chef de projet au CNRS", "Chef de projet", "CNRS"),
        ("Professor na Universidade de Vila Nova", "Professor", "Universidade de Vila Nova"),
        ("Professorin an der Universität zu Lindau", "Professorin", "Universität zu Lindau"),
        ("Professor am Institut für Datenkunde", "Professor", "Institut für Datenkunde"),
        ("Docente dell'Università di Borgoverde", "Docente", "Università di Borgoverde"),
        ("Ricercatrice presso la Fondazione Monteleone", "Ricercatrice", "Fondazione Monteleone"),
        (
            "Directora de Sistemas en Ferrovías del Norte",
            "Directora de Sistemas",
            "Ferrovías del Norte",
        ),
        ("Lektor ved Nordby Universitet", "Lektor", "Nordby Universitet"),
        ("Hoogleraar bij Universiteit van Zeedam", "Hoogleraar", "Universiteit van Zeedam"),
        ("CIO since 2019", "CIO", None),
        (
            "CTO och medgrundare av Nordvik Logistik AB. Hon är civilingenjör",
            "CTO och medgrundare",
            "Nordvik Logistik AB",
        ),
        ("IT-chef af Vestby Fragt A/S. Hun har", "IT-chef", "Vestby Fragt A/S"),
        ("teknikchef (CTO) på Fjällpost Logistik AB", "teknikchef (CTO)", "Fjällpost Logistik AB"),
        (
            "Head of Identity and Access Management, University of the Lomond",
            "Head of Identity and Access Management",
            "University of the Lomond",
        ),
        # a degree written first; a relative clause after the job is another clause
        (
            "Ph.D. a statistician in the Office of Research who is also a faculty member at SLX",
            "statistician",
            "Office of Research",
        ),
        # functions in a row, each with its link
        (
            "directora de Sistemas de Información de Supermercados Norte",
            "directora de Sistemas de Información",
            "Supermercados Norte",
        ),
    ],
)
def test_role_and_organisation(phrase: str, role: str | None, organisation: str | None) -> None:
    assert role_and_organisation(phrase) == (role, organisation)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Per Hansen is CIO of", "Per Hansen"),
        ("Lars Østergaard er CIO i", "Lars Østergaard"),
        ("Anne-Marie Holm has been", "Anne-Marie Holm"),
        ("Dr. Paula Berg zu »Lernen«", "Paula Berg"),
        ("Elena M. Codoner : Software Engineer", "Elena M. Codoner"),
        ("Jan van der Berg er lektor", "Jan van der Berg"),
        ("Søren Ægidius Åberg holds", "Søren Ægidius Åberg"),
        ("Region Zealand and the Capital Region", None),
        ("Health care was slow to digitise", None),
        ("The Department of IT Management", None),
        ("Tony will take you through", None),
        ("Tirsdag den 4. oktober", None),
    ],
)
def test_name_at_start(text: str, name: str | None) -> None:
    assert name_at_start(text) == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Karen Vestby", True),
        ("Prof. Karen Vestby", True),
        ("Department of IT Management", False),
        ("Copenhagen Business School", False),
        ("karen vestby", False),
        ("Karen", False),
    ],
)
def test_looks_like_name(text: str, expected: bool) -> None:
    assert looks_like_name(text) is expected


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("Region Zealand and member of", "Region Zealand"),
        ("Hvidt & Partners, a firm", "Hvidt & Partners"),
        ("the Queensland Code Lab (QCL)", "Queensland Code Lab"),
        ("a large Danish bank", None),
        # a legal form ends the name, whatever capitalised words follow ("und Mitglied")
        ("Bergbahnen Oberland AG und Mitglied der Geschäftsleitung", "Bergbahnen Oberland AG"),
        ("AG Insurance Belgium", "AG Insurance Belgium"),  # a form opening a name is a word
        ("University of the Lomond, Scotland", "University of the Lomond"),
        ("Banco de la Nación Sur", "Banco de la Nación Sur"),
        ("Region Nordby and the Capital Region", "Region Nordby"),  # "and the" joins two
        ("Centre hospitalier des Monts Verts", "Centre hospitalier des Monts Verts"),
        (
            "Azienda ospedaliera universitaria di Borgoverde",
            "Azienda ospedaliera universitaria di Borgoverde",
        ),
        ("Fjällpost 2023 och", "Fjällpost"),  # a year after a name is a date
    ],
)
def test_organisation_at(text: str, organisation: str | None) -> None:
    assert organisation_at(text) == organisation


@pytest.mark.parametrize(
    ("name", "key"),
    [
        # the one folding's lossy key: every spelling of a Nordic letter meets
        ("Lars Østergaard", "lars ostergard"),
        ("Dr. Lars  Oestergaard", "lars ostergard"),
        ("Prof. Mette Kjærgaard", "mette kjargard"),
        ("Herr Jens Ågård", "jens agard"),
        ("Jens Aagaard", "jens agard"),
        ("José Martínez", "jose martinez"),
        ("Lektor Anne-Marie Holm", "anne-marie holm"),
        ("Ms  Birgitte NYHOLM", "birgitte nyholm"),
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key


def _blocks(html: str) -> list[Block]:
    """The main-content blocks of a small HTML snippet."""
    return parse(f"<html><body><main>{html}</main></body></html>").blocks


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        # a bare "Speakers:" over a list: every item is a speaker, role and organisation split
        (
            "<p><strong>Speakers:</strong></p><ul><li>Ane Holm, CIO, Fjordbank</li>"
            "<li>Bo Lind, Head of Data, Kystnet</li></ul><p>A long enough paragraph about it.</p>",
            [("Ane Holm", "CIO", "Fjordbank"), ("Bo Lind", "Head of Data", "Kystnet")],
        ),
        # a speaker named in prose ("Oplægsholder er …")
        (
            "<p>Oplægsholder er Karen Holst, it-chef i Skattestyrelsen Nord.</p>",
            [("Karen Holst", "it-chef", "Skattestyrelsen Nord")],
        ),
        # the organisation only in the bio: "joined X as Role"
        (
            "<p>Speaker: Fiona Harlow</p><h3>About the speaker</h3>"
            "<p>Fiona Harlow joined Copperleaf Water as CIO in 2014 after years in telecoms.</p>",
            [("Fiona Harlow", "CIO", "Copperleaf Water")],
        ),
        # contact persons and moderators are not speakers
        (
            "<p>Speaker: Priya Raman, IT Manager, Lindholm Dairy</p>"
            "<p>Contact: Oliver Strand</p><p>Moderator: Maja Nyborg</p>",
            [("Priya Raman", "IT Manager", "Lindholm Dairy")],
        ),
    ],
)
def test_find_speakers_layouts(html: str, expected: list[tuple[str, str, str]]) -> None:
    blocks = _blocks(html)
    found = find_speakers(blocks, labelled_lines(blocks), title=None, leads=[], structured=[])
    assert [(s.name, s.role, s.organisation) for s in found] == expected


def test_a_bio_starting_mid_paragraph_is_found() -> None:
    blocks = _blocks(
        "<p>Our speaker is Camilla Norup, Head of Data at Tidevand Insurance. Camilla Norup "
        "built the data team from one analyst to thirty people.</p>"
    )
    [person] = find_speakers(blocks, labelled_lines(blocks), title=None, leads=[], structured=[])
    assert person.bio == "Camilla Norup built the data team from one analyst to thirty people."


def test_a_question_headline_is_not_a_speaker() -> None:
    blocks = _blocks("<h1>Panel: Do Innovation Labs Work?</h1><p>Speaker: Louise Falk, CIO</p>")
    found = find_speakers(blocks, labelled_lines(blocks), title=None, leads=[], structured=[])
    assert [s.name for s in found] == ["Louise Falk"]


def test_a_list_under_a_panelists_heading() -> None:
    blocks = _blocks(
        "<h2>Panelists</h2><ul><li>Ane Holm, CIO, Fjordbank</li>"
        "<li>Bo Lind, Head of Data at Kystnet</li></ul><h2>Abstract</h2>"
        "<ul><li>Three reasons, of which the first is cost</li></ul>"
    )
    found = find_speakers(blocks, labelled_lines(blocks), title=None, leads=[], structured=[])
    assert [(s.name, s.role, s.organisation) for s in found] == [
        ("Ane Holm", "CIO", "Fjordbank"),
        ("Bo Lind", "Head of Data", "Kystnet"),
    ]


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Prof. Dr. Karen Vestby", "Karen Vestby"),
        ("D. Álvaro Ibáñez Roig", "Álvaro Ibáñez Roig"),  # Spanish "Don"
        ("M. Jean Dupont", "Jean Dupont"),  # French "Monsieur"
        ("D. Smith", "D. Smith"),  # an initial: no given name follows
        ("J. Robert Oppenheimer", "J. Robert Oppenheimer"),  # no table has "J." as a title
    ],
)
def test_strip_titles(written: str, name: str) -> None:
    assert strip_titles(written) == name

"""Tables for names, roles, organisations and speaker identity (English and Danish)."""

from __future__ import annotations

import pytest

from scraper.extract.names import (
    looks_like_name,
    name_at_start,
    organisation_at,
    role_and_organisation,
)
from scraper.extract.speakers import normalise_name


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
    ],
)
def test_organisation_at(text: str, organisation: str | None) -> None:
    assert organisation_at(text) == organisation


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Lars Østergaard", "lars oestergaard"),
        ("Dr. Lars  Østergaard", "lars oestergaard"),
        ("Prof. Mette Kjærgaard", "mette kjaergaard"),
        ("Herr Jens Ågård", "jens aagaard"),
        ("José Martínez", "jose martinez"),
        ("Lektor Anne-Marie Holm", "anne-marie holm"),
        ("Ms  Birgitte NYHOLM", "birgitte nyholm"),
    ],
)
def test_normalise_name(name: str, key: str) -> None:
    assert normalise_name(name) == key

"""The speaker directory: role groups, name search with accents folded, partial industry and
organisation filters, A–Z, pages and the CSV/JSON exports of any view (with bios)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, text

from archive import directory
from archive.db import engine_of, session_scope, upgrade
from archive.models import Appearance, Organisation, Speaker, Talk
from archive.roles import role_group


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("CIO", "CIO"),
        ("Group CIO", "CIO"),
        ("Senior Vice President and CIO", "CIO"),
        ("Chief Information Officer", "CIO"),
        ("it-direktør", "CIO"),
        ("IT-chef", "CIO"),
        ("Chief Digital and Information Officer", "CDIO"),
        ("Chief Digital Officer", "CDO"),
        ("digitaliseringschef", "CDO"),
        ("CTO", "CTO"),
        ("VP Engineering", "CTO"),
        ("CISO", "CISO"),
        ("Chief Medical Information Officer", "CMIO"),
        ("Head of Data", "Head of data"),
        ("Senior Vice President, Sales", None),
        ("Cionet community manager", None),
        ("Deputy-CIO", "CIO"),
        ("", None),
        (None, None),
    ],
)
def test_roles_fall_into_groups(role: str | None, group: str | None) -> None:
    assert role_group(role) == group


def entry(name: str, orgs: list[str], industries: list[str], groups: set[str]) -> directory.Entry:
    return directory.Entry(
        id=len(name),
        name=name,
        bio=None,
        organisations=orgs,
        industries=industries,
        role_groups=groups,
    )


PEOPLE = [
    entry("Søren Ærø", ["Øresund Handelsbank"], ["Financial services"], {"CIO"}),
    entry("Anne Holm", ["Region Zealand"], ["Health care", "Public administration"], {"CDO"}),
    entry("Åse Berg", ["Fenwick Bank plc"], ["Financial services"], {"CTO", "CIO"}),
    entry("1st Speaker", [], [], set()),
]


@pytest.mark.parametrize(
    ("filters", "names"),
    [
        (directory.Filters(name="soren"), ["Søren Ærø"]),
        (directory.Filters(name="SØREN aero"), ["Søren Ærø"]),
        (directory.Filters(name="holm"), ["Anne Holm"]),
        (directory.Filters(org="bank"), ["Søren Ærø", "Åse Berg"]),
        (directory.Filters(org="oresund"), ["Søren Ærø"]),
        (directory.Filters(industry="financ"), ["Søren Ærø", "Åse Berg"]),
        (directory.Filters(role="CIO"), ["Søren Ærø", "Åse Berg"]),
        (directory.Filters(role="CIO", org="fenwick"), ["Åse Berg"]),
        (directory.Filters(letter="A"), ["Anne Holm", "Åse Berg"]),
        (directory.Filters(letter="#"), ["1st Speaker"]),
        (directory.Filters(role="CEO"), []),
    ],
)
def test_filters_match_partially_with_accents_folded(
    filters: directory.Filters, names: list[str]
) -> None:
    assert [e.name for e in directory.matching(PEOPLE, filters)] == names


def rows(html: str) -> list[list[str]]:
    """The directory table's rows as cell texts."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0] if "<tbody>" in html else ""
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_rows_show_role_organisation_and_talk_count(client: FlaskClient) -> None:
    html = client.get("/speakers").get_data(as_text=True)
    assert '<th scope="col">Role</th>' in html
    by_name = {row[0]: row for row in rows(html)}
    assert by_name["Per Buchwaldt"][1:3] == ["CIO", "Region Zealand"]
    assert int(by_name["Per Buchwaldt"][4]) >= 1


def test_role_filter_lists_only_that_group(client: FlaskClient) -> None:
    html = client.get("/speakers", query_string={"role": "CIO"}).get_data(as_text=True)
    found = rows(html)
    assert found and all(role_group(row[1]) == "CIO" for row in found)
    everyone = rows(client.get("/speakers").get_data(as_text=True))
    assert len(found) < len(everyone)
    assert "Role: CIO" in html
    assert '<option value="CIO" selected>' in html
    assert '<option value="CTO">' in html  # the other roles stay on offer


def test_name_search_folds_accents(client: FlaskClient) -> None:
    everyone = [row[0] for row in rows(client.get("/speakers").get_data(as_text=True))]
    accented = next(name for name in everyone if not name.isascii())
    word = next(w for w in accented.split() if not w.isascii())
    plain = word.translate(str.maketrans("øØåÅæÆéöäü", "oOaAeEeoau"))
    found = rows(client.get("/speakers", query_string={"q": plain}).get_data(as_text=True))
    assert accented in [row[0] for row in found]


def test_organisation_and_industry_match_part_of_a_name(client: FlaskClient) -> None:
    found = rows(client.get("/speakers", query_string={"org": "zeal"}).get_data(as_text=True))
    assert [row[0] for row in found] == ["Per Buchwaldt"]
    finance = rows(client.get("/speakers?industry=financial").get_data(as_text=True))
    exact = rows(client.get("/speakers?industry=Financial+services").get_data(as_text=True))
    assert finance and finance == exact


def test_letters_and_pages(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    everyone = [row[0] for row in rows(client.get("/speakers").get_data(as_text=True))]
    p_names = [row[0] for row in rows(client.get("/speakers?letter=P").get_data(as_text=True))]
    assert p_names and all(name.startswith("P") for name in p_names)
    assert p_names == [n for n in everyone if n.startswith("P")]
    monkeypatch.setattr(directory, "PER_PAGE", 5)
    first = client.get("/speakers").get_data(as_text=True)
    assert "Page 1 of" in first and 'rel="next"' in first
    pages = int(re.search(r"Page 1 of (\d+)", first).group(1))  # type: ignore[union-attr]
    seen = [
        row[0]
        for n in range(1, pages + 1)
        for row in rows(client.get(f"/speakers?page={n}").get_data(as_text=True))
    ]
    assert seen == everyone
    past = client.get("/speakers?page=999").get_data(as_text=True)
    assert "There is no page 999" in past and f"page={pages}" in past


@pytest.fixture
def speakers_app(app: Flask) -> Iterator[Flask]:
    """A database with a few speakers (no index needed: the directory reads the database)."""
    upgrade(engine_of(app))
    with session_scope(app) as session:
        bank = Organisation(name="Øresund Handelsbank", industries=["Financial services"])
        shop = Organisation(name="=Evil Shop", industries=["Retail"])
        people = [
            (Speaker(name="Søren Ærø", bio="Søren leads IT.\n\nHe sails."), "Group CIO", bank),
            (Speaker(name="Mette Holm", bio="=cmd|' /C calc'!A0"), "Chief Digital Officer", shop),
        ]
        for number, (speaker, role, org) in enumerate(people):
            talk = Talk(
                source_url=f"https://example.edu/talk/{number}",
                topic=f"Talk {number}",
                date=dt.date(2014 + number, 5, 6),
                industries=list(org.industries),
            )
            talk.appearances.append(
                Appearance(
                    speaker=speaker,
                    name_as_shown=speaker.name,
                    role=role,
                    organisation=org,
                    industries=list(org.industries),
                )
            )
            session.add(talk)
        hidden = Talk(source_url="https://example.edu/hidden", topic="Gone", hidden=True)
        hidden.appearances.append(
            Appearance(speaker=Speaker(name="Hidden Person"), name_as_shown="Hidden Person")
        )
        session.add(hidden)
    yield app


def test_csv_export_has_bom_bios_and_quoted_formulas(speakers_app: Flask) -> None:
    client = speakers_app.test_client()
    response = client.get("/speakers.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    table = list(csv.DictReader(io.StringIO(text[1:])))
    by_name = {row["name"]: row for row in table}
    assert set(by_name) == {"Søren Ærø", "Mette Holm"}
    assert by_name["Søren Ærø"]["bio"] == "Søren leads IT.\n\nHe sails."
    assert by_name["Søren Ærø"]["role"] == "Group CIO"
    assert by_name["Søren Ærø"]["role_group"] == "CIO"
    assert by_name["Mette Holm"]["bio"].startswith("'=cmd")
    assert by_name["Mette Holm"]["organisation"] == "'=Evil Shop"
    assert by_name["Mette Holm"]["talks"] == "1"


def test_exports_follow_the_view(speakers_app: Flask) -> None:
    client = speakers_app.test_client()
    response = client.get("/speakers.json", query_string={"role": "CIO", "org": "handels"})
    assert "speakers-role-cio-org-handels.json" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert [row["name"] for row in data] == ["Søren Ærø"]
    assert data[0]["bio"].startswith("Søren leads") and data[0]["organisations"] == [
        "Øresund Handelsbank"
    ]
    html = client.get("/speakers", query_string={"role": "CIO"}).get_data(as_text=True)
    assert 'href="/speakers.csv?role=CIO"' in html and "Hidden Person" not in html


def test_the_directory_follows_writes_at_once_and_other_processes_soon(
    speakers_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = speakers_app.test_client()
    assert "Mette Holm" in client.get("/speakers").get_data(as_text=True)
    with session_scope(speakers_app) as session:
        speaker = session.scalars(select(Speaker).where(Speaker.name == "Mette Holm")).one()
        speaker.name = "Mette Holm-Berg"
    assert "Mette Holm-Berg" in client.get("/speakers").get_data(as_text=True)
    # A write this process did not make (another worker, a scrape): seen once the read expires.
    with engine_of(speakers_app).begin() as conn:
        conn.execute(text("UPDATE speakers SET name = 'Mette Berg' WHERE name = 'Mette Holm-Berg'"))
    assert "Mette Holm-Berg" in client.get("/speakers").get_data(as_text=True)
    monkeypatch.setattr(directory, "CACHE_SECONDS", 0.0)
    html = client.get("/speakers").get_data(as_text=True)
    assert "Mette Berg" in html and "Mette Holm-Berg" not in html

"""A personal site's owner as the speaker of its talk pages told in the first person
(scraper/extract/owners.py)."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.owners import site_owner


@pytest.mark.parametrize(
    ("head_title", "footer", "owner"),
    [
        (None, "Powered by Hugo. © Lena Marwick 2009–2024.", "Lena Marwick"),
        (None, "© 2024 Tiago Moreira · Made with Jekyll", "Tiago Moreira"),
        ("Forecasting electricity | Jane Q Roe", "All rights reserved.", "Jane Q Roe"),
        # an organisation's copyright and site name are no person's
        ("Seminars | Department of Statistics", "© 2024 University of Kestrel", None),
        (None, "Copyright 2021 Nordvik Data A/S", None),
    ],
)
def test_the_owner_of_a_site(head_title: str | None, footer: str, owner: str | None) -> None:
    assert site_owner(head_title, ["Home", "Talks", footer]) == owner


def _page(body: str, footer: str) -> bytes:
    return (
        "<html lang='en'><head><title>Forecasting peak demand | Lena Marwick</title></head>"
        f"<body><main>{body}</main><aside><p>Lena Marwick is Professor of Statistics at "
        f"Kestrel University and edits a journal of forecasting.</p></aside>"
        f"<footer>{footer}</footer></body></html>"
    ).encode()


_TALK = (
    "<h1>Forecasting peak demand</h1><p>Friday 26 June 2015, 3:00-4:00 pm</p>"
    "<p>Location: Harbour Campus, Room 4</p>"
    "<p>In this talk, I will discuss how far ahead peak electricity demand can be forecast.</p>"
    "<p>I will draw on work with two grid operators.</p>"
)


def test_a_talk_told_as_i_on_a_personal_site_is_the_owners() -> None:
    got = extract(_page(_TALK, "© Lena Marwick 2009–2024"), "https://example.org/talk/peak/")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Lena Marwick", "Professor of Statistics", "Kestrel University")
    ]


def test_a_talk_in_the_third_person_names_no_owner() -> None:
    body = _TALK.replace("In this talk, I will discuss", "The talk discusses").replace(
        "I will draw", "It draws"
    )
    got = extract(_page(body, "© Lena Marwick 2009–2024"), "https://example.org/talk/peak/")
    assert got.speakers == []


def test_a_user_group_is_no_owner() -> None:
    assert site_owner("Meetup #57 | Python Łódź", ["© Python Łódź 2024"]) is None

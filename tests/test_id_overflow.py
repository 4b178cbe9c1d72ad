"""Overflowing integers in URLs and forms: a 404 (or a harmless answer), never a 500."""

from __future__ import annotations

import re

import pytest
from adminkit import add_admin, csrf_token, signed_in_client
from flask import Flask

from archive.ids import MAX_ID, MAX_PAGE, page_number, parse_id
from archive.ingest import Ingest
from archive.samples import sample_dir

HUGE = ["99999999999999999999", str(MAX_ID + 1), str(2**63), "9" * 5000]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("007", 7),
        (str(MAX_ID), MAX_ID),
        ("0" * 5000 + "12", 12),
        (str(MAX_ID + 1), None),
        ("99999999999999999999", None),
        ("9" * 5000, None),
        ("0", None),
        ("-3", None),
        ("٣", None),  # an Arabic-Indic digit: isdigit() but not ASCII
        ("", None),
        (None, None),
    ],
)
def test_overflowing_id_text_is_no_id(text: str | None, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("0", 1), ("x", 1), (None, 1), ("99999999999999999999", MAX_PAGE)],
)
def test_overflowing_page_number_is_the_last_page(text: str | None, expected: int) -> None:
    assert page_number(text) == expected


def _int_routes(app: Flask) -> list[tuple[str, str]]:
    """(method, URL pattern) of every route with an integer id, public and admin."""
    found = []
    for rule in app.url_map.iter_rules():
        if "<int:" not in rule.rule:
            continue
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append((method, rule.rule))
    return found


def test_overflowing_id_is_a_404_on_every_route(app: Flask) -> None:
    add_admin(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a server error answers 500, as in production
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    client = signed_in_client(app)
    routes = _int_routes(app)
    assert len(routes) >= 25  # talks, speakers, API, admin talks/speakers/organisations/runs
    for method, pattern in routes:
        for huge in HUGE:
            url = re.sub(r"<int:\w+>", huge, pattern).replace("<slug>", "x")
            answer = client.open(url, method=method)
            assert answer.status_code == 404, (method, url, answer.status_code)
        # a real id still reaches the view (whatever it answers, it is not a routing 404)
    assert client.get("/talks/1", follow_redirects=True).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/runs?page={}",
        "/admin/audit?page={}",
        "/admin/review?page={}",
        "/admin/organisations?page={}",
        "/admin/profiles/learn?host=www.cbs.dk&talk={}",
        "/search?page={}",
        "/speakers?page={}",
        "/api/v1/talks?page={}",
    ],
)
def test_overflowing_number_in_a_query_is_no_server_error(app: Flask, url: str) -> None:
    add_admin(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    client = signed_in_client(app)
    for huge in HUGE:
        answer = client.get(url.format(huge))
        assert answer.status_code in (200, 400, 404), (url, huge, answer.status_code)


def test_overflowing_id_in_a_merge_form_names_no_record(app: Flask) -> None:
    add_admin(app)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    assert Ingest(app).scrape([str(sample_dir())]).exit_code == 0
    client = signed_in_client(app)
    for kind, edit, merge in (
        ("speaker", "/admin/speakers/1/edit", "/admin/speakers/1/merge"),
        ("organisation", "/admin/organisations/1/edit", "/admin/organisations/1/merge"),
    ):
        token = csrf_token(client, edit)
        answer = client.post(
            merge, data={"csrf_token": token, "into": HUGE[0]}, follow_redirects=True
        )
        assert answer.status_code == 200, (kind, answer.status_code)
        assert f"No other {kind}" in answer.get_data(as_text=True)

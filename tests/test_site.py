"""Every page of the site through the Flask test client, on the loaded sample archive."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from archive.views import CSP


def talk_links(html: str) -> list[str]:
    return re.findall(r'href="(/talks/\d+-[^"]+)"', html)


def test_health_care_lists_health_care_it_first(client: FlaskClient) -> None:
    page = client.get("/?q=health+care")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    links = talk_links(html)
    assert len(links) >= 4
    first = client.get(links[0]).get_data(as_text=True)
    assert "Health care IT" in first
    assert "<mark>" in html


def test_search_page_shows_count_facets_and_pagination(client: FlaskClient) -> None:
    html = client.get("/?per_page=5").get_data(as_text=True)
    assert re.search(r'<strong id="count">(\d+)</strong>', html)
    assert "Industry" in html and "Theme" in html and "Year" in html
    assert 'rel="next"' in html
    second = client.get("/?per_page=5&page=2").get_data(as_text=True)
    assert talk_links(second) and talk_links(second) != talk_links(html)


def test_filters_show_as_removable_chips(client: FlaskClient) -> None:
    html = client.get("/?theme=Health+care+IT&year=2014").get_data(as_text=True)
    assert 'class="chip"' in html and "Remove filter Year: 2014" in html
    assert "Theme: Health care IT" in html and "Year: 2014" in html


@pytest.mark.parametrize(
    "query",
    ["", "(((", 'speaker:"unclosed', "AND OR NOT", "year:abc", "*", "q=%00", "a" * 600],
)
def test_any_query_answers(client: FlaskClient, query: str) -> None:
    assert client.get("/", query_string={"q": query}).status_code == 200


@pytest.mark.parametrize(
    "params",
    [
        {"page": "x"},
        {"per_page": "-3"},
        {"sort": "weird"},
        {"from": "20x4"},
        {"year": "abcd"},
        {"page": "99999"},
    ],
)
def test_bad_parameters_still_answer(client: FlaskClient, params: dict[str, str]) -> None:
    assert client.get("/", query_string=params).status_code == 200


def test_talk_page_and_canonical_redirect(client: FlaskClient) -> None:
    html = client.get("/?q=Buchwaldt").get_data(as_text=True)
    link = talk_links(html)[0]
    talk_id = re.search(r"/talks/(\d+)", link).group(1)  # type: ignore[union-attr]
    redirect = client.get(f"/talks/{talk_id}")
    assert redirect.status_code == 301 and redirect.headers["Location"].endswith(link)
    page = client.get(link).get_data(as_text=True)
    for text in (
        "Investing 1+ billion DKK in Health Care IT",
        "Per Buchwaldt",
        "Region Zealand",
        "Howitzvej 60",
        "@misc{",
        "Add to calendar",
    ):
        assert text in page
    ics = client.get(f"/talks/{talk_id}.ics")
    assert ics.mimetype == "text/calendar"
    assert "DTSTART;TZID=Europe/Copenhagen:20140506T080000" in ics.get_data(as_text=True)
    assert client.get(f"/talks/{talk_id}.bib").get_data(as_text=True).startswith("@misc{")


def test_speaker_pages(client: FlaskClient) -> None:
    directory = client.get("/speakers").get_data(as_text=True)
    links = re.findall(r'href="(/speakers/\d+-[^"]+)"', directory)
    assert len(links) >= 30
    filtered = client.get("/speakers?industry=Health+care").get_data(as_text=True)
    assert "Per Buchwaldt" in filtered and len(re.findall(r"/speakers/\d+-", filtered)) < len(links)
    speaker = client.get("/?q=Buchwaldt").get_data(as_text=True)
    link = re.findall(r'href="(/speakers/\d+-[^"]+)"', speaker)[0]
    page = client.get(link).get_data(as_text=True)
    assert "Per Buchwaldt" in page and "Investing 1+ billion DKK" in page


def test_unknown_pages_are_404(client: FlaskClient) -> None:
    assert client.get("/talks/999999").status_code == 404
    assert client.get("/speakers/999999").status_code == 404
    assert client.get("/api/v1/talks/999999").get_json() == {"error": "not found"}


def test_api_talks_follows_the_contract(client: FlaskClient) -> None:
    data = client.get("/api/v1/talks?q=health+care&per_page=3").get_json()
    assert set(data) == {"total", "page", "per_page", "results", "facets", "suggestion"}
    assert data["per_page"] == 3 and len(data["results"]) == 3
    first = data["results"][0]
    assert set(first) == {
        "id",
        "url",
        "title",
        "topic",
        "date",
        "speakers",
        "industries",
        "themes",
        "snippet",
    }
    assert set(data["facets"]) >= {"industry", "theme", "year", "organisation", "language"}
    one = client.get(f"/api/v1/talks/{first['id']}").get_json()
    assert one["id"] == first["id"] and "abstract" in one
    speakers = client.get("/api/v1/speakers?industry=Health+care").get_json()
    assert speakers["total"] >= 1
    person = client.get(f"/api/v1/speakers/{speakers['results'][0]['id']}").get_json()
    assert person["talk_list"]


def test_scraped_text_is_escaped(client: FlaskClient) -> None:
    html = client.get("/", query_string={"q": "<script>alert(1)</script>"}).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in html


@pytest.mark.parametrize("path", ["/", "/speakers", "/api/v1/talks"])
def test_security_headers(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.headers["Content-Security-Policy"] == CSP
    assert "unsafe-inline" not in CSP and "frame-ancestors 'none'" in CSP
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"]

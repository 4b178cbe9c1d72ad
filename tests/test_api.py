"""The JSON API against its OpenAPI document, autocomplete, and generated parameters (no 5xx)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from archive.views.api import openapi_document

DOC_URI = "urn:cio-talks:openapi"
SEARCH_PARAMS = [
    "q",
    "industry",
    "theme",
    "year",
    "org",
    "speaker",
    "lang",
    "from",
    "to",
    "sort",
    "page",
    "per_page",
]


def response_validator(path: str, status: str = "200") -> Draft202012Validator:
    """A JSON Schema validator for one documented response, $refs resolved in the document."""
    document = openapi_document()
    registry: Registry[Any] = Registry().with_resource(
        DOC_URI, Resource.from_contents(document, default_specification=DRAFT202012)
    )
    content = document["paths"][path]["get"]["responses"][status]["content"]
    schema = content["application/json"]["schema"]
    if "$ref" in schema:
        schema = {"$ref": DOC_URI + schema["$ref"]}
    return Draft202012Validator(schema, registry=registry, format_checker=FormatChecker())


def check(path: str, body: Any, status: str = "200") -> None:
    errors = sorted(response_validator(path, status).iter_errors(body), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def test_openapi_document_is_served_and_complete(client: FlaskClient) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    doc = response.get_json()
    assert doc["openapi"].startswith("3.")
    assert doc["servers"] == [{"url": "http://archive.test/api"}]
    assert set(doc["paths"]) >= {
        "/v1/talks",
        "/v1/talks/{id}",
        "/v1/speakers",
        "/v1/speakers/{id}",
        "/v1/suggest",
    }
    names = [p["name"] for p in doc["paths"]["/v1/talks"]["get"]["parameters"]]
    assert names == SEARCH_PARAMS
    speaker_names = [p["name"] for p in doc["paths"]["/v1/speakers"]["get"]["parameters"]]
    assert speaker_names == ["industry", "org"]
    # Every schema is itself valid JSON Schema.
    for schema in doc["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)


def test_validator_rejects_a_wrong_shape() -> None:
    validator = response_validator("/v1/talks")
    assert not validator.is_valid({"total": 1})
    bad = {
        "total": 0,
        "page": 1,
        "per_page": 20,
        "results": [],
        "facets": {k: [] for k in ("industry", "theme", "year", "organisation", "language")},
        "suggestion": None,
        "extra": 1,
    }
    assert not validator.is_valid(bad)
    del bad["extra"]
    assert validator.is_valid(bad)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "health care", "per_page": "3"},
        {"theme": "Health care IT", "sort": "newest"},
        {"industry": ["Health care", "Public administration"]},
        {"year": "2014", "lang": "en"},
        {"from": "2012", "to": "2016-05-31", "sort": "oldest", "page": "2", "per_page": "4"},
        {"q": "helth"},
        {"speaker": "Per Buchwaldt"},
        {"q": "zzzz-no-match"},
    ],
)
def test_talk_search_matches_the_document(client: FlaskClient, query: dict[str, Any]) -> None:
    response = client.get("/api/v1/talks", query_string=query)
    assert response.status_code == 200
    check("/v1/talks", response.get_json())


def test_single_records_match_the_document(client: FlaskClient) -> None:
    results = client.get("/api/v1/talks?per_page=100").get_json()["results"]
    assert len(results) >= 30
    for summary in results:
        check("/v1/talks/{id}", client.get(f"/api/v1/talks/{summary['id']}").get_json())
    directory = client.get("/api/v1/speakers").get_json()
    check("/v1/speakers", directory)
    for person in directory["results"][:10]:
        check("/v1/speakers/{id}", client.get(f"/api/v1/speakers/{person['id']}").get_json())
    filtered = client.get("/api/v1/speakers?industry=Health+care&org=region+zealand").get_json()
    check("/v1/speakers", filtered)
    assert [p["name"] for p in filtered["results"]] == ["Per Buchwaldt"]
    missing = client.get("/api/v1/talks/999999")
    assert missing.status_code == 404
    check("/v1/talks/{id}", missing.get_json(), "404")


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [("per", "Per Buchwaldt"), ("buch", "Per Buchwaldt"), ("PER B", "Per Buchwaldt")],
)
def test_suggest_speakers(client: FlaskClient, prefix: str, expected: str) -> None:
    response = client.get("/api/v1/suggest", query_string={"q": prefix})
    names = response.get_json()
    check("/v1/suggest", names)
    assert expected in names


@pytest.mark.parametrize("query", [{}, {"q": ""}, {"q": "zzzzqq"}, {"q": "a", "limit": "x"}])
def test_suggest_without_matches_is_an_empty_list(
    client: FlaskClient, query: dict[str, str]
) -> None:
    response = client.get("/api/v1/suggest", query_string=query)
    assert response.status_code == 200
    assert response.get_json() == [] or query.get("q") == "a"


def test_suggest_limit(client: FlaskClient) -> None:
    assert len(client.get("/api/v1/suggest?q=a&limit=2").get_json()) <= 2


def test_search_page_offers_autocomplete(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    assert 'list="speaker-names"' in html and '<datalist id="speaker-names">' in html
    assert 'data-suggest="/api/v1/suggest"' in html
    assert '<script src="/static/autocomplete.js" defer>' in html
    with client.get("/static/autocomplete.js") as script:
        assert script.status_code == 200 and script.mimetype == "text/javascript"


TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
VALUES = st.one_of(
    TEXT,
    st.sampled_from(["2014", "Health care", "newest", "oldest", "-1", "0", "99999", "2014-13"]),
    st.integers(-(10**6), 10**6).map(str),
)
PARAMS = st.dictionaries(
    st.sampled_from([*SEARCH_PARAMS, "limit", "unknown"]),
    st.one_of(VALUES, st.lists(VALUES, max_size=3)),
    max_size=6,
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(params=PARAMS)
def test_generated_parameters_never_fail(site: Flask, params: dict[str, Any]) -> None:
    client = site.test_client()
    api = client.get("/api/v1/talks", query_string=params)
    assert api.status_code == 200
    check("/v1/talks", api.get_json())
    page = client.get("/", query_string=params)
    assert page.status_code == 200
    export = client.get("/export.csv", query_string=params)
    assert export.status_code == 200
    assert export.get_data(as_text=True).startswith("\ufeffid,url,")  # the stream runs to its end
    assert 'filename="cio-talks' in export.headers["Content-Disposition"]
    assert export.headers["Content-Disposition"].isascii()
    feed = client.get("/feed.atom", query_string=params)
    assert feed.status_code == 200 and feed.data.startswith(b"<?xml")
    calendar = client.get("/talks.ics", query_string=params)
    assert calendar.status_code == 200 and calendar.data.startswith(b"BEGIN:VCALENDAR")


def test_api_reference_page_is_built_from_the_document(client: FlaskClient) -> None:
    response = client.get("/api")
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    html = response.get_data(as_text=True)
    assert "<script" not in html and "style=" not in html and "//cdn" not in html
    document = openapi_document()
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            assert f'id="{operation["operationId"]}"' in html
            assert f"{method.upper()} /api{path}" in html
            for param in operation.get("parameters", []):
                assert f"<code>{param['name']}</code>" in html
    for name in document["components"]["schemas"]:
        assert f'id="schema-{name}"' in html
    assert client.get("/api/").status_code == 200
    assert re.search(r'href="/api/?">API</a>', client.get("/").get_data(as_text=True))


def test_api_reference_examples_work_and_match_their_schemas(client: FlaskClient) -> None:
    html = client.get("/api").get_data(as_text=True)
    examples = re.findall(r'<h3>Example</h3>\s*<p><a href="([^"]+)"', html)
    document = openapi_document()
    assert len(examples) == sum(len(m) for m in document["paths"].values())
    for link, path in zip(examples, document["paths"], strict=True):
        response = client.get(link.replace("&amp;", "&"))
        assert response.status_code == 200, link
        check(path, response.get_json())
    searched = client.get(examples[0].replace("&amp;", "&")).get_json()
    assert searched["total"] >= 1  # the documented example finds something in the samples

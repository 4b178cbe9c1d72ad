"""Organisation, series and host pages: every talk, the speakers, industries and years among
them, and the links that lead there from talk and speaker pages."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest
from flask.testing import FlaskClient

from archive.views import groups


def text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def all_talks(client: FlaskClient) -> list[dict[str, object]]:
    """Every talk with every field (the API's single-talk view)."""
    data = client.get("/api/v1/talks", query_string={"per_page": 100}).get_json()
    return [client.get(f"/api/v1/talks/{t['id']}").get_json() for t in data["results"]]


def test_organisation_page_from_a_talk_lists_its_talks_speakers_industries_years(
    client: FlaskClient,
) -> None:
    talk = client.get("/?q=Buchwaldt").get_data(as_text=True)
    org_link = re.search(r'href="(/organisations/\d+-region-zealand)"', talk)
    assert org_link, "the results name the organisation as a link"
    page = client.get(org_link.group(1))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "<h1>Region Zealand</h1>" in html and '<p class="crumbs">Organisation</p>' in html
    assert "Investing 1+ billion DKK in Health Care IT" in html
    assert re.search(r'href="/speakers/\d+-per-buchwaldt">Per Buchwaldt</a>', html)
    assert "Health care" in text(html) and "2014" in text(html)
    assert 'href="/?org=Region+Zealand&amp;year=2014"' in html


def test_every_organisation_of_the_archive_has_a_page_with_all_its_talks(
    client: FlaskClient,
) -> None:
    facets = client.get("/api/v1/talks", query_string={"per_page": 1}).get_json()["facets"]
    speakers = client.get("/speakers").get_data(as_text=True)
    links = dict(re.findall(r'href="(/organisations/\d+-[^"]+)">([^<]+)</a>', speakers))
    assert links
    counts = {unescape(e["value"]): e["count"] for e in facets["organisation"]}
    for href, name in links.items():
        html = client.get(href).get_data(as_text=True)
        found = int(re.search(r"<strong>(\d+)</strong> talk", html).group(1))  # type: ignore[union-attr]
        assert found == counts[unescape(name)], name


def test_speaker_page_links_the_organisation(client: FlaskClient) -> None:
    speakers = client.get("/speakers?q=buchwaldt").get_data(as_text=True)
    href = re.search(r'href="(/speakers/\d+-per-buchwaldt)"', speakers).group(1)  # type: ignore[union-attr]
    html = client.get(href).get_data(as_text=True)
    assert re.search(r'<a href="/organisations/\d+-region-zealand">Region Zealand</a>', html)


def test_series_and_host_pages_are_linked_from_talk_pages(client: FlaskClient) -> None:
    talks = all_talks(client)
    with_series = [t for t in talks if t.get("series")]
    with_host = [t for t in talks if t.get("host")]
    assert with_series and with_host
    for field, prefix in (("series", "/series/"), ("host", "/hosts/")):
        talk = (with_series if field == "series" else with_host)[0]
        html = client.get(f"/talks/{talk['id']}", follow_redirects=True).get_data(as_text=True)
        link = re.search(rf'href="({prefix}[^"]+)">', html)
        assert link, field
        page = client.get(unescape(link.group(1)))
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        same = [t for t in talks if t.get(field) == talk[field]]
        assert f"<strong>{len(same)}</strong> talk" in body
        assert f'<p class="crumbs">{"Series" if field == "series" else "Host"}</p>' in body
        for other in same:
            assert f'href="/talks/{other["id"]}-' in body


def test_unknown_groups_are_404(client: FlaskClient) -> None:
    assert client.get("/organisations/999999").status_code == 404
    assert client.get("/series/No such series").status_code == 404
    assert client.get("/hosts/Nobody").status_code == 404


def test_group_pages_page_through_every_talk(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    talks = all_talks(client)
    named = Counter(str(t["series"]) for t in talks if t.get("series"))
    series, size = named.most_common(1)[0]
    assert size > 2, "the samples have a series of several talks"
    same = {t["id"] for t in talks if t.get("series") == series}
    monkeypatch.setattr(groups, "PER_PAGE", 2)
    pages = -(-len(same) // 2)
    seen: list[str] = []
    for number in range(1, pages + 1):
        html = client.get(f"/series/{series}", query_string={"page": number}).get_data(as_text=True)
        assert f"Page {number} of {pages}" in html
        seen += re.findall(r'<h3><a href="/talks/(\d+)-', html)
    assert sorted(map(int, seen)) == sorted(same)

"""Browse pages, statistics with server-side SVG charts, the Atom feed and the archived copy."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import quote, unquote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import charts
from archive.models import Talk
from archive.views import CSP
from archive.views.talks import ARCHIVED_CSP, sanitise_archived

ATOM = "{http://www.w3.org/2005/Atom}"


class Outline(HTMLParser):
    """Headings, landmarks and scripts of a page, to check structure and the CSP rules."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.inline_styles = 0
        self.inline_scripts = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        self.tags.append(tag)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if "style" in names or tag == "style":
            self.inline_styles += 1
        # a JSON-LD data block is never run (and CSP does not apply to it); code would be
        if tag == "script" and not names.get("src") and names.get("type") != "application/ld+json":
            self.inline_scripts += 1
        if any(name.startswith("on") for name in names):
            self.inline_scripts += 1


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def talk_id_of(client: FlaskClient, query: str) -> int:
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    return int(re.findall(r'href="/talks/(\d+)-', html)[0])


PAGES = [
    "/",
    "/?q=health+care",
    "/industries",
    "/industries/Health%20care",
    "/themes",
    "/themes/Health%20care%20IT",
    "/years",
    "/years/2014",
    "/stats",
    "/speakers",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_accessible_and_csp_clean(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == CSP
    page = outline(response.get_data(as_text=True))
    assert page.headings and page.headings[0] == 1 and page.headings.count(1) == 1
    # Headings never skip a level on the way down.
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False))
    assert {"header", "nav", "main", "footer"} <= set(page.tags)
    assert page.inline_styles == 0 and page.inline_scripts == 0


def test_talk_and_speaker_pages_are_accessible(client: FlaskClient) -> None:
    talk_id = talk_id_of(client, "Buchwaldt")
    talk = client.get(f"/talks/{talk_id}", follow_redirects=True).get_data(as_text=True)
    speaker_link = re.findall(r'href="(/speakers/\d+-[^"]+)"', talk)[0]
    speaker = client.get(speaker_link).get_data(as_text=True)
    archived = client.get(f"/talks/{talk_id}/archived").get_data(as_text=True)
    for html in (talk, speaker, archived):
        page = outline(html)
        assert page.headings[0] == 1
        assert {"header", "nav", "main", "footer"} <= set(page.tags)
        assert page.inline_styles == 0 and page.inline_scripts == 0


def test_navigation_and_feed_link(client: FlaskClient) -> None:
    html = client.get("/").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, re.S).group(1)  # type: ignore[union-attr]
    labels = re.findall(r">([^<>]+)</a>", nav)
    assert labels == ["Talks", "Speakers", "Themes", "Industries", "Stats"]
    assert 'rel="alternate" type="application/atom+xml"' in html
    themes = client.get("/themes").get_data(as_text=True)
    assert re.search(r'href="/themes" aria-current="page"', themes)


@pytest.mark.parametrize(
    ("kind", "facet"), [("industries", "industry"), ("themes", "theme"), ("years", "year")]
)
def test_browse_lists_every_value_with_its_count(
    client: FlaskClient, kind: str, facet: str
) -> None:
    facets = client.get("/api/v1/talks?per_page=1").get_json()["facets"][facet]
    html = client.get(f"/{kind}").get_data(as_text=True)
    listed = {
        unquote(value).replace("&amp;", "&"): int(count)
        for value, count in re.findall(
            rf'<a href="/{kind}/([^"]+)">[^<]*</a> <span class="count">(\d+)', html
        )
    }
    assert listed == {f["value"]: f["count"] for f in facets}
    assert len(listed) >= 3


def test_browse_detail_lists_the_talks_of_a_value(client: FlaskClient) -> None:
    total = client.get("/api/v1/talks?industry=Health+care").get_json()["total"]
    html = client.get("/industries/Health%20care").get_data(as_text=True)
    assert f"<strong>{total}</strong> talk" in html
    assert len(re.findall(r'<li class="hit">', html)) == min(total, 20)
    assert 'href="/?industry=Health+care"' in html  # refine in the search page
    assert "Among these talks" in html and "Themes" in html
    year = client.get("/years/2014").get_data(as_text=True)
    assert "2014" in year and re.findall(r'<time datetime="2014-', year)
    assert not re.findall(r'<time datetime="(?!2014-)\d{4}-', year)


@pytest.mark.parametrize(
    "path", ["/industries/No%20such%20industry", "/years/1850", "/years/abcd", "/colours"]
)
def test_unknown_browse_values_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_browse_pages_paginate(
    client: FlaskClient, site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(site.config, "PER_PAGE", 3)
    total = client.get("/api/v1/talks?industry=Health+care").get_json()["total"]
    assert total > 3
    first = client.get("/industries/Health%20care").get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last_page = -(-total // 3)
    last = client.get(f"/industries/Health%20care?page={last_page}").get_data(as_text=True)
    assert 'rel="prev"' in last and 'rel="next"' not in last
    assert len(re.findall(r'<li class="hit">', last)) == total - 3 * (last_page - 1)


def test_charts_escape_labels_and_scale() -> None:
    svg = charts.stacked_bars(
        "c", ["2014"], [("<b>x</b>", [3]), ("Other industries", [1])], title="T&T", desc="d"
    )
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "T&amp;T" in svg
    assert 'fill="#999999"' in svg  # "Other" is grey
    heat = charts.heatmap("h", ["<i>"], ["2014", "2015"], [[0, 4]], title="t", desc="d")
    assert "<i>" not in heat and ">4</text>" in heat
    ET.fromstring(str(svg))  # well-formed XML
    ET.fromstring(str(heat))


def test_atom_feed_lists_newest_talks(client: FlaskClient, site: Flask) -> None:
    response = client.get("/feed.atom")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    entries = root.findall(f"{ATOM}entry")
    with site.app_context():
        from archive.db import get_session

        visible = len(get_session().query(Talk).filter(Talk.hidden.is_(False)).all())
    assert len(entries) == min(visible, 50)
    published = [e.findtext(f"{ATOM}published") or "" for e in entries]
    assert published == sorted(published, reverse=True)
    first = entries[0]
    assert first.findtext(f"{ATOM}title")
    link = first.find(f"{ATOM}link[@rel='alternate']")
    assert link is not None and "/talks/" in link.get("href", "")
    assert client.get(link.get("href", "").replace("http://archive.test", "")).status_code == 200
    assert root.find(f"{ATOM}updated") is not None and root.find(f"{ATOM}id") is not None


def test_archived_copy_is_sanitised_under_a_banner(client: FlaskClient) -> None:
    talk_id = talk_id_of(client, "Buchwaldt")
    talk_page = client.get(f"/talks/{talk_id}", follow_redirects=True).get_data(as_text=True)
    assert f'href="/talks/{talk_id}/archived"' in talk_page
    response = client.get(f"/talks/{talk_id}/archived")
    assert response.status_code == 200
    assert response.headers["Content-Security-Policy"] == ARCHIVED_CSP
    html = response.get_data(as_text=True)
    assert "captured it on" in html and '<time datetime="' in html
    assert "Investing 1+ billion DKK in Health Care IT" in html
    body = html.split('<article class="archived-copy"', 1)[1]
    assert "<script" not in body and "<style" not in body and " on" not in body.split(">")[0]
    assert 'href="mailto:' in body  # links are kept


def test_archived_copy_missing_is_404(client: FlaskClient) -> None:
    assert client.get("/talks/999999/archived").status_code == 404


@pytest.mark.parametrize(
    ("dirty", "absent", "present"),
    [
        ("<script>alert(1)</script><p>ok</p>", ["<script", "alert"], ["<p>ok</p>"]),
        ("<style>p{color:red}</style><p style='x'>s</p>", ["<style", "color", "style="], ["s"]),
        ('<p onclick="evil()">x</p>', ["onclick", "evil"], ["<p>x</p>"]),
        ('<iframe src="https://e.org"></iframe><p>y</p>', ["<iframe", "e.org"], ["y"]),
        ('<a href="/about">A</a>', [], ['href="https://talks.example/about"']),
        ('<a href="javascript:alert(1)">J</a>', ["javascript"], ["J"]),
        ('<a href="file:///etc/passwd">F</a>', ["file:"], ["F"]),
        ('<img src="x" onerror="e()"><p>i</p>', ["<img", "onerror"], ["<p>i</p>"]),
        ("<title>T</title><nav><a href='#x'>n</a></nav>", ["<title", "<nav"], ["n"]),
    ],
)
def test_sanitise_archived(dirty: str, absent: list[str], present: list[str]) -> None:
    clean = sanitise_archived(dirty, "https://talks.example/cio/page.html")
    for text in absent:
        assert text not in clean
    for text in present:
        assert text in clean


@pytest.mark.parametrize(
    ("peak", "ticks"),
    [
        (3, ["0", "1", "2", "3"]),
        (17, ["0", "5", "10", "15", "20"]),
        (230, ["0", "100", "200", "300"]),
    ],
)
def test_bar_chart_gridlines_are_evenly_spaced(peak: int, ticks: list[str]) -> None:
    svg = str(charts.stacked_bars("c", ["2020"], [("A", [peak])], title="t", desc="d"))
    assert re.findall(r'text-anchor="end" font-size="11" fill="#555">(\d+)<', svg) == ticks


def test_atom_feed_escapes_and_drops_characters_xml_cannot_hold(site: Flask) -> None:
    from archive.views.feeds import atom

    talk = Talk(
        id=7,
        source_url="https://example.org/t?a=1&b=2",
        topic="<b>Bold</b> & \x0bcontrol",
        abstract="x\x00y",
        themes=["A&B"],
    )
    talk.created_at = talk.updated_at = dt.datetime(2024, 5, 1, 12, 0)
    with site.test_request_context():
        body = atom([talk], "http://archive.test/feed.atom", "http://archive.test/")
    entry = ET.fromstring(body).find(f"{ATOM}entry")
    assert entry is not None
    assert entry.findtext(f"{ATOM}title") == "<b>Bold</b> & control"
    assert entry.findtext(f"{ATOM}summary") == "xy"
    assert entry.findtext(f"{ATOM}published") == "2024-05-01T12:00:00Z"


@settings(max_examples=40, deadline=None)
@given(
    kind=st.sampled_from(["industries", "themes", "years"]),
    label=st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30),
    page=st.one_of(st.none(), st.integers(-5, 10**6).map(str), st.text(max_size=5)),
)
def test_generated_browse_urls_never_fail(
    site: Flask, kind: str, label: str, page: str | None
) -> None:
    client = site.test_client()
    query = {} if page is None else {"page": page}
    response = client.get(f"/{kind}/{quote(label, safe='')}", query_string=query)
    assert response.status_code in (200, 404, 308)

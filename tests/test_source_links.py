"""Hostile and local source addresses: a javascript: URL from a WARC is never a link (talk
page, archived copy, admin, review pane, Atom feed, citation); a page read from disk shows its
file name, never the server's path; the review pane resolves relative links."""

from __future__ import annotations

import re
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from adminkit import add_admin, signed_in_client, talk_by_url_end
from flask import Flask
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from archive.ingest import Ingest
from archive.links import http_url, resolve_link, source_label
from archive.samples import sample_dir

SAMPLE = "aaberg-2019.html"
HOSTILE = "javascript:alert(document.cookie)//http://site.test/talk"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://site.test/talks/1", "https://site.test/talks/1"),
        ("  http://site.test/a?b=c  ", "http://site.test/a?b=c"),
        ("HTTPS://Site.Test/", "HTTPS://Site.Test/"),
        ("javascript:alert(1)", None),
        ("JavaScript:alert(1)", None),
        ("java\tscript:alert(1)", None),
        ("\x01javascript:alert(1)", None),
        ("http://site.test/\nx", None),
        ("data:text/html,<script>alert(1)</script>", None),
        ("file:///srv/pages/talk.html", None),
        ("vbscript:msgbox(1)", None),
        ("//site.test/talk", None),
        ("http:///no-host", None),
        ("", None),
        (None, None),
    ],
)
def test_javascript_source_url_is_no_link(url: str | None, expected: str | None) -> None:
    assert http_url(url) == expected


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("file:///srv/secret/pages/talk%20one.html", "talk one.html"),
        ("FILE:///home/alice/x.htm", "x.htm"),
        ("file:///", "local file"),
        ("https://site.test/talks/1", "https://site.test/talks/1"),
    ],
)
def test_server_file_path_is_shown_as_the_file_name(url: str, label: str) -> None:
    assert source_label(url) == label


@pytest.mark.parametrize(
    ("base", "link", "expected"),
    [
        ("http://site.test/cio/talk.html", "../about", "http://site.test/about"),
        ("http://site.test/cio/talk.html", "next.html", "http://site.test/cio/next.html"),
        ("http://site.test/cio/talk.html", "/", "http://site.test/"),
        ("http://site.test/cio/talk.html", "mailto:cio@site.test", "mailto:cio@site.test"),
        ("http://site.test/cio/talk.html", "javascript:alert(1)", None),
        ("http://site.test/cio/talk.html", " java\tscript:alert(1)", None),
        ("http://site.test/cio/talk.html", "data:text/html,x", None),
        ("file:///srv/pages/talk.html", "other.html", None),
        ("file:///srv/pages/talk.html", "https://site.test/", "https://site.test/"),
    ],
)
def test_relative_links_in_archived_pages_resolve_or_drop(
    base: str, link: str, expected: str | None
) -> None:
    assert resolve_link(base, link) == expected


def warc_of_sample(path: Path, target: str) -> Path:
    """A WARC holding the sample talk page for ``target``: a response record for an http(s)
    URL, else a resource record (warcio reads HTTP headers for http(s) URIs only)."""
    body = (sample_dir() / SAMPLE).read_bytes()
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        if target.startswith("http"):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                target, "response", payload=BytesIO(body), length=len(body), http_headers=headers
            )
        else:
            record = writer.create_warc_record(
                target,
                "resource",
                payload=BytesIO(body),
                length=len(body),
                warc_content_type="text/html",
            )
        writer.write_record(record)
    return path


def no_hostile_link(html: str) -> None:
    assert not re.search(r"""(href|src)\s*=\s*["']?\s*javascript:""", html, re.I), html
    assert "file:" not in html


def test_javascript_source_url_from_a_warc_is_no_link_anywhere(app: Flask, tmp_path: Path) -> None:
    add_admin(app)
    report = Ingest(app).scrape([str(warc_of_sample(tmp_path / "hostile.warc.gz", HOSTILE))])
    assert report.exit_code == 0, report.events
    talk = talk_by_url_end(app, "site.test/talk")
    assert talk.source_url == HOSTILE
    public = app.test_client()
    page = public.get(f"/talks/{talk.id}", follow_redirects=True)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    no_hostile_link(html)
    assert "javascript:alert(document.cookie)" in html  # shown, as text
    archived = public.get(f"/talks/{talk.id}/archived").get_data(as_text=True)
    no_hostile_link(archived)
    feed = public.get("/feed.atom").get_data(as_text=True)
    assert f"/talks/{talk.id}" in feed and "javascript:" not in feed
    bib = public.get(f"/talks/{talk.id}.bib").get_data(as_text=True)
    assert "javascript:" not in bib
    admin = signed_in_client(app)
    edit = admin.get(f"/admin/talks/{talk.id}/edit").get_data(as_text=True)
    no_hostile_link(edit)
    assert "javascript:alert(document.cookie)" in edit


def test_server_file_path_of_a_page_read_from_disk_is_not_shown(app: Flask, tmp_path: Path) -> None:
    folder = tmp_path / "srv-secret-folder"
    folder.mkdir()
    shutil.copy(sample_dir() / SAMPLE, folder / SAMPLE)
    assert Ingest(app).scrape([str(folder)]).exit_code == 0
    talk = talk_by_url_end(app, SAMPLE)
    assert talk.source_url.startswith("file://")
    client = app.test_client()
    for url in (f"/talks/{talk.id}", f"/talks/{talk.id}/archived", "/feed.atom"):
        html = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "srv-secret-folder" not in html and "file:" not in html, url
    html = client.get(f"/talks/{talk.id}", follow_redirects=True).get_data(as_text=True)
    assert f'<span class="url">{SAMPLE}</span>' in html
    assert str(tmp_path) not in client.get(f"/talks/{talk.id}.bib").get_data(as_text=True)
    # nor in what visitors download or read through the API
    for url in (f"/api/v1/talks/{talk.id}", "/export.json", "/export.csv"):
        body = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert "srv-secret-folder" not in body and "file:" not in body, url
        assert SAMPLE in body, url


def review_pane(app: Flask, talk_id: int) -> str:
    """The archived page shown beside the talk's fields on its admin page."""
    html = signed_in_client(app).get(f"/admin/talks/{talk_id}/edit").get_data(as_text=True)
    pane = html[html.index('class="archived-body"') :]
    return pane[: pane.index("</aside>")]


def test_review_pane_resolves_relative_links_against_the_page_url(
    app: Flask, tmp_path: Path
) -> None:
    add_admin(app)
    warc = warc_of_sample(tmp_path / "site.warc.gz", "http://site.test/itm/cio-talks/aaberg")
    assert Ingest(app).scrape([str(warc)]).exit_code == 0
    talk = talk_by_url_end(app, "/aaberg")
    hrefs = re.findall(r'href="([^"]*)"', review_pane(app, talk.id))
    assert "http://site.test/uddannelse" in hrefs  # the page's "/uddannelse"
    assert hrefs and all(h.startswith(("http://site.test/", "https://", "mailto:")) for h in hrefs)


def test_review_pane_drops_relative_links_of_a_page_read_from_disk(
    app: Flask, tmp_path: Path
) -> None:
    add_admin(app)
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(sample_dir() / SAMPLE, folder / SAMPLE)
    assert Ingest(app).scrape([str(folder)]).exit_code == 0
    talk = talk_by_url_end(app, SAMPLE)
    pane = review_pane(app, talk.id)
    assert "Uddannelse" in pane  # the link text stays
    assert 'href="/' not in pane and "file:" not in pane

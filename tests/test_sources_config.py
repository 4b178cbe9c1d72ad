"""Named sources: the file, the `sources` commands and `scrape` without arguments."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from pytest_httpserver import HTTPServer
from sqlalchemy import select

from archive.db import new_session
from archive.models import Talk
from archive.samples import sample_dir
from archive.sources import (
    NamedSource,
    SourcesError,
    add_source,
    load_sources,
    remove_source,
    save_sources,
    set_enabled,
)


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "sources.json"
    assert load_sources(path) == []
    sources = [
        NamedSource("cbs", "https://www.cbs.dk/cio-talks", allow=(r"/cio",), max_pages=20),
        NamedSource("old", str(tmp_path), enabled=False, deny=(r"\.pdf$",), sitemap=True),
    ]
    save_sources(path, sources)
    assert load_sources(path) == sources
    assert not list(tmp_path.glob(".sources.json-*"))  # no temporary file left behind


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON (line 1"),
        ('{"sources": {}}', "expected"),
        ('{"sources": [{"name": "a"}]}', "must be strings"),
        ('{"sources": [{"name": "a b", "url": "x"}]}', "bad source name"),
        ('{"sources": [{"name": "a", "url": "x", "allow": ["("]}]}', "bad pattern"),
        ('{"sources": [{"name": "a", "url": "x", "max_pages": "9"}]}', "whole number"),
        ('[{"name": "a", "url": "x"}, {"name": "a", "url": "y"}]', "used twice: a"),
    ],
)
def test_malformed_files_give_clear_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=message.replace("(", r"\(")):
        load_sources(path)


def test_list_operations() -> None:
    sources = add_source([], NamedSource("a", "https://a.example/"))
    with pytest.raises(SourcesError, match="already exists"):
        add_source(sources, NamedSource("a", "https://b.example/"))
    assert set_enabled(sources, "a", False)[0].enabled is False
    assert remove_source(sources, "a") == []
    with pytest.raises(SourcesError, match="no source named"):
        remove_source(sources, "b")


def test_sources_commands(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert "no sources configured" in runner.invoke(args=["sources"]).output
    result = runner.invoke(
        args=["sources", "add", "cbs", "https://cbs.example/cio/", "--deny", "private", "--sitemap"]
    )
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["sources", "add", "cbs", "https://x.example/"]).exit_code == 1
    assert runner.invoke(args=["sources", "disable", "cbs"]).exit_code == 0
    listing = runner.invoke(args=["sources"]).output
    assert "cbs" in listing and "disabled" in listing and "deny private" in listing
    data = json.loads(Path(app.config["SOURCES_FILE"]).read_text(encoding="utf-8"))
    assert data["sources"][0]["enabled"] is False and data["sources"][0]["sitemap"] is True
    assert runner.invoke(args=["sources", "enable", "cbs"]).exit_code == 0
    assert runner.invoke(args=["sources", "remove", "cbs"]).exit_code == 0
    assert runner.invoke(args=["sources", "remove", "cbs"]).exit_code == 1
    Path(app.config["SOURCES_FILE"]).write_text("{oops", encoding="utf-8")
    broken = runner.invoke(args=["sources"])
    assert broken.exit_code == 1 and "not valid JSON" in broken.output


def event(name: str) -> str:
    sample = (sample_dir() / "hauge-2014.html").read_text(encoding="utf-8")
    return sample.replace("Peter Hauge", name)


def test_scrape_without_arguments_honours_each_source(app: Flask, httpserver: HTTPServer) -> None:
    app.config.update(CRAWL_DELAY=0.0, CRAWL_TIMEOUT=10.0)
    names = ["Anna Berg", "Bo Dahl", "Carl Eng", "Dora Falk"]
    links = "".join(f'<a href="/cio/talk-{n}.html">{n}</a>' for n in range(4))
    httpserver.expect_request("/robots.txt").respond_with_data("", content_type="text/plain")
    httpserver.expect_request("/cio/").respond_with_data(
        f"<html><body>{links}</body></html>", content_type="text/html"
    )
    for n, name in enumerate(names):
        httpserver.expect_request(f"/cio/talk-{n}.html").respond_with_data(
            event(name), content_type="text/html; charset=utf-8"
        )
    runner = app.test_cli_runner()
    url = httpserver.url_for("/cio/")
    runner.invoke(args=["sources", "add", "site", url, "--deny", "talk-1", "--max-pages", "3"])
    runner.invoke(args=["sources", "add", "off", str(sample_dir()), "--disabled"])
    result = runner.invoke(args=["scrape"])
    assert result.exit_code == 0, result.output
    requested = [req.path for req, _ in httpserver.log]
    assert "/cio/talk-1.html" not in requested  # denied
    assert len([p for p in requested if p.startswith("/cio/")]) == 3  # max_pages
    with new_session(app) as session:
        urls = sorted(session.scalars(select(Talk.source_url)))
    assert urls == [httpserver.url_for("/cio/talk-0.html"), httpserver.url_for("/cio/talk-2.html")]


def test_scrape_with_nothing_configured_exits_2(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["scrape"])
    assert result.exit_code == 2 and "nothing to scrape" in result.output

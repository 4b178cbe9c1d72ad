"""Expanding SOURCE arguments: folders, files, URL lists, WARC files, URLs and bad paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from scraper.model import FetchedPage
from scraper.sources import Source, expand_sources, load_file, local_pages
from scraper.warc import LocalWarcStore


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "saved" / "2014").mkdir(parents=True)
    (tmp_path / "saved" / "b.html").write_text("<html>b</html>")
    (tmp_path / "saved" / "a.HTM").write_text("<html>a</html>")
    (tmp_path / "saved" / "2014" / "c.html").write_text("<html>c</html>")
    (tmp_path / "saved" / "notes.md").write_text("# not a page")
    (tmp_path / "empty").mkdir()
    (tmp_path / "urls.txt").write_text(
        "# CIO talk listings\n"
        "https://events.example.test/cio-talks/\n"
        "\n"
        "  http://events.example.test/talk#speakers   # with a fragment\n"
        "ftp://nope.example.test/\n"
    )
    (tmp_path / "one.html").write_text("<html>one</html>")
    (tmp_path / "data.csv").write_text("a,b")
    return tmp_path


def test_folder_is_expanded_recursively_and_sorted(tree: Path) -> None:
    sources = expand_sources([str(tree / "saved")])
    assert [Path(s.location).relative_to(tree / "saved").as_posix() for s in sources] == [
        "2014/c.html",
        "a.HTM",
        "b.html",
    ]
    assert all(s.kind == "file" and s.origin == str(tree / "saved") for s in sources)


@pytest.mark.parametrize(
    ("arg", "expected"),
    [
        (
            "https://events.example.test/cio-talks/",
            [("url", "https://events.example.test/cio-talks/")],
        ),
        ("{tree}/one.html", [("file", "{tree}/one.html")]),
        ("file://{tree}/one.html", [("file", "{tree}/one.html")]),
        ("{tree}/archive.warc.gz", [("warc", "{tree}/archive.warc.gz")]),
        ("{tree}/saved/../one.html", [("file", "{tree}/one.html")]),
        ("{tree}/missing.html", [("error", "{tree}/missing.html")]),
        ("{tree}/data.csv", [("error", "{tree}/data.csv")]),
        ("{tree}/empty", [("error", "{tree}/empty")]),
    ],
)
def test_single_arguments(tree: Path, arg: str, expected: list[tuple[str, str]]) -> None:
    (tree / "archive.warc.gz").write_bytes(b"")
    got = [(s.kind, s.location) for s in expand_sources([arg.format(tree=tree)])]
    assert got == [(kind, loc.format(tree=tree)) for kind, loc in expected]


def test_url_list(tree: Path) -> None:
    sources = expand_sources([str(tree / "urls.txt")])
    assert [(s.kind, s.location) for s in sources] == [
        ("url", "https://events.example.test/cio-talks/"),
        ("url", "http://events.example.test/talk#speakers"),
        ("error", "ftp://nope.example.test/"),
    ]
    assert sources[2].error == "line 5 is not an http(s) URL"


def test_errors_are_items_and_duplicates_dropped(tree: Path) -> None:
    sources = expand_sources(
        [str(tree / "one.html"), "/no/such/place", str(tree / "one.html"), str(tree / "data.csv")]
    )
    assert [s.kind for s in sources] == ["file", "error", "error"]
    assert sources[1] == Source(
        "error", "/no/such/place", "/no/such/place", "no such file or folder"
    )
    assert sources[2].error == "not an HTML file, URL list (.txt) or WARC file"


def test_load_file_gives_a_fetched_page(tree: Path) -> None:
    page = load_file(tree / "saved" / "b.html")
    assert page.url == f"file://{tree}/saved/b.html"
    assert page.status == 200 and page.error is None
    assert page.body == b"<html>b</html>"
    assert page.content_type == "text/html"
    assert page.last_modified and page.last_modified.endswith("GMT")


def test_load_file_problems_are_errors_not_exceptions(tree: Path) -> None:
    missing = load_file(tree / "gone.html")
    assert missing.status == 0 and missing.error and missing.error.startswith("cannot read file")
    big = load_file(tree / "one.html", max_bytes=4)
    assert big.error == "file larger than 4 bytes"


def test_local_pages_reads_files_and_warcs(tree: Path) -> None:
    archive = tree / "warcs"
    with LocalWarcStore(archive) as store:
        ref = store.write(
            FetchedPage(
                url="https://events.example.test/talk",
                status=200,
                body=b"<html>talk</html>",
                headers={"Content-Type": "text/html"},
            )
        )
    warc_source = expand_sources([str(archive / ref.path)])[0]
    assert warc_source.kind == "warc"
    assert [p.body for p in local_pages(warc_source)] == [b"<html>talk</html>"]
    file_source = expand_sources([str(tree / "one.html")])[0]
    assert [p.body for p in local_pages(file_source)] == [b"<html>one</html>"]
    assert list(local_pages(Source("url", "https://x.test/", "https://x.test/"))) == []

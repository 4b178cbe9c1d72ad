"""WARC round trips: LocalWarcStore writes, reads back, revisits, rotation, foreign files."""

from __future__ import annotations

import gzip
import re
from io import BytesIO
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from scraper.model import FetchedPage
from scraper.warc import LocalWarcStore, RecordRef, iter_warc, payload_digest

HTML = "<html><body><h1>CIO Talks: Sundhed-IT</h1><p>Æblegrød</p></body></html>".encode()


def page(url: str = "https://events.example.test/cio-talks/1", body: bytes = HTML) -> FetchedPage:
    return FetchedPage(
        url=url,
        status=200,
        body=body,
        headers={"Content-Type": "text/html; charset=utf-8", "ETag": '"abc"'},
        fetched_at="2024-03-05T10:11:12Z",
    )


def test_write_and_read_back(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path) as store:
        ref = store.write(page(), {"User-Agent": "CIOTalksArchive/0.1"})
        other = store.write(page("https://events.example.test/cio-talks/2", b"<html>2</html>"))
        back = store.read(ref)
        assert store.read(other).body == b"<html>2</html>"
    assert re.fullmatch(r"cio-talks-\d{14}-00000\.warc\.gz", ref.path)
    assert ref.payload_digest == payload_digest(HTML)
    assert ref.record_id.startswith("<urn:uuid:")
    assert back.url == "https://events.example.test/cio-talks/1"
    assert back.status == 200
    assert back.body == HTML
    assert back.content_type == "text/html; charset=utf-8"
    assert back.etag == '"abc"'
    assert back.fetched_at == "2024-03-05T10:11:12Z"


def test_file_holds_warcinfo_request_and_response(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path) as store:
        ref = store.write(page(), {"User-Agent": "ua"})
    with (tmp_path / ref.path).open("rb") as handle:
        records = [
            (r.rec_type, r.rec_headers.get_header("WARC-Concurrent-To"))
            for r in ArchiveIterator(handle)
        ]
    assert [kind for kind, _ in records] == ["warcinfo", "response", "request"]
    assert records[2][1] == ref.record_id
    # gzip per record: the response record alone is a complete gzip member
    with (tmp_path / ref.path).open("rb") as handle:
        handle.seek(ref.offset)
        member = gzip.decompress(handle.read(ref.length))
    assert member.startswith(b"WARC/1.1\r\n") and HTML in member


def test_revisit_points_back_to_original(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path) as store:
        original = store.write(page())
        unchanged = FetchedPage(
            url=page().url,
            status=304,
            body=b"",
            headers={"ETag": '"abc"'},
            fetched_at="2025-01-01T00:00:00Z",
            not_modified=True,
        )
        revisit = store.write_revisit(unchanged, original)
        back = store.read(revisit)
    assert revisit.payload_digest == original.payload_digest
    assert revisit.record_id != original.record_id
    assert back.body == HTML and back.status == 200
    assert back.fetched_at == "2025-01-01T00:00:00Z"
    with (tmp_path / revisit.path).open("rb") as handle:
        handle.seek(revisit.offset)
        record = next(iter(ArchiveIterator(BytesIO(handle.read(revisit.length)))))
        assert record.rec_type == "revisit"
        assert record.rec_headers.get_header("WARC-Refers-To") == original.record_id
        assert record.rec_headers.get_header("WARC-Profile").endswith("identical-payload-digest")
        assert record.rec_headers.get_header("WARC-Refers-To-Date") == "2024-03-05T10:11:12Z"
    # iter_warc yields the original page only, not the revisit
    assert [p.body for p in iter_warc(tmp_path / revisit.path)] == [HTML]


def test_local_file_is_a_resource_record(tmp_path: Path) -> None:
    local = FetchedPage(
        url="file:///data/saved/talk.html",
        status=200,
        body=HTML,
        headers={"Content-Type": "text/html"},
    )
    with LocalWarcStore(tmp_path / "archive") as store:
        ref = store.write(local)
        back = store.read(ref)
    assert back.url == "file:///data/saved/talk.html"
    assert back.body == HTML and back.content_type == "text/html"
    with (tmp_path / "archive" / ref.path).open("rb") as handle:
        kinds = [r.rec_type for r in ArchiveIterator(handle)]
    assert kinds == ["warcinfo", "resource"]


def test_rotation_by_size(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path, max_file_bytes=600) as store:
        refs = [store.write(page(f"https://h.test/{n}", HTML * 3)) for n in range(4)]
        assert all(store.read(ref).url == f"https://h.test/{n}" for n, ref in enumerate(refs))
    names = sorted({ref.path for ref in refs})
    assert len(names) >= 2
    assert names[0].endswith("-00000.warc.gz") and names[1].endswith("-00001.warc.gz")


def test_page_without_response_is_refused(tmp_path: Path) -> None:
    failed = FetchedPage(url="https://h.test/x", status=0, body=b"", error="timeout after 30 s")
    with LocalWarcStore(tmp_path) as store, pytest.raises(ValueError, match="no response"):
        store.write(failed)


def test_killed_writer_leaves_complete_records(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path) as store:
        first = store.write(page("https://h.test/1"))
        second = store.write(page("https://h.test/2"))
    path = tmp_path / first.path
    data = path.read_bytes()
    path.write_bytes(data[: second.offset + second.length // 2])  # a half-written response
    urls = [p.url for p in iter_warc(path)]
    assert urls == ["https://h.test/1"]


def _foreign_warc(path: Path) -> None:
    """A WARC as a web archive would hold it: raw gzip-encoded chunked bodies and non-HTML."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        compressed = gzip.compress(b"<html><body>gzipped talk</body></html>")
        chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(compressed), compressed)
        headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html"),
                ("Content-Encoding", "gzip"),
                ("Transfer-Encoding", "chunked"),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                "http://old.example.test/talk",
                "response",
                payload=BytesIO(chunked),
                length=len(chunked),
                http_headers=headers,
            )
        )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "http://old.example.test/logo.png",
                "response",
                payload=BytesIO(b"\x89PNG"),
                length=4,
                http_headers=image,
            )
        )
        writer.write_record(
            writer.create_warc_record(
                "http://old.example.test/meta",
                "metadata",
                payload=BytesIO(b"outlink: x"),
                length=10,
                warc_content_type="application/warc-fields",
            )
        )
        plain = StatusAndHeaders(
            "404 Not Found", [("Content-Type", "text/html")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                "http://old.example.test/missing",
                "response",
                payload=BytesIO(b"<html>missing</html>"),
                length=20,
                http_headers=plain,
            )
        )


@pytest.mark.parametrize("suffix", [".warc.gz"])
def test_iter_warc_reads_foreign_files(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"foreign{suffix}"
    _foreign_warc(path)
    pages = list(iter_warc(path))
    assert [(p.url, p.status) for p in pages] == [
        ("http://old.example.test/talk", 200),
        ("http://old.example.test/missing", 404),
    ]
    assert pages[0].body == b"<html><body>gzipped talk</body></html>"
    assert "Content-Encoding" not in pages[0].headers
    everything = list(iter_warc(path, html_only=False))
    assert len(everything) == 3


def test_iter_warc_uncompressed(tmp_path: Path) -> None:
    gz = tmp_path / "in.warc.gz"
    _foreign_warc(gz)
    plain = tmp_path / "in.warc"
    with gzip.open(gz, "rb") as source:
        plain.write_bytes(source.read())
    assert [p.url for p in iter_warc(plain)] == [
        "http://old.example.test/talk",
        "http://old.example.test/missing",
    ]


def test_record_ref_is_a_frozen_value() -> None:
    ref = RecordRef("a.warc.gz", 1, 2, "<urn:uuid:x>", "sha1:Y")
    with pytest.raises(AttributeError):
        ref.offset = 5  # type: ignore[misc]
    assert ref == RecordRef("a.warc.gz", 1, 2, "<urn:uuid:x>", "sha1:Y")


def test_reads_inside_with_share_one_handle_per_file_and_close_it(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path, max_file_bytes=1) as store:
        first = store.write(page("https://events.example.test/a", b"<html>a</html>"))
        second = store.write(page("https://events.example.test/b", b"<html>b</html>"))
        assert first.path != second.path  # the size limit rotated the file
        for _ in range(3):
            assert store.read(first).body == b"<html>a</html>"
            assert store.read(second).body == b"<html>b</html>"
        readers = list(store._readers.values())
        assert len(readers) == 2 and not any(r.closed for r in readers)
    assert all(r.closed for r in readers)
    assert store._readers == {}


def test_reads_outside_with_keep_nothing_open(tmp_path: Path) -> None:
    with LocalWarcStore(tmp_path) as writer:
        ref = writer.write(page())
    store = LocalWarcStore(tmp_path)
    assert store.read(ref).body == HTML
    assert store._readers == {}

"""Hostile WARC input: records that inflate past the body cap, memory exhaustion, damage."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from archive.db import new_session
from archive.models import Talk
from scraper import warc
from scraper.warc import iter_warc

TALK = (
    b"<html><head><title>CIO Talk: Data at scale</title></head><body>"
    b"<h1>CIO Talk: Data at scale</h1><p>Speaker: Jane Doe, CIO, Acme Corp</p>"
    b"<p>Date: 12 March 2024</p></body></html>"
)


def _member(url: str, body_parts: list[bytes], body_size: int, number: int) -> bytes:
    """One gzip member holding a response record whose body is ``body_parts`` joined."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: %d\r\n\r\n" % body_size
    head = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: " + url.encode() + b"\r\n"
        b"WARC-Date: 2024-03-12T10:00:00Z\r\n"
        b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-%012d>\r\n"
        % number
        + b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(http) + body_size)
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    out = [packer.compress(head + http)]
    out += [packer.compress(part) for part in body_parts]
    out += [packer.compress(b"\r\n\r\n"), packer.flush()]
    return b"".join(out)


def bomb_warc(path: Path, bomb_mib: int) -> Path:
    """A talk page, a record of ``bomb_mib`` MiB of spaces (a few KB compressed), a talk page."""
    mib = b"<p>" + b" " * (1024 * 1024 - 3)
    path.write_bytes(
        _member("http://site.test/talks/1", [TALK], len(TALK), 1)
        + _member("http://site.test/bomb", [mib] * bomb_mib, bomb_mib * len(mib), 2)
        + _member("http://site.test/talks/2", [TALK.replace(b"Data", b"Cloud")], len(TALK), 3)
    )
    return path


def test_warc_bomb_record_is_refused_by_the_body_cap_and_reading_goes_on(tmp_path: Path) -> None:
    path = bomb_warc(tmp_path / "bomb.warc.gz", 16)
    assert path.stat().st_size < 64 * 1024  # 16 MiB of body in a few KB of gzip
    pages = list(iter_warc(path, max_bytes=1024 * 1024))
    assert [p.url for p in pages] == [
        "http://site.test/talks/1",
        "http://site.test/bomb",
        "http://site.test/talks/2",
    ]
    bomb = pages[1]
    assert bomb.status == 0 and bomb.body == b""
    assert bomb.error is not None and "\n" not in bomb.error
    assert "WARC record 2 of bomb.warc.gz" in bomb.error
    assert "00000000-0000-0000-0000-000000000002" in bomb.error
    assert "body larger than 1 MB" in bomb.error
    assert pages[2].body.startswith(b"<html>") and pages[2].error is None


def test_warc_bomb_fails_the_scrape_with_the_fetchers_cap(app: Flask, tmp_path: Path) -> None:
    app.config["CRAWL_MAX_BYTES"] = 1024 * 1024  # the same setting caps HTTP bodies
    path = bomb_warc(tmp_path / "bomb.warc.gz", 8)
    result = app.test_cli_runner().invoke(args=["scrape", str(path)])
    assert result.exit_code == 1, result.output
    (line,) = [line for line in result.output.splitlines() if "site.test/bomb" in line]
    assert "WARC record 2 of bomb.warc.gz" in line and "body larger than 1 MB" in line
    with new_session(app) as session:  # the run went on past the bomb
        urls = set(session.scalars(select(Talk.source_url)))
    assert urls == {"http://site.test/talks/1", "http://site.test/talks/2"}


def test_warc_memory_error_is_reported_as_memory_not_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = bomb_warc(tmp_path / "bomb.warc.gz", 1)

    def exhausted(stream: object, limit: int) -> bytes:
        raise MemoryError

    monkeypatch.setattr(warc, "read_capped", exhausted)
    (page,) = list(iter_warc(path))
    assert page.error is not None
    assert "out of memory" in page.error and "damaged" not in page.error
    assert "WARC record 1 of bomb.warc.gz" in page.error


def test_warc_damaged_file_is_a_failure_naming_the_record(tmp_path: Path) -> None:
    talk = _member("http://site.test/talks/1", [TALK], len(TALK), 1)
    path = tmp_path / "damaged.warc.gz"
    path.write_bytes(talk + b"not a WARC record\r\n\r\n" + talk)
    first, damaged = list(iter_warc(path))
    assert first.error is None and first.body == TALK
    assert damaged.status == 0 and damaged.error is not None and "\n" not in damaged.error
    assert damaged.error.startswith("WARC record 2 of damaged.warc.gz: damaged record")


def test_warc_endless_header_line_is_refused_not_read_whole(tmp_path: Path) -> None:
    """One 32 MiB HTTP header line in a few KB of gzip: warcio would read the line whole."""
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Padding: "
    line = b"a" * (32 * 1024 * 1024)
    tail = b"\r\n\r\n" + TALK
    size = len(line) + len(tail)
    head = (
        b"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: http://site.test/header\r\n"
        b"WARC-Date: 2024-03-12T10:00:00Z\r\n"
        b"Content-Type: application/http; msgtype=response\r\n"
        b"Content-Length: %d\r\n\r\n" % (len(http) + size)
    )
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    member = packer.compress(head + http)
    member += packer.compress(line) + packer.compress(tail + b"\r\n\r\n") + packer.flush()
    path = tmp_path / "header.warc.gz"
    path.write_bytes(_member("http://site.test/talks/1", [TALK], len(TALK), 1) + member)
    first, refused = list(iter_warc(path))
    assert first.body == TALK
    assert refused.status == 0 and refused.error is not None
    assert refused.error.startswith("WARC record 2 of header.warc.gz")
    assert "header line longer than 65536 bytes" in refused.error

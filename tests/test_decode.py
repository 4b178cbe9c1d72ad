"""Tests for scraper.extract.decode: charsets declared right and wrong, and binary sniffing."""

from __future__ import annotations

import codecs
import gzip
import io
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scraper.extract.decode import decode_html, looks_binary

DANISH = "Sidst opdateret: Ærø, Øster Søgade, Århus. Kære gæster på Howitzvej; æbleskiver."
LETTERS = "æøåÆØÅ"


def page(charset_tag: str = "", body: str = DANISH + " " + LETTERS) -> str:
    """A small HTML page with an optional declaration in its head."""
    head = f"<!DOCTYPE html><html><head>{charset_tag}<title>CIO Talks</title></head>"
    return f"{head}<body><p>{body}</p></body></html>"


META = '<meta charset="{}">'
HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset={}">'


@pytest.mark.parametrize("encoding", ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15"])
@pytest.mark.parametrize("where", ["none", "header", "meta", "http-equiv", "header-quoted"])
def test_danish_letters_survive(encoding: str, where: str) -> None:
    tag = {"meta": META.format(encoding), "http-equiv": HTTP_EQUIV.format(encoding)}.get(where, "")
    header = {
        "header": f"text/html; charset={encoding}",
        "header-quoted": f'text/html; Charset="{encoding.upper()}"',
    }.get(where, "text/html")
    text, used = decode_html(page(tag).encode(encoding), header)
    assert DANISH in text
    assert LETTERS in text
    assert "Ã" not in text
    assert codecs.lookup(used).name in {"utf-8", "cp1252", "iso8859-15"}


@pytest.mark.parametrize(
    ("actual", "header", "meta", "expected_codec"),
    [
        # UTF-8 bytes declared as a single-byte charset: mojibake, so the declaration is skipped
        ("utf-8", "text/html; charset=iso-8859-1", None, "utf-8"),
        ("utf-8", "text/html; charset=windows-1252", None, "utf-8"),
        ("utf-8", None, "iso-8859-1", "utf-8"),
        ("utf-8", "text/html; charset=iso-8859-1", "iso-8859-1", "utf-8"),
        # Latin-1 bytes declared as UTF-8: strict decoding fails
        ("iso-8859-1", "text/html; charset=utf-8", None, "cp1252"),
        ("iso-8859-1", None, "utf-8", "cp1252"),
        ("windows-1252", "text/html; charset=UTF-8", "utf-8", "cp1252"),
        # a wrong header but a right meta tag
        ("iso-8859-1", "text/html; charset=utf-8", "iso-8859-1", "cp1252"),
        # unknown, unusable or dangerous labels are ignored
        ("utf-8", "text/html; charset=bogus-charset", None, "utf-8"),
        ("utf-8", "text/html; charset=utf-7", None, "utf-8"),
        ("iso-8859-1", "text/html; charset=base64", "rot13", "cp1252"),
        ("iso-8859-1", "text/html; charset=punycode", None, "cp1252"),
    ],
)
def test_wrong_declared_charset_falls_back(
    actual: str, header: str | None, meta: str | None, expected_codec: str
) -> None:
    body = page(META.format(meta) if meta else "").encode(actual)
    text, used = decode_html(body, header)
    assert used == expected_codec
    assert DANISH in text
    assert "Ã¦" not in text and "Ã¸" not in text and "Ã¥" not in text


def test_iso_8859_1_label_means_windows_1252() -> None:
    # Browsers read ISO-8859-1 as windows-1252, whose 0x92 is a right single quote.
    body = page(META.format("iso-8859-1"), "Vi ses på CBS’ campus").encode("cp1252")
    assert b"CBS\x92 campus" in body
    text, used = decode_html(body)
    assert used == "cp1252"
    assert "CBS’ campus" in text


def test_header_wins_over_meta_when_both_fit() -> None:
    # 0xA4 is the euro sign in ISO-8859-15 and the currency sign in windows-1252.
    body = page(META.format("windows-1252"), "Pris: 100 \u20ac").encode("iso-8859-15")
    text, used = decode_html(body, "text/html; charset=iso-8859-15")
    assert used == "iso8859-15"
    assert "100 €" in text


def test_xml_declaration_is_read() -> None:
    body = ('<?xml version="1.0" encoding="iso-8859-1"?>' + page()).encode("iso-8859-1")
    text, used = decode_html(body)
    assert used == "cp1252"
    assert DANISH in text


def test_meta_beyond_first_4kb_is_not_trusted_blindly() -> None:
    padding = "<!-- " + "x" * 5000 + " -->"
    body = (padding + page(META.format("utf-16"))).encode("utf-8")
    text, used = decode_html(body)
    assert used == "utf-8"
    assert DANISH in text


@pytest.mark.parametrize(
    ("codec", "bom"),
    [
        ("utf-8", codecs.BOM_UTF8),
        ("utf-16-le", codecs.BOM_UTF16_LE),
        ("utf-16-be", codecs.BOM_UTF16_BE),
        ("utf-32-le", codecs.BOM_UTF32_LE),
        ("utf-32-be", codecs.BOM_UTF32_BE),
    ],
)
def test_byte_order_mark_wins(codec: str, bom: bytes) -> None:
    body = bom + page(META.format("iso-8859-1")).encode(codec)
    text, used = decode_html(body, "text/html; charset=iso-8859-1")
    assert used == codec
    assert text.startswith("<!DOCTYPE html>")
    assert DANISH in text


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom(codec: str) -> None:
    text, used = decode_html(page().encode(codec))
    assert used == codec
    assert DANISH in text


def test_short_undeclared_latin1_is_read_as_western() -> None:
    text, used = decode_html("<p>Kære gæster på Øresund</p>".encode("iso-8859-1"))
    assert used == "cp1252"
    assert text == "<p>Kære gæster på Øresund</p>"


@pytest.mark.parametrize(
    ("codec", "sample"),
    [
        ("cp1251", "Привет, мир! Это страница на русском языке о конференции по информатике."),
        ("shift_jis", "日本語のページです。会議のお知らせ。東京大学情報学部のセミナー。"),
        ("euc-kr", "한국어 페이지입니다. 회의 안내. 서울대학교 정보대학 세미나."),
    ],
)
def test_undeclared_non_western_pages_are_detected(codec: str, sample: str) -> None:
    html = f"<html><body><p>{sample}</p></body></html>"
    text, _ = decode_html(html.encode(codec))
    assert sample in text


@pytest.mark.parametrize("codec", ["shift_jis", "euc-kr", "cp1251", "koi8-r", "iso-8859-2"])
def test_declared_non_western_charsets(codec: str) -> None:
    sample = {
        "shift_jis": "会議のお知らせ",
        "euc-kr": "회의 안내",
        "cp1251": "Привет",
        "koi8-r": "Привет",
        "iso-8859-2": "Zażółć gęślą jaźń",
    }[codec]
    text, used = decode_html(page(META.format(codec), sample).encode(codec))
    assert codecs.lookup(used).name == codecs.lookup(codec).name
    assert sample in text


@pytest.mark.parametrize("body", [b"", bytearray(b""), "not bytes", None, 42])
def test_empty_or_wrong_type(body: object) -> None:
    assert decode_html(body) == ("", "utf-8")  # type: ignore[arg-type]


def test_bytearray_and_memoryview_accepted() -> None:
    raw = page().encode("utf-8")
    assert decode_html(bytearray(raw))[0] == page()
    assert decode_html(memoryview(raw))[0] == page()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", True),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", True),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", True),
        (b"GIF89a\x01\x00\x01\x00", True),
        (_zip_bytes(), True),
        (gzip.compress(b"<html><body>hi</body></html>"), True),
        (b"\x00\x00\x00\x18ftypmp42", True),
        (b"RIFF\x24\x00\x00\x00WEBPVP8 ", True),
        (b"\x7fELF\x02\x01\x01", True),
        (b"<html>\x00<body>hello</body></html>", True),
        (bytes(range(32)) * 20, True),
        (page().encode("utf-8"), False),
        (page().encode("iso-8859-1"), False),
        (page().encode("utf-16"), False),
        (page().encode("utf-16-le"), False),
        (codecs.BOM_UTF32_LE + page().encode("utf-32-le"), False),
        (b"Plain text with\ttabs\r\nand lines\x0c and an escape \x1b[0m", False),
        (b"", False),
    ],
)
def test_looks_binary(body: bytes, expected: bool) -> None:
    assert looks_binary(body) is expected


def test_looks_binary_wrong_type() -> None:
    assert looks_binary("text") is False  # type: ignore[arg-type]


CONTENT_TYPES = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(
        [
            "text/html; charset=utf-16",
            "text/html; charset=utf-32",
            "text/html; charset=hex",
            "text/html; charset=zlib",
            "text/html; charset=unicode_escape",
            "text/html; charset=idna",
            'text/html; charset="',
            "charset=",
        ]
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), CONTENT_TYPES)
def test_never_raises(body: bytes, content_type: str | None) -> None:
    text, used = decode_html(body, content_type)
    assert isinstance(text, str)
    assert codecs.lookup(used)
    with_meta = b'<meta charset="' + body[:12] + b'">' + body
    assert isinstance(decode_html(with_meta, content_type)[0], str)
    assert isinstance(looks_binary(body), bool)

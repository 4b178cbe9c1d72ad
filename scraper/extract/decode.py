"""Turn a fetched page's bytes into text, trusting declared charsets only as far as they hold."""

from __future__ import annotations

import codecs
import logging
import re

from charset_normalizer import from_bytes

logger = logging.getLogger(__name__)

_META_WINDOW = 4096  # how far into the page a <meta charset> is looked for
_SNIFF_WINDOW = 4096  # how much of the body looks_binary inspects

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of file types that are never an HTML page.
BINARY_MAGIC: tuple[bytes, ...] = (
    b"%PDF-", b"\x89PNG\r\n\x1a\n", b"PK\x03\x04", b"PK\x05\x06", b"\x1f\x8b", b"GIF87a",
    b"GIF89a", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"\xd0\xcf\x11\xe0", b"%!PS",
    b"7z\xbc\xaf\x27\x1c", b"Rar!\x1a\x07", b"\x7fELF", b"OggS", b"fLaC", b"wOFF",
    b"wOF2", b"\x00asm", b"\x00\x00\x01\x00", b"BZh9", b"\xfd7zXZ\x00",
)  # fmt: skip

# Labels browsers treat as windows-1252 (WHATWG Encoding): its superset decodes them all.
_AS_WINDOWS_1252 = frozenset({"latin_1", "iso8859_1", "ascii", "cp1252"})

_NOT_FOR_PAGES = frozenset(
    {"utf-7", "punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined", "mbcs",
     "oem", "charmap", "unicode-internal"}
)  # fmt: skip
_HEADER_CHARSET_RE = re.compile(r"""charset\s*=\s*["']?\s*([\w.:+-]+)""", re.IGNORECASE)
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([\w.:+-]+)"""
    rb"""|<\?xml\b[^>]*?\bencoding\s*=\s*["']([\w.:+-]+)""",
    re.IGNORECASE,
)
_NON_ASCII_RE = re.compile(r"[^\x00-\x7f]")
# UTF-8 bytes read as a single-byte charset: "Ã¦" for æ, "Ã¸" for ø, "â€™" for ’ and so on.
_MOJIBAKE_RE = re.compile(
    "[ÃÂ][\u00a0-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013-\u203a\u20ac\u2122]|â€"
)


def _codec_name(label: str | None) -> str | None:
    """Python's codec name for a charset label, windows-1252 for its aliases, None if unknown."""
    if not label:
        return None
    try:
        info = codecs.lookup(label.strip().strip("\"'").lower())
    except (LookupError, ValueError):
        return None
    # Skip bytes-to-bytes codecs (base64, zlib) and text codecs no web page may declare.
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_FOR_PAGES:
        return None
    name = info.name
    normalised = name.replace("-", "_")
    return "cp1252" if normalised in _AS_WINDOWS_1252 else name


def _header_charset(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header, if any."""
    if not content_type:
        return None
    match = _HEADER_CHARSET_RE.search(content_type)
    return match.group(1) if match else None


def _meta_charset(body: bytes) -> str | None:
    """The charset a <meta> tag or XML declaration in the page's first bytes declares."""
    match = _META_CHARSET_RE.search(body[:_META_WINDOW])
    if not match:
        return None
    raw = match.group(1) or match.group(2)
    return raw.decode("ascii", "replace")


def _is_utf8(body: bytes) -> bool:
    """True when body is strictly valid UTF-8."""
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _try(body: bytes, codec: str | None) -> str | None:
    """body decoded strictly with codec, or None when the codec is wrong for these bytes.

    A single-byte codec that turns valid UTF-8 into mojibake ("Ã¦") counts as wrong.
    """
    if codec is None:
        return None
    try:
        text = body.decode(codec)
    except (UnicodeError, LookupError, ValueError):
        return None
    if codec not in ("utf-8", "utf-16", "utf-32") and _MOJIBAKE_RE.search(text) and _is_utf8(body):
        return None
    return text


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit at every other byte, as in BOM-less UTF-16."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    share_even = even.count(0) / len(even)
    share_odd = odd.count(0) / max(len(odd), 1)
    if share_odd > 0.7 and share_even < 0.05:
        return "utf-16-le"
    if share_even > 0.7 and share_odd < 0.05:
        return "utf-16-be"
    return None


def _western(text: str) -> bool:
    """True when text reads like a Western European language (few, mostly alphabetic, extras).

    Danish, German or French text has a few per cent non-ASCII letters; Cyrillic, Greek or
    CJK bytes misread as windows-1252 give far more, many of them symbols.
    """
    text = text[: _SNIFF_WINDOW * 4]  # a sample is enough and keeps this cheap
    extra = _NON_ASCII_RE.findall(text)
    if not extra:
        return True
    letters = sum(1 for c in text if c.isalpha())
    alphabetic = sum(1 for c in extra if c.isalpha())
    return len(extra) <= 0.25 * max(letters, 1) and alphabetic >= 0.7 * len(extra)


def _detect(body: bytes) -> tuple[str, str]:
    """Decode undeclared non-UTF-8 bytes: windows-1252 when it reads as Western text, else
    charset-normalizer's best guess, else windows-1252 with replacement characters.

    charset-normalizer alone misreads short Danish Latin-1 text as Central European cp1250
    ("Kćre" for "Kære"), and the archive's pages are Danish and English.
    """
    western = _try(body, "cp1252")
    if western is not None and _western(western):
        return western, "cp1252"
    try:
        best = from_bytes(body).best()
    except Exception:  # detection is best effort; the fallback below always decodes
        logger.debug("charset detection failed", exc_info=True)
        best = None
    codec = _codec_name(best.encoding) if best is not None else None
    if codec is not None:
        return body.decode(codec, errors="replace"), codec
    return body.decode("cp1252", errors="replace"), "cp1252"


def decode_html(
    body: bytes | bytearray | memoryview, content_type: str | None = None
) -> tuple[str, str]:
    """Decode a page's bytes, returning (text, the Python codec name used).

    The order is: a byte-order mark; the HTTP header's charset; a <meta> charset in the first
    4 KB; UTF-8 if the bytes are valid UTF-8; charset-normalizer's detection. A declared
    charset that cannot decode the bytes, or that turns valid UTF-8 into mojibake, is skipped,
    as real pages often declare the wrong one. Never raises.
    """
    if not isinstance(body, bytes | bytearray | memoryview) or not body:
        return "", "utf-8"
    header = content_type if isinstance(content_type, str) else None
    try:
        return _decode(bytes(body), header)
    except Exception:  # a last guard: callers rely on getting text back
        logger.warning("decoding failed; falling back to windows-1252", exc_info=True)
        return bytes(body).decode("cp1252", errors="replace"), "cp1252"


def _decode(body: bytes, content_type: str | None) -> tuple[str, str]:
    """decode_html's steps, in order."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(codec, errors="replace"), codec
    for label in (_header_charset(content_type), _meta_charset(body)):
        declared = _codec_name(label)
        text = _try(body, declared)
        if text is not None and declared is not None:
            return text, declared
        if declared is not None:
            logger.debug("declared charset %s does not fit the page", declared)
    utf16 = _utf16_without_bom(body[:_SNIFF_WINDOW])
    if utf16 is not None:
        return body.decode(utf16, errors="replace"), utf16
    if _is_utf8(body):
        return body.decode("utf-8"), "utf-8"
    return _detect(body)


def looks_binary(body: bytes | bytearray | memoryview) -> bool:
    """True when body is plainly not a text page (an image, PDF, archive, executable…).

    Judged from known magic numbers, NUL bytes and the share of control characters in the
    first 4 KB; UTF-16 and UTF-32 text (with or without byte-order mark) is not binary.
    """
    if not isinstance(body, bytes | bytearray | memoryview):
        return False
    sample = bytes(body[:_SNIFF_WINDOW])
    if not sample:
        return False
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if sample.startswith(BINARY_MAGIC) or sample[4:8] == b"ftyp" or sample[8:12] == b"WEBP":
        return True
    if b"\x00" in sample:
        return _utf16_without_bom(sample) is None
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\f\x1b")
    return controls / len(sample) > 0.1

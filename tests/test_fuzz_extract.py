"""extract() never raises: mangled, truncated, deeply nested, huge and binary input."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scraper.extract import extract, load_rules
from scraper.model import Extraction

PAGE = (
    "<html lang='en'><head><title>Seminar: Queues</title><script type='application/ld+json'>"
    '{"@type": "Event", "name": "Queues", "startDate": "2020-05-05T10:00"}</script></head>'
    "<body><main><h1>Seminar: Queues</h1><p>Speaker: Ada Lund, CIO of Kø Bank</p>"
    "<p>Date: 5 May 2020, 10:00-12:00</p><p>Ada Lund is CIO of Kø Bank and likes queues.</p>"
    "</main></body></html>"
).encode()
RULES = load_rules()


def _valid(got: Extraction) -> None:
    assert isinstance(got, Extraction)
    assert isinstance(got.warnings, list)
    assert all(isinstance(w, str) for w in got.warnings)
    assert isinstance(got.to_dict(), dict)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.integers(min_value=0, max_value=len(PAGE)), junk=st.binary(max_size=64))
def test_truncated_and_mangled(cut: int, junk: bytes) -> None:
    _valid(extract(PAGE[:cut] + junk + PAGE[cut:], "https://example.org/x", rules=RULES))


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=2048))
def test_random_bytes(body: bytes) -> None:
    _valid(extract(body, "https://example.org/x", rules=RULES))


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/ab=\"' :pdivh1-0123456789æøå")), max_size=400))
def test_tag_soup(text: str) -> None:
    _valid(extract(text.encode(), "https://example.org/x", rules=RULES))


@settings(max_examples=20, deadline=None)
@given(content_type=st.one_of(st.none(), st.text(max_size=40)))
def test_any_content_type(content_type: str | None) -> None:
    _valid(extract(PAGE, "not a url", content_type=content_type, rules=RULES))


def test_deeply_nested() -> None:
    body = b"<div>" * 10_000 + b"Seminar on 5 May 2020" + b"</div>" * 10_000
    _valid(extract(body, "https://example.org/x", rules=RULES))


def test_deeply_nested_json_ld() -> None:
    nested = '{"a":' * 5000 + "1" + "}" * 5000
    body = f"<script type='application/ld+json'>{nested}</script><h1>x</h1>".encode()
    _valid(extract(body, "https://example.org/x", rules=RULES))


def test_huge_page() -> None:
    para = b"<p>Ada Lund is CIO of K\xc3\xb8 Bank. The seminar is on 5 May 2020 at 10:00.</p>"
    body = b"<html><body><h1>Seminar</h1>" + para * (5_000_000 // len(para)) + b"</body></html>"
    _valid(extract(body, "https://example.org/x", rules=RULES))


def test_binary_input() -> None:
    got = extract(bytes(range(256)) * 100, "https://example.org/x", rules=RULES)
    _valid(got)
    assert got.is_event is False

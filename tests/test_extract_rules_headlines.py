"""Which heading is the page's headline and which its topic: a post's own <header>, a <title>
that names only the site, a speaker's line under the headline."""

from __future__ import annotations

import pytest

from scraper.extract import extract

_NAV = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/events'>Events</a></li></ul></nav>"
_BODY = (
    "<p>In this talk we look at how regional hospitals share one data platform, what it "
    "costs to run and which parts of it clinicians trust.</p>"
)


def _page(head_title: str, content: str) -> bytes:
    return (
        f"<html><head><title>{head_title}</title></head><body>"
        f"<header class='site'><div class='logo'>Data Circle</div>{_NAV}</header>"
        f"<main>{content}</main><footer><p>© 2024 Data Circle</p></footer></body></html>"
    ).encode()


@pytest.mark.parametrize(
    ("head_title", "header"),
    [
        ("Data Circle", "<header class='post-header'><h2>Sharing one data platform</h2></header>"),
        (
            "Sharing one data platform | DC",
            "<header class='mt-4'><h3>Sharing one data platform</h3><h4>Ida Lund</h4></header>",
        ),
    ],
)
def test_a_posts_own_header_inside_the_content_holds_the_headline(
    head_title: str, header: str
) -> None:
    html = _page(head_title, f"<article>{header}{_BODY}</article>")
    assert extract(html, "http://x.test/t").title == "Sharing one data platform"


def test_a_site_header_with_a_menu_stays_furniture() -> None:
    content = f"<header><h2>Data Circle</h2>{_NAV}</header><h1>Sharing one data platform</h1>"
    html = _page("Sharing one data platform | Data Circle", content + _BODY)
    assert extract(html, "http://x.test/t").title == "Sharing one data platform"


def test_a_title_that_names_only_the_site_gives_way_to_the_contents_heading() -> None:
    html = _page("DataCircle - Data Circle Bergen", f"<h2>Sharing one data platform</h2>{_BODY}")
    assert extract(html, "http://x.test/t").title == "Sharing one data platform"


def test_a_title_shown_as_a_heading_outside_the_main_element_stays_the_headline() -> None:
    html = (
        "<html><head><title>Sharing one data platform | Data Circle</title></head><body>"
        "<section class='hero'><h1>Sharing one data platform</h1></section>"
        f"<main>{_BODY}<h2>About the speaker</h2><p>Ida Lund leads data work.</p></main>"
        "</body></html>"
    ).encode()
    assert extract(html, "http://x.test/t").title == "Sharing one data platform"


@pytest.mark.parametrize(
    "line", ["Dr. Ida Lund, Nordfjord Hospital Trust", "Ida Lund, Head of Data at Nordfjord Trust"]
)
def test_a_speakers_line_under_the_headline_is_no_topic(line: str) -> None:
    content = f"<header><h3>Sharing one data platform</h3><h4>{line}</h4></header>{_BODY}"
    html = _page("Sharing one data platform | Data Circle", content)
    out = extract(html, "http://x.test/t")
    assert out.title == "Sharing one data platform"
    assert out.topic == "Sharing one data platform"


def test_a_pages_first_h2_beside_its_article_is_the_headline_when_it_has_no_h1() -> None:
    html = (
        "<html><head><title>Java User Group Ostheim</title></head><body>"
        f"<nav>{_NAV}</nav><div class='row'><div class='col-md-9'>"
        "<h2>Error handling that scales</h2><span>by Ida Lund</span>"
        f"<article class='talk-content'>{_BODY}"
        "<p>The evening is organised by the Java User Group Ostheim.</p></article>"
        "</div></div></body></html>"
    ).encode()
    out = extract(html, "http://x.test/t")
    assert out.title == "Error handling that scales"


@pytest.mark.parametrize(
    ("h1", "want"),
    [
        ("Event", "2019/03/14 - Jakarta EE evening"),
        ("Veranstaltung", "2019/03/14 - Jakarta EE evening"),
        # a headline that names the talk stays
        ("Jakarta EE evening with Ada Berg", "Jakarta EE evening with Ada Berg"),
    ],
)
def test_a_headline_that_only_names_a_kind_of_event_gives_way_to_the_next(
    h1: str, want: str
) -> None:
    content = f"<h1>{h1}</h1><h2>2019/03/14 - Jakarta EE evening</h2>{_BODY}"
    html = _page(f"Lyon Group – {h1}", content)
    assert extract(html, "http://x.test/t").title == want

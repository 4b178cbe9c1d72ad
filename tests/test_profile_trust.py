"""What a learned rule may own, judged by the examples that speak of its field.

Small pages written for these tests (no real site's): a byline of author links under a
narrow classed anchor, a labelled venue, a speaker line whose role sits between the name
and the organisation, and examples that say nothing of a field.
"""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.choose import example_values, literal
from scraper.extract.fieldrules import FieldRule, read
from scraper.extract.induce import grouped, names_element, narrow_anchor
from scraper.extract.learn import GENERIC, OWNED, Example, example, learn, learn_field, verdict
from scraper.extract.learn_speakers import learn_speakers, names_rule
from scraper.extract.page import parse
from scraper.extract.profiles import read_speakers
from scraper.extract.rules import Rules, load_rules
from scraper.model import Extraction, Speaker

_FILLER = "<p>" + "A long paragraph about the series and its history. " * 12 + "</p>"


def _rules(*profiles: object) -> Rules:
    base = load_rules()
    return Rules(profiles=(*profiles, *base.profiles), taxonomy=base.taxonomy)  # type: ignore[arg-type]


# -- selectors: which name their element, which have a narrow anchor ---------------------------
@pytest.mark.parametrize(
    ("css", "names"),
    [
        ("div.event-date", True),
        ("span.when time", False),  # a tag under a classed ancestor: a place, not a name
        ("div.content > p:nth-of-type(4)", False),
        ('dt:contains("Venue") + dd', False),
        ("p", False),
    ],
)
def test_which_selectors_name_their_element(css: str, names: bool) -> None:
    assert names_element(css) is names


_WRAPPED = (
    '<html><body><div class="wrapper"><div class="byline"><a href="/a">Ana Roe</a></div>'
    + _FILLER
    + "<p><strong>Ana Roe</strong> studies things.</p></div></body></html>"
)


@pytest.mark.parametrize(
    ("css", "narrow"),
    [
        ("div.byline a", True),
        ("div.wrapper strong", False),  # the wrapper holds the whole page
        ("strong", False),
        ("a.author", True),
    ],
)
def test_a_narrow_anchor_holds_little_of_the_page(css: str, narrow: bool) -> None:
    assert narrow_anchor(css, parse(_WRAPPED).root) is narrow


# -- a byline of several author links ----------------------------------------------------------
@pytest.mark.parametrize(
    ("links", "want"),
    [
        (["Ana Roe"], ["Ana Roe"]),
        (["Ana Roe", "Jon Berg", "Li Wen"], ["Ana Roe", "Jon Berg", "Li Wen"]),
        (["Ana Roe", "presentation"], ["Ana Roe"]),  # a category link beside the authors
        (["Ana Roe", "Ana Roe"], ["Ana Roe"]),
    ],
)
def test_a_name_rule_without_a_speaker_element_reads_every_name(
    links: list[str], want: list[str]
) -> None:
    byline = "".join(f'<span><a href="/p/{i}">{n}</a></span>, ' for i, n in enumerate(links))
    page = parse(f'<html><body><div class="byline">{byline}</div></body></html>')
    got = read_speakers(page.root, {"speaker.name": FieldRule(css="div.byline a")})
    assert [s.name for s in got] == want


def _hugo(title: str, names: list[str], *, with_card: bool = True) -> bytes:
    """A talk page of a static-site theme: a byline of author links, bold names in the bios,
    an author card for the site's owner only."""
    byline = ", ".join(f'<span><a href="/authors/{i}">{n}</a></span>' for i, n in enumerate(names))
    bios = "".join(
        f"<p><strong>{n}</strong> works on acoustics and teaches design studios.</p>" for n in names
    )
    card = f'<div class="card"><h5 class="card-title"><a href="/">{names[0]}</a></h5></div>'
    return (
        f'<html><head><title>{title}</title></head><body><div class="page">'
        f'<h1 class="headline">{title}</h1><div class="meta"><div>{byline}</div></div>'
        f"<p>Date: 12 March 2019, 18:00</p><h2>Abstract</h2><p>A talk about {title.lower()} "
        f"and what it means for the way we build rooms.</p>{bios}"
        f"{card if with_card else ''}</div></body></html>"
    ).encode()


def test_the_byline_wins_over_the_bold_names_and_the_author_card() -> None:
    people = ["Ana Roe", "Jon Berg", "Li Wen"]
    page = parse(_hugo("Rooms", people).decode())
    rule = names_rule([(page.root, [{"name": n} for n in people])])
    assert rule is not None and rule.css == "div.meta a"


def test_an_example_silent_on_speakers_gives_no_extras() -> None:
    """The second page lists no speakers in its example: what a rule reads there is no
    evidence against it, so the byline still reads every name of the first page."""
    first = parse(_hugo("Rooms", ["Ana Roe", "Jon Berg"]).decode())
    rules, _ = learn_speakers([(first.root, [{"name": "Ana Roe"}, {"name": "Jon Berg"}])])
    assert {"speaker.name"} <= set(rules)
    ex = [
        example(_hugo("Rooms", ["Ana Roe", "Jon Berg"]), "a.html", {"speakers": []}),
        example(_hugo("Walls", ["Ana Roe"]), "b.html", {"title": "Walls"}),
    ]
    assert not learn("t", ex).profile.fields.get("speaker.name")  # "none" does refute it


# -- trust: examples that say nothing neither confirm nor refute --------------------------------
def _venue_example(fields: dict[str, object], venue: str = "Hall 3") -> Example:
    page = parse(f'<html><body><div class="c"><p>x</p><p>{venue}</p></div></body></html>')
    return Example(page=page, fields=fields, generic=Extraction(source="x"))


@pytest.mark.parametrize(
    ("second", "want"),
    [
        ({}, OWNED),  # silent on the venue
        ({"location": None}, "a positional rule not confirmed on every example"),
        ({"location": "Hall 3"}, OWNED),
    ],
)
def test_a_positional_rule_is_confirmed_by_the_examples_that_speak(
    second: dict[str, object], want: str
) -> None:
    rule = FieldRule(css="div.c > p:nth-of-type(2)")
    examples = [_venue_example({"location": "Hall 3"}), _venue_example(second)]
    assert verdict("location", rule, None, examples, weak=True) == want


@pytest.mark.parametrize(("examples", "want"), [(1, GENERIC), (2, OWNED)])
def test_a_classed_summary_never_overrides_a_right_abstract_from_one_example(
    examples: int, want: str
) -> None:
    text = "A talk about rooms and the way sound moves through them in winter."
    page = parse(f'<html><body><p class="summary">{text}</p></body></html>')
    ex = Example(
        page=page, fields={"abstract": text}, generic=Extraction(source="x", abstract=text)
    )
    rule = FieldRule(css="p.summary")
    assert verdict("abstract", rule, None, [ex] * examples, weak=False, keep_strong=True) == want


# -- cuts: labels are the template's, values are the page's ------------------------------------
@pytest.mark.parametrize(
    ("rule", "holds"),
    [
        (FieldRule(css="h4", after="Dr. Mira Holm, Founder and", before="of Nordlys Labs"), True),
        (FieldRule(css="h4", after="Speaker:"), False),
        (FieldRule(css="h4", split=", ", parts=(1, 2)), False),
    ],
)
def test_a_label_holding_the_examples_values_is_no_label(rule: FieldRule, holds: bool) -> None:
    fields = {"speakers": [{"name": "Mira Holm", "organisation": "Nordlys Labs"}]}
    assert literal(rule, example_values(fields)) is holds


def test_a_role_is_never_learned_as_the_text_around_it() -> None:
    page = parse(
        '<html><body><header class="talk"><h4>Dr. Mira Holm, Founder and CEO of Nordlys Labs'
        "</h4></header></body></html>"
    )
    person = {"name": "Mira Holm", "role": "CEO", "organisation": "Nordlys Labs"}
    rules, _ = learn_speakers([(page.root, [person])])
    assert "speaker.role" not in rules  # only "after 'Dr. Mira Holm, Founder and'" read it


_LABELLED = (
    '<html><body><h1 class="headline">{t}</h1><div class="md"><p>Join us.</p>'
    "<p><strong>Where: {where}</strong></p><p><strong>When: Wednesday, October 31st 2018 "
    "from 1pm to 3pm</strong></p></div></body></html>"
)


def test_a_labelled_venue_is_learned_without_its_label() -> None:
    """A venue's words pass the loose check with the label still in front; the label must go,
    or a page with a shorter venue reads "Where: …" and fails."""
    long_venue = "104 Learning Resources Center (South Campus)"
    ex = example(
        _LABELLED.format(t="A", where=long_venue).encode(), "a.html", {"location": long_venue}
    )
    rule = learn_field("location", [ex]).rule
    other = parse(_LABELLED.format(t="B", where="3600 Morrissey Hall"))
    assert rule is not None and read(other.root, rule) == "3600 Morrissey Hall"


# -- the profile's required fields, and its speakers' parts --------------------------------------
def test_a_profile_requires_only_what_it_reads() -> None:
    pages = [_hugo("Rooms", ["Ana Roe", "Jon Berg"]), _hugo("Walls", ["Li Wen", "Ana Roe"])]
    truths = [["Ana Roe", "Jon Berg"], ["Li Wen", "Ana Roe"]]
    examples = [
        example(p, f"{i}.html", {"speakers": [{"name": n} for n in t], "date": "2019-03-12"})
        for i, (p, t) in enumerate(zip(pages, truths, strict=True))
    ]
    profile = learn("t", examples).profile
    assert profile.required <= set(profile.fields) | {"speaker.name"}


def test_the_byline_profile_reads_every_speaker_of_another_page() -> None:
    """Two examples whose bylines the page-text rules read only in part: the learned byline
    rule names every speaker of a third page, bios read by the page-text rules."""
    people = [["Ana Roe", "Jon Berg", "Li Wen"], ["Ana Roe", "Sven Dahl"]]
    examples = [
        example(_hugo(t, p), f"{t}.html", {"speakers": [{"name": n} for n in p]})
        for t, p in zip(["Rooms", "Walls"], people, strict=True)
    ]
    profile = learn("t", examples).profile
    got = extract(
        _hugo("Floors", ["Ana Roe", "Maj Lund"], with_card=False), "c.html", rules=_rules(profile)
    )
    assert [s.name for s in got.speakers] == ["Ana Roe", "Maj Lund"]


def test_the_profile_speakers_parts_come_from_the_page_text() -> None:
    page = (
        b'<html><body><h1 class="headline">Rooms</h1><div class="meta"><a href="/1">Ana Roe</a>'
        b'<a href="/2">Jon Berg</a></div><p>Date: 12 March 2019, 18:00</p><p><strong>Jon Berg'
        b"</strong> is an assistant professor at the Institute of Acoustics of Nordby "
        b"University. He builds rooms.</p></body></html>"
    )
    profile = learn(
        "t",
        [
            example(page, "a.html", {"speakers": [{"name": "Ana Roe"}, {"name": "Jon Berg"}]}),
            example(page, "b.html", {"speakers": [{"name": "Ana Roe"}, {"name": "Jon Berg"}]}),
        ],
    ).profile
    got = extract(page, "a.html", rules=_rules(profile))
    berg = next(s for s in got.speakers if s.name == "Jon Berg")
    assert berg.bio and berg.bio.startswith("Jon Berg is an assistant professor")
    assert isinstance(berg, Speaker)


@pytest.mark.parametrize(
    ("html", "css", "want"),
    [
        ('<div class="byline"><a>Ana Roe</a>, <a>Jon Berg</a></div>', "div.byline a", True),
        (
            '<div class="card"><h5><a>Ana Roe</a></h5></div>'
            '<div class="card"><h5><a>Jon Berg</a></h5></div>',
            "div.card a",
            False,
        ),
        ('<div class="byline"><a>Ana Roe</a></div>', "div.byline a", False),
        ("<p><a>Ana Roe</a>, <a>Jon Berg</a></p>", "a", False),
    ],
)
def test_grouped_names_sit_in_one_anchor(html: str, css: str, want: bool) -> None:
    assert grouped(css, parse(f"<html><body>{html}</body></html>").root) is want


def test_a_byline_replaces_a_speaker_element_under_a_page_wrapper() -> None:
    """The site's owner is highlighted in the byline, the guests are not: a speaker element
    learned as "a span under the page wrapper" with the name "in a highlighted span" misses
    the guests of the next page; the byline rule reads them all."""
    people = ["Ana Roe", "Jon Berg", "Li Wen"]

    def page(title: str, names: list[str]) -> bytes:
        spans = [f'<span class="me"><a href="/0">{names[0]}</a></span>']
        spans += [f'<span><a href="/{i}">{n}</a></span>' for i, n in enumerate(names[1:], 1)]
        return (
            f'<html><body><div class="page"><h1 class="headline">{title}</h1>'
            f'<div class="meta"><div>{", ".join(spans)}</div></div>{_FILLER}</div></body></html>'
        ).encode()

    ex = example(page("Rooms", people), "a.html", {"speakers": [{"name": n} for n in people]})
    profile = learn("t", [ex, ex]).profile
    got = read_speakers(
        parse(page("Walls", ["Ana Roe", "Maj Lund"]).decode()).root, dict(profile.fields)
    )
    assert [s.name for s in got] == ["Ana Roe", "Maj Lund"]


def _cv_page(name: str, job: str, topic: str) -> bytes:
    return (
        '<html><body><div class="post"><header class="post-header"><h1>' + topic + "</h1>"
        "<p>Sprecher: " + name + ".</p><p>Zeit: 12.03.2024, 19:00.</p></header>"
        "<h2>Beschreibung</h2><article class='post-content'><p>Ein Vortrag über "
        + topic
        + ", wie man es baut und im Betrieb beobachtet, mit vielen Beispielen.</p></article>"
        # the bio does not name its person, so only a learned rule finds it
        "<h2>Zur Arbeit</h2><article class='post-content'><p>Sie ist "
        + job
        + ". Sie schreibt seit Jahren über verteilte Systeme und Betrieb.</p></article>"
        "</div></body></html>"
    ).encode()


def test_a_bio_the_profile_selects_gives_the_job() -> None:
    pages = [
        _cv_page("Hanna Vogel", "Architektin bei Nordlicht Software", "Reaktive Dienste"),
        _cv_page("Lena Brandt", "Entwicklerin bei Südwind Systeme", "Verteilte Protokolle"),
    ]
    examples = [
        example(page, f"{i}.html", {"speakers": [{"name": who, "bio": "Sie ist"}]})
        for i, (page, who) in enumerate(zip(pages, ["Hanna Vogel", "Lena Brandt"], strict=True))
    ]
    profile = learn("t", examples).profile
    other = _cv_page("Mira Holm", "Beraterin bei Nordby Consulting", "Messen im Betrieb")
    got = extract(other, "c.html", rules=_rules(profile))
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Mira Holm", "Beraterin", "Nordby Consulting")
    ]

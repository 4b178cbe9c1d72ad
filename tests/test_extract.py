"""The extraction engine on small hand-written pages: each layer, English and Danish."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from scraper.extract import Rules, extract, load_rules
from scraper.extract.datelines import machine_times, venue_in_dateline
from scraper.extract.fieldrules import select
from scraper.extract.kinds import form_heading, kind_prefix
from scraper.extract.labels import heading_key, labelled_lines
from scraper.extract.page import Page, parse
from scraper.extract.structured import split_iso
from scraper.extract.titles import find_title, series_and_topic

DRUPAL_DA = """<html lang="da"><body><header><nav><a href="/">Forside</a></nav></header>
<div id="main"><h1 class="page-title title">Frokostmøde på Institut for Data med Rasmus Kvist</h1>
<div class="field-cbs-event-teaser"><p>Rasmus Kvist, it-direktør i Sønderby Forsyning, gæster
os.</p></div>
<div class="field-cbs-event-eventdate"><span class="date-display-start">Torsdag, 4 oktober, 2012
- 08:00</span> to <span class="date-display-end">10:00</span></div>
<div class="field-cbs-event-body"><h2>Vand og data i forsyningen</h2>
<p>Oplægget holdes på dansk.</p>
<p>Forsyningen måler alt vand fra boring til hane, og målerdata ændrer hele driften af
selskabet.</p>
<p>Rasmus Kvist er it-direktør i Sønderby Forsyning, et vand- og varmeselskab på Fyn.</p>
<p>Han har arbejdet med it i forsyningssektoren i femten år.</p>
<p>Tilmelding til seminaret sker via e-mail: a@example.org</p></div>
<div class="pane-cbs-event-info"><p class="event-location">Solbjerg Plads 3, lokale S.01</p></div>
</div><footer><p>Sidst opdateret: Kommunikation // 09/10/2012</p></footer></body></html>"""

SECTIONS_EN = """<html lang="en"><body><main><article>
<p class="series">Leadership Talks</p><h1>Leadership Talk: Data Platforms in Shipping</h1>
<p class="lead">Two leaders from Maren Lines on data.</p>
<p class="when">3 March 2021, 15:00–16:30</p><p class="where">Harbour Hall, Room 4</p>
<section><p>Every vessel streams sensor readings, and the company now plans routes with them.</p>
</section>
<section class="speakers"><h2>Speakers</h2>
<div><h3>Ida Brink</h3><p>CTO, Maren Lines</p><p>Ida Brink has led technology at Maren Lines
since 2018 and built its data team.</p></div>
<div><h3>Omar Lind</h3><p>Head of Data, Maren Lines</p><p>Omar Lind is Head of Data at Maren
Lines and a former physicist.</p></div></section>
<p>Contact: Jonas Fisk</p></article></main></body></html>"""

JSONLD_EN = """<html lang="de"><head><script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [{"@type": "EducationEvent",
 "name": "Cloud costs explained", "startDate": "2023-09-12T17:30:00-04:00",
 "endDate": "2023-09-12T19:00:00-04:00", "inLanguage": "en",
 "location": {"@type": "Place", "name": "Dock Hall"},
 "performer": {"@type": "Person", "name": "Lena Moss", "jobTitle": "CIO"}}]}
</script></head><body><h1>Cloud costs explained</h1><p>A talk about cloud bills and how to
read them, with examples from three companies.</p></body></html>"""

LABELS_EN = """<html><head><title>Graph Algorithms at Scale - School of Computing</title></head>
<body><h2>Graph Algorithms at Scale</h2><div>
<b>Speaker:</b> Hana Ode, Research Scientist at Kelp Systems<br>
<b>Seminar Date:</b> Wed, 14/06/2023 - 11:00<br><b>Venue:</b> Building 7, Room 210<br>
<b>Host:</b> Dr Karl Ruud<br></div>
<h4>Abstract:</h4><p>Large graphs do not fit one machine, so this seminar shows how to split
them and what that costs.</p>
<h4>Biography:</h4><p>Hana Ode is a research scientist at Kelp Systems working on distributed
graph processing.</p>
<ul><li>Updated: 2 June 2023</li></ul></body></html>"""

LISTING = """<html><body><h1>Upcoming events</h1><ul>
<li><a href="/a">Talk one</a> 3 March 2021</li><li><a href="/b">Talk two</a> 9 April 2021</li>
<li><a href="/c">Talk three</a> 7 May 2021</li></ul></body></html>"""

NEWS = """<html><body><article><h1>School appoints a new dean</h1><p>Published 3 March 2015</p>
<p>The school has appointed a new dean, who starts on 1 August 2015 at 09:00.</p>
</article></body></html>"""

CONCERT = """<html><head><script type="application/ld+json">{"@context": "http://schema.org",
"@type": "MusicEvent", "name": "The Owls", "startDate": "2015-10-31T19:30:00"}</script></head>
<body><h1>The Owls live</h1></body></html>"""


@pytest.fixture(scope="module")
def rules() -> Rules:
    return load_rules()


def test_drupal_profile_danish(rules: Rules) -> None:
    got = extract(DRUPAL_DA.encode(), "https://www.cbs.dk/x", rules=rules)
    assert got.is_event
    assert got.title == "Frokostmøde på Institut for Data med Rasmus Kvist"
    assert got.topic == "Vand og data i forsyningen"
    assert (got.date, got.start_time, got.end_time) == ("2012-10-04", "08:00", "10:00")
    assert got.language == "da"
    assert got.location == "Solbjerg Plads 3, lokale S.01"
    assert got.last_updated == "2012-10-09"
    assert [s.name for s in got.speakers] == ["Rasmus Kvist"]
    speaker = got.speakers[0]
    assert speaker.role == "it-direktør"
    assert speaker.organisation == "Sønderby Forsyning"
    assert speaker.bio and speaker.bio.startswith("Rasmus Kvist er it-direktør")
    assert speaker.bio.endswith("femten år.")
    assert got.abstract and got.abstract.startswith("Forsyningen måler")
    assert "Rasmus Kvist er" not in got.abstract


def test_drupal_layout_without_profile_or_url(rules: Rules) -> None:
    got = extract(DRUPAL_DA.encode(), "file:///saved.html", rules=rules)
    assert got.is_event and got.date == "2012-10-04"


def test_speaker_sections_english(rules: Rules) -> None:
    got = extract(SECTIONS_EN.encode(), "https://example.org/e/1", rules=rules)
    assert got.is_event
    assert got.series == "Leadership Talks"
    assert got.topic == "Data Platforms in Shipping"
    assert (got.date, got.start_time, got.end_time) == ("2021-03-03", "15:00", "16:30")
    assert got.location == "Harbour Hall, Room 4"
    names = {s.name: s for s in got.speakers}
    assert set(names) == {"Ida Brink", "Omar Lind"}
    assert names["Ida Brink"].role == "CTO"
    assert names["Omar Lind"].organisation == "Maren Lines"
    assert (
        names["Omar Lind"].bio == "Omar Lind is Head of Data at Maren Lines and a former physicist."
    )
    assert got.abstract and got.abstract.startswith("Every vessel")


def test_jsonld_event_wall_clock_time(rules: Rules) -> None:
    got = extract(JSONLD_EN.encode(), "https://example.org/e/2", rules=rules)
    assert got.is_event
    assert (got.date, got.start_time, got.end_time) == ("2023-09-12", "17:30", "19:00")
    assert got.location == "Dock Hall"
    assert got.language == "en"  # inLanguage wins over <html lang>
    assert [(s.name, s.role) for s in got.speakers] == [("Lena Moss", "CIO")]


def test_labelled_seminar_lines(rules: Rules) -> None:
    got = extract(LABELS_EN.encode(), "https://example.org/seminar", rules=rules)
    assert got.is_event
    assert got.title == "Graph Algorithms at Scale"
    assert (got.date, got.start_time) == ("2023-06-14", "11:00")
    assert got.location == "Building 7, Room 210"
    assert got.last_updated == "2023-06-02"
    assert [s.name for s in got.speakers] == ["Hana Ode"]  # the host is no speaker
    assert got.speakers[0].organisation == "Kelp Systems"
    assert got.abstract and got.abstract.startswith("Large graphs")


@pytest.mark.parametrize(
    ("html", "reason"),
    [(LISTING, "listing"), (NEWS, "news"), (CONCERT, "not a talk")],
)
def test_not_events(rules: Rules, html: str, reason: str) -> None:
    got = extract(html.encode(), "https://example.org/p", rules=rules)
    assert got.is_event is False
    assert got.title
    assert any(w.startswith("not an event") for w in got.warnings)


@pytest.mark.parametrize(
    ("body", "warning"),
    [(b"", "empty page"), (b"   \n", "empty page"), (bytes(range(256)) * 8, "binary content")],
)
def test_bad_input_warns(body: bytes, warning: str) -> None:
    got = extract(body, "https://example.org/x")
    assert got.is_event is False and got.warnings == [warning]


def test_missing_fields_are_warned(rules: Rules) -> None:
    html = "<html><body><h1>Seminar on queues</h1><p>Date: 5 May 2020</p></body></html>"
    got = extract(html.encode(), "https://example.org/x", rules=rules)
    assert got.is_event
    assert "location: not found" in got.warnings
    assert "speakers: not found" in got.warnings


def test_conflicting_dates_are_warned(rules: Rules) -> None:
    html = JSONLD_EN.replace("<h1>", "<p>Date: 13 September 2023</p><h1>")
    got = extract(html.encode(), "https://example.org/x", rules=rules)
    assert got.date == "2023-09-12"
    assert any(w.startswith("date: structured data says 2023-09-12") for w in got.warnings)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-04-30T18:30:00+02:00", ("2024-04-30", "18:30")),
        ("2022-04-09T08:00:00Z", ("2022-04-09", "08:00")),
        ("2019-05-28", ("2019-05-28", None)),
        ("soon", (None, None)),
    ],
)
def test_split_iso(value: str, expected: tuple[str | None, str | None]) -> None:
    assert split_iso(value) == expected


@pytest.mark.parametrize(
    ("selector", "texts"),
    [
        ("h1.title", ["Headline"]),
        ("#main > p", ["Direct child", "After the heading"]),
        ("section > p", ["Deeper"]),
        ("h3 + p", ["After the heading"]),
        ("div.nope", []),
        ("p:nth-of-type(2)", ["After the heading"]),
    ],
)
def test_profile_selectors_are_css(selector: str, texts: list[str]) -> None:
    root = parse(
        "<html><body><h1 class='big title'>Headline</h1><div id='main'><p>Direct child</p>"
        "<h3>Speaker</h3><p>After the heading</p><section><p>Deeper</p></section></div>"
        "</body></html>"
    ).root
    assert [el.text for el in select(root, selector)] == texts


def test_override_profile_replaces_default(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "cbs-drupal-event.json").write_text(
        json.dumps({"name": "mine", "hosts": ["example.net"], "fields": {"title": "h2"}})
    )
    rules = load_rules(tmp_path)
    assert [p.name for p in rules.profiles] == ["mine"]


def test_cli_prints_one_line_per_source(tmp_path: Path) -> None:
    page = tmp_path / "p.html"
    page.write_text(SECTIONS_EN, encoding="utf-8")
    missing = str(tmp_path / "missing.html")
    done = subprocess.run(
        [sys.executable, "-m", "scraper.extract", str(page), page.as_uri(), missing],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [x["source"] for x in lines] == [str(page), page.as_uri(), missing]
    assert lines[0]["is_event"] and lines[1]["is_event"]
    assert lines[2]["is_event"] is False and lines[2]["warnings"]


# --- layout-independent rules: titles, headings, date lines, news -------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Panel: Who Owns the Data in a Hospital?", ("Panel", "Who Owns the Data in a Hospital?")),
        ("Gæsteforelæsning: Kunstig intelligens", ("Gæsteforelæsning", "Kunstig intelligens")),
        ("CIO-morgenmøde: Data som fælles sprog", ("CIO-morgenmøde", "Data som fælles sprog")),
        (
            "CIO Talks 2016: Offentlige udbud af it-drift",
            ("CIO Talks 2016", "Offentlige udbud af it-drift"),
        ),
        (
            "Data Leaders Night: Building a Data Team",
            ("Data Leaders Night", "Building a Data Team"),
        ),
        ("When Everything Is Urgent: Portfolio Management", None),
        ("The Future of the Lecture: Notes from a Campus", None),
        ("Seminar: ok", None),
        # an edition number after the kind, or the session's day with a small word before it
        ("Meetup #14: Platform teams for real", ("Meetup #14", "Platform teams for real")),
        ("Seminar Nr. 3 – Data mesh in practice", ("Seminar Nr. 3", "Data mesh in practice")),
        (
            "Conférence du mardi 1er juin : la donnée publique",
            ("Conférence du mardi 1er juin", "la donnée publique"),
        ),
        (
            "Vortrag am 12. März 2025: Digitale Akten",
            ("Vortrag am 12. März 2025", "Digitale Akten"),
        ),
        ("Talk on 3 May: Why data platforms fail", ("Talk on 3 May", "Why data platforms fail")),
        ("Ope føredrag: Kva gjer vi med skya?", ("Ope føredrag", "Kva gjer vi med skya?")),
        ("Webinar with two hosts: Cloud costs", None),
    ],
)
def test_kind_prefix(title: str, expected: tuple[str, str] | None) -> None:
    assert kind_prefix(title) == expected


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Om Jørgen Gram", "bio"),
        ("About Grace Okonkwo", "bio"),
        ("About the webinar", "abstract"),
        ("Om arrangementet", "abstract"),
        ("About the Department", None),
        ("Bios:", "bio"),
    ],
)
def test_heading_key(heading: str, key: str | None) -> None:
    assert heading_key(heading) == key


def _page(body: str, head: str = "") -> Page:
    return parse(f"<html><head>{head}</head><body>{body}</body></html>")


def test_title_from_a_later_part_of_the_head_title_in_an_old_table_layout() -> None:
    page = _page(
        "<table><tr><td class='menu'>Forside</td><td><h2>Morgenmøde: It i kommunen</h2>"
        "<p>Kommunalreformen samlede fire kommuner til én og fire it-afdelinger til én.</p>"
        "</td></tr></table>",
        "<title>Institut for Informatik - Morgenmøde: It i kommunen</title>",
    )
    assert find_title(page) == "Morgenmøde: It i kommunen"


def test_a_headline_linking_to_its_own_page_is_no_banner() -> None:
    page = _page(
        "<header><h2><a href='/'>Scottish IT Directors</a></h2></header>"
        "<div class='pagetitle'><h1><a href='#'>Seminar – Shared identity for colleges</a></h1>"
        "</div><p>The seminar looks at one identity service for all colleges in the region.</p>",
        "<title>Seminar – Shared identity for colleges - Scottish IT Directors - Wiki</title>",
    )
    assert find_title(page) == "Seminar – Shared identity for colleges"


def test_a_labelled_topic_loses_its_kind_prefix() -> None:
    page = _page(
        "<main><p>Sujet</p><h1>Webinaire – Choisir son cloud quand on est une collectivité</h1>"
        "<p>Le webinaire présente trois collectivités et leurs choix d'hébergement.</p></main>"
    )
    topic = series_and_topic(find_title(page), page.blocks, labelled_lines(page.blocks))[1]
    assert topic == "Choisir son cloud quand on est une collectivité"


def test_a_subheading_extending_the_title_is_the_topic() -> None:
    page = _page(
        "<main><h1>CIO Lunch Talk: When Everything Is Urgent</h1><p>Date: 12 June 2019</p>"
        "<h2>When Everything Is Urgent: Portfolio Management in a Council</h2>"
        "<p>A county council runs more than a hundred IT projects at once, and more.</p></main>"
    )
    title = find_title(page)
    assert series_and_topic(title, page.blocks, labelled_lines(page.blocks)) == (
        "CIO Lunch Talk",
        "When Everything Is Urgent: Portfolio Management in a Council",
    )


def test_a_labelled_topic_wins() -> None:
    page = _page("<main><h1>Morgenmøde i maj</h1><p>Emne: Sundheds-it i kommunerne</p></main>")
    blocks = page.blocks
    assert series_and_topic("Morgenmøde i maj", blocks, labelled_lines(blocks))[1] == (
        "Sundheds-it i kommunerne"
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            '<p>Tuesday, <time datetime="2024-02-20T12:15">12:15</time>–'
            '<time datetime="2024-02-20T13:00">13:00</time></p>',
            ("2024-02-20", "12:15", "13:00"),
        ),
        (
            '<p>Posted on <time datetime="2019-05-20T09:12:00">May 20</time></p>'
            '<p><time datetime="2019-06-12">12 June</time></p>',
            ("2019-06-12", None, None),
        ),
        (
            '<p><time class="entry-date published" datetime="2019-05-20">May 20</time></p>',
            (None,) * 3,
        ),
        # a block theme's post date wraps the <time> of every post
        (
            '<div class="wp-block-post-date"><time datetime="2022-02-03T10:28:25+01:00">'
            "3. Februar 2022</time></div>",
            (None,) * 3,
        ),
        (
            '<span class="post_meta"><time datetime="2021-11-30T08:00">30/11/2021</time></span>'
            '<p><time datetime="2021-12-09T18:00">9 december, 18:00</time></p>',
            ("2021-12-09", "18:00", None),
        ),
    ],
)
def test_machine_times(body: str, expected: tuple[str | None, ...]) -> None:
    assert machine_times(_page(f"<main>{body}</main>").main) == expected


@pytest.mark.parametrize(
    ("line", "day", "venue"),
    [
        (
            "Thursday 9 November 2023 · 08:30–10:00 · Harbour Hall, Room K2",
            "2023-11-09",
            "Harbour Hall, Room K2",
        ),
        ("Online · Wednesday, 14 June 2023 · 15:00 to 16:00 CET", "2023-06-14", "Online"),
        (
            "Tirsdag 12. april, kl. 8.00-10.00, Bygning 2, lokale 2.45",
            "2016-04-12",
            "Bygning 2, lokale 2.45",
        ),
        ("Tuesday 6 May 2014, 08:00-10:00. Please register by e-mail.", "2014-05-06", None),
        ("Tuesday 6 May 2014, 08:00-10:00 CEST", "2014-05-06", None),
        ("Harbour Hall · 08:30–10:00", "2023-11-09", None),  # not the event's day
    ],
)
def test_venue_in_dateline(line: str, day: str, venue: str | None) -> None:
    assert venue_in_dateline(_page(f"<main><p>{line}</p></main>").blocks, day) == venue


def test_news_about_a_series_is_not_an_event() -> None:
    html = (
        "<html><body><main><h1>CIO Talks fylder 10 år</h1><p>Nyhed, 3. februar 2020</p>"
        "<p>Serien har haft mere end 60 arrangementer siden den første morgen i 2010, og "
        "det fejres.</p><p>Jubilæet fejres med en reception den 24. marts 2020 kl. 16.00.</p>"
        "</main></body></html>"
    ).encode()
    result = extract(html, "https://example.org/news/10")
    assert result.is_event is False


def test_a_speaker_card_in_a_sidebar_is_read() -> None:
    html = (
        b"<html><body><main><h1>Seminar: Buying IT Together</h1><p>Thursday 9 November 2023, "
        b"08:30-10:00</p><p>Seven hospitals used to run seven tenders for the same kind of "
        b"system; now they buy together.</p></main><aside class='sidebar'><div class="
        b"'speaker-card'><h2>Speaker</h2><h3>Grace Okonkwo</h3><p>Head of Procurement, Region "
        b"Sydhavn</p></div></aside></body></html>"
    )
    result = extract(html, "https://example.org/events/7")
    assert [(s.name, s.role, s.organisation) for s in result.speakers] == [
        ("Grace Okonkwo", "Head of Procurement", "Region Sydhavn")
    ]


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Webinar Registration", True),
        ("Inscription au webinaire", True),
        ("Anmeldung zum Vortrag", True),
        ("Registration", True),
        ("Seminar", False),  # a kind alone: the series' page, not a form
        ("Ransomware readiness for community hospitals", False),
    ],
)
def test_form_heading(heading: str, expected: bool) -> None:
    assert form_heading(heading) is expected


def test_a_registration_forms_heading_gives_way_to_the_labelled_topic() -> None:
    page = (
        "<html><head><title>Webinar Registration - Zoom</title></head><body><main>"
        "<h1>Webinar Registration</h1><p>Topic</p><p>Ransomware readiness for small hospitals</p>"
        "<p>Description</p><p>Two hospital CIOs compare the playbooks they wrote after the "
        "attacks of the last two years. Join us Wednesday, April 14, 2027, from 11:00 a.m. to "
        "noon ET.</p></main></body></html>"
    )
    got = extract(page.encode(), "https://example.org/webinar/register/1")
    assert got.title == "Ransomware readiness for small hospitals"
    assert (got.start_time, got.end_time) == ("11:00", "12:00")

"""Citation formats from one record: BibTeX read back by bibtexparser (hostile values
included), RIS by rispy, iCalendar by icalendar; cite keys, case protection, the month macro."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from urllib.parse import unquote

import bibtexparser
import icalendar
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from archive.citation import bibtex, calendar, csl, metadata, ris
from archive.citation.record import Citation, Person, cite_key, reference

RECORD = Citation(
    talk_id=12,
    title="Investing 1+ billion DKK in Health Care IT",
    speakers=(Person("Per Buchwaldt", "CIO", "Region Zealand", "Per leads IT."),),
    date=dt.date(2014, 5, 6),
    start=dt.time(8, 0),
    end=dt.time(9, 30),
    location="Howitzvej 60, 4 sal",
    language="en",
    series="CIO talks",
    host="IT University of Copenhagen",
    abstract="How a region spends on IT.",
    themes=("Health care IT",),
    industries=("Health care",),
    permalink="http://archive.test/talks/12-investing",
    source_url="https://www.itu.dk/cio/2014/buchwaldt?a=1&b=2",
    accessed=dt.date(2026, 12, 7),
)

HOSTILE = [
    "a } , author = {Evil}",
    "close}}}}} and open{{{",
    r"back\slash \textbf{x} \end{document}",
    "100% & $5 # tag_name ~ caret^",
    "line one\n\n@misc{injected, title={x}}\nline two",
    "quote \" and 'single' -- en --- em ``tex quotes'' ?` !`",
    "Søren Kjærgaard, Ærø — ĳ ŀ ß",
]


def _decoder() -> LatexDecodingMiddleware:
    """bibtexparser's LaTeX decoding, told the three text-mode macros our escaping uses that
    pylatexenc does not know."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "text-symbols",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", simplify_repl="{"),
            MacroTextSpec("textbraceright", simplify_repl="}"),
            MacroTextSpec("textasciicircum", simplify_repl="^"),
        ],
    )
    return LatexDecodingMiddleware(decoder=LatexNodes2Text(latex_context=context))


def parse(text: str, decode: bool = True) -> list[dict[str, str]]:
    """The entries as bibtexparser reads them; LaTeX decoded unless ``decode`` is false (URL
    fields are verbatim in biblatex, so a ``%`` there is no comment)."""
    library = bibtexparser.parse_string(text, append_middleware=[_decoder()] if decode else [])
    assert not library.failed_blocks, library.failed_blocks
    return [{"ID": e.key, **{f.key: f.value for f in e.fields}} for e in library.entries]


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("field", ["title", "host", "series", "location", "abstract", "speaker"])
def test_bibtex_round_trip_keeps_hostile_values_in_their_field(field: str, value: str) -> None:
    record = (
        replace(RECORD, speakers=(Person(value),))
        if field == "speaker"
        else replace(RECORD, **{field: value})
    )
    text = bibtex.entry(record)
    (entry,) = parse(text)
    assert set(entry) <= {"ID", *[f.key for f in bibtex.fields(RECORD)]}
    expected = {"title": "title", "host": "organization", "series": "series"}
    expected |= {"location": "location", "abstract": "abstract", "speaker": "author"}
    assert entry[expected[field]] == one_line(value)
    assert entry["url"] == RECORD.permalink
    assert entry["ID"] == cite_key(record) and entry["ID"].isascii()


@pytest.mark.parametrize(
    "url",
    [
        "https://x.org/a},author={Evil},title={x",
        'https://x.org/p?q=a b&c=\\d"e',
        "https://x.org/æøå/%41%zz",
    ],
)
def test_urls_cannot_leave_their_field(url: str) -> None:
    record = replace(RECORD, permalink=url, source_url=url)
    (entry,) = parse(bibtex.entry(record))
    assert entry["author"] == "Per Buchwaldt"
    assert "Evil" not in entry["author"] and entry["title"] == RECORD.title
    (raw,) = parse(bibtex.entry(record), decode=False)
    assert unquote(raw["url"]) == unquote(url)
    assert not re.search(r"[\s{}\\\"]", raw["url"])
    assert entry["note"] == f"Announced at {url}"


def test_bibtex_fields_for_reference_managers() -> None:
    text = bibtex.entry(RECORD)
    assert "title = {Investing 1+ billion {DKK} in Health Care {IT}}" in text
    assert re.search(r"^\s*month = may,$", text, re.M)  # the macro, not the string "{may}"
    assert "date = {2014-05-06}" in text and "year = {2014}" in text
    assert "organization = {IT University of Copenhagen}" in text
    assert "series = {{CIO} talks}" in text
    assert "url = {http://archive.test/talks/12-investing}" in text
    assert "urldate = {2026-12-07}" in text
    (entry,) = parse(text)
    assert entry["note"] == f"Announced at {RECORD.source_url}"
    assert entry["month"] == "may"


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Søren Kjærgaard", "kjaergaard2014talk12"),
        ("Jürgen Müller-Lüdenscheidt", "mullerludenscheidt2014talk12"),
        ("Þóra Ðórðardóttir", "dordardottir2014talk12"),
        ("李 明", "talk2014talk12"),
    ],
)
def test_cite_keys_are_ascii(name: str, key: str) -> None:
    record = replace(RECORD, speakers=(Person(name),))
    assert cite_key(record) == key
    assert parse(bibtex.entry(record))[0]["ID"] == key


def test_many_entries_have_unique_keys_and_parse() -> None:
    records = [replace(RECORD, talk_id=n) for n in range(1, 6)]
    entries = parse(bibtex.entries(records))
    assert len({e["ID"] for e in entries}) == 5


def test_ris_reads_back_and_line_breaks_cannot_add_tags() -> None:
    record = replace(RECORD, title="A\nAU  - Injected", abstract="x\r\nER  - \nTY  - JOUR")
    (ref,) = rispy.loads(ris.records([record]))
    assert ref["type_of_reference"] == "SLIDE"
    assert ref["authors"] == ["Per Buchwaldt"]
    assert ref["title"] == "A AU - Injected"
    assert ref["urls"] == [RECORD.permalink] and ref["date"] == "2014/05/06/"
    assert ref["publisher"] == RECORD.host and ref["secondary_title"] == RECORD.series
    assert ref["access_date"] == "2026/12/07/"
    assert ref["notes"] == [f"Announced at {RECORD.source_url}"]
    assert not ris.records([record]).startswith("1.")


def test_csl_json_is_read_by_a_csl_processor() -> None:
    """citeproc-py (CSL 1.0.1) formats our item with its bundled Harvard style; it does not
    know CSL 1.0.2's ``event-title``, which the item also carries as ``event``."""
    import citeproc
    from citeproc.source.json import CiteProcJSON

    item = csl.item(replace(RECORD, speakers=(Person("Søren Kjærgaard"), Person("Ann Lee"))))
    assert item.pop("event-title") == item["event"]
    style = citeproc.CitationStylesStyle("harvard-cite-them-right", validate=False)
    source = CiteProcJSON([item])
    bibliography = citeproc.CitationStylesBibliography(style, source, citeproc.formatter.plain)
    bibliography.register(citeproc.Citation([citeproc.CitationItem(item["id"])]))
    (text,) = [str(entry) for entry in bibliography.bibliography()]
    assert text.startswith("Kjærgaard, S. and Lee, A. (2014)")
    assert "“Investing 1+ billion DKK in Health Care IT”" in text
    assert "Available at: http://archive.test/talks/12-investing" in text


def test_csl_json_item() -> None:
    item = csl.item(RECORD)
    assert item["type"] == "speech" and item["id"] == "buchwaldt2014talk12"
    assert item["author"] == [{"family": "Buchwaldt", "given": "Per"}]
    assert item["issued"] == {"date-parts": [[2014, 5, 6]]}
    assert item["URL"] == RECORD.permalink and item["accessed"]["date-parts"] == [[2026, 12, 7]]
    assert item["publisher"] == RECORD.host and item["event-title"] == RECORD.series
    assert csl.item(replace(RECORD, speakers=(Person("Madonna"),)))["author"] == [
        {"literal": "Madonna"}
    ]


@pytest.mark.parametrize(
    ("zone", "offset"), [("Europe/Copenhagen", 2), ("America/New_York", -4), ("Asia/Kolkata", 5.5)]
)
def test_calendar_has_tzid_and_vtimezone(zone: str, offset: float) -> None:
    undated = replace(RECORD, talk_id=13, date=None)
    day_only = replace(RECORD, talk_id=14, start=None, end=None)
    cal = icalendar.Calendar.from_ical(calendar.calendar([RECORD, undated, day_only], zone))
    events = cal.walk("VEVENT")
    assert [str(e["UID"]) for e in events] == [
        "talk-12@cio-talks-archive",
        "talk-14@cio-talks-archive",
    ]
    start = events[0].decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=offset)
    assert (start.hour, events[0].decoded("DTEND").minute) == (8, 30)
    assert events[0]["DTSTART"].params["TZID"] == zone
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == [zone]
    assert events[1].decoded("DTSTART") == dt.date(2014, 5, 6)
    assert str(events[0]["URL"]) == RECORD.permalink


def test_utc_times_are_written_in_utc() -> None:
    assert "DTSTART:20140506T080000Z" in calendar.calendar([RECORD], "UTC").decode()


def test_unknown_zone_is_a_clear_error() -> None:
    with pytest.raises(calendar.ZoneError, match="unknown time zone 'Mars/Base'"):
        calendar.calendar([RECORD], "Mars/Base")


def test_page_metadata() -> None:
    tags = metadata.meta_tags(RECORD)
    assert ("citation_author", "Per Buchwaldt") in tags
    assert ("citation_publication_date", "2014/05/06") in tags
    assert ("citation_public_url", RECORD.permalink) in tags
    data = metadata.json_ld(RECORD, calendar.zone("Europe/Copenhagen"))
    assert data["startDate"] == "2014-05-06T08:00:00+02:00"
    assert data["performer"][0]["affiliation"]["name"] == "Region Zealand"
    assert data["organizer"]["name"] == RECORD.host and data["inLanguage"] == "en"


def test_plain_reference_cites_the_permalink() -> None:
    text = reference(RECORD)
    assert text.startswith("Per Buchwaldt (2014). Investing 1+ billion DKK")
    assert text.endswith("http://archive.test/talks/12-investing (accessed 2026-12-07).")

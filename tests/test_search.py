"""Tests for searching the talk index: ranking, folding, stemming, facets, filters, safety."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import writer
from index.search import (
    SearchRequest,
    SearchResult,
    close_searchers,
    facet_values,
    more_like_this,
    search,
    suggest_speakers,
)


def talk(talk_id: int, title: str, **extra: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": talk_id,
        "url": f"https://example.org/talks/{talk_id}",
        "title": title,
        "topic": "",
        "abstract": "",
        "speakers": [],
        "bios": "",
        "organisations": [],
        "industries": [],
        "themes": [],
        "language": "en",
        "date": None,
        "series": "CIO Talks",
        "location": None,
    }
    doc.update(extra)
    return doc


DOCS = [
    talk(
        1,
        "Digital health care at Region Hovedstaden",
        abstract="Electronic health records for hospitals and patients in the capital region.",
        speakers=["Anne Kjærgaard"],
        bios="Anne has led hospital IT programmes for a decade.",
        organisations=["Region Hovedstaden"],
        industries=["Health care", "Public sector"],
        themes=["Health care IT", "Digital transformation"],
        date=dt.date(2014, 3, 12),
    ),
    talk(
        2,
        "Sundheds-IT i regionerne",
        abstract="Hospitalerne i Region Sjælland får nye elektroniske patientjournaler.",
        speakers=["Lars Østergaard"],
        organisations=["Region Sjælland"],
        industries=["Health care", "Public sector"],
        themes=["Health care IT"],
        language="da",
        date=dt.date(2015, 9, 1),
    ),
    talk(
        3,
        "Moving a bank to the cloud",
        abstract="How a retail bank moved its core systems to cloud platforms.",
        speakers=["Mette Hansen"],
        organisations=["Danske Bank"],
        industries=["Finance"],
        themes=["Cloud computing"],
        date=dt.date(2016, 5, 10),
    ),
    talk(
        4,
        "Outsourcing in shipping",
        abstract="Lessons from outsourcing IT operations in a global shipping company.",
        speakers=["Peter Jensen"],
        organisations=["Maersk"],
        industries=["Shipping"],
        themes=["Outsourcing", "IT governance"],
        date=dt.date(2014, 11, 20),
    ),
    talk(
        5,
        "Security <script>alert(1)</script> lessons",
        abstract="<b>Cyber security</b> & risk at a bank: security <script>x</script> matters.",
        speakers=["Jens Holm"],
        organisations=["Nordea"],
        industries=["Finance"],
        themes=["Security"],
        date=dt.date(2017, 2, 2),
    ),
    talk(
        6,
        "Digitalisering af den offentlige sektor",
        abstract="Strategier for digitalisering i kommunerne og staten.",
        speakers=["Søren Kjaergaard"],
        organisations=["Digitaliseringsstyrelsen"],
        industries=["Public sector"],
        themes=["Digital transformation", "IT governance"],
        language="da",
        date=dt.date(2016, 1, 15),
    ),
    talk(
        7,
        "Data analytics in retail",
        abstract="Customer analytics and data warehouses for a retail chain.",
        speakers=["Maria Oestergaard"],
        organisations=["Coop"],
        industries=["Retail"],
        themes=["Data analytics"],
        date=dt.date(2015, 4, 22),
    ),
    talk(
        8,
        "The CIO as a business leader",
        abstract="Leadership, budgets and the board.",
        speakers=["Anne Kjærgaard", "Peter Jensen"],
        organisations=["Region Hovedstaden", "Maersk"],
        industries=["Health care", "Shipping"],
        themes=["IT governance"],
        language=None,
        date=None,
    ),
    talk(
        9,
        "Healthcare platforms",
        abstract="A healthcare platform for clinicians, patients and nurses.",
        speakers=["Ida Lund"],
        organisations=["Epic"],
        industries=["Software"],
        themes=[],
        date=dt.date(2018, 6, 5),
    ),
    talk(
        10,
        "IT at the university",
        abstract="Teaching and research systems at Århus.",
        speakers=["Bo Åkesson"],
        organisations=["Aarhus Universitet"],
        industries=["Education"],
        themes=["Digital transformation"],
        date=dt.date(2013, 10, 10),
    ),
]
HEALTH = {1, 2}
SYNONYMS = {"Health care IT": ["health care it", "healthcare", "health-care", "sundheds-it"]}


@pytest.fixture(scope="module")
def ix(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("index")
    writer.rebuild(path, DOCS)
    return path


@pytest.fixture(autouse=True)
def _close_searchers() -> Iterator[None]:
    yield
    close_searchers()


def ids(result: SearchResult) -> list[int]:
    return [hit.id for hit in result.hits]


def run(ix: Path, q: str = "", **kwargs: Any) -> SearchResult:
    return search(ix, SearchRequest(q=q, **kwargs))


def test_health_care_ranks_health_care_it_talks_first(ix: Path) -> None:
    result = run(ix, "health care")
    assert set(ids(result)[:2]) == HEALTH
    assert 8 in ids(result)  # industry "Health care" matches too, below the themed talks
    assert ids(result).index(8) > 1


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Kjaergaard", {1, 6, 8}),
        ("Kjærgaard", {1, 6, 8}),
        ("Ostergaard", {2, 7}),
        ("Østergaard", {2, 7}),
        ("Oestergaard", {2, 7}),
        ("Soren", {6}),
        ("Soeren", {6}),
        ("Akesson", {10}),
        ("Aarhus", {10}),
        ("Arhus", {10}),
        ("speaker:kjaergaard", {1, 6, 8}),
        ("org:aarhus", {10}),
    ],
)
def test_accent_folding(ix: Path, q: str, expected: set[int]) -> None:
    assert set(ids(run(ix, q))) == expected


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Danish: hospitalerne / hospitalet share the stem; one stem for both languages also
        # joins English "hospitals" (talk 1)
        ("hospitalet", {1, 2}),
        ("patientjournal", {2}),
        ("digitaliseringen", {6}),
        ("kommune", {6}),
        ("outsourced", {4}),  # English stemming
        ("platform", {3, 9}),
    ],
)
def test_stemming(ix: Path, q: str, expected: set[int]) -> None:
    assert set(ids(run(ix, q))) == expected


def test_bios_and_danish_forms_are_searched_and_weighed_by_part(tmp_path: Path) -> None:
    docs = [
        talk(1, "One", abstract="Budgets for the board.", bios="Has led archives."),
        talk(2, "Two", abstract="Our archives of procurement.", bios="Budgets."),
        talk(3, "Tre", abstract="Strategien for kommunerne.", language="en"),  # wrong tag
        talk(4, "Procurement", abstract="Buying things well."),
    ]
    writer.rebuild(tmp_path, docs)
    assert ids(run(tmp_path, "archive")) == [2, 1]  # abstract hit over bio hit
    assert ids(run(tmp_path, "budget")) == [1, 2]
    assert ids(run(tmp_path, "kommune strategier")) == [3]
    assert ids(run(tmp_path, "bio:archives")) == [1]
    assert ids(run(tmp_path, "abstract:archives")) == [2]
    result = run(tmp_path, "procurement")
    assert ids(result) == [4, 2]  # a title hit over an abstract hit
    assert result.hits[0].title_html == "<mark>Procurement</mark>"
    assert "<mark>procurement</mark>" in result.hits[1].snippet


def expected_counts(docs: list[dict[str, Any]], facet: str) -> list[tuple[str, int]]:
    counter: Counter[str] = Counter()
    for doc in docs:
        if facet == "year":
            values = [str(doc["date"].year)] if doc["date"] else []
        elif facet == "language":
            values = [doc["language"]] if doc["language"] else []
        else:
            key = {"organisation": "organisations", "industry": "industries"}.get(
                facet, facet + "s"
            )
            values = doc[key]
        counter.update(set(values))
    return sorted(counter.items(), key=lambda p: (-p[1], p[0]))


@pytest.mark.parametrize(
    "facet", ["industry", "theme", "year", "organisation", "language", "speaker"]
)
def test_facet_counts_whole_index_and_filtered(ix: Path, facet: str) -> None:
    assert run(ix).facets[facet] == expected_counts(DOCS, facet)
    assert facet_values(ix, facet) == expected_counts(DOCS, facet)
    public = [d for d in DOCS if "Public sector" in d["industries"]]
    assert run(ix, industry=["Public sector"]).facets[facet] == expected_counts(public, facet)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"industry": ["Public sector"], "lang": ["da"]}, {2, 6}),
        ({"industry": ["Finance", "Retail"]}, {3, 5, 7}),
        ({"industry": ["Finance", "Retail"], "year": [2015]}, {7}),
        ({"theme": ["IT governance"], "speaker": ["Peter Jensen"]}, {4, 8}),
        ({"org": ["Maersk"], "year": ["2014"]}, {4}),
        ({"theme": ["Health care IT"], "industry": ["Shipping"]}, set()),
        ({"year": ["abc"]}, set()),
        ({"date_from": dt.date(2015, 1, 1), "date_to": dt.date(2015, 12, 31)}, {2, 7}),
        ({"date_from": dt.date(2017, 2, 2)}, {5, 9}),
        ({"date_to": dt.date(2013, 10, 10)}, {10}),
        ({"lang": ["DA"], "date_from": dt.date(2016, 1, 1)}, {6}),
    ],
)
def test_filters_combine(ix: Path, filters: dict[str, Any], expected: set[int]) -> None:
    result = run(ix, **filters)
    assert set(ids(result)) == expected
    assert result.total == len(expected)


def test_filters_narrow_a_text_query(ix: Path) -> None:
    assert set(ids(run(ix, "health care", lang=["da"]))) == {2}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("year:2014", {1, 4}),
        ("year:[2015 TO 2016]", {2, 3, 6, 7}),
        ("year:2015..2016", {2, 3, 6, 7}),
        ("date:[2014 TO 2015]", {1, 2, 4, 7}),
        ("date:2014..2015", {1, 2, 4, 7}),
        ("date:2016-05", {3}),
        ("lang:da", {2, 6}),
        ("theme:outsourcing", {4}),
        ("industry:finance", {3, 5}),
        ('org:"region hovedstaden"', {1, 8}),
        ("bank NOT cloud", {5}),
        ("cloud OR shipping", {3, 4, 8}),
        ('"retail bank"', {3}),
        ("manag* OR outsourc*", {4}),
    ],
)
def test_query_syntax(ix: Path, q: str, expected: set[int]) -> None:
    result = run(ix, q)
    assert set(ids(result)) == expected
    assert result.query_error is None


def test_sort_newest_and_oldest_put_undated_last(ix: Path) -> None:
    dated = sorted((d for d in DOCS if d["date"]), key=lambda d: d["date"])
    newest = ids(run(ix, sort="newest"))
    oldest = ids(run(ix, sort="oldest"))
    assert newest == [d["id"] for d in reversed(dated)] + [8]
    assert oldest == [d["id"] for d in dated] + [8]
    assert ids(run(ix)) == newest  # an empty query browses newest first
    assert ids(run(ix, "bank", sort="oldest")) == [3, 5]


def test_pagination(ix: Path) -> None:
    pages = [run(ix, sort="oldest", page=p, per_page=3) for p in (1, 2, 3, 4, 5)]
    seen = [i for page in pages for i in ids(page)]
    assert sorted(seen) == sorted(d["id"] for d in DOCS)
    assert [len(p.hits) for p in pages] == [3, 3, 3, 1, 0]
    assert all(p.total == len(DOCS) and p.per_page == 3 for p in pages)
    assert run(ix, page=0, per_page=0).page == 1


def test_snippets_escape_markup_and_mark_matches(ix: Path) -> None:
    [hit] = run(ix, "security").hits
    assert hit.id == 5
    for html in (hit.snippet, hit.title_html):
        assert "<script" not in html and "<b>" not in html
        assert "&lt;script&gt;" in html
        assert "<mark>" in html
    assert "&amp; risk" in hit.snippet


def test_snippet_without_match_is_escaped_abstract(ix: Path) -> None:
    [hit] = run(ix, speaker=["Jens Holm"]).hits
    assert hit.snippet.startswith("&lt;b&gt;Cyber security")
    assert "<mark" not in hit.snippet


@pytest.mark.parametrize(
    ("q", "has_error"),
    [
        ("AND OR (((", False),
        ('speaker:"unclosed', False),
        ("*", False),
        ("year:abc", True),
        ("date:[2014 TO", True),
        ("", False),
        (":::", False),
        ("\\", False),
        ('"', False),
        ("title:", False),
        ('spell:"cloud bank"', True),
        ("NOT", False),
        ("a^b^", False),
        ("[[[ TO ]]]", False),
    ],
)
def test_broken_syntax_never_raises(ix: Path, q: str, has_error: bool) -> None:
    result = run(ix, q)
    assert result.total >= 0
    assert (result.query_error is not None) == has_error


def test_plain_word_fallback_still_finds_words(ix: Path) -> None:
    result = run(ix, "year:abc shipping")
    assert result.query_error is not None
    assert 4 in ids(result)


def test_star_browses_everything(ix: Path) -> None:
    assert run(ix, "*").total == len(DOCS)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        # Talks tagged with the theme, plus talks spelling the same words another way.
        ("healthcare", {1, 2, 9}),
        ("health-care", {1, 2, 9}),
        ("sundheds-it", {1, 2}),
        ("Health care IT", {1, 2}),
    ],
)
def test_synonyms_expand_to_the_theme_and_spellings(ix: Path, q: str, expected: set[int]) -> None:
    with_synonyms = search(ix, SearchRequest(q=q), synonyms=SYNONYMS)
    assert set(ids(with_synonyms)) >= expected
    assert with_synonyms.query_error is None


def test_synonym_expansion_stays_small() -> None:
    from index.query import expand_synonyms

    many = {
        "Health care IT": ["healthcare", "health care", "e-health", "ehr", *map(str, range(60))]
    }
    expanded = expand_synonyms("healthcare strategy", many)
    assert expanded == '(theme:"Health care IT" OR "health care" OR healthcare) strategy'


def test_without_synonyms_healthcare_is_one_word(ix: Path) -> None:
    assert set(ids(run(ix, "healthcare"))) == {9}
    assert set(ids(run(ix, "sundheds-it"))) == {2}


def test_synonyms_leave_fielded_and_quoted_text_alone(ix: Path) -> None:
    result = search(ix, SearchRequest(q='"healthcare platform"'), synonyms=SYNONYMS)
    assert ids(result) == [9]


@pytest.mark.parametrize(
    ("q", "suggestion"),
    [("helth", "health"), ("outsorcing", "outsourcing"), ("analytcs retail", "analytics retail")],
)
def test_did_you_mean(ix: Path, q: str, suggestion: str) -> None:
    result = run(ix, q)
    assert result.total == 0
    assert result.suggestion == suggestion


def test_no_suggestion_when_results_are_fine(ix: Path) -> None:
    assert run(ix, "cloud").suggestion is None
    assert run(ix, "").suggestion is None


def test_more_like_this(ix: Path) -> None:
    similar = more_like_this(ix, 1)
    assert 1 not in similar
    assert similar and similar[0] in {2, 9}
    assert more_like_this(ix, 999) == []


@pytest.mark.parametrize(
    ("prefix", "expected"),
    [
        ("kjae", ["Anne Kjærgaard", "Søren Kjaergaard"]),
        ("kjær", ["Anne Kjærgaard", "Søren Kjaergaard"]),
        ("øster", ["Lars Østergaard", "Maria Oestergaard"]),
        ("anne", ["Anne Kjærgaard"]),
        ("zz", []),
        ("", []),
    ],
)
def test_suggest_speakers(ix: Path, prefix: str, expected: list[str]) -> None:
    assert suggest_speakers(ix, prefix) == expected


def test_unknown_facet_is_an_error(ix: Path) -> None:
    with pytest.raises(KeyError):
        facet_values(ix, "colour")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(list("abcæøå ()[]{}\"'*?:^~+-!&|\\/.,TOANDORNOT0123456789")),
        max_size=40,
    )
)
def test_random_queries_never_raise(ix: Path, q: str) -> None:
    result = search(ix, SearchRequest(q=q), synonyms=SYNONYMS)
    assert 0 <= result.total <= len(DOCS)
    assert all("<script" not in hit.snippet for hit in result.hits)


def test_searchers_are_opened_once_per_thread_and_generation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import index.searchers as searchers

    writer.rebuild(tmp_path, [talk(1, "Cloud strategy"), talk(2, "Cloud security")])
    close_searchers()
    opened: list[Path] = []
    real_open = searchers.open_current

    def counting_open(index_dir: Path) -> Any:
        opened.append(index_dir)
        return real_open(index_dir)

    monkeypatch.setattr(searchers, "open_current", counting_open)
    for _ in range(20):
        assert search(tmp_path, SearchRequest(q="cloud")).total == 2
    assert len(opened) == 1
    writer.update(tmp_path, [talk(3, "Cloud migration")])  # same generation: refreshed only
    assert search(tmp_path, SearchRequest(q="cloud")).total == 3
    assert len(opened) == 1
    writer.rebuild(tmp_path, [talk(1, "Cloud strategy")])  # new generation: reopened once
    for _ in range(5):
        assert search(tmp_path, SearchRequest(q="cloud")).total == 1
    assert len(opened) == 2
    close_searchers()


def test_site_keeps_answering_while_reindex_swaps_generations(site: Any) -> None:
    import threading

    from archive import indexing
    from archive.db import new_session

    statuses: list[int] = []
    totals: set[int] = set()
    errors: list[BaseException] = []
    stop = threading.Event()

    def browse() -> None:
        client = site.test_client()
        try:
            while not stop.is_set():
                response = client.get("/api/v1/talks?q=cio")
                statuses.append(response.status_code)
                totals.add(response.get_json()["total"])
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_searchers()

    before = site.test_client().get("/api/v1/talks?q=cio").get_json()["total"]
    threads = [threading.Thread(target=browse) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        with site.app_context():
            for _ in range(3):
                with new_session() as session:
                    indexing.rebuild(session, site.config["INDEX_DIR"])
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert not errors
    assert statuses and set(statuses) == {200}
    assert totals == {before}

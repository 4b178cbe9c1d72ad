"""Tests for the index's analyzers, document mapping and writer (update, delete, rebuild, locks)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from indexdocs import talk
from whoosh import index as whoosh_index
from whoosh.fields import TEXT

from index import writer
from index.analysis import (
    bilingual_analyzer,
    english_analyzer,
    name_analyzer,
    name_key,
)
from index.schema import (
    BIO_WEIGHT,
    FIELD_BOOSTS,
    HEAD_WEIGHT,
    LEGACY_FIELD_BOOSTS,
    WeightedText,
    build_schema,
    free_text_boosts,
    to_fields,
)
from index.search import SearchRequest, close_searchers, search

DOCS = [
    talk(1, "Cloud at a bank", abstract="Moving core banking to the cloud."),
    talk(2, "Hospital records", abstract="Electronic patient records."),
    talk(3, "Shipping logistics", abstract="Containers and data."),
]


@pytest.fixture(autouse=True)
def _close_searchers() -> Iterator[None]:
    yield
    close_searchers()


@pytest.mark.parametrize(
    "spellings",
    [
        ("Kjærgaard", "Kjaergaard", "kjargard"),
        ("Østergaard", "Oestergaard", "Ostergaard"),
        ("Århus", "Aarhus", "Arhus"),
        ("Søren", "Soeren", "Soren"),
    ],
)
def test_name_key_meets_every_spelling(spellings: tuple[str, ...]) -> None:
    assert len({name_key(s.lower()) for s in spellings}) == 1
    analyzer = name_analyzer()
    assert len({tuple(t.text for t in analyzer(s)) for s in spellings}) == 1


def test_english_analyzer_indexes_both_transliterations_but_queries_one() -> None:
    analyzer = english_analyzer()
    indexed = [t.text for t in analyzer("Østergaard managing", mode="index")]
    queried = [t.text for t in analyzer("Østergaard managing", mode="query")]
    assert indexed == ["ostergaard", "oestergaard", "manag"]
    assert queried == ["ostergaard", "manag"]


def test_to_fields_maps_facets_dates_and_language() -> None:
    fields = to_fields(
        talk(
            7,
            "Sundheds-IT",
            speakers=["Anne Kjærgaard", "Anne Kjærgaard", " "],
            themes=["Health care IT"],
            language="DA",
            date=dt.date(2014, 3, 12),
        )
    )
    assert fields["id"] == "7"
    assert fields["f_speaker"] == ["Anne Kjærgaard"]
    assert fields["f_theme"] == ["Health care IT"]
    assert fields["lang"] == "da"
    assert fields["f_year"] == "2014"
    assert fields["date"] == dt.datetime(2014, 3, 12)
    assert fields["newest"] == fields["oldest"] == dt.date(2014, 3, 12).toordinal()
    assert fields["body"].split(WeightedText.PART_SEPARATOR) == [
        "Sundheds-IT\n\nHealth care IT",
        "",
        "",
    ]


def test_to_fields_without_date_sorts_last_both_ways() -> None:
    fields = to_fields(talk(8, "Undated", abstract="Cloud.", bios="Anne led IT."))
    assert "date" not in fields and "f_year" not in fields
    assert fields["newest"] < dt.date(1900, 1, 1).toordinal() < fields["oldest"]
    assert fields["body"].split(WeightedText.PART_SEPARATOR) == [
        "Undated\n",
        "Cloud.",
        "Anne led IT.",
    ]


@pytest.mark.parametrize(
    "forms",
    [
        ("hospitalet", "hospitalerne", "hospitals", "hospital"),  # Danish and English meet
        ("strategier", "strategien", "strategy", "strategies"),
        ("kommune", "kommunerne"),
        ("digitalisering", "digitaliseringen"),
        ("sikkerhed", "sikkerheden"),
        ("managers", "management", "managing"),
        ("activity", "activities"),
        ("outsourced", "outsourcing"),
    ],
)
def test_bilingual_analyzer_gives_word_forms_one_term(forms: tuple[str, ...]) -> None:
    analyzer = bilingual_analyzer()
    terms = {tuple(t.text for t in analyzer(form, mode="query")) for form in forms}
    assert len(terms) == 1
    assert len(next(iter(terms))) == 1


def test_bilingual_analyzer_folds_and_drops_both_stoplists() -> None:
    analyzer = bilingual_analyzer()
    indexed = [t.text for t in analyzer("Østergaard og the Kjærgaard", mode="index")]
    assert indexed == ["ostergaard", "oestergaard", "kjaergaard"]
    assert [t.text for t in analyzer("man", mode="query")] == ["man"]  # English word kept


def test_weighted_text_weighs_parts_and_keeps_them_apart() -> None:
    field = build_schema()["body"]
    value = WeightedText.PART_SEPARATOR.join(["cloud", "cloud data", "cloud platforms"])
    postings = {
        term.decode(): (freq, weight, field.format.decode_positions(raw))
        for term, freq, weight, raw in field.index(value)
    }
    assert postings["cloud"][:2] == (3, pytest.approx(HEAD_WEIGHT + 1.0 + BIO_WEIGHT))
    assert postings["data"][:2] == (1, pytest.approx(1.0))
    assert postings["platform"][:2] == (1, pytest.approx(BIO_WEIGHT))
    assert postings["platform"][2][0] - postings["data"][2][0] > 50


def test_empty_folder_has_no_index(tmp_path: Path) -> None:
    assert writer.current_generation(tmp_path) is None
    assert writer.indexed_ids(tmp_path) == set()
    assert writer.document_count(tmp_path) == 0
    assert search(tmp_path, SearchRequest(q="anything")).total == 0
    assert writer.delete(tmp_path, [1]) == 0


def test_ensure_index_creates_once(tmp_path: Path) -> None:
    writer.ensure_index(tmp_path)
    first = writer.current_generation(tmp_path)
    writer.ensure_index(tmp_path)
    assert first is not None and writer.current_generation(tmp_path) == first
    assert writer.document_count(tmp_path) == 0


def test_update_adds_and_replaces_by_id(tmp_path: Path) -> None:
    assert writer.update(tmp_path, DOCS) == 3
    assert writer.indexed_ids(tmp_path) == {1, 2, 3}
    writer.update(tmp_path, [talk(2, "Robots in hospitals", abstract="Automation.")])
    assert writer.document_count(tmp_path) == 3
    assert [h.id for h in search(tmp_path, SearchRequest(q="robots")).hits] == [2]
    assert search(tmp_path, SearchRequest(q="electronic")).total == 0


def test_delete_by_id_counts_only_present(tmp_path: Path) -> None:
    writer.update(tmp_path, DOCS)
    assert writer.delete(tmp_path, [3, 999]) == 1
    assert writer.indexed_ids(tmp_path) == {1, 2}
    assert search(tmp_path, SearchRequest(q="shipping")).total == 0


def test_rebuild_replaces_everything_and_keeps_one_old_generation(tmp_path: Path) -> None:
    writer.update(tmp_path, DOCS)
    for round_ in range(3):
        count = writer.rebuild(tmp_path, [talk(10 + round_, f"Round {round_}")])
        assert count == 1
        assert writer.indexed_ids(tmp_path) == {10 + round_}
    generations = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert len(generations) <= 2
    assert writer.current_generation(tmp_path) in generations


def test_failed_rebuild_keeps_the_live_index(tmp_path: Path) -> None:
    writer.update(tmp_path, DOCS)

    def broken() -> Iterator[dict[str, Any]]:
        yield talk(50, "Fine")
        raise RuntimeError("database went away")

    with pytest.raises(RuntimeError):
        writer.rebuild(tmp_path, broken())
    assert writer.indexed_ids(tmp_path) == {1, 2, 3}
    assert len([p for p in tmp_path.iterdir() if p.is_dir()]) == 1


def test_second_writer_gets_a_clear_lock_error(tmp_path: Path) -> None:
    writer.ensure_index(tmp_path)
    holding, release = threading.Event(), threading.Event()

    def slow_docs() -> Iterator[dict[str, Any]]:
        yield talk(1, "First")
        holding.set()
        release.wait(10)

    thread = threading.Thread(target=writer.update, args=(tmp_path, slow_docs()))
    thread.start()
    try:
        assert holding.wait(10)
        with pytest.raises(writer.IndexLockedError, match="locked by another writer"):
            writer.update(tmp_path, [talk(2, "Second")], timeout=0.2)
        with pytest.raises(writer.IndexLockedError):
            writer.rebuild(tmp_path, [], timeout=0.2)
    finally:
        release.set()
        thread.join(10)
    assert writer.indexed_ids(tmp_path) == {1}


def test_rebuild_while_another_thread_searches(tmp_path: Path) -> None:
    old = [talk(i, f"Health care talk {i}", abstract="health care") for i in range(1, 4)]
    new = [talk(i, f"Health care talk {i}", abstract="health care") for i in range(1, 7)]
    writer.rebuild(tmp_path, old)
    totals: list[int] = []
    errors: list[BaseException] = []
    stop = threading.Event()

    def reader() -> None:
        try:
            while not stop.is_set():
                totals.append(search(tmp_path, SearchRequest(q="health care")).total)
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)
        finally:
            close_searchers()

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for docs in (new, old, new, old, new):
            writer.rebuild(tmp_path, docs)
    finally:
        stop.set()
        thread.join(30)
    assert not errors
    assert totals and set(totals) <= {3, 6}
    assert search(tmp_path, SearchRequest(q="health care")).total == 6


def test_index_from_before_body_keeps_working_until_a_reindex(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    old = build_schema()
    old.remove("body")
    old.add("head", TEXT(analyzer=english_analyzer()))
    old.add("text_da", TEXT(analyzer=english_analyzer()))
    gen = writer._new_generation(tmp_path)
    whoosh_index.create_in(str(gen), old)
    writer._point_to(tmp_path, gen)
    assert free_text_boosts(old) == LEGACY_FIELD_BOOSTS
    assert free_text_boosts(build_schema()) == FIELD_BOOSTS
    with caplog.at_level("WARNING", logger="index.writer"):
        assert writer.update(tmp_path, DOCS) == 3
    assert "run a reindex" in caplog.text
    assert [h.id for h in search(tmp_path, SearchRequest(q="containers")).hits] == [3]
    close_searchers()
    writer.rebuild(tmp_path, DOCS)
    assert "body" in whoosh_index.open_dir(str(writer.current_generation(tmp_path))).schema
    assert [h.id for h in search(tmp_path, SearchRequest(q="containers")).hits] == [3]

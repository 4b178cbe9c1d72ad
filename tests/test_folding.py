"""One accent folding for extraction, speaker identity, slugs and the index (folding/)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from indexdocs import talk

from archive.views.talks import slugify
from folding import fold, fold_digraph, name_key
from index import writer
from index.search import SearchRequest, close_searchers, search
from scraper.extract.speakers import normalise_name
from scraper.extract.terms import Matcher, words


@pytest.mark.parametrize(
    ("text", "single", "digraph"),
    [
        ("Sørensen", "Sorensen", "Soerensen"),
        ("Kjærgaard", "Kjaergaard", "Kjaergaard"),
        ("Århus", "Arhus", "Aarhus"),
        ("Müller", "Muller", "Mueller"),
        ("Straße", "Strasse", "Strasse"),
        ("Łódź", "Lodz", "Lodz"),
        ("Ærø", "Aero", "Aeroe"),
        ("Ertuğrul Başar", "Ertugrul Basar", "Ertugrul Basar"),
        ("café", "cafe", "cafe"),
        ("plain", "plain", "plain"),
    ],
)
def test_fold_forms(text: str, single: str, digraph: str) -> None:
    assert fold(text) == single
    assert fold_digraph(text) == digraph


@pytest.mark.parametrize(
    "spellings",
    [
        ("Sørensen", "Soerensen", "Sorensen", "SØRENSEN"),
        ("Kjærgaard", "Kjaergaard", "Kjargard"),
        ("Müller", "Mueller", "Muller"),
        ("Åberg", "Aaberg", "Aberg"),
    ],
)
def test_every_spelling_is_one_key(spellings: tuple[str, ...]) -> None:
    assert len({name_key(s) for s in spellings}) == 1
    assert len({normalise_name(f"Mette {s}") for s in spellings}) == 1


def test_different_names_stay_apart() -> None:
    assert name_key("Sørensen") != name_key("Svensen")
    assert normalise_name("Anna Berg") != normalise_name("Anne Berg")


def test_vocabulary_terms_match_every_spelling() -> None:
    matcher = Matcher({"sundhedsvæsen*": (("Health care IT", 2),)}, "test")
    for text in ("Sundhedsvæsenet", "sundhedsvaesenet", "SUNDHEDSVÆSENETS"):
        assert matcher.scan(words(text)), text


def test_slugs_use_the_two_letter_spelling() -> None:
    assert slugify("Sørensen på Ærø") == "soerensen-paa-aeroe"


@pytest.fixture
def index_dir(tmp_path: Path) -> Iterator[Path]:
    yield tmp_path
    close_searchers()


@pytest.mark.parametrize("query", ["Sørensen", "Soerensen", "Sorensen", "sorensen"])
def test_the_index_finds_every_spelling(index_dir: Path, query: str) -> None:
    doc = talk(
        1,
        "Data platforms in the regions",
        speakers=["Mette Sørensen"],
        organisations=["Region Zealand"],
    )
    writer.update(index_dir, [doc])
    assert [hit.id for hit in search(index_dir, SearchRequest(q=query)).hits] == [1]

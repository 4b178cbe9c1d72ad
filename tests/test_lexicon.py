"""The per-language word tables (scraper/data/languages/*.json): complete, checked, and read."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scraper.extract import lexicon
from scraper.extract.talklang import language_of

REQUIRED = ("en", "da", "sv", "no", "fi", "de", "nl", "fr", "es", "it", "pt", "pl")


def test_every_required_language_is_claimed() -> None:
    assert set(REQUIRED) <= set(lexicon.claimed())


@pytest.mark.parametrize("code", lexicon.claimed())
def test_every_claimed_table_is_complete(code: str) -> None:
    lang = next(x for x in lexicon.languages() if x.code == code)
    for key in lexicon.LIST_KEYS:
        assert lang.lists[key], f"{code}: {key} is empty"
    for key in lexicon.LABEL_KEYS:
        assert lang.labels[key], f"{code}: labels.{key} is empty"
    for key in lexicon.HEADING_KEYS:
        assert lang.headings[key], f"{code}: headings.{key} is empty"
    # every table names the required languages in its own words
    assert set(REQUIRED) <= set(lang.language_names.values()), code
    assert lang.language_statements
    assert lang.legal_forms, f"{code}: legal_forms is empty"
    for key in lexicon.OPTIONAL_LIST_KEYS:  # present; empty only where the table says why
        assert key in lang.lists, f"{code}: {key} is missing"


@pytest.mark.parametrize(
    ("code", "key", "word"),
    [
        ("no", "talk_kinds", "foredrag"),
        ("da", "talk_kinds", "forelæsning"),
        ("sv", "talk_kinds", "föreläsning"),
        ("fi", "talk_kinds", "luento"),
        ("de", "talk_kinds", "vortrag"),
        ("nl", "talk_kinds", "lezing"),
        ("fr", "talk_kinds", "séminaire"),
        ("es", "talk_kinds", "conferencia"),
        ("it", "talk_kinds", "seminario"),
        ("pt", "talk_kinds", "palestra"),
        ("pl", "talk_kinds", "wykład"),
        ("en", "non_talk", "coffee break"),
        ("de", "non_talk", "mittagspause"),
        ("en", "gatherings", "annual meeting"),
        ("de", "org_units", "lehrstuhl für"),
        ("fr", "speaks_on", "sur"),
        ("pl", "speaks_on", "na temat"),
        ("fi", "end_words", "päättyy"),
        ("fr", "and", "et"),
        ("it", "by", "a cura di"),
        ("pt", "with", "com"),
        ("nl", "with", "met"),
        ("pl", "and", "oraz"),
        ("de", "role_links", "an"),
        ("fr", "role_links", "auprès de"),
        ("pt", "role_links", "na"),
        ("it", "role_links", "dell'"),
        ("sv", "employer_links", "på"),
        ("it", "employer_only_links", "presso"),
        ("es", "articles", "los"),
        ("de", "name_links", "zu"),
        ("nl", "surname_particles", "van"),
        ("fi", "lower_org_nouns", "yliopisto"),
        ("sv", "clause_openers", "som"),
        ("de", "in_conversation", "im gespräch mit"),
        ("fr", "former_words", "ancien"),
        ("no", "until_words", "til"),
        ("fi", "clock_words", "klo"),
        ("pt", "org_adjectives", "hospitalar"),
    ],
)
def test_the_tables_hold_the_words_of_their_language(code: str, key: str, word: str) -> None:
    lang = next(x for x in lexicon.languages() if x.code == code)
    assert word in lang.lists[key]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("The talk will be given in English.", "en"),
        ("Foredraget holdes på dansk.", "da"),
        ("Der Vortrag findet auf Englisch statt.", "en"),
        ("Seminariet hålls på svenska.", "sv"),
        ("La conférence se déroule en français.", "fr"),
        ("Wykład odbędzie się w języku polskim.", "pl"),
        ("A palestra será ministrada em português.", "pt"),
    ],
)
def test_statements_of_a_talks_language(text: str, code: str) -> None:
    from scraper.extract.page import parse

    page = parse(f"<html><body><main><p>{text}</p></main></body></html>")
    assert language_of(page.blocks, []) == code


def test_words_of_a_list_match_whole_words_and_compound_tails() -> None:
    talk = lexicon.word_regex("talk_kinds")
    assert talk.search("Gæsteforelæsning: Data i skyen")
    assert talk.search("Gastvortrag am Montag")
    assert not talk.search("Ein Vortragsraum")  # a compound head is no talk


def _table(**changes: Any) -> dict[str, Any]:
    data = json.loads((lexicon.LANGUAGE_DIR / "en.json").read_text(encoding="utf-8"))
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "English"}, "'code'"),
        ({"talk_kinds": []}, "talk_kinds"),
        ({"non_talk": "lunch"}, "non_talk"),
        ({"labels": {}}, "labels.date"),
        ({"language_statements": ["in english"]}, "lacks {language}"),
        ({"language_names": []}, "language_names"),
        ({"and": []}, "and"),
        ({"with": []}, "with is empty without a with_note"),
        ({"with": "with"}, "with"),
    ],
)
def test_a_bad_table_is_refused_with_a_reason(
    tmp_path: Path, changes: dict[str, Any], message: str
) -> None:
    (tmp_path / "xx.json").write_text(json.dumps(_table(**changes)), encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=message):
        lexicon.read_languages(tmp_path)


def test_broken_json_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "xx.json").write_text("{", encoding="utf-8")
    with pytest.raises(lexicon.LexiconError, match=r"xx\.json"):
        lexicon.read_languages(tmp_path)

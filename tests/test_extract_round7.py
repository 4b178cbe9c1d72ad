"""Generality gate, round seven: seminar pages in new languages and kinds, written before tuning.

The pages in tests/fixtures/extraction_round7 (people, organisations and venues fictional)
imitate university and department pages in languages the earlier rounds did not cover: an
Italian "Seminario" with "Data:/Orario: ore 15:00 – 16:30/Luogo:/Relatore:", a Portuguese
"Palestra" dated "22 de outubro de 2019" at "14h às 16h" with "Última atualização:", a Polish
"Wykład gościnny" in a <th>/<td> facts table with a "Bank Wiślany S.A." and an "Opublikowano:"
date, an Estonian "Külalisloeng" on "12. aprill 2022 kell 14.15–15.45", a Japanese-English
seminar with "日時 / Date" labels, "2019年5月28日" and a talk given in English, and a US-style
"CS Colloquium" whose abstract comes before the speaker block and whose "Host: Prof. …" does
not speak.

The non-events: a hackathon (Event JSON-LD, mentors, but nobody gives a talk) and a football
match's ticket page (SportsEvent JSON-LD).
"""

from __future__ import annotations

from typing import Any

import pytest

from scraper.extract import extract
from scraper.extract.dates import find_dates, parse_time_range
from scraper.extract.roles import role_and_organisation

CORPUS = "extraction_round7"  # read by the `answers` fixture in conftest.py


def test_the_colloquium_host_is_not_a_speaker(answers: dict[str, dict[str, Any]]) -> None:
    got = answers["colloquium-host.html"]
    assert [s["name"] for s in got["speakers"]] == ["Maria Okafor"]
    assert got["host"] == "Prof. Daniel Wren"


def test_a_publication_date_is_not_the_event_date(answers: dict[str, dict[str, Any]]) -> None:
    assert answers["pl-wyklad-goscinny.html"]["date"] == "2018-06-05"  # not "Opublikowano"
    assert answers["pt-palestra.html"]["date"] == "2019-10-22"  # not "Última atualização"


def _run(body: str, lang: str = "en") -> dict[str, Any]:
    html = f'<html lang="{lang}"><body>{body}</body></html>'
    return extract(html.encode(), "x").to_dict()


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("2019年5月28日（火）", "2019-05-28"),
        ("martedì 14 marzo 2023", "2023-03-14"),
        ("22 de outubro de 2019", "2019-10-22"),
        ("5 czerwca 2018 r.", "2018-06-05"),
        ("12. aprill 2022", "2022-04-12"),
        ("torstaina 3. lokakuuta 2019", "2019-10-03"),
    ],
)
def test_dates_in_new_languages(text: str, want: str) -> None:
    assert find_dates(text)[0][2].isoformat() == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("14h às 16h", ("14:00", "16:00")),
        ("14h30 - 16h", ("14:30", "16:00")),
        ("kell 14.15–15.45", ("14:15", "15:45")),
        ("godz. 10:15–11:45", ("10:15", "11:45")),
        ("15:00〜16:30", ("15:00", "16:30")),
        ("a 5 h walk", (None, None)),
    ],
)
def test_times_in_new_languages(text: str, want: tuple[str | None, str | None]) -> None:
    assert parse_time_range(text) == want


@pytest.mark.parametrize(
    ("phrase", "want"),
    [
        ("dyrektor IT, Bank Wiślany S.A.", ("dyrektor IT", "Bank Wiślany S.A.")),
        ("CIO, Hoshino Logistics Co., Ltd.", ("CIO", "Hoshino Logistics Co., Ltd.")),
        ("CIO, Comune di Valmora", ("CIO", "Comune di Valmora")),
        ("Diretor de TI, Hospital Santa Clara", ("Diretor de TI", "Hospital Santa Clara")),
        ("infojuht, Põhjaranniku Registrikeskus", ("infojuht", "Põhjaranniku Registrikeskus")),
    ],
)
def test_roles_and_legal_forms(phrase: str, want: tuple[str, str]) -> None:
    assert role_and_organisation(phrase) == want


def test_an_italian_preposition_is_not_ai() -> None:
    got = _run(
        "<h1>Seminario: Servizi digitali ai cittadini</h1><p>Data: 3 maggio 2022, ore 10:00</p>"
        "<p>Relatore: Marco Neri, CIO, Comune di Lerici</p><p>Il comune ha portato nel cloud "
        "i servizi rivolti ai cittadini e alle imprese, dalle pratiche edilizie ai pagamenti.</p>",
        "it",
    )
    assert got["is_event"] is True
    assert "Artificial intelligence" not in got["themes"]
    assert "Cloud computing" in got["themes"]
    assert got["industries"] == ["Public administration"]


def test_a_bilingual_facts_row_is_read() -> None:
    got = _run(
        "<h1>セミナー / Seminar: Data in the factory</h1><table>"
        "<tr><td>日時 / Date</td><td>2021年11月9日 13:00～14:30</td></tr>"
        "<tr><td>場所 / Venue</td><td>Room 301, Building 5</td></tr>"
        "<tr><td>講演者 / Speaker</td><td>Yui Tanaka, CIO, Kawase Seiki Co., Ltd.</td></tr>"
        "<tr><td>言語 / Language</td><td>英語 / English</td></tr></table>"
        "<p>How a machine maker collects sensor data from its lines and what it learned.</p>",
        "ja",
    )
    assert got["is_event"] is True
    assert (got["date"], got["start_time"], got["end_time"]) == ("2021-11-09", "13:00", "14:30")
    assert (got["location"], got["language"]) == ("Room 301, Building 5", "en")
    [speaker] = got["speakers"]
    assert (speaker["name"], speaker["organisation"]) == ("Yui Tanaka", "Kawase Seiki Co., Ltd.")

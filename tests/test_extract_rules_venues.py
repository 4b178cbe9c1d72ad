"""Tables for the general rules that find a talk's venue in running text and on short lines:
each row a fact of a language or of the web, in invented words, not a phrase of one page."""

from __future__ import annotations

import pytest

from scraper.extract import extract, lexicon
from scraper.extract.datelines import is_place, venue_after_dateline
from scraper.extract.page import parse
from scraper.extract.venues import venue_in_prose


def _blocks(html: str) -> list:  # type: ignore[type-arg]
    return parse(f"<html><body><main>{html}</main></body></html>").blocks


@pytest.mark.parametrize(
    ("html", "want"),
    [
        ("<p>The lecture will take place in the Mercer Hall, Building 4, and is open to all.</p>",
         "Mercer Hall, Building 4"),
        ("<p>Foredraget finder sted i Auditorium 2, Søndre Campus.</p>",
         "Auditorium 2, Søndre Campus"),
        ("<p>Seminariet äger rum i Hörsal B, Kungshuset.</p>", "Hörsal B, Kungshuset"),
        ("<p>Møtet holdes i Sal 3, Realfagbygget.</p>", "Sal 3, Realfagbygget"),
        ("<p>Der Vortrag findet im Hörsaal 2.104 statt.</p>", "Hörsaal 2.104"),
        ("<p>De lezing vindt plaats in Zaal 1.12 van het Atrium.</p>", "Zaal 1.12"),
        ("<p>La conférence aura lieu dans l'amphithéâtre Pasteur, bâtiment C.</p>",
         "amphithéâtre Pasteur, bâtiment C"),
        ("<p>La charla tendrá lugar en el Aula Magna, Edificio Norte, y será gratuita.</p>",
         "Aula Magna, Edificio Norte"),
        ("<p>Il seminario si terrà presso l'Aula 5, Edificio Sud.</p>", "Aula 5, Edificio Sud"),
        ("<p>A palestra terá lugar no Auditório 1 do Edifício Central.</p>",
         "Auditório 1 do Edifício Central"),
        ("<p>Wykład odbędzie się w Sali 101, Budynek A.</p>", "Sali 101, Budynek A"),
        # a town alone or a month is no venue
        ("<p>The conference will take place in Lisbon next year.</p>", None),
        ("<p>The next meeting is held in March.</p>", None),
    ],
)  # fmt: skip
def test_a_venue_after_a_takes_place_phrase(html: str, want: str | None) -> None:
    assert venue_in_prose(_blocks(html)) == want


@pytest.mark.parametrize("code", lexicon.claimed())
def test_every_table_says_where_a_talk_takes_place(code: str) -> None:
    lang = next(x for x in lexicon.languages() if x.code == code)
    assert lang.lists["venue_phrases"]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        # the dot of a short abbreviation ends no sentence: street, saint, number
        ("Hub Nord, ul. Długa 3, Gdańsk", True),
        ("St. Olave's Hall", True),
        ("Salle 4, bd. Voltaire 12", True),
        # a full stop after a word, or a day's dot, still does
        ("Doors open at seven. Bring a friend", False),
        ("Tirsdag 7. november", False),
    ],
)
def test_abbreviations_in_a_place(text: str, place: bool) -> None:
    assert is_place(text) is place


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # the room and building words of every language table make a line under the date a venue
        ("📍 Amphithéâtre Lumière, bâtiment D", "📍 Amphithéâtre Lumière, bâtiment D"),
        ("📍 Salón de Actos, Facultad de Letras", "📍 Salón de Actos, Facultad de Letras"),
        ("📍 Aula Magna, Rettorato", "📍 Aula Magna, Rettorato"),
        ("📍 Sala Kolumnowa", "📍 Sala Kolumnowa"),
    ],
)
def test_a_venue_word_of_any_language_under_the_date(line: str, want: str) -> None:
    html = f"<div><p>📅 mardi 2 mars 2027, 12h15 – 13h45</p><p>{line}</p></div>"
    assert venue_after_dateline(_blocks(html), "2027-03-02") == want


def test_a_prose_venue_reaches_the_answer() -> None:
    html = (
        "<html><body><main><h1>Conferencia: redes eléctricas seguras</h1>"
        "<p>La Facultad organiza el martes, 20 de abril de 2027, de 12:00 a 13:30 h, una "
        "conferencia. El acto tendrá lugar en el Salón de Actos, Facultad de Ciencias, Campus "
        "Sur, y está abierto a todo el público.</p></main></body></html>"
    ).encode()
    got = extract(html, "https://example.org/eventos/12")
    assert got.location == "Salón de Actos, Facultad de Ciencias, Campus Sur"


@pytest.mark.parametrize(
    ("venue_html", "want"),
    [
        # the venue is the first line of a postal <address>: the whole address is the place
        (
            "<address>Werkhaus Ostheim<br>Bahnhofstraße 22<br>02826 Ostheim</address>",
            "Werkhaus Ostheim, Bahnhofstraße 22, 02826 Ostheim",
        ),
        # a venue without an address element stays as it is
        ("<p>Werkhaus Ostheim</p><p>Bahnhofstraße 22</p>", "Werkhaus Ostheim"),
    ],
)
def test_a_venue_heading_a_postal_address_is_the_whole_address(venue_html: str, want: str) -> None:
    html = (
        "<html><body><main><h1>Single sign-on in practice</h1>"
        "<p>Datum: 30. November 2022, 19:00 Uhr</p>"
        f"<div>Ort: <a href='/orte/werkhaus/'>{venue_html}</a></div></main></body></html>"
    )
    assert extract(html.encode(), "http://x.test/t").location == want

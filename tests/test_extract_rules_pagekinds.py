"""Tables for pages that look like a talk's and are not: a course, and a programme whose days
are written without a year."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.events import opens_as_course
from scraper.extract.kinds import kind_prefix


def _page(body: str, lang: str) -> bytes:
    return (
        f'<html lang="{lang}"><head><title>Site</title></head><body>{body}</body></html>'.encode()
    )


@pytest.mark.parametrize(
    ("description", "course"),
    [
        ("El curso está dirigido a profesionales de la estadística y la economía.", True),
        ("Der Kurs vermittelt die Grundlagen der Programmierung in R.", True),
        ("The course covers linear models over six evenings.", True),
        ("Kurset giver en indføring i databaser.", True),
        ("Il corso è rivolto a insegnanti delle scuole superiori.", True),
        # a talk that speaks of the course of things is no course
        ("In the course of the talk we look at three hospitals.", False),
        ("Nel corso dell'incontro parleremo di sanità digitale.", False),
        ("Au cours de cette conférence, nous verrons trois cas.", False),
        (None, False),
    ],
)
def test_a_description_that_opens_by_naming_a_course(description: str | None, course: bool) -> None:
    assert opens_as_course(description) is course


def test_a_course_page_with_a_date_and_place_is_no_talk() -> None:
    body = (
        "<h1>Programación estadística en R</h1><h2>Resumen</h2>"
        "<p>El curso está dirigido a profesionales en estadística, economía y biología que "
        "requieran programar sus análisis.</p><p>Fecha: 16 de julio de 2026, 17:00 – 21:00</p>"
        "<p>Localización: San José, Costa Rica</p>"
    )
    assert not extract(_page(body, "es"), "https://example.org/actividades/curso-r/").is_event


def test_a_programme_of_days_without_a_year_is_a_listing() -> None:
    talks = [
        ("Geofísica aplicada a la agricultura", "Viernes 7 de noviembre", "Ana Ruiz"),
        ("Métodos de gravedad en la exploración", "Jueves 6 de noviembre", "Luis Mora"),
        ("Redes de monitoreo sismológico", "Martes 4 de noviembre", "Eva Rincón"),
        ("Geología y realidad aumentada", "Miércoles 5 de noviembre", "Tomás Gil"),
    ]
    body = "<h1>Charlas</h1><p>El programa completo de charlas de la semana.</p>" + "".join(
        f"<p>{topic}</p><p>Con {who}</p><p>{day}</p><p>11 am - 12 am</p>"
        for topic, day, who in talks
    )
    assert not extract(_page(body, "es"), "https://example.org/charlas/").is_event


@pytest.mark.parametrize(
    ("title", "split"),
    [
        # Romance languages put the adjective after the kind of talk
        ("Ponencia magistral: Acelerar la ciencia de datos", ("Ponencia magistral",
                                                              "Acelerar la ciencia de datos")),
        ("Palestra convidada: Dados abertos na saúde", ("Palestra convidada",
                                                        "Dados abertos na saúde")),
        ("Seminar: Who owns the data?", ("Seminar", "Who owns the data?")),
    ],
)  # fmt: skip
def test_a_kind_of_talk_with_its_adjective(title: str, split: tuple[str, str]) -> None:
    assert kind_prefix(title) == split


def test_a_conference_session_page_without_a_day_is_one_talk() -> None:
    body = (
        "<h1>Ponencia magistral: Acelerar la ciencia de datos con GPU</h1>"
        "<p>Idioma:</p><p>Inglés</p><p>Duración:</p><p>40 min</p>"
        "<p>PONENTE:</p><p>Pedro Salgado</p>"
    )
    got = extract(_page(body, "es"), "https://example.org/charlas/gpu/")
    assert got.is_event
    assert got.topic == "Acelerar la ciencia de datos con GPU"
    assert [s.name for s in got.speakers] == ["Pedro Salgado"]


def test_one_lecture_of_a_series_beside_its_next_dates_is_one_talk() -> None:
    html = _page(
        "<main><h1>Abwärme aus dem Rechenzentrum: Wie ein Stadtwerk heizt</h1>"
        "<p>Mittwoch, 09.06.2027, 18:00 c.t.</p><p>Hörsaal C 2.05, Kanalstraße 14</p>"
        "<p>Im Vortrag geht es um Wärmepumpen, um planbare IT-Last und um die Kennzahlen, mit "
        "denen das Stadtwerk den Effekt seiner Abwärme auf das Fernwärmenetz nachweist.</p>"
        "<h2>Zum Referenten</h2><p>Jörg Wendtland, CIO der Stadtwerke Rheinaue GmbH</p>"
        "<p>Jörg Wendtland studierte Informatik in Dortmund und verantwortet seit 2018 die IT "
        "der Stadtwerke.</p></main><aside><h2>Weitere Termine der Ringvorlesung</h2>"
        "<p>16.06.2027, 18:00 c.t.</p><p>KI in der Netzleitstelle</p>"
        "<p>23.06.2027, 18:00 c.t.</p><p>Der Smart-Meter-Rollout aus Sicht der IT</p>"
        "<p>30.06.2027, 18:00 c.t.</p><p>Cyberangriff auf ein Wasserwerk</p></aside>",
        "de",
    )
    got = extract(html, "https://example.org/rv/abwaerme")
    assert got.is_event
    assert (got.date, got.start_time) == ("2027-06-09", "18:15")
    assert [(s.name, s.role) for s in got.speakers] == [("Jörg Wendtland", "CIO")]


@pytest.mark.parametrize(
    ("classes", "kept"),
    [
        ("elementor-element elementor-widget elementor-widget-icon-list", True),
        ("so-panel widget widget_text", False),  # a blog sidebar's widget
        ("widget-area sidebar-primary", False),
    ],
)
def test_a_page_builders_widget_is_content_a_blog_widget_is_not(classes: str, kept: bool) -> None:
    html = _page(
        "<main><h1>Conversatorio: Sostenibilidad y TI</h1>"
        f"<div class='{classes}'><ul><li>Martes 15 de junio de 2027</li>"
        "<li>7:30 a. m. – 9:00 a. m.</li></ul></div>"
        "<p>En este conversatorio conocemos la experiencia de una empresa de servicios "
        "públicos que publicó por primera vez las emisiones de su operación de TI.</p></main>",
        "es",
    )
    got = extract(html, "https://example.org/eventos/conversatorio")
    assert (got.date == "2027-06-15") is kept


_SLOTS = [
    ("14h00 - 14h10", "Welcome", "Morgan Lee"),
    ("14h10 - 14h50", "Delegation in Kotlin", "Diogo Sena"),
    ("14h55 - 15h30", "Learning Kotlin: pros and cons", "Filipa Rocha"),
    ("15h35 - 16h15", "A login screen with Compose", "Joana Brito"),
    ("16h15 - 16h55", "Modular Android projects", "Gil Moreira"),
]


@pytest.mark.parametrize(
    ("slots", "event"),
    [
        # an afternoon of five timed talks by five speakers: a programme, not one talk
        (_SLOTS, False),
        # two talks of a meetup stay one event
        (_SLOTS[1:3], True),
    ],
)
def test_a_programme_of_timed_talks_by_several_speakers_is_no_event(
    slots: list[tuple[str, str, str]], event: bool
) -> None:
    rows = "".join(f"<p>{t} – {name} (Bank Norte)</p><p>{title}</p>" for t, title, name in slots)
    body = (
        "<main><h1>Mobile apps with Kotlin</h1><p>Date: 12 May 2024</p>"
        f"<p>Location: Rua Augusta 12, São Paulo</p><h2>Schedule</h2>{rows}</main>"
    )
    assert extract(_page(body, "en"), "https://example.org/e").is_event is event


@pytest.mark.parametrize(("numbered", "event"), [(4, False), (1, True)])
def test_a_numbered_list_of_talks_without_a_date_is_a_catalogue(numbered: int, event: bool) -> None:
    items = "".join(
        f"<h2>{i}. Notes from a newsroom, part {i}</h2>"
        "<p>How does one find the stories that matter? This talk looks at the craft of "
        "local journalism and at what readers trust.</p>"
        for i in range(1, numbered + 1)
    )
    body = (
        "<main><h1>Talks on local journalism</h1><p>Speaker: Jens Holm, journalist</p>"
        f"{items}<h2>About the speaker</h2><p>Jens Holm has worked as a journalist.</p></main>"
    )
    assert extract(_page(body, "en"), "https://example.org/t").is_event is event

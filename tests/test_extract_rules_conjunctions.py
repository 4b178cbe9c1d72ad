"""Tables for the language tables' "and", "with" and bio verbs: people joined by a
conjunction, a guest named after "with" in the headline, and a bio opened by a verb of the
page's language. Each row is a fact of a language, written in the project's own words."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.bios import BIO_VERB
from scraper.extract.bylines import by_line_name


def _page(body: str, lang: str) -> bytes:
    return (
        f'<html lang="{lang}"><head><title>Site</title></head><body>{body}</body></html>'.encode()
    )


@pytest.mark.parametrize(
    ("body", "lang", "names"),
    [
        # the language's "and" between two full names parts two people
        ("<h1>Table ronde : la sobriété numérique</h1><p>Date : 12 mars 2026 à 18h00</p>"
         "<p>Intervenantes : Chloé Marchand et Inès Delorme</p>", "fr",
         ["Chloé Marchand", "Inès Delorme"]),
        ("<h1>Dane w szpitalu</h1><p>Data: 12.03.2026, godz. 18:00</p>"
         "<p>Prelegenci: Anna Nowak oraz Piotr Zieliński</p>", "pl",
         ["Anna Nowak", "Piotr Zieliński"]),
        # a short conjunction may be another language's preposition: "en" is Dutch "and"
        ("<h1>Charla: redes de agua inteligentes</h1><p>Fecha: 12/03/2026, 18:00</p>"
         "<p>Ponente: Marta Ríos, directora de Sistemas en Aguas del Norte</p>", "es",
         ["Marta Ríos"]),
        # the headline's "with" in the page's language names the guest
        ("<h1>Bate-papo com Marina Duarte</h1><p>Data: 10/04/2026, às 14h</p>"
         "<p>Recebemos Marina Duarte para uma conversa sobre jogos independentes.</p>", "pt",
         ["Marina Duarte"]),
        ("<h1>Incontro con Paolo Neri e Giulia Conti</h1><p>Data: 10/04/2026, ore 18</p>"
         "<p>Una serata sui sistemi informativi della sanità.</p>", "it",
         ["Paolo Neri", "Giulia Conti"]),
    ],
)  # fmt: skip
def test_people_joined_by_the_languages_and(body: str, lang: str, names: list[str]) -> None:
    got = extract(_page(body, lang), "https://example.org/events/7")
    assert [s.name for s in got.speakers] == names


@pytest.mark.parametrize(
    ("after_name", "is_bio"),
    [
        (" se formou em Design Gráfico em 2012 e trabalhou em dois estúdios.", True),
        (" si è laureata in ingegneria a Torino.", True),
        (" ukończyła informatykę na Politechnice.", True),
        (" johtaa kaupungin tietohallintoa.", True),
        (" a dirigé pendant dix ans les systèmes d'information.", True),
        # Finnish "on" (is) is English "on": a table's preposition is no bio verb on any page
        (" on agile contracts with government.", False),
        (" and the city's data team.", False),
    ],
)
def test_bio_verbs_of_every_language(after_name: str, is_bio: bool) -> None:
    assert bool(BIO_VERB.match(after_name)) is is_bio


def test_a_bio_by_the_given_name_and_a_verb_of_the_page_language() -> None:
    body = (
        "<h1>Bate-papo com Marina Duarte</h1><p>Data: 10/04/2026, às 14h</p>"
        "<p>No dia 10/04/2026 recebemos Marina Duarte para uma conversa sobre jogos.</p>"
        "<p>Marina se formou em Design Gráfico em 2012 e trabalhou em dois estúdios de jogos "
        "independentes antes de fundar o seu.</p>"
    )
    got = extract(_page(body, "pt"), "https://example.org/eventos/marina")
    assert [s.name for s in got.speakers] == ["Marina Duarte"]
    assert (got.speakers[0].bio or "").startswith("Marina se formou")


def test_structured_data_that_joins_two_people_in_one_name() -> None:
    ld = (
        '{"@context": "https://schema.org", "@type": "Event", "name": "Análisis de RNA-seq",'
        ' "startDate": "2021-04-22T10:00:00Z", "performer": {"@type": "Person",'
        ' "name": "Ana B Villalobos y Rodolfo L. Chávez"}}'
    )
    page = (
        '<html lang="es"><head><title>Análisis de RNA-seq</title>'
        f'<script type="application/ld+json">{ld}</script></head><body>'
        "<h1>Análisis de RNA-seq</h1><p>Práctica introductoria de expresión génica.</p>"
        "</body></html>"
    ).encode()
    got = extract(page, "https://example.org/talk/rnaseq/")
    assert [s.name for s in got.speakers] == ["Ana B Villalobos", "Rodolfo L. Chávez"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ved Stian Moe", "Stian Moe"),
        ("A cura di Simona Ferri:", "Simona Ferri"),
        ("presented by Dr. Ada Lind", "Ada Lind"),
        ("Présenté par Claire Dubois", "Claire Dubois"),
        ("door Pieter de Vries", "Pieter de Vries"),
        # a "by" before words that are no name names nobody
        ("by the city council", None),
        ("di intelligenza artificiale", None),
        ("por favor", None),
    ],
)
def test_by_lines_name_the_speaker(text: str, name: str | None) -> None:
    assert by_line_name(text) == name


def test_a_by_line_under_the_headline_is_the_speaker_not_the_topic() -> None:
    body = (
        "<h3>BLUG August 2026</h3><h1>Single sign-on for small teams</h1>"
        "<h3>ved Stian Moe</h3><p>Date</p><p>Thu Aug 27 2026 18:30</p>"
        "<p>Keycloak gjør det enkelt å sikre applikasjoner med lite kode.</p>"
        "<p>Stian Moe er en av grunnleggerne bak prosjektet.</p>"
    )
    got = extract(_page(body, "no"), "https://example.org/foredrag/sso/")
    assert got.topic == "Single sign-on for small teams"
    assert [s.name for s in got.speakers] == ["Stian Moe"]
    assert (got.speakers[0].bio or "").startswith("Stian Moe er")


@pytest.mark.parametrize(
    ("bio", "lang", "want"),
    [
        # a later sentence: "works at Org as Role", with an adverb inside the verb phrase
        ("Stian Moe er en av grunnleggerne bak prosjektet. Stian jobber for tiden hos Nordfjell "
         "Data som prosjektleder på plattformen.", "no", ("prosjektleder", "Nordfjell Data")),
        ("Anna Weber hat Informatik studiert. Sie arbeitet bei Kessler Logistik als "
         "Projektleiterin.", "de", ("Projektleiterin", "Kessler Logistik")),
        ("Marta Ríos estudió ingeniería. Trabaja en Aguas del Norte como directora de "
         "sistemas.", "es", ("directora de sistemas", "Aguas del Norte")),
    ],
)  # fmt: skip
def test_works_at_an_employer_as_a_job(bio: str, lang: str, want: tuple[str, str]) -> None:
    name = bio.split(" ")[0] + " " + bio.split(" ")[1]
    body = (
        f"<h1>Platforms for small teams</h1><p>Date: 12 March 2026, 18:00</p>"
        f"<p>Speaker: {name}</p><p>{bio}</p>"
    )
    got = extract(_page(body, lang), "https://example.org/talks/platforms/")
    assert [(s.role, s.organisation) for s in got.speakers] == [want]

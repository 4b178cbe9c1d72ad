"""Person cards (scraper/extract/cards.py): the box a site template draws for one person, as on
the talk pages of personal academic sites, whose card names the site owner who gave the talk."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.cards import linked_profiles, named_photos
from scraper.extract.page import parse

_TALK = (
    "<h1>{title}</h1><div class='row'><div class='col-md-3'>{date_label}</div>"
    "<div class='col-md-9'>{date}</div></div>"
    "<div class='row'><div class='col-md-3'>Event</div><div class='col-md-9'>{event}</div></div>"
    "<p>{abstract}</p>"
    "<div class='media author-card'><img alt='{name}' src='a.png'><div class='media-body'>"
    "<h5 class='card-title'>{name}</h5><{job_tag} class='card-subtitle'>{job}</{job_tag}>{bio}"
    "</div></div>"
)


def _page(lang: str, **fields: str) -> bytes:
    body = _TALK.format(**{"bio": "", "job_tag": "h6", **fields})
    return f'<html lang="{lang}"><head><title>T</title></head><body>{body}</body></html>'.encode()


@pytest.mark.parametrize(
    ("lang", "fields", "want"),
    [
        # the card's job line is the role; no paragraph, no bio
        ("en", {"title": "Bayesian methods for missing costs", "date_label": "Date",
                "date": "Jul 4, 2019 4:00 PM", "event": "Health Economics Meeting 2019",
                "abstract": "We compare four ways of handling partially observed costs in "
                            "trials.",
                "name": "Lena Marwick", "job": "Research Fellow in Health Economics"},
         ("Lena Marwick", "Research Fellow in Health Economics", "")),
        # a first-person paragraph under the job line is the bio, whatever its words
        ("pt", {"title": "Ensino de estatística com R", "date_label": "Data",
                "date": "mar. 11, 2025 3:30 PM", "event": "Programa de Verão 2025",
                "abstract": "Uma apresentação sobre pacotes de R para o ensino.",
                "name": "Tiago Moreira", "job": "Professor de Estatística",
                "bio": "<p class='card-text'>Minhas linhas de pesquisa são estatística "
                       "experimental e computacional.</p>"},
         ("Tiago Moreira", "Professor de Estatística", "Minhas linhas de pesquisa")),
        # "Job, Employer" on the card's line: the employer after the comma
        ("en", {"title": "Data platforms in public health", "date_label": "Date",
                "date": "Oct 2, 2024 2:00 PM", "event": "Data Science Day",
                "abstract": "How a regional health service moved its reporting to one platform.",
                "name": "Omar Haddad", "job": "Chief Data Officer, Kestrel Health Trust",
                "bio": "<p>Omar leads the data team of a health trust with nine hospitals.</p>"},
         ("Omar Haddad", "Chief Data Officer", "Omar leads the data team")),
        # a job line set as a heading like the name's is the job, not a second person
        ("es", {"title": "Monedas digitales y consumo", "date_label": "Date",
                "date": "Nov 19, 2021 6:00 PM", "event": "Jornadas de Economía",
                "abstract": "Una charla sobre el uso de monedas digitales en el comercio.",
                "name": "Marta Quiroga", "job": "Profesora de Marketing", "job_tag": "h5"},
         ("Marta Quiroga", "Profesora de Marketing", "")),
    ],
)  # fmt: skip
def test_the_person_card_of_a_talk_page(
    lang: str, fields: dict[str, str], want: tuple[str, str, str]
) -> None:
    got = extract(_page(lang, **fields), "https://example.org/talk/one/")
    assert got.is_event
    assert [(s.name, s.role, (s.bio or "")[: len(want[2])]) for s in got.speakers] == [want]


def test_a_card_gives_way_to_a_speaker_the_page_names() -> None:
    fields = {
        "title": "Guest lecture: Cloud contracts",
        "date_label": "Date",
        "date": "May 3, 2024 10:00 AM",
        "event": "Seminar series",
        "abstract": "Speaker: Ingrid Solberg, CIO of Fjordvik Municipality.",
        "name": "Lena Marwick",
        "job": "Professor of Information Systems",
    }
    got = extract(_page("en", **fields), "https://example.org/talk/two/")
    assert [s.name for s in got.speakers] == ["Ingrid Solberg"]


def test_a_heading_outside_any_card_is_no_speaker() -> None:
    body = (
        "<h1>Notes from a workshop</h1><p>Date: Jul 4, 2019 4:00 PM</p><div class='sidebar'>"
        "<h5>Lena Marwick</h5><h6>Research Fellow in Health Economics</h6></div>"
    )
    page = f'<html lang="en"><head><title>T</title></head><body>{body}</body></html>'.encode()
    got = extract(page, "https://example.org/post/three/")
    assert [s.name for s in got.speakers] == []


_MEETUP = (
    "<html><head><title>Meetup #12 | Py Group</title></head><body><main>"
    "<h1>Meetup #12</h1><p>Date: 2025-01-29</p><p>Time: 18:00</p>"
    "<h2>Talks</h2><h3>Typing tricks in Python</h3>"
    "<div class='flex'><img src='a.png' alt='{alt}'><div><p><strong>{name}</strong></p>"
    "<a href='https://example.org'>Link</a></div></div>"
    "<h2>{closing}</h2><div class='flex'><img src='b.png' alt='Ola Nordmann'>"
    "<p>Ola Nordmann</p></div></main></body></html>"
)


@pytest.mark.parametrize(
    ("alt", "closing", "want"),
    [
        # a talk's avatar with its alt text repeated as the name beside it; the sponsor's
        # contact after the closing heading is left out
        ("Ida Marie Lund", "Sponsors", ["Ida Marie Lund"]),
        ("Ida Marie Lund", "Sponsorzy", ["Ida Marie Lund"]),
        # a photo of something else: the name beside it is not a photo's
        ("Logo", "Sponsors", []),
        # people under an organisers' heading do not speak
        ("Ida Marie Lund", "Organisers", ["Ida Marie Lund"]),
    ],
)
def test_a_name_beside_a_photo_of_that_name_is_a_speaker(
    alt: str, closing: str, want: list[str]
) -> None:
    html = _MEETUP.format(alt=alt, name="Ida Marie Lund", closing=closing)
    assert [s.name for s in named_photos(parse(html).blocks)] == want


def test_a_talk_pages_speaker_avatar_names_the_speaker() -> None:
    html = _MEETUP.format(alt="Ida Marie Lund", name="Ida Marie Lund", closing="Sponsors")
    out = extract(html.encode(), "http://x.test/m")
    assert [s.name for s in out.speakers] == ["Ida Marie Lund"]


def test_a_name_far_from_the_photo_is_no_card() -> None:
    filler = "<p>" + "The group meets monthly to talk about Python and data. " * 8 + "</p>"
    html = (
        "<html><body><main><h1>Meetup</h1><div><img alt='Ida Marie Lund' src='a.png'>"
        f"{filler}<div><p>Ida Marie Lund</p></div></div></main></body></html>"
    )
    assert named_photos(parse(html).blocks) == []


@pytest.mark.parametrize(
    ("href", "want"),
    [
        ("/speakers/camille_roux", ["Camille Roux"]),
        ("https://conf.example.org/referenten/camille-roux/", ["Camille Roux"]),
        ("/intervenants/camille-roux.html", ["Camille Roux"]),
        # a profile elsewhere on the site, or the speakers' index itself
        ("/team/camille_roux", []),
        ("/speakers/", []),
    ],
)
def test_a_name_linking_to_the_speakers_folder_is_a_speaker(href: str, want: list[str]) -> None:
    html = (
        "<html><body><main><h1>GraalVM, the polyglot VM</h1><ul class='speakers'><li>"
        f"<a href='{href}'><strong>Camille Roux</strong></a></li></ul></main></body></html>"
    )
    assert [s.name for s in linked_profiles(parse(html).blocks)] == want


def test_a_linked_speakers_marked_company_is_the_organisation() -> None:
    html = (
        "<html><body><main><h1>GraalVM, the polyglot VM</h1><ul class='speakers'><li>"
        "<a class='speaker' href='/speakers/camille_roux'>"
        "<strong class='speaker-name'>Camille Roux</strong>"
        "<span class='speaker-country'>Toulouse, France</span>"
        "<div class='speaker-company'>Rivet Labs</div></a></li></ul></main></body></html>"
    )
    people = linked_profiles(parse(html).blocks)
    assert [(p.name, p.organisation) for p in people] == [("Camille Roux", "Rivet Labs")]

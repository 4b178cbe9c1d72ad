"""Tables for the general rules on a page's own facts (its last update) and on the talk's
title, place and kind: each row a fact of a language or of the web, in invented words, not a
phrase of one page."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.abstracts import abstract_of
from scraper.extract.dates import is_publication_context
from scraper.extract.events import place_of_a_gathering, report_headline
from scraper.extract.generic import last_updated_of
from scraper.extract.labels import label_key, labelled_lines
from scraper.extract.page import parse
from scraper.extract.rules import load_rules
from scraper.extract.themes import themes_for
from scraper.extract.titles import find_title, series_and_topic
from scraper.extract.venues import location_of, place_of_when_and_where, venue_after_time


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # the label and its date on one line, in the words of several languages
        (["Dernière modification : 04.11.2025"], "2025-11-04"),
        (["zuletzt verändert: 15.01.2026 09:41"], "2026-01-15"),
        (["Página atualizada em 20-02-2025"], "2025-02-20"),
        (["Pagina aggiornata il 3 marzo 2025"], "2025-03-03"),
        (["Página actualizada el 9 de mayo de 2024"], "2024-05-09"),
        (["Laatst aangepast op 2 juni 2024"], "2024-06-02"),
        # a definition list or a two-cell row: the label alone, its date on the next line
        (["Date modified / Date de modification :", "2024-05-21"], "2024-05-21"),
        (["Sidst opdateret", "12. marts 2024"], "2024-03-12"),
        (["Senast ändrad:", "7 oktober 2023"], "2023-10-07"),
        # a label followed by something that is no date says nothing
        (["Updated", "Speakers"], None),
        # a long line that mentions an update is no label standing alone
        (["We updated the programme with new sessions and speakers for the autumn", "2024"],
         None),
    ],
)  # fmt: skip
def test_the_pages_last_update(lines: list[str], want: str | None) -> None:
    assert last_updated_of(lines) == want


def _blocks(html: str) -> list:  # type: ignore[type-arg]
    return parse(f"<html><body><main>{html}</main></body></html>").blocks


@pytest.mark.parametrize(
    ("html", "day", "want"),
    [
        ("<p>Join us on Tue 4th March 2025, 6pm–7.30pm, at the Corn Exchange Suite, Mill Yard, "
         "12 Canal Row, Bristol BS1 4QX, when our guest will talk about data.</p>",
         "2025-03-04", "Corn Exchange Suite, Mill Yard, 12 Canal Row, Bristol BS1 4QX"),
        ("<p>Martedì 8 aprile 2025, ore 17.30 – 19.00, presso Villa Ronchi, Sala Verde, "
         "Via Roma 14, Torino. Segue rinfresco.</p>",
         "2025-04-08", "Villa Ronchi, Sala Verde, Via Roma 14, Torino"),
        ("<p>La conférence aura lieu le jeudi 6 mars 2025 à 18h00, dans l'amphithéâtre "
         "Lavoisier (bâtiment C). Entrée libre.</p>",
         "2025-03-06", "amphithéâtre Lavoisier (bâtiment C)"),
        ("<p>Am Mittwoch, 12. März 2025, 18:00–19:30 Uhr, im Hörsaal 3, Hauptgebäude, "
         "spricht unsere Referentin.</p>",
         "2025-03-12", "Hörsaal 3, Hauptgebäude"),
        # another day's sentence names no venue of this talk
        ("<p>On Tue 4th March 2025, 6pm–7.30pm, at the Corn Exchange Suite, Bristol.</p>",
         "2025-03-11", None),
        # a town alone after the time is no venue
        ("<p>Thursday 6 March 2025, 18:00–19:30, in Leeds.</p>", "2025-03-06", None),
    ],
)  # fmt: skip
def test_a_venue_after_the_talks_date_and_time_in_prose(
    html: str, day: str, want: str | None
) -> None:
    assert venue_after_time(_blocks(html), day) == want


@pytest.mark.parametrize(
    ("html", "want"),
    [
        # a labelled venue without the date and time segments of its line
        ("<p>Room: Hall 4 · Friday, 7 March 2025 · 10:00–10:45</p>", "Hall 4"),
        ("<p>Sted: Auditorium 2 | tirsdag 4. marts 2025 | 14:00-15:00</p>", "Auditorium 2"),
        ("<p>Location: Atrium · Building 3</p>", "Atrium · Building 3"),
        # a time in the venue's place is no venue, nor is a pointer to it
        ('<p class="event-location">18:00 – 19:30 CET (doors 17:45)</p>', None),
        ('<p class="venue">📍 See directions below</p><p class="venue">12 attending</p>', None),
        ('<p class="venue">Anfahrt</p>', None),
        ('<p class="venue">Lecture Theatre 2, Main Building</p>',
         "Lecture Theatre 2, Main Building"),
    ],
)  # fmt: skip
def test_a_venue_is_never_a_date_a_time_or_a_pointer(html: str, want: str | None) -> None:
    blocks = _blocks(html)
    assert location_of(blocks, labelled_lines(blocks)) == want


@pytest.mark.parametrize(
    "heading",
    [
        "Information", "Informacje", "Informationen", "Informazioni", "Informações",
        "Di cosa parleremo", "What we'll cover", "Worum es geht", "De quoi allons-nous parler",
        "O czym porozmawiamy", "Det taler vi om", "Mistä puhutaan",
    ],
)  # fmt: skip
def test_a_generic_section_heading_under_the_headline_is_no_topic(heading: str) -> None:
    html = (
        "<html><head><title>Data platforms in retail</title></head><body><main>"
        f"<h1>Data platforms in retail</h1><h2>{heading}</h2>"
        "<p>The talk looks at how a retailer rebuilt its data platform over two years.</p>"
        "</main></body></html>"
    )
    blocks = parse(html).blocks
    assert series_and_topic("Data platforms in retail", blocks)[1] == "Data platforms in retail"


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("Recap: a night of platform engineering", True),
        ("Rückblick auf den Gastvortrag zur Cloud-Strategie", True),
        ("Resoconto: la sanità digitale vista dai CIO", True),
        ("Compte rendu de la conférence sur l'IA", True),
        ("Terugblik – de lezing over datagedreven zorg", True),
        ("Relacja z wykładu o chmurze", True),
        ("Tilbageblik: CIO-morgenmøde om AI", True),
        # a report word inside a talk's title, or one without a separator, is no report
        ("Reporting in the cloud: lessons from a bank", False),
        ("Report on data quality in hospitals", False),
        ("Guest lecture: a recap of ten years of ERP", False),
    ],
)  # fmt: skip
def test_a_headline_opened_by_a_report_word_reports_a_past_event(title: str, want: bool) -> None:
    assert report_headline(title) is want


def test_a_report_on_a_past_talk_is_no_event() -> None:
    html = (
        "<html><head><title>Recap: cloud costs in local government</title></head><body><main>"
        "<h1>Recap: cloud costs in local government</h1>"
        "<p>On 12 March 2025 more than eighty people came to hear Jane Doe, CIO of a county "
        "council, talk about what moving to the cloud cost and saved.</p>"
        "<p>The seminar series continues in the autumn.</p></main></body></html>"
    )
    assert not extract(html.encode(), "https://example.org/news/recap").is_event


_BODY = "The platform team moved forty services to a shared runtime and measured what changed."


@pytest.mark.parametrize(
    "lead",
    [
        # a lead that only invites, in the words of several languages
        "Tietohallinto kutsuu kumppanit ja henkilöstön kuulemaan aamupäivän esitystä.",
        "Instytut Informatyki serdecznie zaprasza wszystkich studentów na wykład gościnny.",
        "La Facoltà di Ingegneria vi invita alla conferenza del nostro ospite di quest'anno.",
        "Le département vous convie à la conférence de notre invitée du mois de mars.",
        "Die Fakultät lädt herzlich zum Gastvortrag im Rahmen unserer Reihe ein.",
        "Every few months we invite a leader from industry to talk about one project.",
        # a lead that says when and where
        "Join us on Tuesday 4 March 2025, 6pm–7.30pm, at the Mill Suite, Canal Row, when our "
        "guest will talk to members about platforms.",
    ],
)
def test_a_lead_that_invites_or_says_when_is_not_the_abstract(lead: str) -> None:
    blocks = _blocks(f"<h1>Platform teams</h1><p>{lead}</p><p>{_BODY}</p>")
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    "lead",
    [
        "No dia 3/10/2019, às 14h, recebemos no auditório do instituto a engenheira de dados de "
        "uma empresa de logística, para uma conversa sobre como a equipa dela migrou o armazém "
        "de dados para a nuvem e o que aprendeu com os erros do primeiro ano.",
        "On Tuesday 4 March 2025, 6pm–7.30pm, our guest explains how her team moved a "
        "national payroll system to a new platform in eighteen months, what they measured, "
        "and which parts of the plan they would not repeat.",
    ],
)
def test_a_long_lead_that_says_when_and_what_is_the_abstract(lead: str) -> None:
    """A first paragraph of 200 characters or more tells what the talk is about as well as
    when: real report and announcement pages open so, and it starts the abstract."""
    blocks = _blocks(f"<h1>Platform teams</h1><p>{lead}</p><p>{_BODY}</p>")
    got = abstract_of(blocks, title="Platform teams", topic=None, bios=[])
    assert got is not None and got.startswith(lead[:40])


def test_an_invitation_that_is_the_only_paragraph_is_the_abstract() -> None:
    lead = "Die Fakultät lädt herzlich zum Gastvortrag über Plattformteams in der Cloud ein."
    blocks = _blocks(f"<h1>Platform teams</h1><p>{lead}</p>")
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == lead


@pytest.mark.parametrize(
    "heading",
    ["Mistä on kyse?", "What is it about?", "Worum geht es?", "Waar gaat het om?",
     "De quoi s'agit-il ?", "¿De qué se trata?", "Di cosa si tratta?", "O co chodzi?",
     "Hvad handler det om?", "Vad handlar det om?", "Hva handler det om?", "Do que se trata?"],
)  # fmt: skip
def test_a_what_is_it_about_heading_opens_the_abstract(heading: str) -> None:
    blocks = _blocks(
        "<h1>Platform teams</h1><p>Coffee is served from half past eight, and the doors close "
        "when the talk begins.</p>"
        f"<h2>{heading}</h2><p>{_BODY}</p>"
    )
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    ("body", "want"),
    [
        # a weekday and a year-less date in a sentence with its time beat the post's date
        ("<p>Join us on Thursday, 12 September at 3pm BST for a live conversation with our "
         "guest about the data platform her team rebuilt over two years.</p>",
         ("2024-09-12", "15:00")),
        ("<p>Wir laden Sie ein am Donnerstag, 19. September, um 17:00 Uhr zum Vortrag über "
         "die neue Datenplattform des Stadtwerks und was sie gekostet hat.</p>",
         ("2024-09-19", "17:00")),
        ("<p>Venez nous rejoindre le jeudi 19 septembre à 17h00 pour une conférence sur la "
         "plateforme de données que l'équipe a reconstruite en deux ans.</p>",
         ("2024-09-19", "17:00")),
    ],
)  # fmt: skip
def test_the_bodys_weekday_date_beats_the_posts_date(body: str, want: tuple[str, str]) -> None:
    html = (
        "<html><head><title>Data platforms</title></head><body><main><h1>Data platforms</h1>"
        f"<p>Published 28 August 2024</p>{body}</main></body></html>"
    )
    got = extract(html.encode(), "https://example.org/blog/data-platforms")
    assert (got.date, got.start_time) == want


@pytest.mark.parametrize(
    ("line", "want"),
    [
        ("Time: 3:00 PM – 4:30 PM", ("15:00", "16:30")),
        ("Tid: kl. 14.15–16.00", ("14:15", "16:00")),
        ("Uhrzeit: 18:00–19:30 Uhr", ("18:00", "19:30")),
    ],
)
def test_a_labelled_time_without_a_day_is_kept(line: str, want: tuple[str, str]) -> None:
    html = (
        "<html><head><title>Seminar #42</title></head><body><main><h1>Seminar #42</h1>"
        f"<p>Speaker: Dr. Jane Doe, Chief Digital Officer, Northgrid</p><p>{line}</p>"
        "<p>Venue: Seminar Hall 3, Academic Block B</p></main></body></html>"
    )
    got = extract(html.encode(), "https://example.org/seminar-42")
    assert (got.date, got.start_time, got.end_time) == (None, *want)


@pytest.mark.parametrize(
    "line",
    [
        "Ort Hochschule Nord, Gebäude K, Raum K 1.04, Lindenweg 9, 8400 Winterthur",
        "Where The Long Room, Quay House, Harbour Road, Cork 12",
        "Pavillon Laval, salle 1120, 2400, rue des Érables, Montréal",
        "Aula Magna, Edificio B, Av. Reforma 220, Puebla, Pue.",
    ],
)
def test_the_venue_line_is_not_the_abstract(line: str) -> None:
    blocks = _blocks(f"<h1>Platform teams</h1><p>{line}</p><p>{_BODY}</p>")
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    ("css", "want"),
    [
        ("evento-lugar", "Casa Lamm, Edificio C"),
        ("veranstaltungsort", "Casa Lamm, Edificio C"),
        ("tapahtumapaikka", "Casa Lamm, Edificio C"),
        ("luogo-evento", "Casa Lamm, Edificio C"),
        ("local-nav", None),  # "local" is a word of programming, not a venue
    ],
)
def test_an_element_marked_as_the_venue_in_the_sites_language(css: str, want: str | None) -> None:
    blocks = _blocks(f'<p class="{css}">Casa Lamm, Edificio C</p>')
    assert location_of(blocks, labelled_lines(blocks)) == want


@pytest.mark.parametrize(
    ("topic", "text", "theme"),
    [
        # Swiss and Austrian German say "Spital" for a hospital
        ("Spitalinformatik im Kanton", "Das Spital hat seine Systeme erneuert.", "Health care IT"),
        ("Zwei Spitäler, ein System",
         "Wie die Kantonsspitäler ihre Klinikinformationssysteme zusammenführen.",
         "Health care IT"),
        # a Finnish wellbeing services county runs health and social care
        ("Asiakastiedot yhteen",
         "Hyvinvointialueella on monta järjestelmää, ja potilaat odottavat.", "Health care IT"),
        # data governance is governance
        ("La gouvernance des données", "Le comité de gouvernance a classé les données.",
         "IT strategy & governance"),
        ("Data governance in a utility", "The governance board now owns every data set.",
         "IT strategy & governance"),
        # a Swiss canton's administration is the public sector
        ("Projets dans une administration cantonale", "Le canton gère 180 projets.",
         "Public sector digitalisation"),
        ("IT in der kantonalen Verwaltung", "Die Kantonsverwaltung stellt auf Cloud um.",
         "Public sector digitalisation"),
    ],
)  # fmt: skip
def test_theme_terms_of_a_language(topic: str, text: str, theme: str) -> None:
    assert theme in themes_for(text, load_rules().taxonomy, title=topic)


@pytest.mark.parametrize(
    ("label", "key"),
    [("Aika & Paikka", "date"), ("Zeit & Ort", "date"), ("Tid & sted", "date"),
     ("Date & lieu", "date"), ("Tid & plats", "date"), ("Fish & chips", None)],
)  # fmt: skip
def test_and_written_as_an_ampersand_in_a_label(label: str, key: str | None) -> None:
    assert label_key(label) == key


@pytest.mark.parametrize(
    ("label", "value", "want"),
    [
        ("Aika & Paikka", "15. kesäkuuta, Kinopalatsi, Helsinki", "Kinopalatsi, Helsinki"),
        ("Tid og sted", "tirsdag 3. maj, kl. 14-16, Auditorium 2", "Auditorium 2"),
        ("Zeit und Ort", "12. März 2025, 18:00 Uhr, Hörsaal 1, Hauptgebäude",
         "Hörsaal 1, Hauptgebäude"),
        ("Date et lieu", "mardi 4 mars 2025, 14h00, salle Curie", "salle Curie"),
        # a date label alone says no place; a when-and-where value without a place says none
        ("Date", "15. kesäkuuta, Kinopalatsi, Helsinki", None),
        ("Tid og sted", "tirsdag 3. maj kl. 14-16", None),
    ],
)  # fmt: skip
def test_the_place_in_a_when_and_where_label(label: str, value: str, want: str | None) -> None:
    assert place_of_when_and_where(label, value) == want


_SEMINAR = (
    "<html><head><title>Networking and the cloud</title></head><body><main>"
    "<h1>Networking and the cloud</h1><p>{when}</p>"
    "<p>Network vendors have been selling routers for decades; this seminar shows what they "
    "mean by software-defined networking in the cloud and in your own data centre.</p>"
    "</main></body></html>"
)


@pytest.mark.parametrize(
    ("when", "want"),
    [
        # one labelled day whose year the page never says: the talk's page all the same
        ("Aika & Paikka: 15. kesäkuuta, Kinopalatsi, Helsinki", True),
        ("Tid og sted: 3. maj, Auditorium 2, Søndre Campus", True),
        # a run of days under one label is a series
        ("When: Wednesdays (Sept. 20, Oct. 4, Oct. 18, & Nov. 1), Room 3600", False),
    ],
)
def test_a_labelled_day_without_its_year(when: str, want: bool) -> None:
    html = _SEMINAR.format(when=when)
    assert extract(html.encode(), "https://example.org/seminar").is_event is want


@pytest.mark.parametrize(
    ("title", "want"),
    [
        # an acronym in capitals opens a series prefix; it is not the phrase word it spells
        ("IS Leadership Talk: Interoperability Is a Leadership Problem",
         "Interoperability Is a Leadership Problem"),
        ("IT Strategy Seminar: Buying Cloud Without Regret", "Buying Cloud Without Regret"),
        # a headline that only says which session it is names no talk
        ("June evening talk", None),
        ("Lezing maart 2025", None),
        ("Forelæsning marts 2025", None),
    ],
)  # fmt: skip
def test_the_topic_of_a_series_headline(title: str, want: str | None) -> None:
    blocks = _blocks(f"<h1>{title}</h1><p>{_BODY}</p>")
    assert series_and_topic(title, blocks)[1] == want


@pytest.mark.parametrize(
    ("html", "want"),
    [
        # a room word with its number is the venue, not a label before it
        ('<p class="event-location">Room 4-231</p>', "Room 4-231"),
        ('<p class="event-location">Sala 2.14</p>', "Sala 2.14"),
        ('<p class="event-location">Location Harbour Institute, Hall C</p>',
         "Harbour Institute, Hall C"),
        # an event's mode that is the web is its place
        ("<table><tr><th>Mode</th><td>Online (Webex; link sent after registration)</td></tr>"
         "</table>", "Online (Webex; link sent after registration)"),
        ("<p>Modalidad: Zoom, enlace tras la inscripción</p>", "Zoom, enlace tras la inscripción"),
        ("<p>Tryb: online</p>", "online"),
        ("<p>Format: Panel discussion</p>", None),
    ],
)  # fmt: skip
def test_a_venue_element_or_an_online_mode(html: str, want: str | None) -> None:
    blocks = _blocks(html)
    assert location_of(blocks, labelled_lines(blocks)) == want


@pytest.mark.parametrize(
    "rows",
    [
        "<table><tr><th>Referentin:</th><td>Dr. Jana Muster, Chief Information Officer bei "
        "Nordklinik gGmbH, Hamburg</td></tr></table>",
        "<dl><dt>Speaker</dt><dd>Dr. Jane Doe, Chief Information Officer at Harbour Health "
        "Trust, Bristol</dd></dl>",
        "<table><tr><td>Intervenant :</td><td>Mme Claire Martin, directrice des systèmes "
        "d'information, Mutuelle du Nord</td></tr></table>",
    ],
)
def test_a_row_of_facts_is_not_the_abstract(rows: str) -> None:
    blocks = _blocks(f"<h1>Platform teams</h1>{rows}<p>{_BODY}</p>")
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    ("facts", "heading"),
    [
        ("<li>Tilmelding: senest fredag d. 9. april</li>", "Hvad handler mødet om?"),
        ("<li>Anmeldung: bis 9. April</li>", "Worum geht es im Vortrag?"),
        ("<li>Register: by 9 April</li>", "What is the talk about?"),
        ("<li>Anmälan: senast 9 april</li>", "Vad handlar seminariet om?"),
    ],
)
def test_a_registration_fact_above_the_description_ends_nothing(facts: str, heading: str) -> None:
    blocks = _blocks(
        f"<h1>Platform teams</h1><ul>{facts}</ul>"
        "<p>Doors open at four, and a light meal is served after the meeting.</p>"
        f"<h2>{heading}</h2><p>{_BODY}</p>"
    )
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


_LD_PAGE = (
    '<html><head><title>Laser talk</title><script type="application/ld+json">'
    '{{"@context": "https://schema.org", "@type": "Event", "name": "Laser talk", '
    '"startDate": "{start}"}}</script></head><body><main><h1>Laser talk</h1>'
    "<p>{when}</p><p>Artists and scientists talk about adaptation and space in a remote "
    "evening of short talks, followed by a discussion with the audience.</p>"
    "</main></body></html>"
)


@pytest.mark.parametrize(
    ("start", "when", "want"),
    [
        # a UTC hour the page never shows is not the talk's wall-clock time
        ("2021-04-29T18:00:00Z", "Apr 29, 2021", None),
        ("2021-04-29T18:00:00+00:00", "29. huhtikuuta 2021", None),
        # shown on the page, or written with the local offset, it is
        ("2021-04-29T18:00:00Z", "Apr 29, 2021, 18:00–19:30", "18:00"),
        ("2021-04-29T18:00:00+03:00", "Apr 29, 2021", "18:00"),
    ],
)
def test_a_structured_utc_time_the_page_never_shows(start: str, when: str, want: str) -> None:
    html = _LD_PAGE.format(start=start, when=when)
    assert extract(html.encode(), "https://example.org/laser").start_time == want


@pytest.mark.parametrize("label", ["Bio:", "Biografie", "Om foredragsholderen:", "Prelegent:"])
def test_a_short_section_label_line_ends_the_abstract(label: str) -> None:
    blocks = _blocks(
        f"<h1>Platform teams</h1><p>Abstract:</p><p>{_BODY}</p><p>{label}</p>"
        "<p>Jane Doe is a distinguished professor of computing and has led three platform "
        "teams in industry before joining the university.</p>"
    )
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    ("topic", "text", "theme"),
    [
        ("AI i vården", "Röntgenbilder och akutmottagningen fick nya verktyg.", "Health care IT"),
        ("KI in der Notaufnahme", "Radiologie und Röntgen arbeiten mit einem Modell.",
         "Health care IT"),
        ("A banca no telemóvel", "A nova aplicação móvel e os clientes que esperam respostas.",
         "Customer experience & digital channels"),
        ("La banca en el móvil", "La nueva aplicación móvil y los clientes de siempre.",
         "Customer experience & digital channels"),
    ],
)  # fmt: skip
def test_more_theme_terms_of_a_language(topic: str, text: str, theme: str) -> None:
    assert theme in themes_for(text, load_rules().taxonomy, title=topic)


@pytest.mark.parametrize(
    ("topic", "text"),
    [
        ("De digitale haven", "Realtime sensordata van kades en het delen van data."),
        ("Der digitale Hafen", "Sensordaten der Kais und der Austausch von Daten."),
        ("Le port numérique", "Les données de capteurs des quais et le partage des données."),
        ("Il porto digitale", "I dati dei sensori delle banchine e la condivisione dei dati."),
    ],
)
def test_sensor_data_is_data(topic: str, text: str) -> None:
    assert "Data & analytics" in themes_for(text, load_rules().taxonomy, title=topic)


def test_the_headline_beside_the_main_column_is_the_title() -> None:
    html = (
        "<html><head><title>Chapter meetup – May | Circle</title></head><body>"
        "<header><nav><a href='/'>Circle</a></nav></header>"
        "<div class='event'><section class='event__header'><p>Listed 2 April 2024</p>"
        "<h1>Chapter meetup – May</h1></section>"
        "<main class='event__main'><h2>Details</h2><p>One talk on replacing an old ERP system "
        "at a retailer, with plenty of time for questions and food afterwards.</p></main>"
        "</div></body></html>"
    )
    assert find_title(parse(html)) == "Chapter meetup – May"


def test_a_site_name_h1_in_the_header_stays_out() -> None:
    html = (
        "<html><head><title>Replacing an ERP</title></head><body>"
        "<header><h1>Circle</h1></header><div><main><h2>Replacing an ERP</h2><p>One talk on "
        "replacing an old ERP system at a retailer, with time for questions.</p></main></div>"
        "</body></html>"
    )
    assert "Circle" not in [b.text for b in parse(html).blocks]


def test_a_posts_own_header_beside_its_content_is_kept() -> None:
    # a blog theme's post: the post's <header> (headline and labelled facts) sits beside the
    # <article> sections of its body, inside the post; the site's header holds the navigation
    html = (
        "<html><head><title>Site</title></head><body>"
        "<header class='site-header'><nav><a href='/'>Usergroup</a></nav></header>"
        "<div class='wrapper'><div class='post'><header class='post-header'>"
        "<h1>Reactive services in practice</h1><p>Sprecher: Hanna Vogel.</p>"
        "<p>Zeit: 12.03.2024, 19:00. Ort: Rathaus, Saal 2</p></header>"
        "<h2>Beschreibung</h2><article class='post-content'><p>Ein Vortrag über reaktive "
        "Dienste, wie man sie baut und wie man sie im Betrieb beobachtet.</p></article>"
        "<h2>Sprecher</h2><article class='post-content'><p>Hanna Vogel ist Architektin bei "
        "Nordlicht Software.</p></article></div></div></body></html>"
    )
    texts = [b.text for b in parse(html).blocks]
    assert "Reactive services in practice" in texts
    assert "Sprecher: Hanna Vogel." in texts
    assert "Usergroup" not in texts


@pytest.mark.parametrize(
    "line", ["Listed 2 April 2024 by the chapter team", "Listed on 2 April 2024"]
)
def test_a_listing_date_is_the_pages_own(line: str) -> None:
    assert is_publication_context(line.split(" 2 April")[0] + " ")


@pytest.mark.parametrize(
    "fact",
    [
        "Organizer / Organisateur : School of Management / École de gestion, Northern University",
        "Lieu / Venue : Pavillon des sciences, salle 1120, campus principal de l'université",
        "Sprache / Language : Deutsch, mit Folien auf Englisch und Fragen in beiden Sprachen",
    ],
)
def test_a_bilingual_labelled_fact_is_not_the_abstract(fact: str) -> None:
    blocks = _blocks(f"<h1>Platform teams</h1><p>{fact}</p><p>{_BODY}</p>")
    assert abstract_of(blocks, title="Platform teams", topic=None, bios=[]) == _BODY


@pytest.mark.parametrize(
    ("headline", "line", "want"),
    [
        ("Distinguished Lecture in Digital Leadership 2024",
         "Moving a County Council to the Cloud Without Losing the Plot",
         "Moving a County Council to the Cloud Without Losing the Plot"),
        ("Gastvorlesung Wirtschaftsinformatik 2025", "Die Cloud im Landratsamt",
         "Die Cloud im Landratsamt"),
        ("Leçon inaugurale 2024/25", "Le numérique dans les hôpitaux publics",
         "Le numérique dans les hôpitaux publics"),
        # a sentence or a date under the headline is no title; nor is a line under a plain one
        ("Distinguished Lecture in Digital Leadership 2024",
         "Join us for the annual lecture. Doors open at five.",
         "Distinguished Lecture in Digital Leadership 2024"),
        ("Distinguished Lecture in Digital Leadership 2024", "Wednesday 6 March 2024",
         "Distinguished Lecture in Digital Leadership 2024"),
        ("Cloud in the county council", "A lecture for students and staff",
         "Cloud in the county council"),
    ],
)  # fmt: skip
def test_the_talks_title_under_a_series_editions_headline(
    headline: str, line: str, want: str
) -> None:
    blocks = _blocks(f"<h1>{headline}</h1><p>{line}</p><p>{_BODY}</p>")
    assert series_and_topic(headline, blocks)[1] == want


@pytest.mark.parametrize(
    "headline",
    ["Bate-papo com Marta Lima", "Roda de conversa com Marta Lima"],
)
def test_brazilian_informal_talk_words_name_a_talk(headline: str) -> None:
    """'Bate-papo' and 'roda de conversa' are how Brazilian groups name an informal talk."""
    html = (
        f"<html><head><title>{headline}</title></head><body><main><h1>{headline}</h1>"
        "<p>12 de março de 2019</p><p>No dia 12/03/2019, às 15h, recebemos a engenheira Marta "
        "Lima para uma conversa sobre como a equipe dela construiu o motor de física de um "
        "jogo de corrida, no auditório do instituto.</p></main></body></html>"
    )
    assert extract(html.encode(), "https://example.org/eventos/bate-papo").is_event


def test_a_spanish_localizacion_label_gives_the_place() -> None:
    html = (
        "<html><head><title>Uso de datos abiertos</title></head><body><main>"
        "<h1>Uso de datos abiertos</h1><h2>Resumen</h2><p>La charla presenta cómo una oficina "
        "de estadística publica sus series como datos abiertos y qué aprendió al hacerlo.</p>"
        "<h2>Fecha</h2><p>Mar 14, 2019</p><p>10:00 AM</p><p>— 12:00 PM</p>"
        "<h2>Localización</h2><p>Cartago, Costa Rica</p></main></body></html>"
    )
    assert (
        extract(html.encode(), "https://example.org/talk/datos").location == "Cartago, Costa Rica"
    )


@pytest.mark.parametrize(
    ("paragraph", "place", "want"),
    [
        ("Jubilæet fejres med en reception den 24. marts kl. 16.00 på Rosenvej 12.",
         "på Rosenvej 12", True),
        ("Das Jubiläum feiern wir mit einem Empfang um 16 Uhr in der Rosenstraße 12.",
         "in der Rosenstraße 12", True),
        ("Lunch is served from noon in the Atrium before the doors open.", "the Atrium", True),
        ("Her guest lecture on cloud contracts starts at 4 pm in the Atrium.", "the Atrium", False),
        ("Jubilæet fejres med en reception i kantinen.", "på Rosenvej 12", False),
        ("Jubilæet fejres med en reception den 24. marts.", None, False),
    ],
)  # fmt: skip
def test_the_place_of_a_gathering_where_nobody_talks(
    paragraph: str, place: str | None, want: bool
) -> None:
    """A news post whose only venue is a reception's or a lunch's announces no later talk."""
    assert place_of_a_gathering([paragraph], place) is want

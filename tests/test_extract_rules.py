"""Tables for the general rules of the generalisation round: each row a fact of a language or
of the web that holds on many sites, not a phrase of one page."""

from __future__ import annotations

import pytest

from scraper.extract import extract
from scraper.extract.datelines import room_in_prose
from scraper.extract.dates import year_by_weekday, years_in
from scraper.extract.events import headline_kind
from scraper.extract.kinds import is_edition, kind_prefix
from scraper.extract.labels import heading_key, label_key, labelled_lines
from scraper.extract.mentions import person_line, speakers_in_appositions
from scraper.extract.names import name_at_start, organisation_at
from scraper.extract.page import parse
from scraper.extract.persons import is_person_name
from scraper.extract.roles import role_and_organisation
from scraper.extract.times import parse_time_range
from scraper.extract.titles import is_section_label, is_tag_list, quoted_topic
from scraper.extract.venues import location_of


@pytest.mark.parametrize(
    ("phrase", "role", "organisation"),
    [
        ("Head of Data of Region X", "Head of Data", "Region X"),
        ("Head of Data of Region West, Meridian Shield Insurance",
         "Head of Data of Region West", "Meridian Shield Insurance"),
        ("CIO of Region Zealand, Denmark", "CIO", "Region Zealand"),
        ("Chief Information Officer, St. Aldric Regional Medical Center",
         "Chief Information Officer", "St. Aldric Regional Medical Center"),
        ("directrice des systèmes d'information chez Mutuelle de l'Estuaire",
         "directrice des systèmes d'information", "Mutuelle de l'Estuaire"),
        ("Professor at the Department of Physics, Aalvik University",
         "Professor at the Department of Physics", "Aalvik University"),
        ("Leiterin der Abteilung Informationstechnologie im Magistrat der Stadt Traunfeld",
         "Leiterin der Abteilung Informationstechnologie", "Magistrat der Stadt Traunfeld"),
        ("Bereichsleiter IT-Anwendungen bei der Nordhansa Versicherung AG",
         "Bereichsleiter IT-Anwendungen", "Nordhansa Versicherung AG"),
        ("diretora de Tecnologia da Lojas Serrana", "diretora de Tecnologia", "Lojas Serrana"),
        ("Distinguished Engineer, BT's R&D", "Distinguished Engineer", "BT"),
        ("Director of IT at Vestas", "Director of IT", "Vestas"),
        # a legal form written after the name belongs to it, after a comma too
        ("Chief Information Officer bei Kliniken Lahnbogen gGmbH",
         "Chief Information Officer", "Kliniken Lahnbogen gGmbH"),
        ("Diretor de Sistemas de Informação, Corticeira Vale do Sado, S.A.",
         "Diretor de Sistemas de Informação", "Corticeira Vale do Sado, S.A."),
        ("Dyrektor IT w Mleczarnia Sosnowa sp. z o.o.", "Dyrektor IT",
         "Mleczarnia Sosnowa sp. z o.o."),
        ("Head of IT, Brunn & Co. AB", "Head of IT", "Brunn & Co. AB"),
        ("CIO bei Verein Digitale Stadt e.V.", "CIO", "Verein Digitale Stadt e.V."),
        ("CIO at Nordvik, SE", "CIO", "Nordvik"),  # a country code is no legal form
        # "of" in Italian, Spanish, Portuguese, Dutch; the function headed stays in the role
        ("Chief Information Officer di Supermercati Ardesia S.p.A.",
         "Chief Information Officer", "Supermercati Ardesia S.p.A."),
        ("Directora de Tecnología de Seguros Pampa", "Directora de Tecnología", "Seguros Pampa"),
        ("directora de Sistemas de Información en Eléctrica del Tajo",
         "directora de Sistemas de Información", "Eléctrica del Tajo"),
        ("CIO van de Gemeente Utrecht", "CIO", "Gemeente Utrecht"),
        ("responsabile dei sistemi informativi della Regione Liguria",
         "responsabile dei sistemi informativi", "Regione Liguria"),
    ],
)  # fmt: skip
def test_role_and_organisation(phrase: str, role: str, organisation: str) -> None:
    assert role_and_organisation(phrase) == (role, organisation)


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Guest lecture: Data in the cloud", "talk"),
        ("Gæsteforelæsning om sundheds-it", "talk"),
        ("World Logic Day Pub Quiz", "other"),
        ("Sonic Rug Hackathon - Vienna Design Week 2017", "other"),
        ("Trondheim Developer Conference", "other"),
        ("Lunch & networking", "other-word"),
        ("Zero Trust for the Mid-Market", None),  # a topic, no kind of event
        ("Networking in software-defined WANs", None),
        # the gathering, its edition and its organiser
        ("Digitalpolitische Jahrestagung 2015 der Grünen Stiftung Nordland", "other"),
        ("Annual Meeting 2024 of the Data Society", "other"),
        ("Conference room booking for the team", "other-word"),
    ],
)
def test_headline_kind(title: str, kind: str | None) -> None:
    assert headline_kind(title) == kind


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("14:00-1500 Central European Summer time", ("14:00", "15:00")),
        ("16 Uhr c.t.", ("16:15", None)),
        ("14-16 Uhr c.t.", ("14:15", "15:45")),
        ("14-16 Uhr", ("14:00", "16:00")),
        ("Donnerstag, 12. Oktober 2023, 16 Uhr s.t.", ("16:00", None)),
        ("12:00 – 1:15 p.m.", ("12:00", "13:15")),
        ("woensdag | 20u15 – 22u | aula", ("20:15", "22:00")),  # Flemish "u" for uur
        ("Inloop vanaf 17u.", ("17:00", None)),
        ("de 9 h 30 à 10 h 45", ("09:30", "10:45")),  # French spaced "h"
        ("vers 14 h", ("14:00", None)),
        ("um 2 h Pause", (None, None)),  # a duration, not a time
        ("10:00 > 12:00", ("10:00", "12:00")),  # ">" between the ends of a range
        ("Time: 17h30 for 18h00", ("18:00", None)),  # doors time, then start
        ("6.45pm arrival for a 7.15pm start", ("19:15", None)),
        ("starts 10:00 for about 2 hours", ("10:00", None)),
        # the end stated in words after the start
        ("17h30 for 18h00 – the talk ends at 19h15", ("18:00", "19:15")),
        ("8.30am start; finishes 10am", ("08:30", "10:00")),
        ("kl. 16.00, slutter kl. 18.00", ("16:00", "18:00")),
        ("14 Uhr, Ende gegen 16 Uhr", ("14:00", "16:00")),
        ("18:00; ends 17:00", ("18:00", None)),  # an end before the start is no end
    ],
)
def test_time_forms(text: str, want: tuple[str | None, str | None]) -> None:
    assert parse_time_range(text) == want


@pytest.mark.parametrize(
    ("text", "years", "near", "want"),
    [
        ("Wednesday, March 28th from 1pm to 2pm", [2016, 2017, 2018], None, 2018),
        ("Perjantaina 12. toukokuuta", [2016, 2017, 2023], 2017, 2017),  # 2023 fits too
        ("Mittwoch, 22. November | 18:00 – 19:30 Uhr", [2023], None, 2023),
        ("Tuesday 12 November 2024", [2023, 2024], None, None),  # has its year already
        ("Friday, May 3", [2019, 2023], None, 2019),
        ("Friday, May 3", [2019, 2024], None, None),  # a Friday in both years: no guess
    ],
)
def test_year_from_the_weekday(text: str, years: list[int], near: int | None, want: int) -> None:
    assert year_by_weekday(text, years, near) == want


def test_year_ranges_count_every_year() -> None:
    assert years_in(["© 2016-2018 Data Science Seminar"]) == [2016, 2017, 2018]


@pytest.mark.parametrize(
    ("html", "want"),
    [
        ("<p>We meet in room 12-210, Hartwell Building. Coffee is served.</p>",
         "room 12-210, Hartwell Building"),
        ("<p>Der Vortrag findet im Raum B3/02.14 statt.</p>", "Raum B3/02.14"),
        ("<p>La charla será en la sala 2.3 del edificio.</p>", "sala 2.3"),
        ("<p>There is room for 40 people.</p>", None),
    ],
)  # fmt: skip
def test_rooms_in_running_text(html: str, want: str | None) -> None:
    assert room_in_prose(parse(f"<html><body><main>{html}</main></body></html>").blocks) == want


@pytest.mark.parametrize(
    ("name", "person"),
    [
        ("Social Sciences", False),
        ("Previous Colloquium", False),
        ("Historischer Markt", False),
        ("Sara Negri", True),
        ("Gaurav Aggarwal", True),  # no list knows every name: not a word, so a name
        ("K. P. Naveen", True),
        ("Étienne Vasseur", True),
    ],
)
def test_names_against_words(name: str, person: bool) -> None:
    assert is_person_name(name) is person


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ('Guest lecture "Data platforms in the regions"', "Data platforms in the regions"),
        ("Gastvortrag „Digitale Verwaltung heute“", "Digitale Verwaltung heute"),
        ("Conférence « La DSI, partenaire ou non ? »", "La DSI, partenaire ou non ?"),
        ("“Cloud First” – Was It Worth It?", None),  # a quoted phrase inside a longer title
        # a speaker's name, the word for "on (the subject of)", then the quoted title
        ("Jane Doe on ‘Keeping the Region’s Data Centres Cool’",
         "Keeping the Region’s Data Centres Cool"),  # ’ between letters is an apostrophe
        ("Kari Nordmann om «Skyen i kommunen»", "Skyen i kommunen"),
        ("Erika Muster über „Digitale Verwaltung im Land“", "Digitale Verwaltung im Land"),
        ("Jan de Vries over “Data in de zorg”", None),  # "de" is no name word: not assumed
        ("Marie Dupont sur « Le cloud à l'hôpital »", "Le cloud à l'hôpital"),
        ("Anna Kowalska o „Chmura w administracji”", "Chmura w administracji"),
        ("Notes on ‘Data rules in practice’", None),  # one word before "on": no name
        ("Jane Doe on ‘Data rules’ and more", None),  # the headline goes on after the quote
    ],
)  # fmt: skip
def test_quoted_titles(title: str, topic: str | None) -> None:
    assert quoted_topic(title) == topic


@pytest.mark.parametrize(
    ("title", "topic"),
    [
        ("Panel: Who Owns the Data?", "Who Owns the Data?"),
        ("Forschungskolloquium Wirtschaftsinformatik: Prozesse im Wandel", "Prozesse im Wandel"),
        ("Seminario | Il cloud nella pubblica amministrazione",
         "Il cloud nella pubblica amministrazione"),
        ("CIO Roundtable Oslo 2025: Sourcing after the Pilot", "Sourcing after the Pilot"),
        ("Conferencia – La nube en el sector público", "La nube en el sector público"),
        ("In conversation: Water, data and a dry summer", "Water, data and a dry summer"),
        ("Im Gespräch: Digitale Verwaltung", "Digitale Verwaltung"),
        # a part of the day named as the event ("IT morning", "Tietohallinnon iltapäivä")
        ("Tietohallinnon iltapäivä: Pilvi ja kunta", "Pilvi ja kunta"),
        ("Digital Morning: Cloud in the Council", "Cloud in the Council"),
        ("IT-Vormittag: Cloud in der Verwaltung", "Cloud in der Verwaltung"),
        # a lowercase word or a function word: the part before ":" belongs to the title
        ("Why every webinar fails: notes from the field", None),
        ("Lessons from a lecture hall: teaching with data", None),
        ("From Legacy to Lakehouse: A Retailer's Data Journey", None),
    ],
)  # fmt: skip
def test_event_kind_labels_are_no_topic(title: str, topic: str | None) -> None:
    split = kind_prefix(title)
    assert (split[1] if split else None) == topic


@pytest.mark.parametrize(
    "text",
    ["What will you learn?", "Hvad får du ud af det?", "Register now", "Watch the recording"],
)
def test_section_labels_are_no_topic(text: str) -> None:
    assert is_section_label(text)


def _page(body: str, title: str = "Site") -> bytes:
    head = f"<head><title>{title}</title></head>"
    return f'<html lang="en">{head}<body>{body}</body></html>'.encode()


def test_the_banner_is_never_the_title() -> None:
    html = _page(
        '<div class="sidebar-about"><h1><a href="/">Logic Group</a></h1></div>'
        '<div class="content"><h1>Syntax and semantics in synergy</h1><h2>Sara Negri</h2>'
        "<p>Mon, 20 Jun 2022 18:00:00 +0200</p><p>Syntax and semantics, often considered as "
        "conflicting aspects of logic, turn out to be intertwined.</p></div>",
        title="Syntax and semantics in synergy · Logic Group",
    )
    got = extract(html, "https://example.org/s/1")
    assert got.title == "Syntax and semantics in synergy"
    assert [s.name for s in got.speakers] == ["Sara Negri"]
    assert got.location is None  # "+0200" is a time zone, not a venue


def test_one_talk_without_a_date_is_an_event() -> None:
    html = _page(
        "<main><h2>Network Seminar Series</h2><h3>Moving towards 6G</h3>"
        "<h4>Dr. Asha Varma, Lakeview Research</h4><h6>Abstract</h6><p>The emerging 6G "
        "networks could change how industry and society use wireless links in many ways.</p>"
        "<h6>Bio</h6><p>Asha Varma is a Principal Scientist at Lakeview Research and has worked "
        "on networks for twenty years.</p></main>"
    )
    got = extract(html, "https://example.org/seminars/161")
    assert got.is_event and got.date is None
    assert [(s.name, s.organisation) for s in got.speakers] == [("Asha Varma", "Lakeview Research")]


def test_a_quiz_is_no_talk() -> None:
    html = _page(
        "<main><h1>Annual Pub Quiz</h1><p>Thursday 14 March 2024, 19:00</p>"
        "<p>Teams of four compete over logic puzzles and trivia at the student bar.</p></main>"
    )
    assert extract(html, "https://example.org/q").is_event is False


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("AI Act", None),
        ("NIS2 Directive", None),
        ("ISO 27001", None),
        ("Datenschutzgesetz", None),
        ("Databeskyttelsesforordningen", None),
        ("Region Zealand", "Region Zealand"),
        ("Fjordbank", "Fjordbank"),
    ],
)
def test_laws_and_standards_are_no_organisations(text: str, organisation: str | None) -> None:
    assert organisation_at(text) == organisation


@pytest.mark.parametrize(
    ("body", "want"),
    [
        # named in full in the lead, by the surname with its particles in the bio
        ("<h1>Havens onder vuur</h1><p>Datum: 5 maart 2024, 12:30-13:30</p><p>In deze "
         "lezing vertelt Noor van den Bosch, Chief Information Officer bij Rederij Waddenlijn, "
         "hoe een rederij zich voorbereidt op digitale verstoringen in de keten.</p>"
         "<h2>Over de spreker</h2><p>Van den Bosch werkte twaalf jaar bij een "
         "containerterminal voordat zij de overstap maakte.</p>",
         ("Noor van den Bosch", "Chief Information Officer", "Rederij Waddenlijn", "Van den")),
        # a caption card of name, role and organisation lines; the bio uses two of the names
        ("<h1>Securing the hangar</h1><p>Date: 4 April 2024, 2pm to 3pm</p><figure>"
         "<img src='p.jpg' alt='Portrait'><figcaption>Ms Tan Mei Ling<br>Chief Technology "
         "Officer<br>Kestrel Air Cargo</figcaption></figure><h2>About the speaker</h2>"
         "<p>Mei Ling leads technology for the cargo airline and its ground-handling arm.</p>",
         ("Tan Mei Ling", "Chief Technology Officer", "Kestrel Air Cargo", "Mei Ling leads")),
    ],
)  # fmt: skip
def test_a_shorter_mention_is_the_same_speaker(body: str, want: tuple[str, ...]) -> None:
    got = extract(_page(body), "https://example.org/events/7")
    assert len(got.speakers) == 1
    person = got.speakers[0]
    assert (person.name, person.role, person.organisation) == want[:3]
    assert (person.bio or "").startswith(want[3])


def test_a_role_in_parentheses_after_the_name() -> None:
    person = person_line(
        "Eng. Rita Sousa (Diretora de Sistemas de Informação, Vidreira do Mondego, S.A.)"
    )
    assert person is not None
    assert (person.role, person.organisation) == (
        "Diretora de Sistemas de Informação",
        "Vidreira do Mondego, S.A.",
    )


def test_a_bio_by_the_given_name_alone() -> None:
    html = _page(
        "<h1>Clinical safety in a digital hospital</h1><p>Date: 9 May 2024, 13:00-14:00</p>"
        "<h2>Speaker</h2><p>Dr Ines Halvorsen</p><p>Chief Clinical Information Officer, "
        "Westmarch Hospitals Trust</p><p>Ines is a consultant anaesthetist who has led the "
        "clinical side of two record system roll-outs across the trust.</p>"
        "<h2>Venue</h2><p>Lecture Theatre 1</p>"
    )
    got = extract(html, "https://example.org/events/9")
    assert [s.name for s in got.speakers] == ["Ines Halvorsen"]
    assert (got.speakers[0].bio or "").startswith("Ines is a consultant anaesthetist")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Zum dritten Termin begrüßen wir Sabine Roth, Bereichsleiterin IT bei der Stadtwerke "
         "Lindau GmbH. Sie spricht über die Erneuerung des ERP-Systems.",
         [("Sabine Roth", "Bereichsleiterin IT", "Stadtwerke Lindau GmbH")]),
        ("A retailer is a target every day. Mele Tasi, Chief Information Security Officer at "
         "Kowhai Retail Group, will share what the team changed after a breach.",
         [("Mele Tasi", "Chief Information Security Officer", "Kowhai Retail Group")]),
        # a host, a chair or a contact person is no speaker; nor is a bare list line
        ("The evening is moderated by Anna Holm, Professor of Informatics at Vestby University. "
         "Refreshments are served from 17:00.", []),
        ("Rosa Delgado, Director of Digital Services, City of Ridgeway", []),
    ],
)  # fmt: skip
def test_speakers_introduced_by_an_apposition(text: str, want: list[tuple[str, ...]]) -> None:
    blocks = parse(f"<html><body><main><p>{text}</p></main></body></html>").blocks
    got = speakers_in_appositions(blocks)
    assert [(s.name, s.role, s.organisation) for s in got] == want


def test_a_speaker_sentence_in_every_language_table() -> None:
    html = _page(
        "<h1>Skyen i kommunen</h1><p>Tid: 14. mars 2024 kl. 12.15–13.00</p><p>Foreleser er "
        "Ingrid Berg, IT-direktør i Fjellvik kommune. Hun vil fortelle hvordan kommunen "
        "vurderte risiko.</p>"
    )
    got = extract(html, "https://example.org/events/11")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Ingrid Berg", "IT-direktør", "Fjellvik kommune")
    ]


@pytest.mark.parametrize(
    ("text", "edition"),
    [("Seminar #42", True), ("April", True), ("May 2024", True), ("2024/25", True),
     ("No. 7", True), ("Cloud in 2024", False), ("Leadership after the merger", False)],
)  # fmt: skip
def test_an_edition_number_is_no_topic(text: str, edition: bool) -> None:
    assert is_edition(text) is edition


@pytest.mark.parametrize(
    ("text", "tags"),
    [("Health, Technology", True), ("AI; Cloud; Security", True),
     ("Cloud, data and the county council", False), ("Zero trust in practice", False)],
)  # fmt: skip
def test_calendar_tags_are_no_topic(text: str, tags: bool) -> None:
    assert is_tag_list(text) is tags


@pytest.mark.parametrize(
    "heading",
    ["Session overview", "Seminar description", "Descripción del seminario",
     "Résumé de la conférence", "Webinar details"],
)  # fmt: skip
def test_a_kind_word_and_an_abstract_word_open_the_abstract(heading: str) -> None:
    assert heading_key(heading) == "abstract"


def test_the_employers_possessive_gives_role_and_organisation() -> None:
    html = _page(
        "<h1>Water, data and a drying climate</h1><p>Date: 3 June 2024, 18:00-19:30</p>"
        "<p>Calder Water's Chief Information Officer, Ines Moreau, in a conversation with "
        "Tom Ashby (journalist) about running a utility when the climate changes.</p>"
    )
    got = extract(html, "https://example.org/events/12")
    moreau = next(s for s in got.speakers if s.name == "Ines Moreau")
    assert (moreau.role, moreau.organisation) == ("Chief Information Officer", "Calder Water")


def test_a_speakers_job_title_is_no_theme() -> None:
    html = _page(
        "<h1>Forty stores, one warehouse</h1><p>Date: 8 May 2024, 18:00-19:00</p><p>Ruth Aske, "
        "Chief Information Officer at Pennine Outdoor Stores, tells how the chain moved its "
        "stock system to the cloud in one winter.</p>"
    )
    got = extract(html, "https://example.org/events/13")
    assert "IT leadership & organisation" not in got.themes
    assert "Cloud computing" in got.themes


@pytest.mark.parametrize(
    ("text", "is_date"),
    [("TUE, JUN 10", True), ("12.03.2025", True), ("Tirsdag 4. marts", True),
     ("78-420", False), ("Hall 2", False), ("Room 12-210", False)],
)  # fmt: skip
def test_a_date_badge_is_no_venue(text: str, is_date: bool) -> None:
    blocks = parse(f"<html><body><main><p>Location: {text}</p></main></body></html>").blocks
    got = location_of(blocks, labelled_lines(blocks))
    assert (got is None) is is_date


@pytest.mark.parametrize(
    ("bio", "name"),
    [
        ("Marit Olsen oversees technology, data and security for the port authority and its "
         "two terminals.", "Marit Olsen"),
        ("Ingénieure civile de formation, Marit Olsen a passé quinze ans dans le secteur "
         "bancaire avant de rejoindre la fonction publique.", "Marit Olsen"),
        ("Dr. Olsen has more than twenty years of experience in power systems and teaches at "
         "two institutes.", "Dr. Marit Olsen"),
    ],
)  # fmt: skip
def test_bio_openings(bio: str, name: str) -> None:
    html = _page(
        "<h1>Data at the port</h1><p>Date: 2 May 2024, 10:00-11:00</p>"
        f"<h2>Speaker</h2><p>{name}</p><p>Chief Digital Officer, Nordhavn Port</p>"
        f"<h2>Biography</h2><p>{bio}</p>"
    )
    got = extract(html, "https://example.org/events/14")
    assert [s.name for s in got.speakers] == ["Marit Olsen"]
    assert (got.speakers[0].bio or "").startswith(bio[:30])


@pytest.mark.parametrize(
    ("title", "want"),
    [
        ("Vierailuluento: Antti Kallio (Järvivoima Oy)", ("Antti Kallio", None, "Järvivoima Oy")),
        ("Guest lecture: Dr. Ruth Ames, CIO of Harbourline Rail",
         ("Ruth Ames", "CIO", "Harbourline Rail")),
    ],
)  # fmt: skip
def test_a_headline_of_a_kind_and_a_person(title: str, want: tuple[str | None, ...]) -> None:
    html = _page(f"<h1>{title}</h1><p>Date: 6 May 2024, 14:00-15:00</p><p>A talk on data.</p>")
    got = extract(html, "https://example.org/events/15")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [want]


@pytest.mark.parametrize("line", ["dr inż. Ewa Nowak – dyrektor IT, Bank Polny",
                                  "Dr. Ewa Nowak – dyrektor IT, Bank Polny"])  # fmt: skip
def test_titles_in_lower_case_before_a_name(line: str) -> None:
    person = person_line(line)
    assert person is not None and person.name == "Ewa Nowak"
    assert (person.role, person.organisation) == ("dyrektor IT", "Bank Polny")


@pytest.mark.parametrize(
    ("body", "topic"),
    [
        # a date a blog appends to the headline is the event's, not part of the title
        ("<h1>Vad är ett bra sjukhus? 28 november 2019</h1><p>Tid: 17:00</p>",
         "Vad är ett bra sjukhus?"),
        ("<h1>Debate on open data – 4 May 2023</h1><p>Time: 17:00</p>", "Debate on open data"),
        # a headline that is only a date and a word keeps it
        ("<h1>Seminar 4 May 2023</h1><p>Time: 17:00</p>", None),
        # a quoted title on its own line after the introduction's colon
        ("<h1>Medicine and art 2 May 2019</h1><p>The medical society invites you to:</p>"
         "<p>“Medicine and art, with a focus on the human body.”</p><p>Time: 18:00</p>",
         "Medicine and art, with a focus on the human body."),
    ],
)  # fmt: skip
def test_headline_dates_and_introduced_quotes(body: str, topic: str | None) -> None:
    got = extract(f"<html><body>{body}</body></html>".encode(), "https://example.org/talk")
    if topic is None:
        assert got.topic != "Seminar"
    else:
        assert got.topic == topic


@pytest.mark.parametrize(
    ("label", "key"),
    [
        # labels joined by a comma, "&" or a language's "and": the day's label leads
        ("Time, Date, Location", "date"),
        ("Date & time", "date"),
        ("Time, Speaker", "time"),
        # a part that is no label makes no label
        ("Time, Coffee", None),
    ],
)
def test_compound_labels(label: str, key: str | None) -> None:
    assert label_key(label) == key


def test_the_place_after_day_year_and_time_of_a_compound_label() -> None:
    html = (
        "<html><body><h1>Filtering rare events</h1><p><strong>Time, Date, Location:</strong> "
        "11:00, Friday 11 November, 2022, Hanson Building Seminar Room</p></body></html>"
    )
    got = extract(html.encode(), "https://example.org/seminars/9")
    assert (got.date, got.start_time, got.location) == (
        "2022-11-11",
        "11:00",
        "Hanson Building Seminar Room",
    )


def _session_page(slots: str) -> bytes:
    return (
        "<html lang='fr'><body><div class='post'><h1>Séminaire virtuel: vendredi 15 mars 2024"
        "</h1><p><a href='/zoom'>Lien Zoom</a></p>" + slots + "<p>Nous présentons un cadre de "
        "modélisation multi-échelle pour des populations de cellules.</p></div></body></html>"
    ).encode()


def test_a_session_headline_of_a_day_and_its_one_timed_slot() -> None:
    got = extract(
        _session_page("<h3>13h00 - 13h50 – Lucie Marchand (Institut Lumière)</h3>"),
        "https://example.org/seminaires/2024-03",
    )
    assert got.topic is None  # the headline names the session's day, not a talk
    assert (got.date, got.start_time, got.end_time) == ("2024-03-15", "13:00", "13:50")
    assert [(s.name, s.organisation) for s in got.speakers] == [
        ("Lucie Marchand", "Institut Lumière")
    ]


def test_two_timed_slots_give_no_one_time() -> None:
    got = extract(
        _session_page(
            "<h3>13h00 - 13h50 – Lucie Marchand (Institut Lumière)</h3>"
            "<h3>14h00 - 14h50 – Paul Girard (Université de Nantes)</h3>"
        ),
        "https://example.org/seminaires/2024-04",
    )
    assert got.start_time is None


@pytest.mark.parametrize(
    ("headline", "guests", "topic"),
    [
        # "with" before words that open with no given name is part of the title
        ("Reasoning with Brain-Like Specialization", [],
         "Reasoning with Brain-Like Specialization"),
        ("Learning with Sparse Sensor Networks", [], "Learning with Sparse Sensor Networks"),
        # a given name after "with" is the guest
        ("An evening with Hanne Lund", ["Hanne Lund"], None),
    ],
)  # fmt: skip
def test_with_in_a_headline(headline: str, guests: list[str], topic: str | None) -> None:
    body = f"<h1>{headline}</h1><p>Date: 23 October 2025, 15:00</p>"
    got = extract(f"<html><body>{body}</body></html>".encode(), "https://example.org/talks/3")
    assert [s.name for s in got.speakers] == guests
    if topic:
        assert got.topic == topic


@pytest.mark.parametrize(
    "name", ["Badr AlKhamissi", "Yann LeCun", "Aoife McDonald", "Piet DeVries"]
)
def test_a_surname_with_an_inner_capital(name: str) -> None:
    assert name_at_start(f"{name} is a PhD candidate at the institute.") == name


def test_an_end_stated_on_its_own_line_after_the_start() -> None:
    html = _page(
        "<main><h1>Gastvortrag: Abwärme aus dem Rechenzentrum</h1>"
        "<p>Mittwoch, 09.06.2027, 18:00 c.t.</p>"
        "<p>Ende gegen 19:45 Uhr · Hörsaal C 2.05 · Eintritt frei</p>"
        "<p>Die Stadtwerke heizen mit der Abwärme ihrer Server rund tausend Wohnungen.</p></main>",
        title="Gastvortrag: Abwärme aus dem Rechenzentrum",
    )
    got = extract(html, "https://example.org/rv/3")
    assert (got.date, got.start_time, got.end_time) == ("2027-06-09", "18:15", "19:45")


def test_the_venue_among_a_lines_facts_set_apart_by_dots() -> None:
    html = _page(
        "<main><h1>Abwärme aus dem Rechenzentrum</h1><p>Mittwoch, 09.06.2027, 18:00 c.t.</p>"
        "<p>Ende gegen 19:45 Uhr · Hörsaal C 2.05 (Gebäude C), Kanalstraße 14, 46236 Bottrop · "
        "Eintritt frei</p><p>Im Vortrag geht es um Wärmepumpen und um die Abwärme der Server, "
        "die rund tausend Wohnungen heizt.</p></main>",
        title="Abwärme aus dem Rechenzentrum",
    )
    got = extract(html, "https://example.org/rv/1")
    assert got.location == "Hörsaal C 2.05 (Gebäude C), Kanalstraße 14, 46236 Bottrop"
    assert got.end_time == "19:45"


@pytest.mark.parametrize(
    ("lines", "want"),
    [
        # a "Who? When? Where?" facts box: the "who" line names the speaker
        (
            ["Quem: Rita Prado (Nuvem Alta)", "Quando: 3 de Março de 2016 às 15:00h"],
            "Nuvem Alta",
        ),
        (
            ["Wer: Dr. Jana Vogt, Leiterin IT, Stadtwerke Ostheim", "Wann: 3. Mai 2024, 18 Uhr"],
            "Stadtwerke Ostheim",
        ),
        (["Who: Ida Lund, CIO of Nordfjord Trust", "When: 3 May 2024, 6pm"], "Nordfjord Trust"),
    ],
)
def test_a_who_label_names_the_speaker(lines: list[str], want: str) -> None:
    body = "<h1>Cloud platforms in practice</h1>" + "".join(f"<p>{x}</p>" for x in lines)
    got = extract(f"<html><body>{body}</body></html>".encode(), "https://example.org/talk")
    assert [s.organisation for s in got.speakers] == [want]

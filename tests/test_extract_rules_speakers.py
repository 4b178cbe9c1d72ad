"""Tables for the speaker rules: who speaks, their job title, employer and bio. Each row is a
fact of a language or of the web written in the project's own words, in several languages."""

from __future__ import annotations

import pytest

from scraper.extract import extract, load_rules
from scraper.extract.mentions import person_line, speakers_in_appositions, speakers_in_prose
from scraper.extract.names import organisation_at
from scraper.extract.page import parse
from scraper.extract.roles import role_and_organisation
from scraper.extract.taxonomy import industries_for


def _page(body: str, lang: str = "en") -> bytes:
    return (
        f'<html lang="{lang}"><head><title>Site</title></head><body>{body}</body></html>'.encode()
    )


@pytest.mark.parametrize(
    ("phrase", "role", "organisation"),
    [
        # a full stop before a word in lower case abbreviates; it ends no sentence
        ("dyrektor ds. bezpieczeństwa w Bank Wiślany S.A.", "dyrektor ds. bezpieczeństwa",
         "Bank Wiślany S.A."),
        ("wicedyrektor ds. informatyki w Porty Bałtyckie S.A.", "wicedyrektor ds. informatyki",
         "Porty Bałtyckie S.A."),
        # "Role – Organisation": the spaced dash parts the job from its employer
        ("Chief Digital Officer – Harbourside Clinics Group", "Chief Digital Officer",
         "Harbourside Clinics Group"),
        ("CIO — Nordvind Logistik A/S", "CIO", "Nordvind Logistik A/S"),
        ("directora de sistemas – Transportes Meseta", "directora de sistemas",
         "Transportes Meseta"),
        # the employer's possessive owns the role, function and all
        ("Tamsin Water's Head of Digital Services", "Head of Digital Services", "Tamsin Water"),
        ("Orchard Rail's Chief Technology Officer for Signalling",
         "Chief Technology Officer for Signalling", "Orchard Rail"),
        # "Role, Unit, Institution, Country": the unit is part of the job
        ("Dean, School of Computing, Riverside Institute of Technology, India",
         "Dean, School of Computing", "Riverside Institute of Technology"),
        ("Professor, Department of Chemistry, Kestrel University",
         "Professor, Department of Chemistry", "Kestrel University"),
    ],
)  # fmt: skip
def test_role_and_organisation_forms(phrase: str, role: str, organisation: str) -> None:
    assert role_and_organisation(phrase) == (role, organisation)


@pytest.mark.parametrize(
    ("line", "want"),
    [
        # a one-word job title before the name, the employer after the comma
        ("Tietohallintojohtaja Mikko Saarinen, Kaakon hyvinvointialue",
         ("Mikko Saarinen", "Tietohallintojohtaja", "Kaakon hyvinvointialue")),
        ("Kehitysjohtaja Anna Virtanen, Lahden kaupunki",
         ("Anna Virtanen", "Kehitysjohtaja", "Lahden kaupunki")),
        ("Professorin Laura Heikkilä, Itämeren yliopisto", None),
        # a given name that is also a job is a name
        ("Dean Whitaker Jones, CIO of Harrow Council", ("Dean Whitaker Jones", "CIO",
                                                       "Harrow Council")),
    ],
)  # fmt: skip
def test_a_job_title_before_the_name(line: str, want: tuple[str, str, str] | None) -> None:
    person = person_line(line)
    if want is None:
        assert person is None or person.name != line.split(",")[0]
        return
    assert person is not None
    assert (person.name, person.role, person.organisation) == want


@pytest.mark.parametrize(
    ("body", "lang", "want"),
    [
        # a card per speaker: "Name, role, Org" line, then a bio opening with any verb
        ("<h1>Från rapport till beslut</h1><p>Datum: 12 mars 2026 kl. 08.00–09.30</p>"
         "<h3>Talare</h3><p><strong>Lena Borg</strong>, CIO på Kustfrakt AB<br>Lena har lett "
         "it-avdelningen sedan 2019 och sitter i flera styrelser.</p>"
         "<p><strong>Omar Nilsson</strong>, analyschef, Region Västmark<br>Omar ansvarar för "
         "regionens analys och har byggt upp plattformen för vården.</p>", "sv",
         [("Lena Borg", "CIO", "Kustfrakt AB", "Lena har lett"),
          ("Omar Nilsson", "analyschef", "Region Västmark", "Omar ansvarar")]),
        ("<h1>Un ERP per dodici stabilimenti</h1><p>Data: 3 giugno 2026, ore 18.00</p>"
         "<h3>Relatori</h3><p>Dott.ssa Marta Guidi, CIO presso Fonderie Lario S.p.A.</p>"
         "<p>Marta Guidi guida i sistemi informativi del gruppo dal 2018, dopo anni in "
         "consulenza.</p><p>Ing. Luca Ferri, responsabile Logistica di Fonderie Lario S.p.A.</p>"
         "<p>Luca Ferri coordina la pianificazione in tutti gli stabilimenti del gruppo.</p>",
         "it",
         [("Marta Guidi", "CIO", "Fonderie Lario S.p.A.", "Marta Guidi guida"),
          ("Luca Ferri", "responsabile Logistica", "Fonderie Lario S.p.A.",
           "Luca Ferri coordina")]),
        ("<h1>Zwei Spitäler, ein System</h1><p>Datum: 4. Mai 2026, 17.15 Uhr</p>"
         "<h2>Referent</h2><p>Dr. Beat Keller-Frei, Leiter Informatik, Kantonsspital Aarfeld AG"
         "</p><p>Beat Keller-Frei promovierte in Informatik und leitete danach Projekte in der "
         "Versicherungsbranche.</p>", "de",
         [("Beat Keller-Frei", "Leiter Informatik", "Kantonsspital Aarfeld AG",
           "Beat Keller-Frei promovierte")]),
        # the bio under a heading card names the speaker by given name and surname only
        ("<h1>Banking on open networks</h1><p>Date: 8 July 2026, 3pm</p><h2>Panellists</h2>"
         "<h3>Ravi Kumar Menon</h3><p>Group CTO at Tapti Cooperative Bank</p>"
         "<p>Ravi Menon runs technology for a bank of 900 branches and moved its core systems "
         "to a private cloud.</p>", "en",
         [("Ravi Kumar Menon", "Group CTO", "Tapti Cooperative Bank", "Ravi Menon runs")]),
    ],
)  # fmt: skip
def test_speaker_cards_with_a_bio_under_the_name(
    body: str, lang: str, want: list[tuple[str, str, str, str]]
) -> None:
    got = extract(_page(body, lang), "https://example.org/events/3")
    found = [(s.name, s.role, s.organisation, (s.bio or "")[: len(w[3])]) for s, w in
             zip(got.speakers, want, strict=False)]  # fmt: skip
    assert found == want
    assert len(got.speakers) == len(want)


def test_a_paragraph_under_an_abstract_label_is_no_bio() -> None:
    body = (
        "<h1>Ada Lindqvist</h1><p>Sampling with flows</p><p>Speaker: Ada Lindqvist, Professor, "
        "Nordhavn University</p><p>Abstract:</p><p>Ada Lindqvist will talk about sampling rare "
        "states of large physical systems with learned flows.</p>"
    )
    got = extract(_page(body), "https://example.org/events/4")
    assert [s.name for s in got.speakers] == ["Ada Lindqvist"]
    assert not got.speakers[0].bio


@pytest.mark.parametrize(
    ("bio", "lang", "want"),
    [
        # "is" in the claimed languages puts the job after the name
        ("Carla Menezes Prado é CIO da Serra Azul Telecom. Formada em engenharia, trabalhou em "
         "bancos.", "pt", ("CIO", "Serra Azul Telecom")),
        ("Giorgio Tassi è direttore dei sistemi informativi di Acque Brenta. In precedenza ha "
         "lavorato in consulenza.", "it", ("direttore dei sistemi informativi", "Acque Brenta")),
        # "Name (Org) is …": the parenthesised name is the employer
        ("Wout Peeters (Schelde Verzekeringen) is er directeur infrastructuur. Hij werkte eerder "
         "bij een bank.", "nl", ("directeur infrastructuur", "Schelde Verzekeringen")),
        # the first sentence's job, not a later membership
        ("Niamh Kelleher is Chief Information Officer at the Office of Rural Grants. She is a "
         "fellow of the Irish Computer Society.", "en",
         ("Chief Information Officer", "Office of Rural Grants")),
    ],
)  # fmt: skip
def test_the_bio_gives_the_job(bio: str, lang: str, want: tuple[str, str]) -> None:
    name = " ".join(bio.split()[:3]) if bio.split()[2][0].isupper() else " ".join(bio.split()[:2])
    bio += " Outside work the speaker sings in a choir and walks the coast path every weekend."
    body = f"<h1>Seminar</h1><p>Date: 8 July 2026, 3pm</p><h2>Speaker</h2><p>{name}</p><p>{bio}</p>"
    got = extract(_page(body, lang), "https://example.org/events/5")
    assert [(s.role, s.organisation) for s in got.speakers] == [want]


@pytest.mark.parametrize(
    ("phrase", "role", "organisation"),
    [
        # an "at" of a later clause names an earlier job, not this employer
        ("the founder of Lumen Advisory, a small consulting firm in Porto, and previously worked "
         "as an analyst at Harbour Bank", "founder", "Lumen Advisory"),
        ("the CIO of Vale Water, and before that worked at a telecom operator", "CIO",
         "Vale Water"),
    ],
)  # fmt: skip
def test_a_later_clause_names_no_employer(phrase: str, role: str, organisation: str) -> None:
    assert role_and_organisation(phrase) == (role, organisation)


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        ("University of Texas at Austin, USA", "University of Texas at Austin"),
        ("University of Illinois at Chicago", "University of Illinois at Chicago"),
        ("Harbour Bank at the conference", "Harbour Bank"),
    ],
)
def test_a_university_campus_after_at(text: str, organisation: str) -> None:
    assert organisation_at(text) == organisation


def test_a_bio_label_line_and_a_job_title_before_the_name() -> None:
    body = (
        "<h1>Ada Lindqvist</h1><p>Learning density functionals</p><p>Speaker: Ada Lindqvist, "
        "University of Oregon at Eugene, USA</p><p>Abstract:</p><p>Thousands of papers use "
        "approximate functionals every year; the talk asks which of them learning can improve."
        "</p><p>Bio:</p><p>Professor Ada Lindqvist leads a group in the chemistry department "
        "and has written widely on approximations in density functional theory.</p>"
    )
    got = extract(_page(body), "https://example.org/events/6")
    person = got.speakers[0]
    assert (person.role, person.organisation) == ("Professor", "University of Oregon at Eugene")
    assert (person.bio or "").startswith("Professor Ada Lindqvist leads")
    assert got.industries == ["Education & research"]


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        # Danish, Norwegian and Swedish agencies: "<Head> for <lower-case words>"
        ("Direktoratet for offentlig innkjøp. Hun har", "Direktoratet for offentlig innkjøp"),
        ("Myndigheten för digital förvaltning och regeringen",
         "Myndigheten för digital förvaltning"),
        ("Styrelsen for Dataforsyning og Infrastruktur",
         "Styrelsen for Dataforsyning og Infrastruktur"),
        ("Region Nord for alle", "Region Nord"),
    ],
)  # fmt: skip
def test_a_nordic_agency_name_in_lower_case(text: str, organisation: str) -> None:
    assert organisation_at(text) == organisation


@pytest.mark.parametrize(
    ("phrase", "role", "organisation"),
    [
        # "chez", "presso": only an employer follows, its name running to the clause's end
        ("directrice informatique chez le Service public régional Mobilité",
         "directrice informatique", "Service public régional Mobilité"),
        ("responsable des données chez Caisse commune de prévoyance, Namur",
         "responsable des données", "Caisse commune de prévoyance"),
        ("CIO presso Azienda trasporti pubblici di Varese", "CIO",
         "Azienda trasporti pubblici di Varese"),
    ],
)  # fmt: skip
def test_the_employer_after_chez_or_presso(phrase: str, role: str, organisation: str) -> None:
    assert role_and_organisation(phrase) == (role, organisation)


def test_the_guest_of_a_conversation_hosted_by_a_programme() -> None:
    blocks = parse(
        "<html><body><p>The Data Science Programme is pleased to host a conversation with Ana "
        "Ruiz Salgado, Chief Data Officer of Tagus Port Authority, moderated by a faculty "
        "member. Bring your questions.</p></body></html>"
    ).blocks
    found = [(p.name, p.role, p.organisation) for p in speakers_in_appositions(blocks)]
    assert found == [("Ana Ruiz Salgado", "Chief Data Officer", "Tagus Port Authority")]


@pytest.mark.parametrize(
    "head", ["About the speaker", "Zur Person", "Om foredragsholderen", "Biography"]
)
def test_a_bio_head_run_into_its_paragraph(head: str) -> None:
    body = (
        "<h1>Records that follow the patient</h1><p>Date: 3 March 2026, 12:00</p><p>Speaker: "
        "Mira Kovač, CIO of Danube Health</p><p>Clinicians still fax discharge letters across "
        f"town; the talk asks why.</p><p>{head}: Mira Kovač oversees information technology for "
        "six hospitals and sits on the board of a regional exchange.</p>"
    )
    got = extract(_page(body), "https://example.org/events/8")
    assert (got.speakers[0].bio or "").startswith("Mira Kovač oversees")


def test_a_card_of_name_job_and_organisation_elements() -> None:
    body = (
        "<h1>Prescribing without paper</h1><p>Date: 5 May 2026, 10:00</p><h2>Speaker</h2>"
        "<div><h3>Dr Tomi Adeyemi-Lund</h3><p>Chief Clinical Information Officer</p>"
        "<p>Fenwick Valley Hospitals NHS Trust</p><p>Tomi is a former anaesthetist who led the "
        "move to electronic prescribing across three sites.</p></div>"
    )
    got = extract(_page(body), "https://example.org/events/9")
    person = got.speakers[0]
    assert (person.role, person.organisation) == (
        "Chief Clinical Information Officer",
        "Fenwick Valley Hospitals NHS Trust",
    )
    assert got.industries == ["Health care"]


@pytest.mark.parametrize(
    ("organisation", "industry"),
    [
        ("Service public fédéral Mobilité", "Public administration"),
        ("Office cantonal de la statistique", "Public administration"),
        ("Kantonale Verwaltung Thurgau", "Public administration"),
        ("Hydro-Nordique", "Energy & utilities"),
        ("Kustens Hamnar AB", "Transport & logistics"),
        ("Nordhavn Havneselskab", "Transport & logistics"),
    ],
)
def test_industry_words_of_an_organisation_name(organisation: str, industry: str) -> None:
    assert industry in industries_for(organisation, "", load_rules().taxonomy)


def test_every_line_of_a_speakers_cell_is_a_speaker() -> None:
    body = (
        "<h1>Who owns city data?</h1><table><tr><th>When</th><td>Wednesday, 4 March 2026, "
        "12:00 – 13:15</td></tr><tr><th>Speakers</th><td>Ana Ruiz, Chief Data Officer, City of "
        "Vale<br>Tom Berg, Chief Information Officer, Vale State University</td></tr></table>"
        "<p>The city and the university share sensors, data and students; the two officers "
        "discuss the agreement behind it.</p>"
    )
    got = extract(_page(body), "https://example.org/events/10")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Ana Ruiz", "Chief Data Officer", "City of Vale"),
        ("Tom Berg", "Chief Information Officer", "Vale State University"),
    ]


@pytest.mark.parametrize(
    ("body", "lang", "want"),
    [
        ("<p>Join us for a conversation with Dr. Kiri Tane, who leads platform engineering at "
         "Harbour City Water, the utility of the bay.</p>", "en",
         ("Kiri Tane", None, "Harbour City Water")),
        ("<p>Ein Gespräch mit Jana Vogel (Journalistin) über Daten in der Verwaltung.</p>", "de",
         ("Jana Vogel", "Journalistin", None)),
        ("<p>Venez assister à une conférence avec Luc Moreau, directeur informatique chez "
         "Transports Rives, sur la donnée ouverte.</p>", "fr",
         ("Luc Moreau", "directeur informatique", "Transports Rives")),
    ],
)  # fmt: skip
def test_a_talk_with_a_person(
    body: str, lang: str, want: tuple[str, str | None, str | None]
) -> None:
    page = parse(f"<html><body><h1>Evening</h1>{body}</body></html>")
    found = [(p.name, p.role, p.organisation) for p in speakers_in_prose(page.blocks)]
    assert want in found


def test_an_organisation_in_the_headline_is_no_speaker() -> None:
    body = (
        "<h1>Pipes and platforms: a night with Harbour City Water</h1><p>Thursday 18 March "
        "2027, 6pm – 7:30pm</p><p>Join us for a conversation with Dr. Kiri Tane, who leads "
        "platform engineering at Harbour City Water, the utility of the bay.</p>"
    )
    got = extract(_page(body), "https://example.org/events/11")
    assert [(s.name, s.organisation) for s in got.speakers] == [("Kiri Tane", "Harbour City Water")]


def test_a_byline_of_name_role_and_organisation_under_the_headline() -> None:
    body = (
        "<h1>Data products in a mutual insurer</h1><div class='byline'><span>Ewa Nowak-Lind"
        "</span> <span>Chief Data Officer, Meadow Mutual Insurance</span></div><p>2024-03-14 "
        "15:00 – 16:00, Room G.07</p><p>Insurers hold decades of policy data in silos.</p>"
        "<h2>Bio</h2><p>Ewa Nowak-Lind leads data strategy at Meadow Mutual Insurance. She is "
        "also a visiting fellow at the Data Systems Lab of the university.</p>"
    )
    got = extract(_page(body), "https://example.org/events/12")
    person = got.speakers[0]
    assert (person.role, person.organisation) == ("Chief Data Officer", "Meadow Mutual Insurance")


@pytest.mark.parametrize(
    ("heading", "bio", "lang"),
    [
        ("Relatore", "Marco Bianchi si è laureato in ingegneria e dirige da dieci anni i sistemi "
         "informativi del gruppo.", "it"),
        ("Referent", "Jonas Weber studierte Informatik in Aachen und leitet seit 2020 die IT der "
         "Stadtwerke.", "de"),
        ("Oplægsholder", "Mette Holm startede som udvikler og har siden 2018 stået for "
         "regionens it-drift.", "da"),
    ],
)  # fmt: skip
def test_a_paragraph_under_the_speakers_heading_is_the_bio(
    heading: str, bio: str, lang: str
) -> None:
    name = " ".join(bio.split()[:2])
    body = (
        f"<h1>Seminar</h1><ul><li>Date: 24 February 2027, 14:30–16:00</li><li>Speaker: {name}, "
        "CIO of Nordal Group</li></ul><h2>Abstract</h2><p>After several acquisitions the group "
        f"runs four ERP systems.</p><h2>{heading}</h2><p>{bio}</p>"
    )
    got = extract(_page(body, lang), "https://example.org/events/13")
    assert (got.speakers[0].bio or "").startswith(name)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Dr. sc. techn. Urs Egli-Frei, Leiter Informatik, Kantonsspital Aarfeld AG",
         "Urs Egli-Frei"),
        ("Prof. Dr. rer. nat. Helga Sommer, CIO der Stadtwerke Lind", "Helga Sommer"),
        ("Dr. med. dent. Jonas Kraft, Chefarzt, Klinik Seetal", "Jonas Kraft"),
        ("Dr. h.c. Maria Lenz, Vorständin, Bank Auental AG", "Maria Lenz"),
    ],
)  # fmt: skip
def test_a_doctorates_field_belongs_to_the_title(line: str, name: str) -> None:
    person = person_line(line)
    assert person is not None
    assert person.name == name
    assert person.role


@pytest.mark.parametrize(
    "organisation", ["Spitalverbund Thurtal AG", "Kantonsspital Aarfeld", "Landesspital Rheintal"]
)
def test_the_swiss_and_austrian_word_for_hospital(organisation: str) -> None:
    assert industries_for(organisation, "", load_rules().taxonomy) == ["Health care"]


@pytest.mark.parametrize(
    ("label", "value", "lang", "want"),
    [
        ("Affiliation", "Chief Data Officer, Skyline Regional Airlines", "en",
         ("Chief Data Officer", "Skyline Regional Airlines")),
        ("Afiliación", "Universidad del Sur", "es", (None, "Universidad del Sur")),
        ("Zugehörigkeit", "Leiterin IT, Stadtwerke Lind", "de", ("Leiterin IT", "Stadtwerke Lind")),
        ("Affiliazione", "Politecnico di Lario", "it", (None, "Politecnico di Lario")),
    ],
)  # fmt: skip
def test_an_affiliation_field_gives_the_speakers_job(
    label: str, value: str, lang: str, want: tuple[str | None, str]
) -> None:
    body = (
        "<h1>Tomasz Weatherby</h1><h2>Forecasting demand with messy data</h2>"
        f"<div class='label'>{label}</div><div>{value}</div><div class='label'>Date</div>"
        "<div>Friday, February 9, 2024</div><p>A regional carrier lives or dies by how well it "
        "fills small aircraft.</p>"
    )
    got = extract(_page(body, lang), "https://example.org/events/14")
    assert [(s.role, s.organisation) for s in got.speakers] == [want]


@pytest.mark.parametrize(
    ("site", "noun", "want"),
    [
        ("Harrowmere City Council", "council", "Harrowmere City Council"),
        ("Kestrel Valley University", "university", "Kestrel Valley University"),
        ("Kestrel Valley University", "council", None),
    ],
)
def test_the_sites_own_organisation_by_its_last_word(
    site: str, noun: str, want: str | None
) -> None:
    html = (
        f"<html lang='en'><head><title>Lunchtime talk | {site}</title></head><body>"
        "<h1>Lunchtime talk: moving 300 services online</h1><p>Thursday 20 March 2025, "
        f"12.10pm – 1pm</p><p>Aroha Ngata, the {noun}'s Chief Digital Officer, will talk about "
        "what worked and what did not.</p><h2>About Aroha</h2><p>Aroha Ngata (born 1981) grew "
        "up in the district and joined in 2019 after roles at a health board.</p></body></html>"
    ).encode()
    got = extract(html, "https://example.org/events/15")
    person = got.speakers[0]
    assert (person.role, person.organisation) == ("Chief Digital Officer", want)
    # a parenthesis between the name and the verb still opens the bio
    assert (person.bio or "").startswith("Aroha Ngata (born 1981) grew up")


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the person right before one of the language's speech verbs gives the talk
        ("Lena Fischer from Brightwater Analytics talks about stream processing.",
         ("Lena Fischer", None, "Brightwater Analytics")),
        ("Kinderärztin Miriam Vogt spricht über die Geschichte der Impfung.",
         ("Miriam Vogt", None, None)),
        ("Överläkare Jonas Berglind föreläser om hjärtats historia.",
         ("Jonas Berglind", "Överläkare", None)),
        ("Marta Ruiz, de Telefónica Digital, presentará los resultados del proyecto.",
         ("Marta Ruiz", None, None)),
        ("Piotr Zieliński z Politechnika Morska opowie o sieciach 5G.",
         ("Piotr Zieliński", None, "Politechnika Morska")),
        # no name before the verb: nobody is named
        ("The group presents its results on the new platform.", None),
        ("Our department will take part in the open day.", None),
    ],
)  # fmt: skip
def test_a_speech_verb_after_the_name(
    text: str, want: tuple[str, str | None, str | None] | None
) -> None:
    found = speakers_in_prose(parse(_page(f"<p>{text}</p>").decode()).blocks)
    got = [(s.name, s.role, s.organisation) for s in found]
    if want is None:
        assert got == []
    else:
        name, role, organisation = want
        assert (name, organisation) in [(g[0], g[2]) for g in got]
        if role:
            assert (name, role, organisation) in got


def test_people_each_with_an_organisation_in_brackets() -> None:
    body = (
        "<h1>Community research: a panorama</h1><p>Date: 7 October 2022, 10:00</p>"
        "<p>Speakers: Ana Lindqvist (York), Brenda Okafor (York), Carla Mendes (Concordia).</p>"
    )
    got = extract(_page(body), "https://example.org/events/panel")
    assert [(s.name, s.organisation) for s in got.speakers] == [
        ("Ana Lindqvist", "York"),
        ("Brenda Okafor", "York"),
        ("Carla Mendes", "Concordia"),
    ]


@pytest.mark.parametrize(
    ("headline", "name", "topic"),
    [
        # the speaker's possessive, a kind of talk, then the title after "on" or a colon
        ("Maren Lindqvist's Talk on Filtering rare events", "Maren Lindqvist",
         "Filtering rare events"),
        ("Tomás Okafor’s seminar: Learning from sparse sensors", "Tomás Okafor",
         "Learning from sparse sensors"),
        # an institution's possessive names no speaker
        ("The Council's Lecture on Housing Policy", None, None),
    ],
)  # fmt: skip
def test_a_persons_talk_by_the_possessive(
    headline: str, name: str | None, topic: str | None
) -> None:
    body = f"<h1>{headline}</h1><p>Date: 11 November 2022, 11:00</p>"
    got = extract(_page(body), "https://example.org/seminars/7")
    if name is None:
        assert got.speakers == []
    else:
        assert [s.name for s in got.speakers] == [name]
        assert got.topic == topic


def test_a_bio_paragraph_opened_by_its_label() -> None:
    body = (
        "<h1>Filtering rare events</h1><p>Date: 11 November 2022, 11:00</p>"
        "<p><strong>Bio:</strong> Maren Lindqvist is a Professor in the School of Engineering "
        "at the University of Tasmania. She received her PhD in 2001.</p>"
    )
    got = extract(_page(body), "https://example.org/seminars/8")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Maren Lindqvist", "Professor in the School of Engineering", "University of Tasmania")
    ]


@pytest.mark.parametrize(
    ("text", "organisation"),
    [
        # a language's "and" between two capitalised words goes on with the name
        ("Instituto de Matemática e Estatística da Universidade Estadual, Brasil",
         "Instituto de Matemática e Estatística da Universidade Estadual"),
        ("Facultad de Economía y Empresa, Zaragoza", "Facultad de Economía y Empresa"),
        ("Institutionen för Data och Systemvetenskap",
         "Institutionen för Data och Systemvetenskap"),
    ],
)  # fmt: skip
def test_an_and_inside_an_organisation_name(text: str, organisation: str) -> None:
    assert organisation_at(text) == organisation


def test_the_abstract_under_a_name_line_and_over_a_bio_of_that_name() -> None:
    # a card of name, affiliation and talk title, then the abstract, then a labelled bio that
    # opens with the same name: the name line is no start of the bio
    body = (
        "<h1>Palestra</h1><p>Data: 12 de março de 2025, 14:00</p>"
        "<div class='card'><h5>Tomas Lindqvist</h5><h6>IMPA</h6></div>"
        "<div class='title'>Sound in shallow water</div>"
        "<p>We discuss how sound travels in shallow seas and what its echoes tell about the "
        "layers of the sea floor.</p><p><strong>Minibiografia:</strong></p>"
        "<p>Tomas Lindqvist obteve seu título de doutor em física em 2010 e é professor "
        "associado do instituto.</p>"
    )
    got = extract(_page(body, "pt"), "https://example.org/palestras/1")
    assert (got.abstract or "").startswith("We discuss how sound travels")
    assert [s.name for s in got.speakers] == ["Tomas Lindqvist"]
    assert (got.speakers[0].bio or "").startswith("Tomas Lindqvist obteve")


def test_a_second_speaker_introduced_like_the_first_in_one_paragraph() -> None:
    html = _page(
        "<main><h1>AI at the quay: who signs off?</h1><p>Thursday 20 May 2027, 19:00</p>"
        "<p>Anna Berg, CIO of Kaiside Terminal Group, will open the evening with an account of "
        "the approval process she built. Tomas Ekdahl, Head of Data at Havnefjord Port "
        "Authority, then explains how the port shares vessel data with its terminals.</p>"
        "<p>Doors at 18:30. The evening is in English.</p></main>"
    )
    got = extract(html, "https://example.org/events/quay-ai")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Anna Berg", "CIO", "Kaiside Terminal Group"),
        ("Tomas Ekdahl", "Head of Data", "Havnefjord Port Authority"),
    ]


def test_a_name_line_opening_its_bio_paragraph_under_the_speakers_heading() -> None:
    html = _page(
        "<main><h1>Eén EPD voor drie ziekenhuizen</h1><p>dinsdag 8 juni 2027, 16:00–17:30</p>"
        "<p>Tijdens deze kennissessie vertellen de CIO en de hoofdarchitect hoe de migratie "
        "is gepland en welke koppelingen bijna misgingen.</p><h2>Sprekers</h2>"
        "<p>Karin Visser, lead enterprise architect, Ziekenhuisgroep Noordoever. Karin Visser "
        "ontwierp het integratieplatform van de groep en werkte daarvoor twaalf jaar als "
        "architect bij een zorgverzekeraar in Zwolle en Deventer.</p></main>",
        "nl",
    )
    got = extract(html, "https://example.org/kennissessies/epd")
    assert [(s.name, s.role, s.organisation) for s in got.speakers] == [
        ("Karin Visser", "lead enterprise architect", "Ziekenhuisgroep Noordoever")
    ]


@pytest.mark.parametrize(
    ("line", "role", "organisation"),
    [
        (
            "Dr Anna Reid, formerly CIO of Harbour Water, is now Chief Digital Officer at "
            "Coastal Health Alliance, which runs five hospitals.",
            "Chief Digital Officer",
            "Coastal Health Alliance",
        ),
        (
            "Per Hansen, tidligere it-chef i Nordby Kommune, er nu CIO i Region Syd",
            "CIO",
            "Region Syd",
        ),
        ("Per Hansen, CIO of Region Syd", "CIO", "Region Syd"),
    ],
)
def test_a_former_post_is_not_the_job(line: str, role: str, organisation: str) -> None:
    person = person_line(line)
    assert person is not None
    assert (person.role, person.organisation) == (role, organisation)


def test_an_employer_after_of_is_no_person_in_an_apposition() -> None:
    html = _page(
        "<main><h1>Moving medical images to the cloud</h1><p>Thursday 8 April 2027, 5.30pm</p>"
        "<h2>Who is speaking?</h2><p>Dr Anna Reid, formerly CIO of Harbour Water, is now Chief "
        "Digital Officer at Coastal Health Alliance, which runs five hospitals and eleven "
        "community health centres.</p></main>"
    )
    got = extract(html, "https://example.org/evenings/images")
    assert [s.name for s in got.speakers] == ["Anna Reid"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Our speaker tonight is Karin Visser, CIO of Nordby Kommune.",
        "Foredragsholder i aften er Karin Visser, CIO i Nordby Kommune.",
        "Notre intervenante aujourd'hui est Karin Visser, DSI chez Nordby Santé.",
        "La relatrice è Karin Visser, CIO presso Nordby Sanità.",
    ],
)
def test_a_sentence_naming_the_speaker(sentence: str) -> None:
    blocks = parse(f"<html><body><p>{sentence}</p></body></html>").blocks
    assert [p.name for p in speakers_in_prose(blocks)] == ["Karin Visser"]

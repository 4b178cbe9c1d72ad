"""Write a reproducible synthetic site of N talk pages in every supported layout, with listings."""

from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
from dataclasses import dataclass, field
from pathlib import Path

LAYOUTS = (
    "cbs_da",
    "cbs_en",
    "jsonld",
    "table_latin1",
    "wordpress",
    "microdata",
    "seminar_panel",
)
PER_LISTING = 25
EVENTS_DIR = "events"

FIRST = [
    "Anders",
    "Birgitte",
    "Carsten",
    "Dorthe",
    "Erik",
    "Frida",
    "Gustav",
    "Hanne",
    "Ivar",
    "Jette",
    "Karl",
    "Lene",
    "Mads",
    "Nanna",
    "Ole",
    "Pia",
    "Rune",
    "Sofie",
    "Torben",
    "Ulla",
    "Viggo",
    "Yrsa",
    "Amara",
    "Bjorn",
    "Clara",
    "Dev",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
]
LAST = [
    "Aagaard",
    "Bergholt",
    "Callesen",
    "Dalsgaard",
    "Egeberg",
    "Fogh",
    "Grønbech",
    "Hjorth",
    "Iversen",
    "Juhl",
    "Kirkegaard",
    "Lykke",
    "Mørch",
    "Nørgaard",
    "Overgaard",
    "Pedersby",
    "Qvist",
    "Rosendahl",
    "Steen",
    "Thorsø",
    "Ulstrup",
    "Vinther",
    "Westergaard",
    "Yde",
    "Ashworth",
    "Blake",
    "Carver",
    "Dunmore",
    "Everly",
    "Fairbanks",
]
ORGS = (
    ("Nordby Sparekasse", "financial"),
    ("Vesterhav Energi", "energy"),
    ("Region Søndermark", "health"),
    ("Skovlund Kommune", "public"),
    ("Bølgeby Rederi", "shipping"),
    ("Lindholt Pharma", "pharma"),
    ("Kattegat Telecom", "telecom"),
    ("Fjordhandel Retail", "retail"),
    ("Ashford Insurance", "insurance"),
    ("Brightwater Utilities", "energy"),
    ("Hollowell Logistics", "shipping"),
    ("Ministeriet for Digital Forvaltning", "public"),
)
ROLES = ("CIO", "CTO", "Chief Digital Officer", "IT Director", "Head of Data", "CISO")
TOPICS_EN = (
    "Moving the Core Systems to the Cloud",
    "Cybersecurity After the Ransomware Attack",
    "Data Governance in a Regulated Business",
    "Outsourcing and Bringing IT Back In-House",
    "Artificial Intelligence in Customer Service",
    "Enterprise Architecture for a Merger",
    "Agile Delivery at Scale",
    "Digital Transformation of a Public Agency",
    "Analytics on Sensor Data",
    "IT Governance When Projects Fail",
)
TOPICS_DA = (
    "Skyen som driftsplatform",
    "Cybersikkerhed efter angrebet",
    "Datastyring i en reguleret virksomhed",
    "Outsourcing og hjemtagning af it",
    "Kunstig intelligens i kundeservice",
    "Digital transformation i en styrelse",
)
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_DA = "januar februar marts april maj juni juli august september oktober november december"
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
DAYS_DA = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]


@dataclass
class Person:
    """A synthetic speaker."""

    name: str
    role: str
    org: str


@dataclass
class Talk:
    """One synthetic talk and the page layout it is written in."""

    slug: str
    layout: str
    language: str
    topic: str
    date: dt.date
    start: str
    end: str
    speakers: list[Person] = field(default_factory=list)


def _people(rng: random.Random, count: int) -> list[Person]:
    names: dict[str, None] = {}
    while len(names) < count:
        names[f"{rng.choice(FIRST)} {rng.choice(LAST)}"] = None
    return [Person(n, rng.choice(ROLES), rng.choice(ORGS)[0]) for n in names]


def plan_talks(n: int, seed: int) -> list[Talk]:
    """N talks, layouts in rotation, speakers drawn from a pool a third the size (reused)."""
    rng = random.Random(seed)
    pool = _people(rng, max(4, n // 3))
    talks = []
    for number in range(n):
        layout = LAYOUTS[number % len(LAYOUTS)]
        danish = layout in ("cbs_da", "table_latin1") or (layout == "microdata" and number % 2 == 0)
        language = "da" if danish else "en"
        topic = rng.choice(TOPICS_DA if danish else TOPICS_EN)
        day = dt.date(2008, 1, 1) + dt.timedelta(days=rng.randrange(17 * 365))
        while day.weekday() > 4:
            day += dt.timedelta(days=1)
        hour = rng.choice((8, 9, 14, 15, 16))
        two = layout in ("jsonld", "microdata") and number % 3 == 0
        count = 3 if layout == "seminar_panel" else (2 if two else 1)
        speakers = rng.sample(pool, count)
        slug = f"talk-{number + 1:05d}-{layout.replace('_', '-')}"
        talks.append(
            Talk(
                slug, layout, language, topic, day, f"{hour:02d}:00", f"{hour + 1:02d}:30", speakers
            )
        )
    return talks


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _abstract(talk: Talk) -> list[str]:
    who = talk.speakers[0]
    if talk.language == "da":
        return [
            f"{who.name} fortæller om {talk.topic.lower()} hos {who.org}.",
            "Oplægget handler om it-ledelse, data og de valg, der skulle træffes undervejs.",
        ]
    return [
        f"{who.name} explains how {who.org} approached {talk.topic.lower()}.",
        "The talk covers IT leadership, data and the choices made along the way.",
    ]


def _bio(person: Person, danish: bool) -> str:
    if danish:
        return f"{person.name} er {person.role} i {person.org}."
    return f"{person.name} is {person.role} of {person.org}."


def _cbs(talk: Talk) -> str:
    danish = talk.layout == "cbs_da"
    d = talk.date
    who = talk.speakers[0]
    if danish:
        line = f"{DAYS_DA[d.weekday()].capitalize()}, {d.day} {MONTHS_DA.split()[d.month - 1]}, "
        title = f"CIO Talks med {who.name}"
        footer = f"Sidst opdateret: Institut for Digitalisering // {d:%d/%m/%Y}"
    else:
        line = f"{DAYS_EN[d.weekday()]}, {d.day} {MONTHS_EN[d.month - 1]}, "
        title = f"CIO Talks with {who.name}"
        footer = f"The page was last edited by: Department of IT Management // {d:%d/%m/%Y}"
    paragraphs = "".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))
    bios = "".join(f"<p>{_e(_bio(p, danish))}</p>" for p in talk.speakers)
    return f"""<!DOCTYPE html>
<html lang="{"da" if danish else "en"}"><head><meta charset="utf-8">
<title>{_e(title)}</title></head>
<body class="node-type-cbs-event"><div class="node node-cbs-event">
<h1 class="title" id="page-title">{_e(title)}</h1>
<div class="field field-cbs-event-teaser">
<p>{_e(who.name)}, {_e(who.role)}, {_e(who.org)}.</p></div>
<div class="field field-cbs-event-eventdate"><span class="date-display-range">
<span class="date-display-start">{line}{d.year} - {talk.start}</span>
to <span class="date-display-end">{talk.end}</span></span></div>
<div class="field field-cbs-event-body"><h2>{_e(talk.topic)}</h2>
<p><strong>{"Foredraget er på dansk." if danish else "The CIO Talk is in English."}</strong></p>
{paragraphs}{bios}</div>
<div class="pane-cbs-event-info">
<p class="event-location">Howitzvej 60, lokale {d.day}.{d.month:02d}</p></div>
</div><footer><div class="last-updated">{_e(footer)}</div></footer></body></html>
"""


def _jsonld(talk: Talk) -> str:
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": f"CIO Talk: {talk.topic}",
        "startDate": f"{talk.date.isoformat()}T{talk.start}:00+01:00",
        "endDate": f"{talk.date.isoformat()}T{talk.end}:00+01:00",
        "inLanguage": talk.language,
        "description": " ".join(_abstract(talk)),
        "location": {"@type": "Place", "name": "Harbourside School of Business, Room K1.01"},
        "performer": [
            {
                "@type": "Person",
                "name": p.name,
                "jobTitle": p.role,
                "worksFor": {"@type": "Organization", "name": p.org},
            }
            for p in talk.speakers
        ],
    }
    people = "".join(
        f'<div class="person"><h3 class="person-name">{_e(p.name)}</h3>'
        f'<p class="person-title">{_e(p.role)}, {_e(p.org)}</p><p>{_e(_bio(p, False))}</p></div>'
        for p in talk.speakers
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>CIO Talk: {_e(talk.topic)}</title>
<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script></head>
<body><main><div class="event-series">CIO Talks</div>
<h1 class="event-title">CIO Talk: {_e(talk.topic)}</h1>
<div class="event-text">{"".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))}</div>
<div class="event-people"><h2>Speakers</h2>{people}</div></main></body></html>
"""


def _table(talk: Talk) -> str:
    d = talk.date
    who = talk.speakers[0]
    when = (
        f"{DAYS_DA[d.weekday()]} den {d.day}. {MONTHS_DA.split()[d.month - 1]} {d.year} "
        f"kl. {int(talk.start[:2])}.00-{int(talk.end[:2])}.30"
    )
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">
<title>Institut for Informatik - Morgenmøde: {_e(talk.topic)}</title></head>
<body><table><tr><td class="indhold">
<h2>Morgenmøde: {_e(talk.topic)}</h2>
<table border="0">
<tr><td><b>Tid:</b></td><td>{when}</td></tr>
<tr><td><b>Sted:</b></td><td>Institut for Informatik, Howitzvej 60, lokale 2.02</td></tr>
<tr><td><b>Oplægsholder:</b></td><td>{_e(who.name)}, {_e(who.role)}, {_e(who.org)}</td></tr>
<tr><td><b>Emne:</b></td><td>{_e(talk.topic)}</td></tr>
</table><p><i>Foredraget holdes på dansk.</i></p>
{"".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))}
<h3>Om {_e(who.name)}</h3><p>{_e(_bio(who, True))}</p>
<hr><font size="1">Senest opdateret: {d - dt.timedelta(days=20):%d.%m.%Y} af webmaster</font>
</td></tr></table></body></html>
"""


def _clock12(hhmm: str) -> str:
    hour = int(hhmm[:2])
    return f"{(hour - 1) % 12 + 1}:{hhmm[3:]}"


def _wordpress(talk: Talk) -> str:
    d = talk.date
    who = talk.speakers[0]
    suffix = "am" if int(talk.end[:2]) < 12 else "pm"
    return f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="UTF-8"><title>CIO Breakfast: {_e(talk.topic)}</title>
<meta name="generator" content="WordPress 5.2.4"></head>
<body class="single-tribe_events"><article class="tribe_events">
<header><h1 class="entry-title">CIO Breakfast: {_e(talk.topic)}</h1></header>
<div class="entry-content">
<p><strong>Date:</strong> {DAYS_EN[d.weekday()]}, {MONTHS_EN[d.month - 1]} {d.day}, {d.year}<br>
<strong>Time:</strong> {_clock12(talk.start)} to {_clock12(talk.end)} {suffix}<br>
<strong>Venue:</strong> Eastgate Business School, Room 204<br>
<strong>Speaker:</strong> {_e(who.name)}, {_e(who.role)}<br>
<strong>Language:</strong> English</p>
<h2>{_e(talk.topic)}</h2>
{"".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))}
<h3>About the speaker</h3><p>{_e(_bio(who, False))}</p>
</div></article></body></html>
"""


def _microdata(talk: Talk) -> str:
    danish = talk.language == "da"
    d = talk.date
    people = "".join(
        f'<div class="speaker" itemprop="performer" itemscope itemtype="https://schema.org/Person">'
        f'<h3 itemprop="name">{_e(p.name)}</h3><p><span itemprop="jobTitle">{_e(p.role)}</span>, '
        f'<span itemprop="worksFor" itemscope itemtype="https://schema.org/Organization">'
        f'<span itemprop="name">{_e(p.org)}</span></span></p>'
        f'<div itemprop="description"><p>{_e(_bio(p, danish))}</p></div></div>'
        for p in talk.speakers
    )
    label = "Gæsteforelæsning" if danish else "Guest lecture"
    abstract = "".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))
    return f"""<!DOCTYPE html>
<html lang="{talk.language}"><head><meta charset="utf-8">
<title>{label}: {_e(talk.topic)}</title></head>
<body><main><article class="lecture" itemscope itemtype="https://schema.org/Event">
<h1 itemprop="name">{label}: {_e(talk.topic)}</h1>
<p class="when"><time itemprop="startDate" datetime="{d.isoformat()}T{talk.start}">
{d.day} {MONTHS_EN[d.month - 1]} {d.year}, {talk.start}</time>–<time itemprop="endDate"
datetime="{d.isoformat()}T{talk.end}">{talk.end}</time></p>
<p class="where" itemprop="location" itemscope itemtype="https://schema.org/Place">
<span itemprop="name">Nordhavn Institute of Technology, Room 1.12</span></p>
<p class="lang"><span itemprop="inLanguage" content="{talk.language}">
{"dansk" if danish else "English"}</span></p>
<div class="abstract" itemprop="description">{abstract}</div>
<h2>{"Oplægsholdere" if danish else "Speakers"}</h2>{people}
</article></main></body></html>
"""


def _seminar(talk: Talk) -> str:
    d = talk.date
    items = "".join(f"<li>{_e(p.name)}, {_e(p.role)}, {_e(p.org)}</li>" for p in talk.speakers)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Panel: {_e(talk.topic)} | Skovbakke University</title></head>
<body class="seminar"><div id="content">
<h1>Panel: {_e(talk.topic)}</h1>
<p><strong>Speakers:</strong></p><ul class="speakers">{items}</ul>
<p><strong>Date:</strong> {DAYS_EN[d.weekday()]} {d.day} {MONTHS_EN[d.month - 1]} {d.year}<br>
<strong>Time:</strong> {talk.start} - {talk.end}<br>
<strong>Location:</strong> Building 7, Auditorium<br>
<strong>Language:</strong> English</p>
<h2>Abstract:</h2>{"".join(f"<p>{_e(p)}</p>" for p in _abstract(talk))}
<h2>Bios:</h2>{"".join(f"<p>{_e(_bio(p, False))}</p>" for p in talk.speakers)}
<p class="note">Part of the CIO Talks seminar series.</p></div></body></html>
"""


RENDER = {
    "cbs_da": _cbs,
    "cbs_en": _cbs,
    "jsonld": _jsonld,
    "table_latin1": _table,
    "wordpress": _wordpress,
    "microdata": _microdata,
    "seminar_panel": _seminar,
}


def page_bytes(talk: Talk) -> bytes:
    """The talk's page, encoded as its layout declares (ISO-8859-1 for the old table layout)."""
    text = RENDER[talk.layout](talk)
    return text.encode("iso-8859-1" if talk.layout == "table_latin1" else "utf-8")


def listing_path(number: int) -> str:
    """Path of listing page ``number`` (1-based) below the site root."""
    return f"{EVENTS_DIR}/index.html" if number == 1 else f"{EVENTS_DIR}/page/{number}/index.html"


def _listing_url(number: int) -> str:
    return f"/{EVENTS_DIR}/" if number == 1 else f"/{EVENTS_DIR}/page/{number}/"


def listing_bytes(talks: list[Talk], number: int, pages: int) -> bytes:
    """Listing page ``number`` of ``pages``: links to its talks and a pager."""
    rows = "".join(
        f'<li><a href="/{EVENTS_DIR}/{t.slug}.html">{_e(t.topic)}</a> {t.date.isoformat()}</li>'
        for t in talks
    )
    pager = ""
    if number < pages:
        pager = f'<a rel="next" href="{_listing_url(number + 1)}">next ›</a>'
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>CIO Talks - events, page {number}</title></head><body>"
        f"<h1>CIO Talks - past events</h1><ul>{rows}</ul>"
        f'<div class="pager">{pager}</div></body></html>\n'
    ).encode()


def build_site(n: int, seed: int) -> tuple[dict[str, bytes], dict[str, dict[str, object]]]:
    """(files by relative path, truth by event path) of a site with ``n`` talk pages."""
    talks = plan_talks(n, seed)
    files: dict[str, bytes] = {}
    truth: dict[str, dict[str, object]] = {}
    for talk in talks:
        path = f"{EVENTS_DIR}/{talk.slug}.html"
        files[path] = page_bytes(talk)
        truth[path] = {
            "layout": talk.layout,
            "language": talk.language,
            "topic": talk.topic,
            "date": talk.date.isoformat(),
            "speakers": [p.name for p in talk.speakers],
        }
    pages = max(1, -(-len(talks) // PER_LISTING))
    for number in range(1, pages + 1):
        chunk = talks[(number - 1) * PER_LISTING : number * PER_LISTING]
        files[listing_path(number)] = listing_bytes(chunk, number, pages)
    return files, truth


def write_site(n: int, outdir: Path, seed: int) -> dict[str, dict[str, object]]:
    """Write the site under ``outdir`` (plus truth.json beside it); returns the truth."""
    files, truth = build_site(n, seed)
    for rel, body in files.items():
        path = outdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
    (outdir / "truth.json").write_text(
        json.dumps(truth, indent=1, ensure_ascii=False), encoding="utf-8"
    )
    return truth


def main() -> None:
    """Command line: ``python bench/generate.py N OUTDIR --seed S``."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of talk pages")
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    truth = write_site(args.n, args.outdir, args.seed)
    listings = max(1, -(-len(truth) // PER_LISTING))
    print(f"wrote {len(truth)} talk pages and {listings} listing pages to {args.outdir}")


if __name__ == "__main__":
    main()

"""Citations on the site: Zotero-style metadata on every talk page (re-read with extruct),
per-talk downloads, the search page's export menu, exports and feeds of any search."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import bibtexparser
import extruct
import icalendar
import lxml.html
import pytest
import rispy
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from test_exports import api_ids

import templates
from archive.spreadsheet import BOM

ATOM = "{http://www.w3.org/2005/Atom}"


def every_talk(client: FlaskClient) -> list[dict[str, object]]:
    """Every visible talk through the API (id, url, speakers …)."""
    talks: list[dict[str, object]] = []
    page = 1
    while True:
        body = client.get("/api/v1/talks", query_string={"page": page, "per_page": 50}).get_json()
        talks += body["results"]
        if page * 50 >= body["total"]:
            return talks
        page += 1


def test_every_talk_page_carries_citation_tags_and_json_ld(client: FlaskClient) -> None:
    talks = every_talk(client)
    assert len(talks) >= 20
    for talk in talks:
        response = client.get(str(talk["url"]), follow_redirects=True)
        html = response.get_data(as_text=True)
        page_url = "http://archive.test" + response.request.path
        tree = lxml.html.fromstring(html)
        meta: dict[str, list[str]] = {}
        for tag in tree.xpath("//head/meta[starts-with(@name, 'citation_')]"):
            meta.setdefault(tag.get("name"), []).append(tag.get("content"))
        assert meta["citation_title"] == [talk["topic"] or talk["title"]], talk["id"]
        assert meta["citation_author"] == [s["name"] for s in talk["speakers"]]  # type: ignore[attr-defined]
        assert meta["citation_public_url"] == [page_url]
        if talk["date"]:
            assert meta["citation_date"] == [str(talk["date"]).replace("-", "/")]
            assert meta["citation_publication_date"] == meta["citation_date"]
        data = extruct.extract(html, base_url=page_url, syntaxes=["json-ld"], uniform=True)
        (event,) = [d for d in data["json-ld"] if d.get("@type") in ("Event", "EducationEvent")]
        assert event["name"] == meta["citation_title"][0] and event["url"] == page_url
        performers = event["performer"]
        assert [p["name"] for p in performers] == meta["citation_author"]
        assert all(p["@type"] == "Person" for p in performers)
        if talk["date"]:
            assert str(event["startDate"]).startswith(str(talk["date"]))


def test_json_ld_of_a_timed_talk(client: FlaskClient) -> None:
    html = client.get("/?q=Buchwaldt").get_data(as_text=True)
    link = re.findall(r'href="(/talks/\d+-[^"]+)"', html)[0]
    page = client.get(link).get_data(as_text=True)
    (event,) = extruct.extract(page, syntaxes=["json-ld"])["json-ld"]
    assert event["@type"] == "EducationEvent"
    assert event["startDate"] == "2014-05-06T08:00:00+02:00"  # CEST, from TIME_ZONE
    assert event["performer"][0]["affiliation"] == {
        "@type": "Organization",
        "name": "Region Zealand",
    }
    assert "Howitzvej 60" in event["location"]["name"]
    assert event["inLanguage"] and event["organizer"]["name"]
    assert {"Health care IT"} <= {a["name"] for a in event["about"]}


def test_json_ld_cannot_close_its_script(site: Flask) -> None:
    """The page writes JSON-LD through Jinja's ``tojson``, which escapes ``<``, ``>`` and ``&``."""
    template = (Path(templates.__file__).parent / "talk.html").read_text(encoding="utf-8")
    assert "{{ json_ld|tojson }}</script>" in template
    with site.test_request_context():
        html = render_template_string(
            '<script type="application/ld+json">{{ data|tojson }}</script>',
            data={"name": "</script><script>alert(1)</script>"},
        )
    assert html.count("</script>") == 1 and "\\u003c/script\\u003e" in html


def talk_link(client: FlaskClient, query: str) -> str:
    html = client.get("/", query_string={"q": query}).get_data(as_text=True)
    return re.findall(r'href="(/talks/\d+-[^"]+)"', html)[0]


def test_talk_page_links_every_citation_format(client: FlaskClient) -> None:
    link = talk_link(client, "Buchwaldt")
    talk_id = int(re.findall(r"/talks/(\d+)", link)[0])
    html = client.get(link).get_data(as_text=True)
    for suffix in (".bib", ".ris", ".csl.json", ".ics"):
        assert f'href="/talks/{talk_id}{suffix}"' in html
    bib = client.get(f"/talks/{talk_id}.bib").get_data(as_text=True)
    (entry,) = bibtexparser.parse_string(bib).entries
    assert entry["url"] == "http://archive.test" + link and entry["urldate"]
    assert "{DKK}" in entry["title"] and "{IT}" in entry["title"]
    ris_ref = rispy.loads(client.get(f"/talks/{talk_id}.ris").get_data(as_text=True))
    assert ris_ref[0]["authors"] == ["Per Buchwaldt"]
    csl = client.get(f"/talks/{talk_id}.csl.json")
    assert csl.mimetype == "application/vnd.citationstyles.csl+json"
    assert csl.get_json()[0]["author"] == [{"family": "Buchwaldt", "given": "Per"}]
    for suffix in (".bib", ".ris", ".csl.json", ".ics"):
        assert client.get(f"/talks/999999{suffix}").status_code == 404


def test_search_export_menu_carries_the_search(client: FlaskClient) -> None:
    html = client.get("/?q=health&industry=Health+care&page=2").get_data(as_text=True)
    menu = html.split('class="exports"', 1)[1].split("</span>", 1)[0]
    links = [u.replace("&amp;", "&") for u in re.findall(r'href="([^"]+)"', menu)]
    paths = [u.split("?")[0] for u in links]
    assert paths == [
        "/export.csv",
        "/export.json",
        "/export.bib",
        "/export.ris",
        "/export.csl.json",
        "/export.datapackage.zip",
        "/feed.atom",
        "/talks.ics",
    ]
    for url in links:
        assert "q=health" in url and "industry=Health+care" in url and "page=" not in url
        assert client.get(url).status_code == 200, url


SEARCH = {"industry": "Health care", "from": "2012", "to": "2016"}


@pytest.mark.parametrize(
    ("params", "name"),
    [
        (SEARCH, "cio-talks_health-care_2012-2016.csv"),
        ({}, "cio-talks.csv"),
        ({"q": "Kjærgaard’s cloud", "lang": "da"}, "cio-talks_kjaergaards-cloud_da.csv"),
        ({"from": "2015-03"}, "cio-talks_from-2015-03.csv"),
        ({"to": "2016"}, "cio-talks_to-2016.csv"),
        ({"q": '"; rm -rf /'}, "cio-talks_rm-rf.csv"),
        ({"q": "talk", "theme": "???"}, "cio-talks_talk.csv"),
    ],
)
def test_export_file_names_say_what_was_searched(
    client: FlaskClient, params: dict[str, str], name: str
) -> None:
    response = client.get("/export.csv", query_string=params)
    response.get_data()  # the stream runs to its end
    assert response.headers["Content-Disposition"] == f'attachment; filename="{name}"'


def test_csv_has_a_bom_and_bios(client: FlaskClient) -> None:
    response = client.get("/export.csv", query_string=SEARCH)
    text = response.get_data(as_text=True)
    assert text.startswith(BOM)
    rows = list(csv.DictReader(io.StringIO(text.removeprefix(BOM))))
    assert [int(r["id"]) for r in rows] == api_ids(client, SEARCH)
    assert any(r["bios"].startswith("Per Buchwaldt: ") for r in rows)


def test_ris_and_csl_exports_of_a_search(client: FlaskClient) -> None:
    ids = api_ids(client, SEARCH)
    assert len(ids) >= 2
    refs = rispy.loads(client.get("/export.ris", query_string=SEARCH).get_data(as_text=True))
    assert [int(r["urls"][0].split("/talks/")[1].split("-")[0]) for r in refs] == ids
    items = client.get("/export.csl.json", query_string=SEARCH).get_json()
    assert [int(i["URL"].split("/talks/")[1].split("-")[0]) for i in items] == ids
    bib = client.get("/export.bib", query_string=SEARCH).get_data(as_text=True)
    assert len(bibtexparser.parse_string(bib).entries) == len(ids)


def test_atom_feed_of_a_search(client: FlaskClient) -> None:
    ids = api_ids(client, {"q": "cloud"})
    root = ET.fromstring(client.get("/feed.atom?q=cloud").data)
    entries = root.findall(f"{ATOM}entry")
    found = [int(e.findtext(f"{ATOM}id", "").split("/talks/")[1].split("-")[0]) for e in entries]
    assert sorted(found) == sorted(ids) and ids
    assert "“cloud”" in (root.findtext(f"{ATOM}title") or "")
    assert root.findtext(f"{ATOM}id") == "http://archive.test/feed.atom?q=cloud"
    everything = ET.fromstring(client.get("/feed.atom").data).findall(f"{ATOM}entry")
    assert len(everything) > len(entries)


def test_calendar_of_a_search(client: FlaskClient) -> None:
    response = client.get("/talks.ics", query_string=SEARCH)
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    events = cal.walk("VEVENT")
    assert len(events) == len(api_ids(client, SEARCH))
    timed = [e for e in events if "TZID" in e["DTSTART"].params]
    assert timed and all(e["DTSTART"].params["TZID"] == "Europe/Copenhagen" for e in timed)
    assert [str(z["TZID"]) for z in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]


def test_time_zone_is_a_setting(tmp_path, site: Flask) -> None:  # type: ignore[no-untyped-def]
    from archive import create_app

    other = create_app({**site.config, "TIME_ZONE": "America/New_York"})
    client = other.test_client()
    link = talk_link(client, "Buchwaldt")
    talk_id = re.findall(r"/talks/(\d+)", link)[0]
    text = client.get(f"/talks/{talk_id}.ics").get_data(as_text=True)
    assert "DTSTART;TZID=America/New_York:20140506T080000" in text
    (event,) = extruct.extract(client.get(link).get_data(as_text=True), syntaxes=["json-ld"])[
        "json-ld"
    ]
    assert event["startDate"] == "2014-05-06T08:00:00-04:00"


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "", "../../etc/passwd"])
def test_a_bad_time_zone_is_one_clear_message(site: Flask, zone: str) -> None:
    from archive import create_app

    with pytest.raises(ValueError, match=r"^CIO_TALKS_TIME_ZONE: unknown time zone"):
        create_app({**site.config, "TIME_ZONE": zone})

"""The statistics page: shares of each year beside the counts, one chosen theme or industry over
time, counts that link to the search finding the same talks, and a CSV of every table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from archive import indexing
from archive.db import engine_of, get_session, session_scope, upgrade
from archive.models import Talk
from archive.tallies import (
    NO_INDUSTRY,
    OTHER,
    DatedTalk,
    over_time,
    parse_choice,
    themes_by_year,
    years_by_industry,
)

CELL = re.compile(
    r'<td>(?:<a class="count" href="([^"]+)">)?(\d+)(?:</a>)? <span class="share">([\d.]+) %'
)
HOSTILE_THEME = '=HYPERLINK("http://evil.example","x")'
HOSTILE_INDUSTRY = "<script>alert('x')</script> & Co"


def talk(year: int, industries: list[str], themes: list[str] | None = None) -> DatedTalk:
    return DatedTalk(year, industries, themes or [])


def test_years_by_industry_counts_each_talk_once_under_its_first_industry() -> None:
    talks = [
        talk(2014, ["Health care", "Public administration"]),
        talk(2014, ["Health care"]),
        talk(2015, []),
        talk(2015, ["Energy"]),
        talk(2016, ["Retail"]),
    ]
    table = years_by_industry(talks, max_series=2)
    assert table.columns == ["2014", "2015", "2016"]
    assert [(row.name, row.counts, row.values) for row in table.rows] == [
        ("Health care", [2, 0, 0], ("Health care",)),
        ("Energy", [0, 1, 0], ("Energy",)),
        (OTHER, [0, 0, 1], ("Retail",)),
        (NO_INDUSTRY, [0, 1, 0], ()),
    ]
    assert table.column_totals == table.year_totals == [2, 2, 1]
    assert table.share(1, 1) == 50.0 and table.share(2) == 40.0


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(2000, 2006),
            st.lists(st.sampled_from(["A", "B", "C", "D", "E"]), max_size=3),
        ),
        min_size=1,
    ),
    st.integers(1, 4),
)
def test_a_years_industry_shares_add_up_to_100(
    pairs: list[tuple[int, list[str]]], keep: int
) -> None:
    table = years_by_industry([talk(y, i) for y, i in pairs], max_series=keep)
    for column in range(len(table.years)):
        shares = [table.share(row.counts[column], column) for row in table.rows]
        assert sum(shares) == pytest.approx(100.0)
    assert sum(table.column_totals) == len(pairs)


def test_themes_by_year_keeps_the_most_frequent_and_counts_a_talk_once_per_theme() -> None:
    talks = [talk(2020, [], ["Cloud", "AI", "AI"]), talk(2021, [], ["AI"]), talk(2021, [], ["X"])]
    table = themes_by_year(talks, max_rows=2)
    assert [(row.name, row.counts) for row in table.rows] == [("AI", [1, 1]), ("Cloud", [1, 0])]
    assert table.year_totals == [1, 2]


def test_over_time_counts_the_label_in_any_position_over_every_year() -> None:
    talks = [
        talk(2010, ["Retail", "Energy"]),
        talk(2011, ["Energy"]),
        talk(2012, ["Retail"]),
        talk(2012, []),
    ]
    table = over_time(talks, "industry", "Energy")
    assert table.years == [2010, 2011, 2012]
    assert table.rows[0].counts == [1, 1, 0] and table.year_totals == [1, 1, 2]
    assert [r[:3] for r in table.long_rows()] == [
        ("Energy", 2010, 1),
        ("Energy", 2011, 1),
        ("Energy", 2012, 0),
    ]


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("theme:Cloud computing", ("theme", "Cloud computing")),
        ("industry: Health care ", ("industry", "Health care")),
        ("theme:a:b", ("theme", "a:b")),
        ("speaker:Ann", None),
        ("theme:", None),
        ("Cloud", None),
        ("", None),
    ],
)
def test_parse_choice(value: str, parsed: tuple[str, str] | None) -> None:
    assert parse_choice(value) == parsed


def tables_of(html: str) -> list[str]:
    return re.findall(r'<table class="numbers">(.*?)</table>', html, re.S)


def search_count(client: FlaskClient, href: str) -> int:
    """Follow a count's link to the search page and read how many talks it found."""
    response = client.get(unescape(href))
    assert response.status_code == 200
    found = re.search(r'<strong id="count">(\d+)</strong>', response.get_data(as_text=True))
    assert found, href
    return int(found.group(1))


def test_stats_page_has_four_tables_three_svg_charts_and_no_scripts(client: FlaskClient) -> None:
    html = client.get("/stats").get_data(as_text=True)
    assert html.count("<svg") == 3 and "<script" not in html
    assert html.count('role="img"') == 3 and html.count("<desc") == 3
    assert len(tables_of(html)) == 4
    assert html.count('role="region"') == 3 and 'aria-label="Data: ' in html
    assert '<label for="series">' in html and 'id="series" name="series"' in html
    assert html.count("Download this table as CSV") == 4


def test_industry_shares_add_up_and_year_totals_match_the_search(client: FlaskClient) -> None:
    industries = tables_of(client.get("/stats").get_data(as_text=True))[0]
    body, foot = industries.split("<tfoot>")
    years = re.findall(r'<th scope="col">(\d{4})</th>', industries)
    cells = [
        CELL.findall(row) for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>")[1], re.S)
    ]
    for column in range(len(years)):
        assert sum(float(row[column][2]) for row in cells) == pytest.approx(
            100.0, abs=0.05 * len(cells)
        )
    totals = CELL.findall(foot)
    assert len(totals) == len(years) + 1
    for (href, count, _share), year in zip(totals, years, strict=False):
        assert parse_qs(urlsplit(unescape(href)).query) == {"year": [year]}
        assert search_count(client, href) == int(count)
    assert search_count(client, totals[-1][0]) == int(totals[-1][1])
    # A talk counts under its first industry only; the search also finds the later ones.
    for row in cells:
        for href, count, _share in row:
            assert not href or search_count(client, href) >= int(count)
    heads = re.findall(r'<th scope="row"><a href="([^"]+)">([^<]+)</a></th>', body)
    assert heads and all(NO_INDUSTRY not in name and OTHER not in name for _, name in heads)
    href, name = heads[0]
    chosen = client.get(unescape(href)).get_data(as_text=True)
    assert f'<option value="industry:{name}" selected>' in chosen


@pytest.mark.parametrize("choice", ["theme:Cloud computing", "industry:Health care"])
def test_a_chosen_series_counts_equal_the_linked_searches(client: FlaskClient, choice: str) -> None:
    html = client.get("/stats", query_string={"series": choice}).get_data(as_text=True)
    param, label = choice.split(":")
    assert re.search(rf'<option value="{choice}" selected>', html)
    assert f"over time: {label}" in html
    chosen = tables_of(html)[2]
    row = CELL.findall(chosen.split("<tbody>")[1].split("</tbody>")[0])
    year_totals = [int(c) for _, c, _ in CELL.findall(chosen.split("<tfoot>")[1])]
    assert sum(int(count) for _, count, _ in row[:-1]) == int(row[-1][1]) > 0
    for (href, count, share), base in zip(row, year_totals, strict=True):
        query = parse_qs(urlsplit(unescape(href)).query)
        assert query[param] == [label] and ("year" in query or {"from", "to"} <= set(query))
        assert search_count(client, href) == int(count)
        assert float(share) == pytest.approx(100 * int(count) / base, abs=0.05)


def test_an_unknown_choice_says_so_and_shows_the_top_theme(client: FlaskClient) -> None:
    html = client.get("/stats", query_string={"series": "theme:No such thing"}).get_data(
        as_text=True
    )
    assert "The archive has no theme or industry “theme:No such thing”" in html
    assert html.count("<svg") == 3


def csv_of(client: FlaskClient, path: str, **args: str) -> list[dict[str, str]]:
    response = client.get(path, query_string=args)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment; filename=" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize(("name", "index"), [("industries", 0), ("themes", 1), ("chosen", 2)])
def test_each_csv_matches_its_table(client: FlaskClient, name: str, index: int) -> None:
    series = "industry:Financial services"
    html = client.get("/stats", query_string={"series": series}).get_data(as_text=True)
    table = tables_of(html)[index]
    years = re.findall(r'<th scope="col">(\d{4})</th>', table)
    shown = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1].split("</tbody>")[0], re.S):
        label = unescape(re.sub(r"<[^>]+>", "", re.findall(r"<th[^>]*>(.*?)</th>", row)[0]))
        counts = re.findall(r"<td>(?:<a[^>]*>)?(\d+)(?:</a>)? <span", row)
        shown.update({(label, year): int(c) for year, c in zip(years, counts, strict=False)})
    rows = csv_of(client, f"/stats/{name}.csv", series=series)
    assert {(next(iter(r.values())), r["year"]): int(r["talks"]) for r in rows} == shown
    for r in rows:
        expected = 100 * int(r["talks"]) / int(r["talks_that_year"])
        assert float(r["share_of_year_percent"]) == pytest.approx(expected, abs=0.01)


def test_organisation_csv_matches_its_table(client: FlaskClient) -> None:
    table = tables_of(client.get("/stats").get_data(as_text=True))[3]
    shown = [
        (unescape(name), int(count))
        for name, count in re.findall(
            r'<th scope="row"><a [^>]+>([^<]+)</a></th><td><a [^>]+>(\d+)', table
        )
    ]
    rows = csv_of(client, "/stats/organisations.csv")
    assert [(r["organisation"], int(r["talks"])) for r in rows] == shown and len(shown) == 15
    for href in re.findall(r'<td><a class="count" href="([^"]+)">', table)[:3]:
        count = re.search(rf'href="{re.escape(href)}">(\d+)</a></td>', table)
        assert count and search_count(client, href) == int(count.group(1))


def test_unknown_download_is_404(client: FlaskClient) -> None:
    assert client.get("/stats/secrets.csv").status_code == 404


@pytest.fixture
def hostile_app(app: Flask) -> Iterator[Flask]:
    """Talks over three years whose industry and theme labels are markup and a formula."""
    upgrade(engine_of(app))
    with session_scope(app) as session:
        for number, (year, industries, themes) in enumerate(
            [
                (2019, [HOSTILE_INDUSTRY], [HOSTILE_THEME]),
                (2019, ["Retail", HOSTILE_INDUSTRY], ["Cloud"]),
                (2020, ["Retail"], [HOSTILE_THEME, "Cloud"]),
                (2021, [], [HOSTILE_THEME]),
            ]
        ):
            session.add(
                Talk(
                    source_url=f"https://example.edu/talk/{number}",
                    topic=f"Talk {number}",
                    date=dt.date(year, 3, 1),
                    industries=industries,
                    themes=themes,
                )
            )
        session.add(
            Talk(
                source_url="https://example.edu/hidden",
                topic="Hidden",
                date=dt.date(2020, 1, 1),
                themes=[HOSTILE_THEME],
                hidden=True,
            )
        )
    with app.app_context():
        indexing.rebuild(get_session(), app.config["INDEX_DIR"])
    yield app


def test_hostile_labels_are_escaped_and_counts_match_the_search(hostile_app: Flask) -> None:
    client = hostile_app.test_client()
    for choice, expected in (
        (f"theme:{HOSTILE_THEME}", [1, 1, 1]),
        (f"industry:{HOSTILE_INDUSTRY}", [2, 0, 0]),
    ):
        html = client.get("/stats", query_string={"series": choice}).get_data(as_text=True)
        assert "<script>alert" not in html
        for svg in re.findall(r"<svg.*?</svg>", html, re.S):
            ET.fromstring(svg)  # well-formed: every label escaped
        assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co" in html
        row = CELL.findall(tables_of(html)[2].split("<tbody>")[1].split("</tbody>")[0])
        assert [int(c) for _, c, _ in row[:-1]] == expected
        for href, count, _share in row:
            assert search_count(client, href) == int(count)
        rows = csv_of(client, "/stats/chosen.csv", series=choice)
        name = choice.split(":", 1)[1]
        column = choice.split(":")[0]
        assert [int(r["talks"]) for r in rows] == expected
        assert {r[column] for r in rows} == {"'" + name if name.startswith("=") else name}
    industries = csv_of(client, "/stats/industries.csv")
    assert {r["industry"] for r in industries} == {HOSTILE_INDUSTRY, "Retail", NO_INDUSTRY}
    themes = csv_of(client, "/stats/themes.csv")
    assert "'" + HOSTILE_THEME in {r["theme"] for r in themes}
    assert {r["year"]: r["talks_that_year"] for r in themes} == {
        "2019": "2",
        "2020": "1",
        "2021": "1",
    }

"""The statistics page: talks per year by industry, themes over time, one chosen theme or
industry over time and the top organisations. Every count links to the search that finds the
same talks, every share is of the year's talks, and every chart's table downloads as CSV."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext
from markupsafe import Markup
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from archive import charts, i18n
from archive.db import get_session
from archive.models import Appearance, Organisation, Talk
from archive.spreadsheet import stream_csv
from archive.tallies import (
    NO_INDUSTRY,
    OTHER,
    DatedTalk,
    Table,
    labels,
    over_time,
    parse_choice,
    percent,
    themes_by_year,
    years_by_industry,
)
from archive.views.search import url_with
from archive.views.talks import attachment, slugify

bp = Blueprint("stats", __name__)

MAX_SERIES = 7
MAX_THEMES = 12
MAX_ORGANISATIONS = 15
#: The CSV downloads: one per chart's table, and the organisations table.
DOWNLOADS = ("industries", "themes", "chosen", "organisations")
#: The footer row's name in every table.
ALL_TALKS = "All talks"


@dataclass(frozen=True)
class Cell:
    """A count as a table prints it: its share of the year's talks and the search behind it."""

    count: int
    share: str
    href: str | None


@dataclass(frozen=True)
class Line:
    """One printed table row: its name, a cell per year and a cell for all years."""

    name: str
    cells: list[Cell]
    total: Cell


def search_url(
    param: str | None, values: Sequence[str], year: int | None, span: Sequence[int] = ()
) -> str:
    """The search page filtered to ``values`` of ``param`` and to ``year``, or to the years
    from the first to the last of ``span``."""
    pairs = [(param, value) for value in values] if param else []
    if year is not None:
        pairs.append(("year", str(year)))
    elif span:
        pairs += [("from", str(min(span))), ("to", str(max(span)))]
    return url_with(MultiDict(pairs))


def industry_link(label: str) -> str | None:
    """The over-time chart of one industry (None for the rows that sum several or none)."""
    if label in (OTHER, NO_INDUSTRY):
        return None
    return url_for("stats.index", series=f"industry:{label}", _anchor="chosen")


def lines(table: Table) -> list[Line]:
    """The table's rows with shares and search links; rows no filter can find get no links."""
    out = []
    for row in table.rows:
        linked = bool(row.values)
        cells = [
            Cell(
                count,
                percent(table.share(count, i)),
                search_url(table.param, row.values, year) if linked else None,
            )
            for i, (count, year) in enumerate(zip(row.counts, table.years, strict=True))
        ]
        href = search_url(table.param, row.values, None, table.years) if linked else None
        out.append(Line(row.name, cells, Cell(row.total, percent(table.share(row.total)), href)))
    return out


def year_line(table: Table) -> Line:
    """The footer row: every dated talk of each year, linked to that year's search."""
    cells = [
        Cell(count, percent(100.0 if count else 0.0), search_url(None, (), year))
        for count, year in zip(table.year_totals, table.years, strict=True)
    ]
    whole = Cell(table.talks, percent(100.0), search_url(None, (), None, table.years))
    return Line(ALL_TALKS, cells, whole)


def dated_talks() -> tuple[int, list[DatedTalk]]:
    """The number of visible talks, and the year, industries and themes of those with a date."""
    session = get_session()
    rows = session.execute(
        select(Talk.date, Talk.industries, Talk.themes).where(Talk.hidden.is_(False))
    )
    dated = [
        DatedTalk(date.year, list(industries or []), list(themes or []))
        for date, industries, themes in rows
        if date is not None
    ]
    total = session.scalar(select(func.count(Talk.id)).where(Talk.hidden.is_(False))) or 0
    return total, dated


def top_organisations(limit: int = MAX_ORGANISATIONS) -> list[tuple[str, int]]:
    """Organisations with the number of visible talks their speakers gave, most first."""
    talks = func.count(func.distinct(Appearance.talk_id))
    rows = get_session().execute(
        select(Organisation.name, talks)
        .join(Appearance, Appearance.organisation_id == Organisation.id)
        .join(Talk, Talk.id == Appearance.talk_id)
        .where(Talk.hidden.is_(False))
        .group_by(Organisation.name)
        .order_by(talks.desc(), Organisation.name)
        .limit(limit)
    )
    return [(str(name), int(count)) for name, count in rows]


@dataclass(frozen=True)
class Choice:
    """The theme or industry chosen for the over-time chart, and what the selector offers."""

    param: str
    label: str
    asked: str
    unknown: bool
    options: dict[str, list[str]]

    @property
    def value(self) -> str:
        """The selector's value for the choice (``theme:Cloud``)."""
        return f"{self.param}:{self.label}" if self.label else ""


def choose(talks: Sequence[DatedTalk], asked: str) -> Choice:
    """The choice named by ``asked`` (``theme:…`` or ``industry:…``) if the archive has it;
    otherwise the most frequent theme, with ``unknown`` set when something else was asked."""
    options = {param: labels(talks, param) for param in ("theme", "industry")}
    parsed = parse_choice(asked)
    if parsed and parsed[1] in options[parsed[0]]:
        return Choice(parsed[0], parsed[1], asked, False, options)
    top = themes_by_year(talks, 1).rows
    fallback = top[0].name if top else ""
    return Choice("theme", fallback, asked, bool(asked.strip()), options)


def tables(talks: Sequence[DatedTalk], choice: Choice) -> dict[str, Table]:
    """Each chart's table by its download name."""
    return {
        "industries": years_by_industry(talks, MAX_SERIES),
        "themes": themes_by_year(talks, MAX_THEMES),
        "chosen": over_time(talks, choice.param, choice.label),
    }


def kind_names() -> dict[str, str]:
    """ "Industry" and "Theme" in the interface language, by URL parameter."""
    return {"industry": gettext("Industry"), "theme": gettext("Theme")}


def row_name(name: str, param: str | None) -> str:
    """A table row's name as the page shows it: the summed rows and the footer in words of
    the interface language, a theme or industry by its label in that language."""
    fixed = {
        OTHER: gettext("Other industries"),
        NO_INDUSTRY: gettext("No industry"),
        ALL_TALKS: gettext("All talks"),
    }
    if name in fixed:
        return fixed[name]
    return i18n.label_text(name, param) if param else name


def draw(name: str, table: Table, choice: Choice) -> Markup:
    """The SVG chart of one table, its words in the interface language."""
    if name == "themes":
        return charts.heatmap(
            "chart-theme",
            [row_name(row.name, "theme") for row in table.rows],
            table.columns,
            [row.counts for row in table.rows],
            title=gettext("Themes over time"),
            desc=gettext(
                "Heat map: one row per theme, one column per year; darker cells mean more "
                "talks. The table below gives the same numbers with shares of each year."
            ),
        )
    if name == "industries":
        return charts.stacked_bars(
            "chart-industry",
            table.columns,
            [(row_name(row.name, "industry"), row.counts) for row in table.rows],
            title=gettext("Talks per year by industry"),
            desc=gettext(
                "Stacked bars: one bar per year, one segment per industry of the speakers' "
                "organisations. Talks with several industries are counted under the first. "
                "The table below gives the same numbers with shares of each year."
            ),
            muted=(row_name(OTHER, None), row_name(NO_INDUSTRY, None)),
        )
    kind = kind_names()[choice.param]
    label = row_name(choice.label, choice.param)
    return charts.stacked_bars(
        "chart-chosen",
        table.columns,
        [(row_name(row.name, choice.param), row.counts) for row in table.rows],
        title=gettext("%(kind)s over time: %(label)s", kind=kind, label=label),
        desc=(
            gettext(
                "Bars: talks per year with the industry %(label)s. "
                "The table below gives the same numbers with shares of each year.",
                label=label,
            )
            if choice.param == "industry"
            else gettext(
                "Bars: talks per year with the theme %(label)s. "
                "The table below gives the same numbers with shares of each year.",
                label=label,
            )
        ),
    )


@bp.get("/stats")
def index() -> str:
    """Charts as inline SVG, each followed by its data table, and the top organisations."""
    total, dated = dated_talks()
    choice = choose(dated, request.args.get("series", ""))
    by_name = tables(dated, choice)
    organisations = top_organisations()
    return render_template(
        "stats.html",
        total=total,
        undated=total - len(dated),
        tables=by_name,
        lines={name: lines(table) for name, table in by_name.items()},
        year_lines={name: year_line(table) for name, table in by_name.items()},
        charts={name: draw(name, table, choice) for name, table in by_name.items()},
        choice=choice,
        kinds=kind_names(),
        row_name=row_name,
        theme_link=lambda label: url_for("browse.detail", kind="themes", label=label),
        industry_link=industry_link,
        organisations=[(name, n, search_url("org", [name], None)) for name, n in organisations],
    )


def _csv_rows(
    name: str, choice: Choice, talks: Sequence[DatedTalk]
) -> tuple[list[str], Iterable[Sequence[object]]]:
    if name == "organisations":
        return ["organisation", "talks"], top_organisations()
    table = tables(talks, choice)[name]
    header = [table.param, "year", "talks", "share_of_year_percent", "talks_that_year"]
    return header, table.long_rows()


@bp.get("/stats/<name>.csv")
def download(name: str) -> Response:
    """One chart's table as CSV (tidy: a row per name and year), through the one CSV writer."""
    if name not in DOWNLOADS:
        abort(404)
    _total, dated = dated_talks()
    choice = choose(dated, request.args.get("series", ""))
    header, rows = _csv_rows(name, choice, dated)
    stem = f"cio-talks-stats_{name}"
    if name == "chosen" and choice.label:
        stem += f"_{choice.param}_{slugify(choice.label)}"
    return attachment(stream_csv(header, rows), "text/csv", f"{stem}.csv")

"""The statistics page: talks per year by industry, themes over time, top organisations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from flask import Blueprint, render_template
from sqlalchemy import func, select

from archive import charts
from archive.db import get_session
from archive.models import Appearance, Organisation, Talk

bp = Blueprint("stats", __name__)

NO_INDUSTRY = "No industry"
OTHER = "Other industries"
MAX_SERIES = 7
MAX_THEMES = 12


@dataclass
class Table:
    """A chart's numbers: row names × column names → counts, plus the row totals."""

    columns: list[str]
    rows: list[tuple[str, list[int]]]

    @property
    def column_totals(self) -> list[int]:
        """Sum of each column over all rows."""
        return [sum(r[1][i] for r in self.rows) for i in range(len(self.columns))]


def years_by_industry(talks: Iterable[tuple[int, Sequence[str]]], max_series: int) -> Table:
    """Talks per year by industry, each talk counted once under its first industry.

    ``talks`` holds (year, industries). The ``max_series`` biggest industries keep their own
    row; the rest are summed as "Other industries", and talks without one as "No industry".
    """
    pairs = [(year, industries[0] if industries else NO_INDUSTRY) for year, industries in talks]
    years = sorted({year for year, _ in pairs})
    totals = Counter(name for _, name in pairs if name != NO_INDUSTRY)
    keep = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))]
    named, rest = keep[:max_series], set(keep[max_series:])
    grid: Counter[tuple[str, int]] = Counter()
    for year, name in pairs:
        grid[(OTHER if name in rest else name, year)] += 1
    names = named + [n for n in (OTHER, NO_INDUSTRY) if any(grid[(n, y)] for y in years)]
    return Table([str(y) for y in years], [(n, [grid[(n, y)] for y in years]) for n in names])


def themes_by_year(talks: Iterable[tuple[int, Sequence[str]]], max_rows: int) -> Table:
    """Talks per theme and year for the ``max_rows`` most frequent themes (all years shown)."""
    rows = list(talks)
    years = sorted({year for year, _ in rows})
    totals: Counter[str] = Counter(theme for _, themes in rows for theme in set(themes))
    top = [name for name, _ in sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))][:max_rows]
    grid: Counter[tuple[str, int]] = Counter(
        (theme, year) for year, themes in rows for theme in set(themes)
    )
    return Table([str(y) for y in years], [(t, [grid[(t, y)] for y in years]) for t in top])


def top_organisations(limit: int = 15) -> list[tuple[str, int]]:
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


@bp.get("/stats")
def index() -> str:
    """Charts as inline SVG, each followed by its data table, and the top organisations."""
    session = get_session()
    rows = session.execute(
        select(Talk.date, Talk.industries, Talk.themes).where(Talk.hidden.is_(False))
    )
    dated = [
        (date.year, list(industries or []), list(themes or []))
        for date, industries, themes in rows
        if date is not None
    ]
    total = session.scalar(select(func.count(Talk.id)).where(Talk.hidden.is_(False))) or 0
    by_industry = years_by_industry(((y, i) for y, i, _ in dated), MAX_SERIES)
    by_theme = themes_by_year(((y, t) for y, _, t in dated), MAX_THEMES)
    industry_chart = charts.stacked_bars(
        "chart-industry",
        by_industry.columns,
        by_industry.rows,
        title="Talks per year by industry",
        desc=(
            "Stacked bars: one bar per year, one segment per industry of the speakers' "
            "organisations. Talks with several industries are counted under the first. "
            "The table below gives the same numbers."
        ),
    )
    theme_chart = charts.heatmap(
        "chart-theme",
        [name for name, _ in by_theme.rows],
        by_theme.columns,
        [counts for _, counts in by_theme.rows],
        title="Themes over time",
        desc=(
            "Heat map: one row per theme, one column per year; darker cells mean more talks. "
            "The table below gives the same numbers."
        ),
    )
    return render_template(
        "stats.html",
        total=total,
        undated=total - len(dated),
        by_industry=by_industry,
        by_theme=by_theme,
        industry_chart=industry_chart,
        theme_chart=theme_chart,
        organisations=top_organisations(),
    )

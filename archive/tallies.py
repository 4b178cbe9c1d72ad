"""The statistics page's numbers: talks per year by industry, by theme, or for one chosen theme
or industry, each count with its share of the year's talks and the search filter that finds
the same talks. Pure: (year, industries, themes) per dated talk in, tables out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

NO_INDUSTRY = "No industry"
OTHER = "Other industries"
#: Search parameter → what the page calls one of its values.
KINDS = {"industry": "Industry", "theme": "Theme"}


@dataclass(frozen=True)
class DatedTalk:
    """What the statistics need of one visible talk with a date."""

    year: int
    industries: Sequence[str]
    themes: Sequence[str]


@dataclass(frozen=True)
class Row:
    """One table row: its name, a count per year, and the values of the search parameter that
    find its talks (empty when no search filter can, as for talks without an industry)."""

    name: str
    counts: list[int]
    values: tuple[str, ...]

    @property
    def total(self) -> int:
        """The row's talks over all years."""
        return sum(self.counts)


@dataclass(frozen=True)
class Table:
    """Rows × years of talk counts; ``param`` is the search parameter the rows filter on and
    ``year_totals`` the number of dated talks in each year (the base of every share)."""

    param: str
    years: list[int]
    rows: list[Row]
    year_totals: list[int]

    @property
    def columns(self) -> list[str]:
        """The years as column headings."""
        return [str(year) for year in self.years]

    @property
    def column_totals(self) -> list[int]:
        """Sum of each year's counts over the rows."""
        return [sum(row.counts[i] for row in self.rows) for i in range(len(self.years))]

    @property
    def talks(self) -> int:
        """Dated talks over all years."""
        return sum(self.year_totals)

    def share(self, count: int, column: int | None = None) -> float:
        """``count`` as a percentage of the talks of year number ``column`` (None: all years)."""
        base = self.talks if column is None else self.year_totals[column]
        return 100.0 * count / base if base else 0.0

    def long_rows(self) -> list[tuple[str, int, int, float, int]]:
        """(row name, year, talks, share %, year's talks) per cell: the table as tidy data."""
        return [
            (row.name, year, row.counts[i], round(self.share(row.counts[i], i), 2), base)
            for row in self.rows
            for i, (year, base) in enumerate(zip(self.years, self.year_totals, strict=True))
        ]


def percent(value: float) -> str:
    """A share as the tables print it: one decimal and a per cent sign."""
    return f"{value:.1f} %"


def _years(talks: Sequence[DatedTalk]) -> tuple[list[int], list[int]]:
    per_year = Counter(talk.year for talk in talks)
    years = sorted(per_year)
    return years, [per_year[year] for year in years]


def _most_first(counts: Counter[str]) -> list[str]:
    return [name for name, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def years_by_industry(talks: Iterable[DatedTalk], max_series: int) -> Table:
    """Talks per year by industry, each talk counted once under its first industry, so a
    year's shares add up to 100 %.

    The ``max_series`` biggest industries keep their own row; the rest are summed as "Other
    industries", and talks without one as "No industry".
    """
    dated = list(talks)
    years, year_totals = _years(dated)
    firsts = [(talk.year, talk.industries[0] if talk.industries else None) for talk in dated]
    keep = _most_first(Counter(name for _, name in firsts if name is not None))
    named, rest = keep[:max_series], keep[max_series:]
    grid: Counter[tuple[str | None, int]] = Counter()
    for year, name in firsts:
        grid[(OTHER if name in rest else name, year)] += 1
    rows = [Row(name, [grid[(name, y)] for y in years], (name,)) for name in named]
    for name, key, values in ((OTHER, OTHER, tuple(rest)), (NO_INDUSTRY, None, ())):
        counts = [grid[(key, y)] for y in years]
        if any(counts):
            rows.append(Row(name, counts, values))
    return Table("industry", years, rows, year_totals)


def themes_by_year(talks: Iterable[DatedTalk], max_rows: int) -> Table:
    """Talks per theme and year for the ``max_rows`` most frequent themes (all years shown).
    A talk can have several themes, so a year's shares may add up to more than 100 %."""
    dated = list(talks)
    years, year_totals = _years(dated)
    grid: Counter[tuple[str, int]] = Counter(
        (theme, talk.year) for talk in dated for theme in set(talk.themes)
    )
    totals: Counter[str] = Counter(theme for talk in dated for theme in set(talk.themes))
    top = _most_first(totals)[:max_rows]
    rows = [Row(theme, [grid[(theme, y)] for y in years], (theme,)) for theme in top]
    return Table("theme", years, rows, year_totals)


def labels(talks: Iterable[DatedTalk], param: str) -> list[str]:
    """Every industry or theme (``param``) the talks have, in alphabetical order."""
    found = {
        label
        for talk in talks
        for label in (talk.industries if param == "industry" else talk.themes)
    }
    return sorted(found, key=str.casefold)


def over_time(talks: Iterable[DatedTalk], param: str, label: str) -> Table:
    """Talks per year with the industry or theme (``param``) ``label`` in any position, which
    is what the search's filter of the same name finds; every year of the archive is a column."""
    dated = list(talks)
    years, year_totals = _years(dated)
    per_year = Counter(
        talk.year
        for talk in dated
        if label in (talk.industries if param == "industry" else talk.themes)
    )
    return Table(param, years, [Row(label, [per_year[y] for y in years], (label,))], year_totals)


def parse_choice(value: str) -> tuple[str, str] | None:
    """``"theme:Cloud"`` → ("theme", "Cloud"); None for anything else."""
    kind, sep, label = value.partition(":")
    label = label.strip()
    return (kind, label) if sep and kind in KINDS and label else None

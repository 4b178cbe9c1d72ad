"""What the search page shows about its filters: facet panels (top values, the selected ones
marked, a "show more" when there are more), chips that name their facet, a chip for the date
range, and the filters a zero-result page offers to drop. Pure: values in, values out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext, lazy_gettext
from werkzeug.datastructures import MultiDict

#: Values a facet panel shows before its "show more" link.
SHOWN = 10
#: Facet name in the index result → URL parameter that filters on it.
FACET_PARAMS = {
    "industry": "industry",
    "theme": "theme",
    "year": "year",
    "organisation": "org",
    "language": "lang",
    "speaker": "speaker",
}
#: URL parameter → what a chip calls it.
PARAM_LABELS = {
    "industry": lazy_gettext("Industry"),
    "theme": lazy_gettext("Theme"),
    "year": lazy_gettext("Year"),
    "org": lazy_gettext("Organisation"),
    "lang": lazy_gettext("Language"),
    "speaker": lazy_gettext("Speaker"),
}
FACET_LABELS = {name: PARAM_LABELS[param] for name, param in FACET_PARAMS.items()}
DATE_PARAMS = ("from", "to")


@dataclass(frozen=True)
class FacetValue:
    """One line of a facet panel."""

    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Panel:
    """One facet's panel: its lines and whether a full list has more."""

    name: str
    param: str
    title: str
    values: list[FacetValue]
    more: bool


@dataclass(frozen=True)
class Chip:
    """A filter in force: its text ("Industry: Health care") and the parameters it removes."""

    text: str
    remove: tuple[tuple[str, str], ...]


def ordered(name: str, counts: Sequence[tuple[str, int]]) -> list[tuple[str, int]]:
    """Facet values in display order: years newest first, anything else most frequent first."""
    if name == "year":
        return sorted(counts, key=lambda pair: str(pair[0]), reverse=True)
    return list(counts)


def panel(
    name: str,
    counts: Sequence[tuple[str, int]],
    args: MultiDict[str, str],
    label: Callable[[str, str], str],
    limit: int | None = SHOWN,
) -> Panel:
    """A facet's panel: the first ``limit`` values (None: all), selected ones always shown.

    Only the lines shown are built: a speaker facet may hold thousands of values.
    """
    param = FACET_PARAMS[name]
    selected = set(args.getlist(param))
    pairs = ordered(name, counts)
    shown = pairs if limit is None else pairs[:limit]
    if selected and limit is not None:
        shown = shown + [p for p in pairs[limit:] if str(p[0]) in selected]
    values = [FacetValue(str(v), label(param, str(v)), c, str(v) in selected) for v, c in shown]
    return Panel(name, param, str(FACET_LABELS[name]), values, len(shown) < len(pairs))


def panels(
    facets: Mapping[str, Sequence[tuple[str, int]]],
    args: MultiDict[str, str],
    label: Callable[[str, str], str],
) -> list[Panel]:
    """The panels of every facet with values, in the index's facet order."""
    return [panel(name, counts, args, label) for name, counts in facets.items() if counts]


def date_text(date_from: str, date_to: str) -> str:
    """The date range as a chip says it."""
    if date_from and date_to:
        return gettext("Date: %(start)s – %(end)s", start=date_from, end=date_to)
    if date_from:
        return gettext("Date: from %(start)s", start=date_from)
    return gettext("Date: until %(end)s", end=date_to)


def chips(
    args: MultiDict[str, str], params: Sequence[str], label: Callable[[str, str], str]
) -> list[Chip]:
    """One chip per filter value in force, then one for the date range if there is one."""
    out = [
        Chip(f"{PARAM_LABELS.get(param, param)}: {label(param, value)}", ((param, value),))
        for param in params
        for value in args.getlist(param)
        if value.strip()
    ]
    date_from, date_to = (args.get(key, "").strip() for key in DATE_PARAMS)
    if date_from or date_to:
        removes = tuple((key, args.get(key, "")) for key in DATE_PARAMS if args.get(key))
        out.append(Chip(date_text(date_from, date_to), removes))
    return out


def without(args: MultiDict[str, str], remove: Sequence[tuple[str, str]]) -> MultiDict[str, str]:
    """``args`` with the given (parameter, value) pairs and the page number dropped."""
    kept: MultiDict[str, str] = MultiDict()
    drop = set(remove)
    for key, value in args.items(multi=True):
        if key != "page" and (key, value) not in drop:
            kept.add(key, value)
    return kept


def cleared(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """``args`` with every filter dropped: the query text and the order stay."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k in ("q", "sort", "per_page")])

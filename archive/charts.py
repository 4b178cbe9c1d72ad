"""Server-side SVG charts (stacked bars, heat map) readable without JavaScript or inline CSS.

Colours are SVG presentation attributes, not ``style`` attributes, so the charts pass the
site's Content-Security-Policy. Every mark carries a ``<title>`` (a native tooltip), and the
chart itself is an image with a title and description; the pages put the same numbers in a
data table beneath for screen readers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from markupsafe import Markup, escape

#: Okabe–Ito colours (distinguishable with the common colour-vision deficiencies), then grey.
PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#f0e442",
    "#000000",
)
OTHER_COLOUR = "#999999"
HEAT_COLOUR = "#0b4f8a"


def colour(index: int, name: str = "", muted: Collection[str] = ()) -> str:
    """The colour of the ``index``-th series; "Other" and "No industry" series (``muted``:
    their names in the interface language) are grey."""
    if name in muted or name.startswith(("Other", "No ")):
        return OTHER_COLOUR
    return PALETTE[index % len(PALETTE)]


def _nice_step(value: int, ticks: int = 4) -> int:
    """A round gridline step (1, 2 or 5 × a power of ten) giving at most ``ticks`` steps."""
    wanted = max(1, -(-value // ticks))
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= wanted:
                return step * factor
        step *= 10


def _header(chart_id: str, width: int, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def stacked_bars(
    chart_id: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    desc: str,
    muted: Collection[str] = (),
) -> Markup:
    """Vertical bars per category (e.g. year), stacked by series (e.g. industry), with a legend.

    ``series`` holds (name, one count per category). Returns SVG markup; text is escaped.
    """
    bar_w, gap, left, top, plot_h = 28, 10, 44, 16, 220
    legend_rows = -(-len(series) // 3)
    width = max(left + len(categories) * (bar_w + gap) + 16, 560)
    height = top + plot_h + 40 + legend_rows * 20 + 8
    totals = [sum(s[1][i] for s in series) for i in range(len(categories))]
    step = _nice_step(max(totals, default=0))
    y_max = step * max(1, -(-max(totals, default=0) // step))
    scale = plot_h / y_max
    out = _header(chart_id, width, height, title, desc)
    for value in range(0, y_max + 1, step):
        y = top + plot_h - value * scale
        out.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#d8d8dc" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
            f'fill="#555">{value}</text>'
        )
    for i, category in enumerate(categories):
        x = left + gap / 2 + i * (bar_w + gap)
        y = top + plot_h
        for j, (name, counts) in enumerate(series):
            count = counts[i]
            if count <= 0:
                continue
            h = count * scale
            y -= h
            out.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w}" height="{h:.1f}" '
                f'fill="{colour(j, name, muted)}" stroke="#fff" stroke-width="0.5">'
                f"<title>{escape(category)}: {escape(name)}, {count}</title></rect>"
            )
        out.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="11" fill="#1d1d1f">{escape(category)}</text>'
        )
    legend_y = top + plot_h + 36
    for j, (name, _counts) in enumerate(series):
        lx = left + (j % 3) * 180
        ly = legend_y + (j // 3) * 20
        out.append(
            f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour(j, name, muted)}"/>'
            f'<text x="{lx + 18}" y="{ly}" font-size="12" fill="#1d1d1f">{escape(name)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def heatmap(
    chart_id: str,
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[int]],
    *,
    title: str,
    desc: str,
) -> Markup:
    """A grid of rows (e.g. themes) × columns (e.g. years), darker for larger counts.

    Each non-empty cell also prints its count, so the chart does not rely on colour alone.
    """
    label_w, cell_w, cell_h, top = 240, 34, 22, 22
    width = label_w + len(columns) * cell_w + 8
    height = top + len(rows) * cell_h + 8
    peak = max((v for row in values for v in row), default=0) or 1
    out = _header(chart_id, width, height, title, desc)
    for c, column in enumerate(columns):
        out.append(
            f'<text x="{label_w + c * cell_w + cell_w / 2:.1f}" y="{top - 8}" '
            f'text-anchor="middle" font-size="11" fill="#1d1d1f">{escape(column)}</text>'
        )
    for r, row in enumerate(rows):
        y = top + r * cell_h
        name = row if len(row) <= 32 else row[:31] + "…"
        out.append(
            f'<text x="{label_w - 6}" y="{y + cell_h / 2 + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="#1d1d1f">{escape(name)}</text>'
        )
        for c, column in enumerate(columns):
            count = values[r][c]
            share = count / peak
            fill = HEAT_COLOUR if count else "#f5f5f7"
            # At most 60 % ink, so the dark count printed on the cell keeps a 6:1 contrast.
            opacity = f' fill-opacity="{0.1 + 0.5 * share:.2f}"' if count else ""
            x = label_w + c * cell_w
            out.append(
                f'<rect x="{x}" y="{y}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="{fill}"{opacity}><title>{escape(row)}, {escape(column)}: {count}'
                f"</title></rect>"
            )
            if count:
                out.append(
                    f'<text x="{x + (cell_w - 2) / 2:.1f}" y="{y + cell_h / 2 + 3:.1f}" '
                    f'text-anchor="middle" font-size="10" fill="#1d1d1f">{count}</text>'
                )
    out.append("</svg>")
    return Markup("".join(out))

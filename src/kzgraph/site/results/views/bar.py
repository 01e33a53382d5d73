"""Horizontal bars: the value summed per label, largest first (``#+ view: bar LABEL VALUE``)."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.views.svg import PALETTE, chart, figure, label, number, ticks
from kzgraph.sparql.views import View

BAR = 18
MOST = 40  # bars drawn; the rest are summed into one "n others" bar
LABEL_CHARS = 38


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    label_column, value_column = view.columns["label"], view.columns["value"]
    totals: dict[str, float] = defaultdict(float)
    for row in rows:
        name = cells.text(row, label_column) or "(none)"
        totals[name] += cells.number(row, value_column) or 0.0
    ordered = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    if not ordered:
        return ""
    if len(ordered) > MOST:
        rest = ordered[MOST - 1 :]
        ordered = [*ordered[: MOST - 1], (f"{len(rest)} others", sum(v for _, v in rest))]
    left, plot, top = LABEL_CHARS * 6.2 + 10, 460.0, 28.0
    scale = ticks(max(v for _, v in ordered))
    most = scale[-1] or 1.0
    height = top + len(ordered) * BAR + 24

    def x(value: float) -> float:
        return left + value / most * plot

    grid = "".join(
        f"<line class='grid' x1='{x(t):.1f}' x2='{x(t):.1f}' y1='{top - 4}' y2='{height - 20}'/>"
        f"<text x='{x(t):.1f}' y='{top - 8}' text-anchor='middle'>{number(t)}</text>"
        for t in scale
    )
    bars = []
    for i, (name, value) in enumerate(ordered):
        y = top + i * BAR
        bars.append(
            label(left - 6, y + 12, name, LABEL_CHARS, "end")
            + f"<rect x='{left:.1f}' y='{y + 2:.1f}' width='{max(x(value) - left, 1):.1f}' "
            f"height='{BAR - 5}' fill='{PALETTE[0]}'>"
            f"<title>{escape(name)}: {number(value)}</title></rect>"
            f"<text x='{x(value) + 4:.1f}' y='{y + 12:.1f}'>{number(value)}</text>"
        )
    axis = (
        f"<line class='axis' x1='{left:.1f}' x2='{left:.1f}' y1='{top - 4}' y2='{height - 20}'/>"
        f"<text x='{left + plot / 2:.1f}' y='{height - 4:.1f}' text-anchor='middle'>"
        f"{escape(value_column)} (sum per {escape(label_column)})</text>"
    )
    title = f"bar chart: {value_column} per {label_column}"
    svg = chart(left + plot + 60, height, title, grid + axis + "".join(bars))
    return figure("bar", svg, f"{value_column} per {label_column}, largest first")

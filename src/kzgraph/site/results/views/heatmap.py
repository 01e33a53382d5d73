"""A heatmap: rows x columns (rights x years), the summed value as colour, the number written in
each cell, with a legend of the colour scale (``#+ view: heatmap ROW COLUMN VALUE``)."""

from __future__ import annotations

import math
from collections import defaultdict
from html import escape

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.views.svg import BLUES, chart, figure, label, number
from kzgraph.sparql.views import View

CELL_W, CELL_H, ROW_CHARS = 44.0, 22.0, 40


def _columns(values: set[str]) -> list[str]:
    if values and all(v.isdigit() for v in values):
        return [str(y) for y in range(min(map(int, values)), max(map(int, values)) + 1)]
    return sorted(values)


def _shade(value: float, most: float) -> str:
    if value <= 0:
        return "#f7f7f7"
    step = math.ceil(value / most * len(BLUES)) - 1
    return BLUES[min(max(step, 0), len(BLUES) - 1)]


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    row_column, col_column = view.columns["row"], view.columns["column"]
    value_column = view.columns["value"]
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    left_out = 0
    for row in rows:
        r, c = cells.text(row, row_column), cells.text(row, col_column)
        if not r or not c:
            left_out += 1
            continue
        sums[r][c] += cells.number(row, value_column) or 0.0
    if not sums:
        return ""
    names = list(sums)  # in the query's order
    columns = _columns({c for s in sums.values() for c in s})
    most = max(v for s in sums.values() for v in s.values()) or 1.0
    left, top = ROW_CHARS * 6.2 + 10, 34.0
    out = [
        f"<text x='{left + i * CELL_W + CELL_W / 2:.1f}' y='{top - 8}' text-anchor='middle'>"
        f"{escape(c)}</text>"
        for i, c in enumerate(columns)
    ]
    for j, name in enumerate(names):
        y = top + j * CELL_H
        out.append(label(left - 6, y + 15, name, ROW_CHARS, "end"))
        for i, c in enumerate(columns):
            v = sums[name].get(c, 0.0)
            fill = _shade(v, most)
            ink = "#ffffff" if fill in BLUES[4:] else "#1b1b1b"
            x = left + i * CELL_W
            out.append(
                f"<rect x='{x:.1f}' y='{y:.1f}' width='{CELL_W - 2}' height='{CELL_H - 2}' "
                f"fill='{fill}'><title>{escape(name)}, {escape(c)}: {number(v)}</title></rect>"
                + (
                    f"<text x='{x + CELL_W / 2 - 1:.1f}' y='{y + 15:.1f}' text-anchor='middle' "
                    f"fill='{ink}'>{number(v)}</text>"
                    if v
                    else ""
                )
            )
    grid_h = len(names) * CELL_H
    legend_y = top + grid_h + 18
    out.append(f"<text x='{left}' y='{legend_y + 10}'>{escape(value_column)}:</text>")
    for k, colour in enumerate(BLUES):
        low = math.floor(k * most / len(BLUES)) + 1
        high = math.floor((k + 1) * most / len(BLUES))
        x = left + 70 + k * 64
        name = (f"{low}" if low == high else f"{low}–{high}") if low <= high else ""
        out.append(
            f"<rect x='{x}' y='{legend_y}' width='60' height='12' fill='{colour}'/>"
            f"<text x='{x + 30}' y='{legend_y + 25}' text-anchor='middle'>{name}</text>"
        )
    width = max(left + len(columns) * CELL_W + 10, left + 70 + len(BLUES) * 64)
    height = legend_y + 34
    title = f"heatmap: {value_column} per {row_column} and {col_column}"
    caption = f"{value_column} per {row_column} (rows) and {col_column} (columns)"
    if left_out:
        caption += f"; {left_out} row(s) without {row_column} or {col_column} are in the table only"
    return figure("heatmap", chart(width, height, title, "".join(out)), caption)

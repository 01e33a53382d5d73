"""A line over years (or any ordered x): the value summed per x, one line per series when the
view names a ``series`` column (the largest eight, the rest summed as "others")."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.views.svg import PALETTE, chart, figure, label, legend, number, ticks
from kzgraph.sparql.views import View

SERIES = 8


def _order(xs: set[str]) -> list[str]:
    if all(x.lstrip("-").isdigit() for x in xs):
        return [str(v) for v in range(min(map(int, xs)), max(map(int, xs)) + 1)]
    return sorted(xs)


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    x_column, value_column = view.columns["x"], view.columns["value"]
    series_column = view.options.get("series")
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    left_out = 0
    for row in rows:
        x = cells.text(row, x_column)
        if not x:
            left_out += 1
            continue
        name = cells.text(row, series_column) if series_column else value_column
        sums[name or "(none)"][x] += cells.number(row, value_column) or 0.0
    if not sums:
        return ""
    ranked = sorted(sums, key=lambda s: -sum(sums[s].values()))
    if len(ranked) > SERIES:
        others: dict[str, float] = defaultdict(float)
        for name in ranked[SERIES - 1 :]:
            for x, v in sums[name].items():
                others[x] += v
        sums = {**{n: sums[n] for n in ranked[: SERIES - 1]}, "others": others}
        ranked = [*ranked[: SERIES - 1], "others"]
    xs = _order({x for s in sums.values() for x in s})
    left, top, plot_w, plot_h = 56.0, 16.0, 560.0, 240.0
    scale = ticks(max(v for s in sums.values() for v in s.values()))
    most = scale[-1] or 1.0
    step = plot_w / max(len(xs) - 1, 1)

    def px(i: int) -> float:
        return left + i * step

    def py(v: float) -> float:
        return top + plot_h - v / most * plot_h

    grid = "".join(
        f"<line class='grid' x1='{left}' x2='{left + plot_w}' y1='{py(t):.1f}' y2='{py(t):.1f}'/>"
        f"<text x='{left - 6}' y='{py(t) + 4:.1f}' text-anchor='end'>{number(t)}</text>"
        for t in scale
    )
    every = max(1, len(xs) // 12)
    xticks = "".join(
        f"<text x='{px(i):.1f}' y='{top + plot_h + 16}' text-anchor='middle'>{escape(x)}</text>"
        for i, x in enumerate(xs)
        if i % every == 0
    )
    lines = []
    for n, name in enumerate(ranked):
        colour = PALETTE[n % len(PALETTE)]
        points = [(px(i), py(sums[name].get(x, 0.0)), x) for i, x in enumerate(xs)]
        path = " ".join(f"{a:.1f},{b:.1f}" for a, b, _ in points)
        lines.append(f"<polyline points='{path}' fill='none' stroke='{colour}' stroke-width='2'/>")
        lines += [
            f"<circle cx='{a:.1f}' cy='{b:.1f}' r='3.5' fill='{colour}'>"
            f"<title>{escape(name)}, {escape(x)}: {number(sums[name].get(x, 0.0))}</title></circle>"
            for a, b, x in points
        ]
    axes = (
        f"<line class='axis' x1='{left}' x2='{left}' y1='{top}' y2='{top + plot_h}'/>"
        f"<line class='axis' x1='{left}' x2='{left + plot_w}' y1='{top + plot_h}' "
        f"y2='{top + plot_h}'/>"
        f"<text x='{left + plot_w / 2}' y='{top + plot_h + 34}' text-anchor='middle'>"
        f"{escape(x_column)}</text>"
        + label(14, top + plot_h / 2, value_column, 30, "middle",
                f" transform='rotate(-90 14 {top + plot_h / 2})'")
    )  # fmt: skip
    key = legend(left + plot_w + 16, top, [(PALETTE[n % 10], s) for n, s in enumerate(ranked)])
    width = left + plot_w + (180 if series_column else 20)
    title = f"line chart: {value_column} per {x_column}"
    svg = chart(width, top + plot_h + 44, title, grid + xticks + axes + "".join(lines) + key)
    caption = f"{value_column} per {x_column}" + (f", by {series_column}" if series_column else "")
    if left_out:
        caption += f"; {left_out} row(s) without {x_column} are in the table only"
    return figure("line", svg, caption)

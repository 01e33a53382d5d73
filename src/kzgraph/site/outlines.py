"""The base map: the vendored country outlines (:mod:`kzgraph.site.topojson`) in an Albers
equal-area conic projection fitted to Kazakhstan, clipped to the frame, Kazakhstan highlighted
among its neighbours and the neighbours named where they show. Computed once per map width."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

from kzgraph.site.topojson import Country, Ring, world

KAZAKHSTAN = "398"  # ISO 3166-1 numeric, world-atlas's id


@dataclass(frozen=True)
class Albers:
    """The spherical Albers equal-area conic projection (Snyder 1987, p. 100), in radians of
    the sphere; north is up (y grows northwards)."""

    lon0: float
    lat0: float
    lat1: float
    lat2: float

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        r = math.radians
        n = (math.sin(r(self.lat1)) + math.sin(r(self.lat2))) / 2
        c = math.cos(r(self.lat1)) ** 2 + 2 * n * math.sin(r(self.lat1))
        rho0 = math.sqrt(c - 2 * n * math.sin(r(self.lat0))) / n
        rho = math.sqrt(max(c - 2 * n * math.sin(r(lat)), 0.0)) / n
        theta = n * r(((lon - self.lon0 + 180) % 360) - 180)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)


# Standard parallels at 1/6 and 5/6 of Kazakhstan's span of latitude (40.6° to 55.4° N).
KAZAKHSTAN_ALBERS = Albers(lon0=67.0, lat0=48.0, lat1=43.0, lat2=53.0)


@dataclass(frozen=True)
class Frame:
    """Projected coordinates to pixels: the focus country fills the width, with a margin."""

    projection: Albers
    scale: float
    x0: float
    y0: float
    width: int
    height: int

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.projection(lon, lat)
        return (x - self.x0) * self.scale, (self.y0 - y) * self.scale

    def inside(self, x: float, y: float) -> bool:
        return 0 <= x <= self.width and 0 <= y <= self.height


def fit(focus: Country, width: int, margin: float = 0.06) -> Frame:
    """The frame that shows ``focus`` whole, ``margin`` of the width around it."""
    proj = KAZAKHSTAN_ALBERS
    pts = [proj(lon, lat) for poly in focus.polygons for lon, lat in poly[0]]
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    span = max(xs) - min(xs)
    pad = span * margin
    scale = width / (span + 2 * pad)
    height = round((max(ys) - min(ys) + 2 * pad) * scale)
    return Frame(proj, scale, min(xs) - pad, max(ys) + pad, width, height)


def _clip(ring: list[tuple[float, float]], lo: float, hi_x: float, hi_y: float) -> list[Any]:
    """Sutherland–Hodgman: the ring cut to the rectangle [lo, hi_x] × [lo, hi_y]."""
    edges: list[tuple[Callable[[tuple[float, float]], bool], int, float]] = [
        (lambda p: p[0] >= lo, 0, lo),
        (lambda p: p[0] <= hi_x, 0, hi_x),
        (lambda p: p[1] >= lo, 1, lo),
        (lambda p: p[1] <= hi_y, 1, hi_y),
    ]
    out = ring
    for keep, axis, bound in edges:
        if not out:
            break
        src, out = out, []
        prev = src[-1]
        for cur in src:
            if keep(cur) != keep(prev):
                t = (bound - prev[axis]) / (cur[axis] - prev[axis])
                cross = [prev[0] + t * (cur[0] - prev[0]), prev[1] + t * (cur[1] - prev[1])]
                cross[axis] = bound
                out.append((cross[0], cross[1]))
            if keep(cur):
                out.append(cur)
            prev = cur
    return out


def _path(rings: Iterable[Ring], frame: Frame) -> str:
    """One SVG path for the rings, cut a little outside the frame, at 0.1 px."""
    parts = []
    slack = 20.0
    for ring in rings:
        projected = [frame.xy(lon, lat) for lon, lat in ring]
        clipped = _clip(projected, -slack, frame.width + slack, frame.height + slack)
        points: list[str] = []
        for x, y in clipped:
            point = f"{x:.1f},{y:.1f}"
            if not points or points[-1] != point:
                points.append(point)
        if len(points) >= 3:
            parts.append("M" + "L".join(points) + "Z")
    return "".join(parts)


def _centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Area and centroid (x, y) of a ring in pixels (shoelace formula)."""
    a = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(a) < 1e-9:
        return 0.0, 0.0, 0.0
    return abs(a) / 2, cx / (3 * a), cy / (3 * a)


def _inside(x: float, y: float, ring: list[tuple[float, float]]) -> bool:
    """Point in polygon (ray casting)."""
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def _name_spot(
    country: Country, frame: Frame, inset: float = 20.0, size: float = 11.0
) -> tuple[float, float] | None:
    """Where to write a neighbour's name: inside its largest piece on the map, as near the
    piece's centroid as the whole name fits; None when no piece is large enough."""
    pieces = []
    for poly in country.polygons:
        projected = [frame.xy(lon, lat) for lon, lat in poly[0]]
        inner = _clip(projected, inset, frame.width - inset, frame.height - inset)
        if len(inner) >= 3:
            pieces.append((_centroid(inner), inner))
    if not pieces:
        return None
    (area, cx, cy), ring = max(pieces, key=lambda p: p[0][0])
    if area < 4000:
        return None
    coarse = [ring[0]]  # a 4 px outline is enough to place a name
    for x, y in ring[1:]:
        if abs(x - coarse[-1][0]) + abs(y - coarse[-1][1]) > 4:
            coarse.append((x, y))
    ring = coarse
    half = 0.58 * size * len(country.name) / 2
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    spots = [
        (x, y)
        for x in range(int(min(xs)), int(max(xs)) + 1, 8)
        for y in range(int(min(ys)), int(max(ys)) + 1, 8)
        if all(_inside(x + dx, y + dy, ring) for dx in (-half, half) for dy in (-size, 2.0))
    ]
    if not spots:
        return None
    x, y = min(spots, key=lambda p: (p[0] - cx) ** 2 + (p[1] - cy) ** 2)
    return float(x), float(y)


Outlines = tuple[Frame, str, tuple[tuple[str, float, float], ...]]


@functools.cache
def outlines(width: int) -> Outlines:
    """The frame, the outlines' SVG and where to name the neighbours, for a map ``width``
    pixels wide (computed once)."""
    countries = world()
    focus = next(c for c in countries if c.id == KAZAKHSTAN)
    frame = fit(focus, width)
    shapes = []
    names = []
    for country in countries:
        west, south, east, north = country.bbox()
        if east < 20 or west > 120 or north < 20 or south > 75:
            continue  # far from the frame: not worth projecting
        rings = [ring for poly in country.polygons for ring in poly]
        d = _path(rings, frame)
        if not d:
            continue
        own = country.id == KAZAKHSTAN
        spot = None if own else _name_spot(country, frame)
        if spot is not None:
            names.append((country.name, *spot))
        fill, stroke, sw = ("#fbf3dc", "#6b5a2e", "1.2") if own else ("#e4e4e4", "#b5b5b5", "0.6")
        shapes.append(
            f"<path d='{d}' fill='{fill}' stroke='{stroke}' stroke-width='{sw}' "
            f"fill-rule='evenodd' data-country='{escape(country.name)}'>"
            f"<title>{escape(country.name)}</title></path>"
        )
    # Kazakhstan last, so that its border is drawn over its neighbours'
    shapes.sort(key=lambda s: "data-country='Kazakhstan'" in s)
    return frame, "".join(shapes), tuple(names)


__all__ = ["KAZAKHSTAN", "Albers", "Frame", "Outlines", "fit", "outlines"]

"""Country outlines from the vendored world-atlas file (Natural Earth 1:50m as TopoJSON; see
``geodata/VENDORED.md``), decoded here: quantized, delta-encoded arcs shared between
neighbours, and polygons as lists of arc indices (a negative index ``~i`` is arc ``i``
reversed). See the TopoJSON specification, sections 2.1.2 to 2.2.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

Position = tuple[float, float]  # longitude, latitude in degrees
Ring = list[Position]
ATLAS = "countries-50m.json"


@dataclass(frozen=True)
class Country:
    id: str  # ISO 3166-1 numeric, as world-atlas gives it ("398" is Kazakhstan)
    name: str
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: its outer ring, then its holes

    def bbox(self) -> tuple[float, float, float, float]:
        """West, south, east, north over every ring."""
        xs = [x for poly in self.polygons for ring in poly for x, _ in ring]
        ys = [y for poly in self.polygons for ring in poly for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """Every arc in degrees: undo the delta encoding and the quantization transform."""
    transform = topology.get("transform")
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        if transform is None:
            arcs.append([(float(p[0]), float(p[1])) for p in arc])
            continue
        (kx, ky), (dx, dy) = transform["scale"], transform["translate"]
        x = y = 0
        ring: Ring = []
        for p in arc:
            x += p[0]
            y += p[1]
            ring.append((x * kx + dx, y * ky + dy))
        arcs.append(ring)
    return arcs


def _ring(indices: list[int], arcs: list[Ring]) -> Ring:
    """A ring from its arcs: each arc's first point repeats the previous arc's last one."""
    out: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        out.extend(arc[1:] if out else arc)
    return out


def countries(topology: dict[str, Any], name: str = "countries") -> list[Country]:
    """The Polygon and MultiPolygon geometries of one object of the topology."""
    arcs = decode_arcs(topology)
    out = []
    for geometry in topology["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polys = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polys = geometry["arcs"]
        else:
            continue  # null geometries carry no outline
        polygons = tuple(tuple(_ring(ring, arcs) for ring in poly) for poly in polys)
        props = geometry.get("properties") or {}
        out.append(Country(str(geometry.get("id", "")), str(props.get("name", "")), polygons))
    return out


@functools.cache
def world() -> tuple[Country, ...]:
    """The countries of the vendored atlas, read once per process."""
    text = files("kzgraph.site").joinpath("geodata", ATLAS).read_text(encoding="utf-8")
    return tuple(countries(json.loads(text)))

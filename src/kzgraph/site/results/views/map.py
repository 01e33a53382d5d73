"""Places on a map of Kazakhstan and its neighbours (``#+ view: map LABEL LAT LONG VALUE
[id=PLACE]``): a circle per row sized by the value, linked to the place's page when ``id``
names its IRI column; rows without coordinates are listed under the map
(:mod:`kzgraph.site.geo` draws it; docs/decisions/0024-places-reference-data.md)."""

from __future__ import annotations

from kzgraph.site.geo import MapPoint, map_svg
from kzgraph.site.results.cells import Cells, Row
from kzgraph.sparql.views import View


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    label, value = view.columns["label"], view.columns["value"]
    place = view.column("id")
    points = []
    for row in rows:
        items = cells.items(row, place) if place else []
        points.append(
            MapPoint(
                label=cells.text(row, label) or (items[0].text if items else "(no name)"),
                href=items[0].href if items else None,
                lat=cells.number(row, view.columns["lat"]),
                long=cells.number(row, view.columns["long"]),
                count=int(cells.number(row, value) or 0),
            )
        )
    if not points:
        return ""
    return map_svg(points, title=f"{value} by {label}", unit=value)

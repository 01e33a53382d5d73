"""Places on a map of Kazakhstan and its neighbours (``#+ view: map LABEL LAT LONG VALUE
[id=PLACE]``): a circle per row sized by the value, linked to the place's page when ``id``
names its IRI column; rows without coordinates are listed under the map
(:mod:`kzgraph.site.geo` draws it; docs/decisions/0024-places-reference-data.md)."""

from __future__ import annotations

from kzgraph.site.geo import map_svg, points_from_rows
from kzgraph.site.results.cells import Cells, Row
from kzgraph.sparql.views import View


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    label, value = view.columns["label"], view.columns["value"]
    points = points_from_rows(
        rows,
        place=view.column("id") or "",  # no id column: no links
        label=label,
        lat=view.columns["lat"],
        long=view.columns["long"],
        count=value,
        href=cells.local,
    )
    if not points:
        return ""
    return map_svg(points, title=f"{value} by {label}", unit=value)

"""The charts a canned query's ``#+ view:`` header declares, drawn on the server as SVG: one
module per view, and :data:`VIEWS`, the registry of their names (kzgraph.sparql.views.GRAMMAR
holds the columns each takes; a test keeps the two equal)."""

from __future__ import annotations

from collections.abc import Callable

from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.views import bar, heatmap, line, map, network, timeline
from kzgraph.sparql.views import View

Draw = Callable[[View, list[Row], Cells], str]
VIEWS: dict[str, Draw] = {
    "bar": bar.draw,
    "line": line.draw,
    "heatmap": heatmap.draw,
    "timeline": timeline.draw,
    "network": network.draw,
    "map": map.draw,
}


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    """The view's figure (empty when the rows give it nothing to draw)."""
    return VIEWS[view.name](view, rows, cells)

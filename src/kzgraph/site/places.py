"""``/map``: the canned query ``acts-by-place`` drawn as a map (:mod:`kzgraph.site.geo`), with
links to its table and data. The map view of the canned-query pages draws the same."""

from __future__ import annotations

import json
import time
from html import escape

from kzgraph.answer import Answer
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import HTML, SPARQL_JSON
from kzgraph.linked.resolve import Links
from kzgraph.site.geo import map_svg, points_from_rows
from kzgraph.site.html import page

QUERY = "acts-by-place"


async def acts_map(kg: KnowledgeGraph, links: Links, client: str = "") -> Answer:
    """The page, or the query's error as it came (a timeout is a 503, as for the query)."""
    started = time.perf_counter()
    job = kg.canned_job(QUERY, {}, SPARQL_JSON.media)
    answer = await kg.execute(job, None, started, client)
    if answer.status != 200:
        return answer
    rows = json.loads(answer.content())["results"]["bindings"]
    points = points_from_rows(rows, href=links.local)
    query = f"{links.prefix}/queries/{QUERY}"
    body = (
        "<h1>Acts by place</h1><p>Where the reports place the acts they state: each circle is a "
        "place, sized by its number of acts; an act in a site (a consulate, an airport) counts "
        f"for its city. <a href='{escape(query)}.html'>The table</a> · "
        f"<a href='{escape(query)}.csv'>CSV</a> · <a href='{escape(query)}.json'>JSON</a></p>"
        + map_svg(points)
    )
    return Answer(200, page("Acts by place", body).encode(), HTML.labelled)

"""``/store``: the read side of the SPARQL 1.1 Graph Store HTTP Protocol, as Fuseki and Oxigraph
serve it: ``GET``/``HEAD /store?graph=IRI`` (a named graph) and ``/store?default`` (the default
graph, the merge of the named graphs: each triple once), in Turtle, N-Triples, JSON-LD or RDF/XML
by ``Accept``. The store is read-only: other methods are 405."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error
from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.responses import choose, send
from kzgraph.formats import GRAPH, media_types

router = APIRouter()


@router.api_route("/store", methods=["GET", "HEAD"], response_class=Response)
async def graph_store(request: Request, kg: KGDep, client: ClientDep) -> Response:
    """A graph of the store: ``?graph=IRI`` for a named graph, ``?default`` for the default graph
    (Graph Store Protocol, read side)."""
    started = time.perf_counter()
    named = request.query_params.getlist("graph")
    default = "default" in request.query_params
    if len(named) + default != 1:
        return send(
            error(400, "name one graph: /store?graph=IRI for a named graph, or /store?default")
        )
    media = choose(request, media_types(GRAPH))
    if isinstance(media, Response):
        return media
    graphs = kg.graphs
    if named and named[0] not in graphs:
        missing = error(404, f"this store has no graph named <{named[0]}>", graphs=sorted(graphs))
        return send(missing)
    job = kg.graph_job(named[0], media, graphs[named[0]]) if named else kg.default_graph_job(media)
    answer = await kg.execute(job, request.headers.get("if-none-match"), started, client)
    return send(answer, kg.settings.send_timeout)


@router.api_route("/store", methods=["PUT", "POST", "DELETE", "PATCH"], include_in_schema=False)
async def read_only(request: Request) -> Response:
    answer = error(405, f"the graph store is read-only: {request.method} is not allowed")
    answer.headers["Allow"] = "GET, HEAD"
    return send(answer)

"""``/queries``: the canned queries, as JSON, CSV, TSV or an HTML page with a form and charts."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error
from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.responses import choose, send
from kzgraph.formats import CSV, HTML, JSON, SPARQL_JSON, SPARQL_QUERY, SPARQL_XML, TSV
from kzgraph.site import html
from kzgraph.site.canned import answer_canned

router = APIRouter()
SUFFIXES = {f.suffix: f.media for f in (SPARQL_JSON, CSV, TSV, SPARQL_XML, HTML)}
OFFERED = [*SPARQL_JSON.offered, CSV.media, TSV.media, SPARQL_XML.media, HTML.media]
LISTING = [JSON.media, HTML.media]


@router.get("/queries", response_class=Response)
def list_queries(request: Request, kg: KGDep) -> Response:
    """The canned queries with their parameters (JSON; HTML for a browser)."""
    queries = list(kg.queries().values())
    media = choose(request, LISTING)
    if isinstance(media, Response):
        return media
    if media == HTML.media:
        return Response(html.query_list(queries), media_type=HTML.labelled)
    return Response(json.dumps([q.describe() for q in queries]), media_type=JSON.media)


@router.get("/queries/{name}", response_class=Response)
async def run_query(name: str, request: Request, kg: KGDep, client: ClientDep) -> Response:
    """Run a canned query; parameters in the URL, format by suffix (.json, .csv, .tsv, .html,
    .rq for the query text) or by Accept."""
    started = time.perf_counter()
    base, dot, ext = name.rpartition(".")
    suffix = f".{ext}" if dot else ""
    name = base if dot else name
    query = kg.queries().get(name)
    if query is None:
        return send(error(404, f"no canned query named {name!r}: see /queries"))
    if suffix == ".rq":
        return Response(query.text, media_type=SPARQL_QUERY.labelled)
    if suffix and suffix not in SUFFIXES:
        return send(
            error(404, f"unknown format suffix {suffix!r}; use one of " + ", ".join(SUFFIXES))
        )
    media = SUFFIXES.get(suffix) or choose(request, OFFERED)
    if isinstance(media, Response):
        return media
    params = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        if len(values) > 1:
            return send(error(422, f"give parameter '{key}' once, not {len(values)} times"))
        params[key] = values[0]
    if_none_match = request.headers.get("if-none-match")
    answer = await answer_canned(kg, query, params, media, if_none_match, client, started)
    return send(answer, kg.settings.send_timeout)

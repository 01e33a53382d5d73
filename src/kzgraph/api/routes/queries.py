"""``/queries``: the canned queries, as JSON, CSV, TSV or an HTML page with a form and charts."""

from __future__ import annotations

import json
import time

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error
from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.responses import send
from kzgraph.site import html
from kzgraph.sparql.canned import QueryError
from kzgraph.sparql.formats import NotAcceptable, negotiate

router = APIRouter()
SUFFIXES = {
    ".json": "application/sparql-results+json",
    ".csv": "text/csv",
    ".tsv": "text/tab-separated-values",
    ".xml": "application/sparql-results+xml",
    ".html": "text/html",
}
OFFERED = [
    "application/sparql-results+json",
    "application/json",
    "text/csv",
    "text/tab-separated-values",
    "application/sparql-results+xml",
    "text/html",
]


@router.get("/queries", response_class=Response)
def list_queries(request: Request, kg: KGDep) -> Response:
    """The canned queries with their parameters (JSON; HTML for a browser)."""
    queries = list(kg.queries().values())
    try:
        media = negotiate(
            request.headers.get("accept"), ["application/json", "text/html"], "application/json"
        )
    except NotAcceptable as exc:
        return send(error(406, str(exc), offered=exc.offered))
    if media == "text/html":
        return Response(html.query_list(queries), media_type="text/html; charset=utf-8")
    return Response(json.dumps([q.describe() for q in queries]), media_type="application/json")


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
        return Response(query.text, media_type="application/sparql-query; charset=utf-8")
    if suffix and suffix not in SUFFIXES:
        return send(
            error(404, f"unknown format suffix {suffix!r}; use one of " + ", ".join(SUFFIXES))
        )
    try:
        media = SUFFIXES.get(suffix) or negotiate(
            request.headers.get("accept"), OFFERED, "application/sparql-results+json"
        )
    except NotAcceptable as exc:
        return send(error(406, str(exc), offered=exc.offered))
    params = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        if len(values) > 1:
            return send(error(422, f"give parameter '{key}' once, not {len(values)} times"))
        params[key] = values[0]
    page = media == "text/html"
    try:
        job = kg.canned_job(name, params, "application/sparql-results+json" if page else media)
    except QueryError as exc:
        if page:
            body = html.query_page(query, params, None, exc.message)
            return Response(body, exc.status, media_type="text/html; charset=utf-8")
        return send(error(exc.status, exc.message))
    answer = await kg.execute(job, request.headers.get("if-none-match"), started, client)
    if not page or answer.status != 200:
        return send(answer, kg.settings.send_timeout)
    body = html.query_page(query, params, json.loads(answer.content()), None)
    return Response(
        body,
        200,
        {k: v for k, v in answer.headers.items() if k != "ETag"},
        "text/html; charset=utf-8",
    )

"""``/editor``: the SPARQL editor page, its script and style (package data), and its CSV
download (``/editor/results.csv?query=``, the endpoint's CSV as an attachment)."""

from __future__ import annotations

import time
from importlib import resources
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kzgraph.answer import error, etag_matches, strong_etag
from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.responses import send
from kzgraph.formats import CSS, CSV, HTML, JAVASCRIPT
from kzgraph.site import editor as editor_page
from kzgraph.sparql.formats import NotAcceptable
from kzgraph.sparql.guard import QueryRefused

router = APIRouter()
ASSETS = {f"editor{f.suffix}": f.labelled for f in (JAVASCRIPT, CSS)}


@router.get("/editor", response_class=Response, include_in_schema=False)
def editor(
    kg: KGDep,
    query: Annotated[str | None, Query(description="The query to show (and run)")] = None,
) -> Response:
    body = editor_page.editor(query, list(kg.queries().values()), kg.settings.base_iri)
    return Response(body, media_type=HTML.labelled)


@router.get("/editor/results.csv", response_class=Response)
async def results_csv(
    request: Request,
    kg: KGDep,
    client: ClientDep,
    query: Annotated[str, Query(description="A SPARQL SELECT query")],
) -> Response:
    """The results of a SELECT query as a CSV file to download (the endpoint's rules apply)."""
    started = time.perf_counter()
    if len(request.scope.get("query_string", b"")) > kg.limits.max_url:
        return send(
            error(414, f"the URL is longer than {kg.limits.max_url} bytes: POST to /sparql")
        )
    try:
        job = kg.sparql_job(query, CSV.media)
    except QueryRefused as exc:
        return send(error(exc.status, exc.message))
    except NotAcceptable as exc:
        return send(error(406, f"only a SELECT's results download as CSV: {exc}"))
    answer = await kg.execute(job, request.headers.get("if-none-match"), started, client)
    if answer.status == 200:
        answer.headers["Content-Disposition"] = 'attachment; filename="results.csv"'
    return send(answer, kg.settings.send_timeout)


@router.get("/editor/{asset}", response_class=Response, include_in_schema=False)
def asset(asset: str, request: Request) -> Response:
    if asset not in ASSETS:
        return send(error(404, f"no editor asset named {asset!r}"))
    body = (resources.files("kzgraph.api") / "static" / asset).read_bytes()
    tag = strong_etag(body)
    headers = {"ETag": tag, "Cache-Control": "public, max-age=300"}
    if etag_matches(request.headers.get("if-none-match"), tag):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=ASSETS[asset], headers=headers)

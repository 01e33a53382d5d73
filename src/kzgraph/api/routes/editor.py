"""``/editor``: the SPARQL editor page (YASGUI, its script and style served under ``/assets/``)
and its CSV download (``/editor/results.csv?query=``, the endpoint's CSV as an attachment)."""

from __future__ import annotations

import time
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kzgraph.answer import error
from kzgraph.api.assets import editor_styles
from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.page_safety import content_security_policy, inline_styles
from kzgraph.api.responses import send
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.formats import CSV, HTML
from kzgraph.site import editor as editor_page
from kzgraph.site.vocabulary import Vocabulary, our_prefixes
from kzgraph.sparql.formats import NotAcceptable
from kzgraph.sparql.guard import QueryRefused

router = APIRouter()


@router.get("/editor", response_class=Response, include_in_schema=False)
async def editor(
    kg: KGDep,
    query: Annotated[str | None, Query(description="The query to show (and run)")] = None,
) -> Response:
    try:
        terms = await from_store(kg.site.vocabulary, "the ontology's terms")
    except SiteDataUnavailable:  # the store is busy: the editor works, completing prefixes only
        terms = Vocabulary(our_prefixes())
    canned = list(kg.queries().values())
    body = editor_page.editor(query, canned, terms, kg.settings.base_iri)
    # the site's policy, and the two fixed <style> blocks YASGUI's table writes, by hash
    policy = content_security_policy([*inline_styles(body), *editor_styles()])
    return Response(body, media_type=HTML.labelled, headers={"Content-Security-Policy": policy})


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

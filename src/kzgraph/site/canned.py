"""A canned query answered in the format asked for: its results from the core, or its HTML page
(the form, the table and the charts) around them, or the page with the problem in its form."""

from __future__ import annotations

import asyncio
import json
import time

from kzgraph.answer import Answer, error
from kzgraph.core import KnowledgeGraph, SiteQueryFailed
from kzgraph.formats import HTML, SPARQL_JSON
from kzgraph.linked.resolve import Links
from kzgraph.site import html
from kzgraph.sparql.canned import CannedQuery, QueryError


async def _passages(kg: KnowledgeGraph) -> html.Passage | None:
    """Where a quote's passage is in its report's reader, when the server has the texts
    (KZGRAPH_SOURCES; docs/decisions/0021); None keeps the page as it is without them."""
    if not kg.site.has_sources:
        return None
    try:
        sources = await asyncio.to_thread(kg.site.sources)
    except SiteQueryFailed:
        return None
    return Links(kg.settings.base_iri, texts=sources.available).passage


async def answer_canned(
    kg: KnowledgeGraph,
    query: CannedQuery,
    params: dict[str, str],
    media: str,
    if_none_match: str | None,
    client: str,
    started: float | None = None,
) -> Answer:
    """``query`` with ``params`` in ``media`` for ``client`` (a page is made from its JSON
    results; a bad parameter is a 422 in the page's form, or a JSON error)."""
    started = time.perf_counter() if started is None else started
    page = media == HTML.media
    try:
        job = kg.canned_job(query.name, params, SPARQL_JSON.media if page else media)
    except QueryError as exc:
        if page:
            body = html.query_page(query, params, None, exc.message)
            return Answer(exc.status, body.encode(), HTML.labelled)
        return error(exc.status, exc.message)
    answer = await kg.execute(job, if_none_match, started, client)
    if not page or answer.status != 200:
        return answer
    passage = await _passages(kg)
    body = html.query_page(query, params, json.loads(answer.content()), None, passage)
    headers = {k: v for k, v in answer.headers.items() if k != "ETag"}
    return Answer(200, body.encode(), HTML.labelled, headers)

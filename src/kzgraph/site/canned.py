"""A canned query answered in the format asked for: its results from the core, or its HTML page
(the form, the views, the facets and the label-first table) around them, or the page with the
problem in its form (docs/decisions/0023-result-views.md)."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from kzgraph.answer import Answer, error
from kzgraph.core import KnowledgeGraph, SiteQueryFailed
from kzgraph.formats import HTML, SPARQL_JSON
from kzgraph.linked.resolve import Links
from kzgraph.site.results.cells import Cells
from kzgraph.site.results.labels import Label
from kzgraph.site.results.page import Passage, labels_wanted, query_page
from kzgraph.sparql.canned import CannedQuery, QueryError, split_options


async def _passages(kg: KnowledgeGraph) -> Passage | None:
    """Where a quote's passage is in its report's reader, when the server has the texts
    (KZGRAPH_SOURCES; docs/decisions/0021); None keeps the page as it is without them."""
    if not kg.site.has_sources:
        return None
    try:
        sources = await asyncio.to_thread(kg.site.sources)
    except SiteQueryFailed:
        return None
    return Links(kg.settings.base_iri, texts=sources.available).passage


async def _labels(
    kg: KnowledgeGraph, query: CannedQuery, results: dict[str, Any]
) -> dict[str, Label]:
    """Labels for the page's IRIs that no label column names, by one query; without them (the
    store failed) the page shows local names."""
    try:
        return await asyncio.to_thread(kg.labels, labels_wanted(results, query))
    except SiteQueryFailed:
        return {}


async def answer_canned(
    kg: KnowledgeGraph,
    query: CannedQuery,
    given: dict[str, str],
    media: str,
    if_none_match: str | None,
    client: str,
    started: float | None = None,
) -> Answer:
    """``query`` with ``given`` parameters and options in ``media`` for ``client`` (a page is
    made from its JSON results; a bad parameter is a 422 in the page's form, or a JSON error)."""
    started = time.perf_counter() if started is None else started
    page = media == HTML.media
    try:
        params, options = split_options(given)
        job = kg.canned_job(query.name, given, SPARQL_JSON.media if page else media)
    except QueryError as exc:
        if page:
            shown = {k: v for k, v in given.items() if not k.startswith("_")}
            body = query_page(query, shown, {}, None, exc.message)
            return Answer(exc.status, body.encode(), HTML.labelled)
        return error(exc.status, exc.message)
    answer = await kg.execute(job, if_none_match, started, client)
    if not page or answer.status != 200:
        return answer
    results = json.loads(answer.content())
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    cells = Cells(links.local, await _labels(kg, query, results))
    passage = await _passages(kg)
    body = query_page(query, params, options, results, None, cells=cells, passage=passage)
    headers = {k: v for k, v in answer.headers.items() if k != "ETag"}
    return Answer(200, body.encode(), HTML.labelled, headers)

"""Dereferencing a kzgraph IRI once its representation is chosen (docs/decisions/0007): a named
graph, an entity's page, or its bounded description in an RDF format, evaluated through the core
like any query (deadline, fair share, access log), with the caching headers of ``/sparql`` and
links to every other representation."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pyoxigraph as ox

from kzgraph import __version__
from kzgraph.answer import Answer, error, etag_matches, strong_etag
from kzgraph.core import KnowledgeGraph, SiteQueryFailed
from kzgraph.formats import HTML, JSON, JSON_LD, N_TRIPLES, content_type, offer
from kzgraph.linked.describe import reserialise
from kzgraph.linked.resolve import Links, Requested, representations
from kzgraph.site.entity import graph_html, not_found_html, resource_html
from kzgraph.sparql.workers import Job


def _page(body: str, status: int, headers: dict[str, str] | None = None) -> Answer:
    return Answer(status, body.encode(), HTML.labelled, dict(headers or {}))


def _headers(max_age: int, tag: str, req: Requested, links: Links, media: str) -> dict[str, str]:
    """Caching as /sparql has it, and where each representation lives."""
    alternates = ", ".join(
        f'<{links.absolute(links.representation(req.path, m))}>; rel="alternate"; type="{m}"'
        for m in offer(representations(), aliases=False)
    )
    return {
        "ETag": tag,
        "Cache-Control": f"public, max-age={max_age}",
        "Vary": "Accept",
        "Content-Location": links.absolute(links.representation(req.path, media)),
        "Link": alternates,
    }


def _etag(kg: KnowledgeGraph, job: Job, media: str, links: Links) -> str:
    # the build (in the core's tag), the query, the representation, the link base, the code
    key = f"{kg.etag(replace(job, media=media))}\n{links.origin}{links.prefix}\n{__version__}"
    if links.texts:  # the pages link quotes to the reports' readers (decision 0021)
        key += "\n" + " ".join(sorted(links.texts))
    return strong_etag(key)


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


async def _with_texts(kg: KnowledgeGraph, links: Links) -> Links:
    """The links, knowing which reports' texts this server has (none without KZGRAPH_SOURCES,
    or when the store cannot say: the page is then as it is without the texts)."""
    if not kg.site.has_sources:
        return links
    try:
        sources = await asyncio.to_thread(kg.site.sources)
    except SiteQueryFailed:
        return links
    return replace(links, texts=sources.available)


async def dereference(
    kg: KnowledgeGraph,
    req: Requested,
    media: str,
    links: Links,
    if_none_match: str | None,
    started: float,
) -> Answer:
    """The answer for ``req`` in ``media`` (HTML, an RDF format, or plain JSON, answered with
    the JSON-LD); a 304 when ``if_none_match`` names its ETag."""
    media = HTML.media if HTML.answers(media) else media
    if not _is_iri(req.iri):  # a space, a NUL…: no such resource, not a failed query
        unknown = f"/{req.path} names no resource: {req.iri!r} is not a valid IRI"
        if media == HTML.media:
            return _page(not_found_html(req.iri, links, unknown), 404, {"Vary": "Accept"})
        return error(404, unknown)
    as_json = media == JSON.media  # plain JSON clients get the JSON-LD, labelled as they asked
    media = JSON_LD.media if as_json else media
    graphs = kg.graphs
    is_graph = req.iri in graphs
    if is_graph:
        job = kg.graph_job(req.iri, N_TRIPLES.media, graphs[req.iri])
    elif media == HTML.media:
        job = kg.page_job(req.iri)
        links = await _with_texts(kg, links)
    else:
        job = kg.describe_job(req.iri, N_TRIPLES.media)
    tag = _etag(kg, job, media, links)
    headers = _headers(kg.settings.cache_max_age, tag, req, links, media)
    if etag_matches(if_none_match, tag):
        return Answer(304, b"", "", headers)
    if is_graph and media == HTML.media:
        return _page(graph_html(req.iri, graphs[req.iri], req.path, links), 200, headers)
    answer = await kg.execute(job, None, started)
    if answer.status != 200:
        return answer
    unknown = f"the graph says nothing about {req.iri}"
    content = answer.content()
    if media == HTML.media:
        # parsing the neighbourhood takes up to ~0.5 s for the most linked nodes: off the loop
        page = await asyncio.to_thread(kg.resource_page, req.iri, content)
        if page is None:
            return _page(not_found_html(req.iri, links, unknown), 404, {"Vary": "Accept"})
        html = await asyncio.to_thread(resource_html, page, req.path, links)
        return _page(html, 200, headers)
    if not content.strip():
        missing = error(404, unknown, iri=req.iri)
        missing.headers["Vary"] = "Accept"
        return missing
    body = (
        content
        if media == N_TRIPLES.media
        else await asyncio.to_thread(reserialise, content, media, req.iri)
    )
    return Answer(200, body, content_type(JSON.media if as_json else media), headers)

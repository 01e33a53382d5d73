"""``GET /{path}``: every IRI ``{base}{path}`` answered by content negotiation (HTML, Turtle,
JSON-LD, N-Triples, RDF/XML) or by a suffix. Registered after every other router: it only
answers paths nobody else owns (docs/decisions/0007-linked-data.md)."""

from __future__ import annotations

import time
from dataclasses import replace

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kzgraph import __version__
from kzgraph.answer import error, etag_matches, strong_etag
from kzgraph.api.deps import KGDep
from kzgraph.api.responses import choose, send
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import HTML, JSON, JSON_LD, N_TRIPLES, content_type, offer
from kzgraph.linked.describe import reserialise
from kzgraph.linked.resolve import Links, Requested, is_reserved, representations, requested
from kzgraph.site.entity import graph_html, not_found_html, resource_html
from kzgraph.sparql.workers import Job

router = APIRouter()


def _html(body: str, status: int, headers: dict[str, str] | None = None) -> Response:
    return Response(body, status, headers, HTML.labelled)


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
    return strong_etag(key)


def _is_iri(text: str) -> bool:
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True


def _fresh(request: Request, tag: str) -> bool:
    return etag_matches(request.headers.get("if-none-match"), tag)


@router.api_route(
    "/{path:path}", methods=["GET", "HEAD"], response_class=Response, include_in_schema=False
)
async def resource(path: str, request: Request, kg: KGDep) -> Response:
    """Any kzgraph IRI: an HTML page for browsers, its description in RDF for everyone else."""
    started = time.perf_counter()
    settings = kg.settings
    req = requested(settings.base_iri, path)
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    if not req.path or is_reserved(req.path):
        return send(error(404, f"nothing at /{path}"))
    media = req.media or choose(request, offer([*representations(), JSON]))
    if isinstance(media, Response):
        return media
    media = HTML.media if HTML.answers(media) else media
    if not _is_iri(req.iri):  # a space, a NUL…: no such resource, not a failed query
        unknown = f"/{path} names no resource: {req.iri!r} is not a valid IRI"
        if media == HTML.media:
            return _html(not_found_html(req.iri, links, unknown), 404, {"Vary": "Accept"})
        return send(error(404, unknown))
    as_json = media == JSON.media  # plain JSON clients get the JSON-LD, labelled as they asked
    media = JSON_LD.media if as_json else media
    graphs = kg.graphs
    is_graph = req.iri in graphs
    if is_graph:
        job = kg.graph_job(req.iri, N_TRIPLES.media, graphs[req.iri])
    elif media == HTML.media:
        job = kg.page_job(req.iri)
    else:
        job = kg.describe_job(req.iri, N_TRIPLES.media)
    tag = _etag(kg, job, media, links)
    headers = _headers(settings.cache_max_age, tag, req, links, media)
    if _fresh(request, tag):
        return Response(b"", 304, headers)
    if is_graph and media == HTML.media:
        return _html(graph_html(req.iri, graphs[req.iri], req.path, links), 200, headers)
    answer = await kg.execute(job, None, started)
    if answer.status != 200:
        return send(answer)
    unknown = f"the graph says nothing about {req.iri}"
    content = answer.content()
    if media == HTML.media:
        # parsing the neighbourhood takes up to ~0.5 s for the most linked nodes: off the loop
        page = await run_in_threadpool(kg.resource_page, req.iri, content)
        if page is None:
            return _html(not_found_html(req.iri, links, unknown), 404, {"Vary": "Accept"})
        html = await run_in_threadpool(resource_html, page, req.path, links)
        return _html(html, 200, headers)
    if not content.strip():
        missing = error(404, unknown, iri=req.iri)
        missing.headers["Vary"] = "Accept"
        return send(missing)
    body = (
        content
        if media == N_TRIPLES.media
        else await run_in_threadpool(reserialise, content, media, req.iri)
    )
    return Response(body, 200, headers, content_type(JSON.media if as_json else media))

"""``GET /{path}``: every IRI ``{base}{path}`` answered by content negotiation (HTML, Turtle,
JSON-LD, N-Triples, RDF/XML) or by a suffix. Registered after every other router: it only
answers paths nobody else owns (docs/decisions/0007-linked-data.md)."""

from __future__ import annotations

import time

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error
from kzgraph.api.deps import KGDep
from kzgraph.api.responses import choose, send
from kzgraph.formats import JSON, offer
from kzgraph.linked.resolve import Links, is_reserved, representations, requested
from kzgraph.linked.serve import dereference

router = APIRouter()


@router.api_route(
    "/{path:path}", methods=["GET", "HEAD"], response_class=Response, include_in_schema=False
)
async def resource(path: str, request: Request, kg: KGDep) -> Response:
    """Any kzgraph IRI: an HTML page for browsers, its description in RDF for everyone else."""
    started = time.perf_counter()
    settings = kg.settings
    req = requested(settings.base_iri, path)
    if not req.path or is_reserved(req.path):
        return send(error(404, f"nothing at /{path}"))
    media = req.media or choose(request, offer([*representations(), JSON]))
    if isinstance(media, Response):
        return media
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    if_none_match = request.headers.get("if-none-match")
    return send(await dereference(kg, req, media, links, if_none_match, started))

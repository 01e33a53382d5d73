"""``/reconcile``: the W3C Reconciliation Service API (0.2) for OpenRefine over the search index.
The manifest, batches of queries by GET or POST (form), a preview card and a redirect to an
entity's page; the logic is :mod:`kzgraph.site.reconcile`."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from kzgraph.answer import Answer, error
from kzgraph.api.deps import KGDep
from kzgraph.api.page_safety import content_security_policy
from kzgraph.api.request_checks import read_body
from kzgraph.api.responses import choose, send
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import HTML, JSON, URL_ENCODED, by_media
from kzgraph.linked.resolve import Links
from kzgraph.site import reconcile as service
from kzgraph.site.html import CARD_CSS, STYLE
from kzgraph.site.reconcile import Reconciler
from kzgraph.site.search import Entity
from kzgraph.sparql.protocol import FormNotUtf8, parse_form

router = APIRouter()
QUERIES_DOC = (
    "A JSON object of reconciliation queries by key, e.g. "
    f"{service.EXAMPLE}. Without it: the service manifest."
)
ID_DOC = "An entity's IRI, as a candidate's id gives it."
POST_BODY: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {
            URL_ENCODED.media: {
                "schema": {
                    "type": "object",
                    "required": ["queries"],
                    "properties": {"queries": {**service.BATCH_SCHEMA, "description": QUERIES_DOC}},
                },
                "encoding": {"queries": {"contentType": JSON.media}},
            },
        },
    }
}
# the preview is made to be shown in OpenRefine's frame, wherever OpenRefine runs
PREVIEW_POLICY = content_security_policy([STYLE, CARD_CSS], frame_ancestors="http: https:")


def _json(data: Any) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), media_type=JSON.media)


def _unavailable(exc: SiteDataUnavailable) -> Response:
    answer = error(503, str(exc))
    answer.headers["Retry-After"] = "10"
    return send(answer)


async def _answer(request: Request, kg: KnowledgeGraph, queries: list[str]) -> Response:
    media = choose(request, [JSON.media])
    if isinstance(media, Response):
        return media
    if "callback" in request.query_params:
        return send(error(400, "JSONP (callback=) is not offered: the service answers CORS"))
    if not queries:
        return _json(service.manifest(kg.settings.site_url()))
    if len(queries) > 1:
        return send(error(400, "give queries once, as one JSON object of queries by key"))
    try:
        batch = service.parse_batch(queries[0])
        reconciler = await from_store(kg.site.reconciler, "reconciliation")
        reconciler.check_types(batch)
    except service.ReconcileError as exc:
        return send(error(400, str(exc)))
    except SiteDataUnavailable as exc:
        return _unavailable(exc)
    return _json(reconciler.reconcile(batch))


@router.get("/reconcile", response_class=Response)
async def reconcile_get(
    request: Request,
    kg: KGDep,
    queries: Annotated[str | None, Query(description=QUERIES_DOC)] = None,
) -> Response:
    """The service manifest (for OpenRefine's "Add standard service"), or with ``queries`` the
    candidates for each query: ``{"key": {"result": [{"id", "name", "type", "score",
    "match"}]}}``."""
    return await _answer(request, kg, request.query_params.getlist("queries"))


@router.post("/reconcile", response_class=Response, openapi_extra=POST_BODY)
async def reconcile_post(request: Request, kg: KGDep) -> Response:
    """The candidates for a batch of queries sent as a form (``queries=...``), as OpenRefine
    sends them."""
    fmt = by_media(request.headers.get("content-type", ""))
    if fmt is not URL_ENCODED:
        return send(error(415, f"send the queries as a form ({URL_ENCODED.media}): queries=..."))
    read = await read_body(request, kg.limits.max_body)
    if isinstance(read, Answer):
        return send(read)
    try:
        form = parse_form(read, "form body")
    except FormNotUtf8 as exc:
        return send(error(400, str(exc)))
    queries = form.get("queries", [])
    if not queries:
        return send(error(400, f"the form has no queries: send queries={service.EXAMPLE}"))
    return await _answer(request, kg, queries)


@router.api_route(
    "/reconcile",
    methods=["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def reconcile_other_methods(request: Request) -> Response:
    """405 with an ``Allow`` that names both methods (the router's own 405 names only GET)."""
    answer = error(405, f"use GET or POST for reconciliation, not {request.method}")
    answer.headers["Allow"] = "GET, POST"
    return send(answer)


async def _entity(kg: KnowledgeGraph, iri: str | None) -> tuple[Reconciler, Entity] | Response:
    """The reconciler and the entity ``iri`` names, or the error response."""
    if not iri:
        return send(error(400, "give the entity's IRI: ?id=https://w3id.org/kzgraph/id/..."))
    try:
        reconciler = await from_store(kg.site.reconciler, "reconciliation")
    except SiteDataUnavailable as exc:
        return _unavailable(exc)
    entity = reconciler.index.entities.get(iri)
    if entity is None:
        return send(error(404, f"no person, body, place, law or event has the IRI {iri}"))
    return reconciler, entity


@router.get("/reconcile/preview", response_class=Response)
async def preview(
    request: Request,
    kg: KGDep,
    id: Annotated[str | None, Query(description=ID_DOC)] = None,
) -> Response:
    """A small HTML card for OpenRefine's preview frame: the label, the types, a line about the
    entity and a link to its page; JSON (the candidate without a score) by ``Accept``."""
    media = choose(request, [HTML.media, JSON.media])
    if isinstance(media, Response):
        return media
    found = await _entity(kg, id)
    if isinstance(found, Response):
        if media == HTML.media and found.status_code == 404:
            body = service.not_found(id or "")
            return Response(body, 404, {"Content-Security-Policy": PREVIEW_POLICY}, HTML.labelled)
        return found
    reconciler, entity = found
    kinds = reconciler.types_of(entity)
    description = reconciler.descriptions.get(entity.iri, "")
    if media == JSON.media:
        about = {"id": entity.iri, "name": entity.label, "type": kinds}
        return _json({**about, "description": description} if description else about)
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    label = ", ".join(k["name"] for k in kinds)
    body = service.preview(entity, label, description, links.local(entity.iri))
    return Response(body, 200, {"Content-Security-Policy": PREVIEW_POLICY}, HTML.labelled)


@router.get("/reconcile/view", response_class=Response)
async def view(
    kg: KGDep,
    id: Annotated[str | None, Query(description=ID_DOC)] = None,
) -> Response:
    """A redirect (303) to the entity's page on this server: the manifest's ``view``."""
    found = await _entity(kg, id)
    if isinstance(found, Response):
        return found
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    return RedirectResponse(links.local(found[1].iri), 303)

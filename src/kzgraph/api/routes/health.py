"""Liveness, a summary of what is loaded, and the VoID description."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kzgraph import __version__
from kzgraph.api.deps import GraphsDep, KGDep, endpoint_url
from kzgraph.catalog import add_catalog
from kzgraph.sparql.description import rdf_answer, void_description

router = APIRouter()


@router.get("/health")
def health(graphs: GraphsDep) -> dict[str, object]:
    return {
        "status": "ok",
        "version": __version__,
        "quads": sum(graphs.values()),
        "graphs": sorted(graphs),
    }


@router.get("/.well-known/void", response_class=Response)
def void(request: Request, graphs: GraphsDep, kg: KGDep) -> Response:
    """VoID and DCAT: the dataset, its dumps (distributions) and the SPARQL endpoint."""
    endpoint = endpoint_url(request)
    site = kg.settings.site_url() + "/"
    description = add_catalog(void_description(endpoint, graphs), site, endpoint, kg.dumps())
    answer = rdf_answer(description, request.headers.get("accept"))
    return Response(answer.body, answer.status, answer.headers, answer.media_type)

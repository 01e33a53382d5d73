"""Liveness, a summary of what is loaded, and the VoID description."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kzgraph import __version__
from kzgraph.api.deps import GraphsDep, endpoint_url
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
def void(request: Request, graphs: GraphsDep) -> Response:
    answer = rdf_answer(
        void_description(endpoint_url(request), graphs), request.headers.get("accept")
    )
    return Response(answer.body, answer.status, answer.headers, answer.media_type)

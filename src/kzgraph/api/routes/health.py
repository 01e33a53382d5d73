"""Liveness, a summary of what is loaded, and the VoID description."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from rdflib import URIRef

from kzgraph import __version__
from kzgraph.api.deps import KGDep, endpoint_url
from kzgraph.api.responses import send
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.formats import PLAIN
from kzgraph.namespaces import BASE
from kzgraph.site.catalog import add_catalog
from kzgraph.site.partitions import add_partitions
from kzgraph.sparql.description import rdf_answer, void_description

router = APIRouter()


@router.get("/health")
def health(kg: KGDep) -> dict[str, object]:
    """``quads``: the named graphs' sizes added up; ``triples``: their merge, each triple once;
    ``answer_cache``: the answers kept until the next build, their bytes, hits and misses."""
    graphs = kg.graphs
    return {
        "status": "ok",
        "version": __version__,
        "quads": sum(graphs.values()),
        "triples": kg.triples,
        "graphs": sorted(graphs),
        "answer_cache": kg.service.cache.stats(),
    }


@router.get("/.well-known/void", response_class=Response)
async def void(request: Request, kg: KGDep) -> Response:
    """VoID and DCAT: the dataset, its dumps (distributions, void:dataDump), the SPARQL endpoint,
    and class and property partitions of the default graph (the merge)."""
    try:
        parts = await from_store(kg.site.partitions, "the VoID partitions")
    except SiteDataUnavailable as exc:
        return Response(str(exc), 503, {"Retry-After": "10"}, PLAIN.labelled)
    endpoint = endpoint_url(request)
    site = kg.settings.site_url() + "/"
    description = void_description(endpoint, kg.graphs, kg.triples)
    add_partitions(description, URIRef(BASE + "dataset"), parts)
    description = add_catalog(description, site, endpoint, kg.site.dumps())
    return send(rdf_answer(description, request.headers.get("accept")))

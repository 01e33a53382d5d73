"""Dependency aliases so handlers read like prose."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kzgraph.core import KnowledgeGraph
from kzgraph.sparql.service import SparqlService


async def _sparql(request: Request) -> SparqlService:
    service: SparqlService = request.app.state.sparql
    return service


async def _graphs(request: Request) -> dict[str, int]:
    graphs: dict[str, int] = request.app.state.graphs
    return graphs


def endpoint_url(request: Request) -> str:
    """The public URL: KZGRAPH_PUBLIC_URL when set (behind a proxy), else as requested."""
    public = request.app.state.kg.settings.public_url
    if public:
        return f"{public.rstrip('/')}/sparql"
    return str(request.url_for("sparql_get"))


async def _kg(request: Request) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.app.state.kg
    return kg


KGDep = Annotated[KnowledgeGraph, Depends(_kg)]
SparqlDep = Annotated[SparqlService, Depends(_sparql)]
GraphsDep = Annotated[dict[str, int], Depends(_graphs)]

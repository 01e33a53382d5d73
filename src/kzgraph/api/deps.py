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
    """The endpoint's URL: under KZGRAPH_PUBLIC_URL when set (behind a proxy), else under the
    configured host and port (Settings.site_url); never from the Host header."""
    site: str = request.app.state.kg.settings.site_url()
    return f"{site}/sparql"


async def _kg(request: Request) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.app.state.kg
    return kg


KGDep = Annotated[KnowledgeGraph, Depends(_kg)]
SparqlDep = Annotated[SparqlService, Depends(_sparql)]
GraphsDep = Annotated[dict[str, int], Depends(_graphs)]

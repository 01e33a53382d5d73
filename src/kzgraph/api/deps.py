"""Dependency aliases so handlers read like prose: the one core object, and who is asking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kzgraph.core import KnowledgeGraph


def endpoint_url(request: Request) -> str:
    """The endpoint's URL: under KZGRAPH_PUBLIC_URL when set (behind a proxy), else under the
    configured host and port (Settings.site_url); never from the Host header."""
    site: str = request.app.state.kg.settings.site_url()
    return f"{site}/sparql"


def client_address(request: Request) -> str:
    """Who is asking, for the fairness ledger: the last entry of KZGRAPH_CLIENT_HEADER (set by a
    trusted proxy, which appends the address it saw) or the peer's address."""
    header = request.app.state.kg.settings.client_header
    if header:
        value = request.headers.get(header)
        if value and value.split(",")[-1].strip():
            return value.split(",")[-1].strip()
    return request.client.host if request.client else ""


async def _client(request: Request) -> str:
    return client_address(request)


async def _kg(request: Request) -> KnowledgeGraph:
    kg: KnowledgeGraph = request.app.state.kg
    return kg


KGDep = Annotated[KnowledgeGraph, Depends(_kg)]
ClientDep = Annotated[str, Depends(_client)]

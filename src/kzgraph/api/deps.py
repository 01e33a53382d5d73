"""Dependency aliases so handlers read like prose."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kzgraph.store import GraphStore


def _store(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.store
    return store


StoreDep = Annotated[GraphStore, Depends(_store)]

"""Liveness and a summary of what is loaded."""

from __future__ import annotations

from fastapi import APIRouter

from kzgraph import __version__
from kzgraph.api.deps import StoreDep

router = APIRouter()


@router.get("/health")
def health(store: StoreDep) -> dict[str, object]:
    return {
        "status": "ok",
        "version": __version__,
        "quads": len(store),
        "graphs": store.named_graphs(),
    }

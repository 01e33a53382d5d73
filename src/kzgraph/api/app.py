"""App factory: ``create_app(settings)`` builds nothing at import time; the lifespan opens
the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from kzgraph import __version__
from kzgraph.api.routes import health, sparql
from kzgraph.core import KnowledgeGraph
from kzgraph.settings import Settings


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kg = KnowledgeGraph(settings)
        app.state.kg = kg
        app.state.store = kg.open_store()
        yield

    app = FastAPI(
        title="kzgraph",
        version=__version__,
        description="A cited knowledge graph of human-rights reporting on Kazakhstan.",
        lifespan=lifespan,
    )
    app.include_router(health.router)
    app.include_router(sparql.router)
    return app

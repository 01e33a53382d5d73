"""App factory: ``create_app(settings)`` builds nothing at import time; the lifespan loads the
store, forks the query workers and closes them on shutdown (or, with ``KZGRAPH_STORE``, connects
to a remote SPARQL store instead)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from kzgraph import __version__
from kzgraph.api import errors, openapi
from kzgraph.api.live import describer, embedded_backend
from kzgraph.api.page_safety import PagePolicy
from kzgraph.api.request_checks import RequestChecks
from kzgraph.api.routes import (
    admin,
    dumps,
    editor,
    health,
    home,
    queries,
    search,
    sparql,
    store,
)
from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import GRAPH
from kzgraph.settings import Settings
from kzgraph.site.entity import EXTRA_CSS
from kzgraph.site.html import STYLE
from kzgraph.sparql.fairness import FairnessPolicy
from kzgraph.sparql.protocol import Limits
from kzgraph.sparql.service import SparqlService
from kzgraph.store.backend import QueryBackend
from kzgraph.store.remote import RemoteBackend


def _remote(settings: Settings) -> tuple[RemoteBackend, dict[str, int], int, str]:
    """The remote store's backend, its graphs, the size of their merge, and a version for ETags:
    the store setting and the build manifest, when there is one (docs/store.md)."""
    urls = settings.store_urls()
    assert urls is not None
    backend = RemoteBackend(urls.query, settings.store_union, str(GRAPH), settings.workers)
    graphs = backend.connect()
    triples = backend.merged_size()
    digest = hashlib.sha256(f"{settings.store}\n{settings.store_union}\n".encode())
    manifest = settings.build_dir / "manifest.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    return backend, graphs, triples, digest.hexdigest()


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kg = KnowledgeGraph(settings)
        pool: QueryBackend
        if settings.store:
            pool, graphs, triples, version = _remote(settings)
        else:
            pool, graphs, triples, version = embedded_backend(kg)
        pool.start()
        app.state.kg = kg
        app.state.graphs = graphs
        app.state.triples = triples
        app.state.version = version
        app.state.sparql = SparqlService(
            pool,
            app.state.version,
            Limits(
                settings.max_body_bytes,
                settings.max_url_bytes,
                settings.max_nesting,
                settings.max_rows,
                settings.max_answer_bytes,
            ),
            settings.query_timeout,
            settings.cache_max_age,
            describer(graphs, triples),
            FairnessPolicy(
                settings.client_budget, settings.budget_window, settings.client_concurrency
            ),
        )
        try:
            yield
        finally:
            pool.close()
            if app.state.sparql.pool is not pool:  # swapped in by an ingest (kzgraph.api.live)
                app.state.sparql.pool.close()

    app = FastAPI(
        title="kzgraph",
        version=__version__,
        description="A cited knowledge graph of human-rights reporting on Kazakhstan.",
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: the site loads nothing from
        # elsewhere (and its CSP would block them). /openapi.json stays.
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_credentials=False,
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=["ETag", "Server-Timing", "Retry-After"],
    )
    errors.install(app)
    app.openapi = openapi.describe(app, settings)  # type: ignore[method-assign]
    app.add_middleware(RequestChecks)  # outside CORS: refused requests are not CORS answers
    app.add_middleware(PagePolicy, styles=[STYLE, EXTRA_CSS])  # outermost: on every answer
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(store.router)
    app.include_router(queries.router)
    # the site around the graph (docs/decisions/0008-site-pages.md)
    app.include_router(home.router)
    app.include_router(search.router)
    app.include_router(editor.router)
    app.include_router(dumps.router)
    app.include_router(admin.router)
    # Linked data (docs/decisions/0007-linked-data.md): the ontology at its IRI, then the
    # catch-all GET /{path} for every other IRI. Keep these LAST: routers included after the
    # catch-all would be shadowed by it (tests/test_linked_resources.py checks the order).
    from kzgraph.api.routes import ontology, resources

    app.include_router(ontology.router)
    app.include_router(resources.router)
    return app

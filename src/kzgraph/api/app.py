"""App factory: ``create_app(settings)`` builds nothing at import time; the lifespan opens the one
:class:`~kzgraph.core.KnowledgeGraph` (it loads the store and forks the query workers, or with
``KZGRAPH_STORE`` connects to a remote SPARQL store) and closes it on shutdown. ``app.state``
holds only that object; every route goes through it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from kzgraph import __version__
from kzgraph.api import errors, openapi
from kzgraph.api.page_safety import PagePolicy
from kzgraph.api.request_checks import RequestChecks
from kzgraph.api.routes import (
    admin,
    assets,
    docs,
    dumps,
    editor,
    health,
    home,
    places,
    queries,
    reader,
    reconcile,
    search,
    sparql,
    store,
)
from kzgraph.core import KnowledgeGraph, SiteQueryFailed
from kzgraph.settings import Settings
from kzgraph.site.entity import EXTRA_CSS
from kzgraph.site.html import CARD_CSS, STYLE
from kzgraph.site.reader import READER_CSS
from kzgraph.site.results.table import RESULTS_CSS


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        kg = KnowledgeGraph(settings)
        kg.open()  # the store loaded and its workers forked, or the remote store connected
        app.state.kg = kg
        if kg.site.has_sources:  # check the reports' texts now: a refused one is logged at start
            with suppress(SiteQueryFailed):  # the store not answering: read on first use
                await run_in_threadpool(kg.site.sources)
        try:
            yield
        finally:
            kg.close()

    app = FastAPI(
        title="kzgraph",
        version=__version__,
        description="A cited knowledge graph of human-rights reporting on Kazakhstan.",
        lifespan=lifespan,
        # FastAPI's Swagger UI and ReDoc load their scripts from a CDN: the site loads nothing
        # from elsewhere, so /docs and /redoc are our routes over vendored copies (routes/docs.py)
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
    app.add_middleware(
        PagePolicy, styles=[STYLE, EXTRA_CSS, CARD_CSS, READER_CSS, RESULTS_CSS]
    )  # outermost: on every answer
    app.include_router(health.router)
    app.include_router(sparql.router)
    app.include_router(store.router)
    app.include_router(queries.router)
    app.include_router(places.router)  # /map: acts by place (decision 0024)
    # the site around the graph (docs/decisions/0008-site-pages.md)
    app.include_router(home.router)
    app.include_router(search.router)
    app.include_router(reconcile.router)  # OpenRefine (W3C Reconciliation Service API)
    app.include_router(reader.router)  # a report's text, given KZGRAPH_SOURCES (decision 0021)
    app.include_router(editor.router)
    app.include_router(assets.router)  # scripts and styles, vendored libraries (decision 0022)
    app.include_router(docs.router)  # Swagger UI and ReDoc from those assets
    app.include_router(dumps.router)
    app.include_router(admin.router)
    # Linked data (docs/decisions/0007-linked-data.md): the ontology at its IRI, then the
    # catch-all GET /{path} for every other IRI. Keep these LAST: routers included after the
    # catch-all would be shadowed by it (tests/test_linked_resources.py checks the order).
    from kzgraph.api.routes import ontology, resources

    app.include_router(ontology.router)
    app.include_router(resources.router)
    return app

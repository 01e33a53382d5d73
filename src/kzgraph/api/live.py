"""Swapping a fresh store into a running server after an ingest, without dropping queries.

The server queries an in-memory copy of the build through forked workers (docs/decisions/0003,
0006). After an ingest has committed, a new in-memory store is loaded from the new build, a new
pool of workers is forked from it and put in the query service's place; queries already running
keep the old pool (each request took its pool before it started) and the old pool is closed
once they are done. See docs/decisions/0010-ingest.md.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable

from fastapi import FastAPI

from kzgraph.answer import Answer
from kzgraph.core import KnowledgeGraph
from kzgraph.sparql.description import rdf_answer, service_description
from kzgraph.sparql.service import SparqlService
from kzgraph.sparql.workers import WorkerLimits, WorkerPool


def embedded_backend(kg: KnowledgeGraph) -> tuple[WorkerPool, dict[str, int], int, str]:
    """The build loaded into memory with a (not yet started) pool of workers over it, the size of
    each graph, the size of their merge (the default graph: each triple once), and the build's
    version for ETags (the SHA-256 of its N-Quads)."""
    store = kg.open_store()
    graphs = store.graph_sizes()
    triples = store.merged_size()
    with kg.dump_path.open("rb") as dump:
        version = hashlib.file_digest(dump, "sha256").hexdigest()
    settings = kg.settings
    pool = WorkerPool(
        store.oxigraph,
        settings.workers,
        WorkerLimits(memory_bytes=settings.worker_memory * 1024 * 1024),
        slow_after=settings.slow_after,
        slow_lane=settings.slow_lane,
    )
    return pool, graphs, triples, version


def describer(graphs: dict[str, int], triples: int) -> Callable[[str | None, str], Answer]:
    """The service description (with VoID) of a store holding ``graphs`` whose merge has
    ``triples`` triples, for the query service."""

    def describe(accept: str | None, endpoint: str) -> Answer:
        return rdf_answer(service_description(endpoint, graphs, triples), accept)

    return describe


def swap_in_fresh_store(app: FastAPI) -> None:
    """Load the new build, fork workers over it and make the query service use them."""
    kg: KnowledgeGraph = app.state.kg
    pool, graphs, triples, version = embedded_backend(kg)
    pool.start()
    service: SparqlService = app.state.sparql
    old = service.pool
    service.pool, service.version, service.describe = pool, version, describer(graphs, triples)
    app.state.graphs = graphs
    app.state.triples = triples
    app.state.version = version
    kg.reset_site_caches()  # after the swap, so that they are computed from the new pool
    if isinstance(old, WorkerPool):
        threading.Thread(
            target=old.close_when_idle,
            args=(kg.settings.query_timeout + 5,),
            name="kzgraph-drain-old-pool",
            daemon=True,
        ).start()

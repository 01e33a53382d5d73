"""The store a :class:`~kzgraph.core.KnowledgeGraph` answers from, opened as its settings say.

- ``KZGRAPH_STORE`` unset, serving: the build loaded into memory and a pool of worker processes
  forked over it (docs/decisions/0003, 0006, 0015, 0016).
- ``KZGRAPH_STORE`` unset, one command (the CLI, tests, benchmarks): the same in-memory store,
  evaluated in this process (no deadline: nothing else waits on it).
- ``KZGRAPH_STORE`` set: the remote SPARQL server (docs/store.md), in both cases.

A :class:`LiveStore` is what one opening gives: the backend, the size of each graph and of their
merge, and a version for ETags. After an ingest the core opens a fresh one and retires the old
one once the queries still running on it are done (docs/decisions/0010-ingest.md).
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from kzgraph.namespaces import GRAPH
from kzgraph.pipeline.dumps import file_sha256
from kzgraph.settings import Settings
from kzgraph.sparql.workers import Job, Outcome, WorkerLimits, WorkerPool, evaluate
from kzgraph.store.backend import QueryBackend
from kzgraph.store.engines import ENGINES
from kzgraph.store.memory import GraphStore
from kzgraph.store.remote import RemoteBackend


class InProcess:
    """Evaluates jobs on the in-memory store in the calling thread (one command at a time)."""

    spool_dir: str | None = None
    memory_limit: int | None = None

    def __init__(self, store: GraphStore):
        self.store = store

    def start(self) -> None:
        pass

    def run(self, job: Job, timeout: float, owner: str | None = "") -> Outcome:
        return evaluate(self.store.oxigraph, job)

    def close(self) -> None:
        pass


@dataclass
class LiveStore:
    backend: QueryBackend
    graphs: dict[str, int]  # triples per named graph
    triples: int  # triples in the default graph, their merge (each triple once)
    version: str  # changes whenever the data may have: the ETags' salt
    # whether answers may be kept until the next reload: the embedded store is read-only between
    # builds; a remote store may be changed by others (kzgraph.sparql.cache)
    cacheable: bool = False

    def close(self) -> None:
        self.backend.close()

    def retire(self, grace: float) -> None:
        """Close once the queries still running are done (at most ``grace`` seconds), in the
        background; a backend that holds nothing is closed at once."""
        if isinstance(self.backend, WorkerPool):
            threading.Thread(
                target=self.backend.close_when_idle,
                args=(grace,),
                name="kzgraph-drain-old-pool",
                daemon=True,
            ).start()
        else:
            self.backend.close()


def open_embedded(settings: Settings, store: GraphStore, dump: Path, *, serving: bool) -> LiveStore:
    """The in-memory store: worker processes when ``serving`` (started), else this process. The
    version is the SHA-256 of the build's N-Quads."""
    backend: QueryBackend
    if serving:
        backend = WorkerPool(
            store.oxigraph,
            settings.workers,
            WorkerLimits(memory_bytes=settings.worker_memory * 1024 * 1024),
            slow_after=settings.slow_after,
            slow_lane=settings.slow_lane,
        )
    else:
        backend = InProcess(store)
    live = LiveStore(
        backend, store.graph_sizes(), store.merged_size(), file_sha256(dump), cacheable=True
    )
    backend.start()
    return live


def open_remote(settings: Settings) -> LiveStore:
    """The remote store named by ``KZGRAPH_STORE``: its graphs, the size of their merge, and a
    version from the store setting and the build manifest, when there is one (docs/store.md)."""
    urls = settings.store_urls()
    assert urls is not None, "KZGRAPH_STORE is not set"
    backend = RemoteBackend(
        urls.query,
        settings.store_union,
        str(GRAPH),
        settings.workers,
        ENGINES[settings.store_engine],
        settings.store_login(),
    )
    graphs = backend.connect()
    triples = backend.merged_size()
    digest = hashlib.sha256(
        f"{settings.store}\n{settings.store_union}\n{settings.store_engine}\n".encode()
    )
    manifest = settings.build_dir / "manifest.json"
    if manifest.exists():
        digest.update(manifest.read_bytes())
    backend.start()
    return LiveStore(backend, graphs, triples, digest.hexdigest())

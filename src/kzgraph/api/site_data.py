"""Reading the home page's overview and the search index through the server's query backend
(worker processes, or the remote store with ``KZGRAPH_STORE``), off the event loop, and turning a
store that cannot answer into a clear 503."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from starlette.concurrency import run_in_threadpool

from kzgraph.core import Runner, SiteQueryFailed
from kzgraph.sparql.service import SparqlService
from kzgraph.sparql.workers import Job, Outcome, PoolBusy, QueryTimeout, WorkerCrashed

T = TypeVar("T")


class SiteDataUnavailable(Exception):
    """The store did not answer the queries behind a page."""


async def from_store(service: SparqlService, load: Callable[[Runner], T], what: str) -> T:
    """``load(run)`` in a thread, where ``run`` evaluates a job on the service's backend."""

    def run(job: Job) -> Outcome:
        # our own queries (owner None): never moved to the slow lane nor charged to anyone
        return service.pool.run(job, max(service.timeout, 30.0), None)

    try:
        return await run_in_threadpool(load, run)
    except (SiteQueryFailed, QueryTimeout, PoolBusy, WorkerCrashed) as exc:
        detail = str(exc) or type(exc).__name__
        raise SiteDataUnavailable(
            f"{what} is not available: the store did not answer ({detail}); try again, or "
            "check the store (docs/store.md)"
        ) from exc

"""What the query service needs from whatever evaluates its jobs: the embedded
:class:`~kzgraph.sparql.workers.WorkerPool` or a :class:`~kzgraph.sparql.remote.RemoteBackend`."""

from __future__ import annotations

from typing import Protocol

from kzgraph.sparql.workers import Job, Outcome


class QueryBackend(Protocol):
    def start(self) -> None: ...

    def run(self, job: Job, timeout: float) -> Outcome:
        """Answer one job within ``timeout`` seconds, or raise QueryTimeout or PoolBusy."""
        ...

    def close(self) -> None: ...

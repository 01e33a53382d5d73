"""What the query service needs from whatever evaluates its jobs: the embedded
:class:`~kzgraph.sparql.workers.WorkerPool` or a :class:`~kzgraph.store.remote.RemoteBackend`."""

from __future__ import annotations

from typing import Protocol

from kzgraph.sparql.workers import Job, Outcome


class QueryBackend(Protocol):
    # where answers over 1 MiB are spooled (None: kept in memory), and the memory a query may
    # use in bytes (None: not limited here), for the messages that name them
    spool_dir: str | None

    @property
    def memory_limit(self) -> int | None: ...

    def start(self) -> None: ...

    def run(self, job: Job, timeout: float, owner: str | None = "") -> Outcome:
        """Answer one job within ``timeout`` seconds, or raise QueryTimeout or PoolBusy;
        ``owner`` is the client asking (a pool may limit what one client holds), None for the
        server's own queries."""
        ...

    def close(self) -> None: ...

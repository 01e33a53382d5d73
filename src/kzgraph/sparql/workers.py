"""Query evaluation in worker processes, forked after the store is loaded, killed at the deadline.

pyoxigraph's ``query()`` cannot be interrupted from inside the process (it releases the GIL and has
no effective timeout), so each query runs in a worker; when the deadline passes the worker is
killed and a fresh one forked from the server process, which still holds the loaded store.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kzgraph.sparql.formats import (
    GRAPH_TYPES,
    SOLUTION_TYPES,
    NotRepresentable,
    write_boolean,
    write_solutions,
    write_triples,
)


@dataclass(frozen=True)
class Job:
    query: str
    media: str
    max_rows: int
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    query_names_dataset: bool = False
    base_iri: str | None = None
    # values bound to variables before evaluation (canned-query parameters), never pasted into
    # the text: (variable, "iri" | "literal", value, datatype IRI or "")
    substitutions: tuple[tuple[str, str, str, str], ...] = ()


@dataclass(frozen=True)
class Outcome:
    body: bytes = b""
    media: str = ""
    rows: int = 0
    truncated: bool = False
    error: str | None = None  # "syntax", "evaluation" or "not-representable"
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)


class QueryTimeout(Exception):
    """The query did not finish before its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free before the deadline."""


class WorkerCrashed(Exception):
    """The worker died while evaluating (a query deep enough to exhaust even its large stack)."""


WORKER_STACK_BYTES = 512 * 1024 * 1024


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _substitutions(job: Job) -> dict[ox.Variable, Term] | None:
    if not job.substitutions:
        return None
    out: dict[ox.Variable, Term] = {}
    for variable, kind, value, datatype in job.substitutions:
        term: ox.NamedNode | ox.Literal
        if kind == "iri":
            term = ox.NamedNode(value)
        elif datatype:
            term = ox.Literal(value, datatype=ox.NamedNode(datatype))
        else:
            term = ox.Literal(value)
        out[ox.Variable(variable)] = term
    return out


def _dataset(job: Job) -> dict[str, Any]:
    if job.default_graphs is None and job.named_graphs is None:
        # FROM / FROM NAMED select stored graphs only; without them the default graph is the union
        return {} if job.query_names_dataset else {"use_default_graph_as_union": True}
    return {
        "default_graph": [ox.NamedNode(g) for g in job.default_graphs or ()],
        "named_graphs": [ox.NamedNode(g) for g in job.named_graphs or ()],
    }


def evaluate(store: ox.Store, job: Job) -> Outcome:
    """Run one job against a store and serialise its answer, stopping at the row cap."""
    t0 = time.perf_counter()
    try:
        result = store.query(
            job.query, base_iri=job.base_iri, substitutions=_substitutions(job), **_dataset(job)
        )
    except SyntaxError as exc:
        return Outcome(error="syntax", message=str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error="evaluation", message=str(exc))
    parsed = time.perf_counter()
    try:
        if isinstance(result, ox.QueryBoolean):
            kind = SOLUTION_TYPES[job.media]
            body, rows, truncated = write_boolean(kind, bool(result)), 1, False
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            out_rows: list[list[object | None]] = []
            truncated = False
            for solution in result:
                if len(out_rows) == job.max_rows:
                    truncated = True
                    break
                out_rows.append([solution[v] for v in variables])
            body = write_solutions(SOLUTION_TYPES[job.media], variables, out_rows)
            rows = len(out_rows)
        else:
            triples: list[ox.Triple] = []
            truncated = False
            for triple in result:
                if len(triples) == job.max_rows:
                    truncated = True
                    break
                triples.append(triple)
            body, rows = write_triples(job.media, triples), len(triples)
    except NotRepresentable as exc:
        return Outcome(error="not-representable", message=str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error="evaluation", message=str(exc))
    done = time.perf_counter()
    return Outcome(
        body, job.media, rows, truncated, timings={"eval": done - t0, "prepare": parsed - t0}
    )


def _serve_jobs(store: ox.Store, conn: Connection) -> None:
    try:
        while True:
            job = conn.recv()
            conn.send(evaluate(store, job))
    except (EOFError, OSError):
        pass


def _worker_main(store: ox.Store, conn: Connection) -> None:
    """Serve jobs on a thread with a large stack: pyoxigraph's parser and evaluator recurse, and
    long flat chains (``!!!…``, ``1+1+…``, long paths) would overflow a default 8 MiB stack."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        threading.stack_size(WORKER_STACK_BYTES)
        thread = threading.Thread(target=_serve_jobs, args=(store, conn))
        thread.start()
        thread.join()
    finally:
        os._exit(0)


@dataclass
class _Worker:
    process: Any
    conn: Connection


class WorkerPool:
    """A fixed number of forked workers; ``run`` blocks (call it from a thread, not the loop)."""

    def __init__(self, store: ox.Store, size: int):
        self._store = store
        self._context = multiprocessing.get_context("fork")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[int] = set()
        self.size = size
        self.replaced = 0

    def start(self) -> None:
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(target=_worker_main, args=(self._store, child), daemon=True)
        process.start()
        child.close()
        assert process.pid is not None
        self._all.add(process.pid)
        return _Worker(process, parent)

    def _kill(self, worker: _Worker) -> None:
        if worker.process.pid is not None:
            self._all.discard(worker.process.pid)
        worker.process.kill()
        worker.process.join(timeout=5)
        worker.conn.close()

    def run(self, job: Job, timeout: float) -> Outcome:
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy() from None
        try:
            worker.conn.send(job)
            remaining = max(deadline - time.monotonic(), 0.0)
            if worker.conn.poll(remaining):
                outcome: Outcome = worker.conn.recv()
                self._idle.put(worker)
                return outcome
            crashed = False
        except (EOFError, OSError):
            crashed = True
        self._kill(worker)
        self.replaced += 1
        self._idle.put(self._spawn())
        if crashed:
            raise WorkerCrashed()
        raise QueryTimeout()

    def close(self) -> None:
        while True:
            try:
                self._kill(self._idle.get_nowait())
            except queue.Empty:
                break
        for pid in list(self._all):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def close_when_idle(self, timeout: float, grace: float = 1.0) -> None:
        """Close once no worker is running a query (or at ``timeout``): for a pool that has been
        replaced by a fresh one, so queries already running on it finish (kzgraph.api.live)."""
        time.sleep(grace)  # a request that took this pool just before the swap gets its worker
        deadline = time.monotonic() + timeout
        while self._idle.qsize() < self.size and time.monotonic() < deadline:
            time.sleep(0.05)
        self.close()


__all__ = [
    "GRAPH_TYPES",
    "Job",
    "Outcome",
    "PoolBusy",
    "QueryTimeout",
    "WorkerCrashed",
    "WorkerPool",
    "evaluate",
]

"""Query evaluation in worker processes, killed at the deadline.

pyoxigraph's ``query()`` cannot be interrupted from inside the process (it releases the GIL and has
no effective timeout), so each query runs in a worker; when the deadline passes the worker is
killed and a fresh one forked. Workers are forked by a "zygote" process, itself forked from the
server once the store is loaded: it holds the store (copy-on-write, no second copy), none of the
server's sockets, and no network (kzgraph.sparql.sandbox; docs/decisions/0015-query-sandbox.md).
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
from multiprocessing.reduction import recv_handle, send_handle
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
from kzgraph.sparql.sandbox import (
    SandboxUnavailable,
    die_with_parent,
    forbid_network,
    limit_memory,
    neutralise_inherited,
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


@dataclass(frozen=True)
class WorkerLimits:
    """What one query process may use: memory beyond what it had when forked."""

    memory_bytes: int = 2 * 1024**3


def _worker_main(store: ox.Store, conn: Connection, limits: WorkerLimits, zygote: int) -> None:
    """Serve jobs on a thread with a large stack: pyoxigraph's parser and evaluator recurse, and
    long flat chains (``!!!…``, ``1+1+…``, long paths) would overflow a default 8 MiB stack."""
    try:
        die_with_parent(zygote)
        neutralise_inherited(keep={conn.fileno()})
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        limit_memory(limits.memory_bytes + WORKER_STACK_BYTES)
        threading.stack_size(WORKER_STACK_BYTES)
        thread = threading.Thread(target=_serve_jobs, args=(store, conn))
        thread.start()
        thread.join()
    finally:
        os._exit(0)


def _reap(children: set[int]) -> None:
    for pid in list(children):
        with contextlib.suppress(ChildProcessError):
            done, _ = os.waitpid(pid, os.WNOHANG)
            if done:
                children.discard(pid)


def _zygote_main(store: ox.Store, ctl: Connection, limits: WorkerLimits, parent: int) -> None:
    """The process that forks query workers: forked from the server once the store is loaded, it
    drops every inherited descriptor (listening and client sockets), forbids itself the network
    (kzgraph.sparql.sandbox) and forks a worker on request, handing the server its end of the
    worker's socket pair. It exits when the server does (EOF on ``ctl``, or a new parent), and
    its workers die with it (PR_SET_PDEATHSIG)."""
    try:
        neutralise_inherited(keep={ctl.fileno()})
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        try:
            forbid_network()
        except (SandboxUnavailable, OSError) as exc:
            ctl.send(("error", f"query processes cannot be confined: {exc}"))
            return
        ctl.send(("ready", os.getpid()))
        children: set[int] = set()
        while True:
            _reap(children)
            if not ctl.poll(1.0):
                if os.getppid() != parent:
                    break
                continue
            try:
                command, arg = ctl.recv()
            except (EOFError, OSError):
                break
            if command == "spawn":
                ours, theirs = multiprocessing.Pipe()
                me = os.getpid()
                pid = os.fork()
                if pid == 0:
                    _worker_main(store, theirs, limits, me)
                theirs.close()
                children.add(pid)
                ctl.send(pid)
                send_handle(ctl, ours.fileno(), parent)
                ours.close()
            elif command == "kill":
                if arg in children:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(arg, signal.SIGKILL)
                    with contextlib.suppress(ChildProcessError):
                        os.waitpid(arg, 0)
                    children.discard(arg)
                ctl.send(True)
            else:  # "exit"
                break
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    finally:
        os._exit(0)


class _Zygote:
    """The server's handle on its worker-forking process."""

    def __init__(self, store: ox.Store, limits: WorkerLimits):
        ours, theirs = multiprocessing.Pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:
            _zygote_main(store, theirs, limits, parent)
        theirs.close()
        self.pid, self._ctl, self._lock = pid, ours, threading.Lock()
        if not ours.poll(30):
            self.close()
            raise RuntimeError("the query process did not start")
        status, detail = ours.recv()
        if status != "ready":
            self.close()
            raise RuntimeError(detail)

    def spawn(self) -> tuple[int, Connection]:
        with self._lock:
            self._ctl.send(("spawn", None))
            pid: int = self._ctl.recv()
            return pid, Connection(recv_handle(self._ctl))

    def kill(self, pid: int) -> None:
        with self._lock:
            self._ctl.send(("kill", pid))
            self._ctl.recv()

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError, ValueError):
            self._ctl.send(("exit", None))
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._ctl.close()


@dataclass
class _Worker:
    pid: int
    conn: Connection


class WorkerPool:
    """A fixed number of query workers; ``run`` blocks (call it from a thread, not the loop)."""

    def __init__(self, store: ox.Store, size: int, limits: WorkerLimits | None = None):
        self._store = store
        self._limits = limits or WorkerLimits()
        self._zygote: _Zygote | None = None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self.size = size
        self.replaced = 0

    def start(self) -> None:
        self._zygote = _Zygote(self._store, self._limits)
        for _ in range(self.size):
            self._idle.put(self._spawn())

    def _spawn(self) -> _Worker:
        assert self._zygote is not None, "start() the pool first"
        pid, conn = self._zygote.spawn()
        return _Worker(pid, conn)

    def _kill(self, worker: _Worker) -> None:
        if self._zygote is not None:
            with contextlib.suppress(OSError, EOFError):
                self._zygote.kill(worker.pid)
        worker.conn.close()

    def worker_pids(self) -> list[int]:
        """The processes serving queries now (for tests and /health), and the forking one."""
        return [self._zygote.pid] if self._zygote else []

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
        if self._zygote is not None:
            self._zygote.close()  # workers still running a query die with it

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
    "WorkerLimits",
    "WorkerPool",
    "evaluate",
]

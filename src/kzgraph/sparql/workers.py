"""Query evaluation in worker processes, killed at the deadline.

pyoxigraph's ``query()`` cannot be interrupted from inside the process (it releases the GIL and has
no effective timeout), so each query runs in a worker; when the deadline passes the worker is
killed and a fresh one forked. Workers are forked by a "zygote" process, itself forked from the
server once the store is loaded: it holds the store (copy-on-write, no second copy), none of the
server's sockets, and no network (kzgraph.sparql.sandbox; docs/decisions/0015-query-sandbox.md).
"""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kzgraph.sparql.binding import substitution_term
from kzgraph.sparql.formats import (
    NotRepresentable,
    results_writer,
    write_boolean,
    write_solutions,
    write_triples,
)
from kzgraph.sparql.merge import dataset
from kzgraph.sparql.sandbox import lower_priority
from kzgraph.sparql.zygote import WorkerLimits, Zygote


@dataclass(frozen=True)
class Job:
    query: str
    media: str
    max_rows: int | None  # None: no limit; a larger answer is an error, never a cut
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    query_names_dataset: bool = False
    # the query's own FROM and FROM NAMED IRIs, when the guard could read them (None: it could
    # not, or there are none); several FROM graphs are queried as their merge (sparql.merge)
    from_graphs: tuple[str, ...] | None = None
    from_named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    # values bound to variables before evaluation (canned-query parameters), never pasted into
    # the text: (variable, "iri" | "literal", value, datatype IRI or "")
    substitutions: tuple[tuple[str, str, str, str], ...] = ()
    # the largest answer, in bytes, sent back (None: no limit; larger is an error, never a cut)
    max_bytes: int | None = None
    # for SELECT *: the columns in the order the variables first appear in the query
    columns: tuple[str, ...] = ()
    # a folder where answers over SPOOL_ABOVE bytes are written rather than sent down the pipe,
    # so the server streams them from disk instead of holding them in memory
    spool_dir: str | None = None
    # how a canned query's CSV is shown (docs/decisions/0023-result-views.md): columns left
    # out (its parameter columns, unless asked for) and durations in words
    hidden: tuple[str, ...] = ()
    durations_in_words: bool = False


SPOOL_ABOVE = 1024 * 1024


@dataclass(frozen=True)
class Outcome:
    body: bytes = b""
    media: str = ""
    rows: int = 0
    # "syntax", "evaluation", "not-representable", "too-large" or "memory"
    error: str | None = None
    message: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    spool: str | None = None  # the file holding the answer, when it was spooled
    size: int = 0  # the answer's size in bytes


class SlowLaneFull(Exception):
    """The query ran past the fast lane's allowance and every long-running slot was taken, or
    (``own``) its client already had a long query running."""

    def __init__(self, own: bool = False):
        super().__init__(own)
        self.own = own


class QueryTimeout(Exception):
    """The query did not finish before its deadline; its worker was killed."""


class PoolBusy(Exception):
    """No worker became free before the deadline."""


class WorkerCrashed(Exception):
    """The worker died while evaluating (a query deep enough to exhaust even its large stack)."""


Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _substitutions(job: Job) -> dict[ox.Variable, Term] | None:
    if not job.substitutions:
        return None
    return {
        ox.Variable(variable): substitution_term(kind, value, datatype)
        for variable, kind, value, datatype in job.substitutions
    }


def _dataset(store: ox.Store, job: Job) -> dict[str, Any]:
    """The dataset: the request's, else the query's FROM (read by the guard), else the merge."""
    if job.default_graphs is not None or job.named_graphs is not None:
        return dataset(store, job.default_graphs, job.named_graphs)
    if job.from_graphs is not None:
        return dataset(store, job.from_graphs, job.from_named_graphs or ())
    return dataset(store, None, None, job.query_names_dataset)


def too_many_rows(limit: int | None) -> Outcome:
    """The answer would pass the row limit: an error, never a cut answer."""
    return Outcome(
        error="too-large",
        message=(
            f"the answer has more than {limit:,} rows, the most an answer may have: add LIMIT "
            "(with ORDER BY) and fetch the rest with OFFSET, or count with COUNT"
        ),
    )


def in_query_order(variables: list[str], columns: tuple[str, ...]) -> list[str]:
    """``variables`` in the order of ``columns`` (SELECT *), those not named there last."""
    place = {name: i for i, name in enumerate(columns)}
    return sorted(variables, key=lambda name: place.get(name, len(place)))


def evaluate(store: ox.Store, job: Job) -> Outcome:
    """Run one job against a store and serialise its answer; an answer over the row limit or
    over ``job.max_bytes`` is an error, one over SPOOL_ABOVE is written to ``job.spool_dir``."""
    try:
        return bounded(job, _evaluate(store, job))
    except MemoryError:
        return Outcome(error="memory", message="the query needed more memory than a query may use")


def bounded(job: Job, outcome: Outcome) -> Outcome:
    """``outcome`` held to ``job.max_bytes`` (an error past it), and spooled to
    ``job.spool_dir`` when it is large; the one check for every backend's answers."""
    size = len(outcome.body)
    if outcome.error:
        return outcome
    if job.max_bytes is not None and size > job.max_bytes:
        return Outcome(
            error="too-large",
            message=(
                f"the answer would be {size:,} bytes, more than the {job.max_bytes:,} an answer "
                "may be: add a LIMIT, select fewer or shorter values, or ask for a terser format"
            ),
        )
    if job.spool_dir is None or size <= SPOOL_ABOVE:
        return replace(outcome, size=size)
    fd, path = tempfile.mkstemp(dir=job.spool_dir, suffix=".answer")
    with os.fdopen(fd, "wb") as out:
        out.write(outcome.body)
    return replace(outcome, body=b"", spool=path, size=size)


def _evaluate(store: ox.Store, job: Job) -> Outcome:
    t0 = time.perf_counter()
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            substitutions=_substitutions(job),
            **_dataset(store, job),
        )
    except SyntaxError as exc:
        return Outcome(error="syntax", message=str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error="evaluation", message=str(exc))
    parsed = time.perf_counter()
    try:
        if isinstance(result, ox.QueryBoolean):
            kind = results_writer(job.media)
            body, rows = write_boolean(kind, bool(result)), 1
        elif isinstance(result, ox.QuerySolutions):
            variables = in_query_order([v.value for v in result.variables], job.columns)
            out_rows: list[list[object | None]] = []
            for solution in result:
                if len(out_rows) == job.max_rows:
                    return too_many_rows(job.max_rows)
                out_rows.append([solution[v] for v in variables])
            body = write_solutions(
                results_writer(job.media),
                variables,
                out_rows,
                hidden=job.hidden,
                words=job.durations_in_words,
            )
            rows = len(out_rows)
        else:
            triples: list[ox.Triple] = []
            for triple in result:
                if len(triples) == job.max_rows:
                    return too_many_rows(job.max_rows)
                triples.append(triple)
            body, rows = write_triples(job.media, triples), len(triples)
    except NotRepresentable as exc:
        return Outcome(error="not-representable", message=str(exc))
    except (OSError, ValueError, RuntimeError) as exc:
        return Outcome(error="evaluation", message=str(exc))
    done = time.perf_counter()
    return Outcome(body, job.media, rows, timings={"eval": done - t0, "prepare": parsed - t0})


def _serve_jobs(store: ox.Store, conn: Connection) -> None:
    try:
        while True:
            job = conn.recv()
            conn.send(evaluate(store, job))
    except (EOFError, OSError):
        pass


@dataclass
class _Worker:
    pid: int
    conn: Connection


class WorkerPool:
    """Query workers in two lanes; ``run`` blocks (call it from a thread, not the loop).

    ``size`` workers serve the fast lane. A query still running after ``slow_after`` seconds
    moves to the slow lane: its worker is put in the idle scheduling class and a fresh worker
    takes its place in the fast lane, so cheap queries keep their workers and the CPU while long
    ones run on the time left over.
    At most ``slow_lane`` queries run long at once, at most one of them per client (``owner``);
    one more is stopped (SlowLaneFull). A worker
    that ran a long query is retired when it ends (it may hold much memory, and cannot be
    un-niced). See docs/decisions/0016-fair-and-bounded.md.
    """

    def __init__(
        self,
        store: ox.Store,
        size: int,
        limits: WorkerLimits | None = None,
        *,
        slow_after: float = 1.0,
        slow_lane: int = 4,
    ):
        self._store = store
        self.limits = limits or WorkerLimits()
        self._zygote: Zygote | None = None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._slow_owners: set[str] = set()  # each has its one query in the slow lane
        self._busy = 0
        self.size = size
        self.slow_after = slow_after
        self.slow_lane = slow_lane
        self.replaced = 0
        self.spool_dir: str | None = None

    def start(self) -> None:
        self.spool_dir = tempfile.mkdtemp(prefix="kzgraph-answers-")
        self._zygote = Zygote(self._store, self.limits, _serve_jobs)
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

    @property
    def memory_limit(self) -> int | None:
        return self.limits.memory_bytes

    @property
    def slow_running(self) -> int:
        return len(self._slow_owners)

    def run(self, job: Job, timeout: float, owner: str | None = "") -> Outcome:
        """Answer ``job`` within ``timeout`` seconds for client ``owner``; the server's own
        queries (``owner`` None) keep their fast-lane worker however long they run."""
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise PoolBusy() from None
        with self._lock:
            self._busy += 1
        try:
            return self._run_on(worker, job, deadline, owner)
        finally:
            with self._lock:
                self._busy -= 1

    def _run_on(self, worker: _Worker, job: Job, deadline: float, owner: str | None) -> Outcome:
        slow = False
        try:
            worker.conn.send(job)
            allowance = self.slow_after if owner is not None else deadline - time.monotonic()
            fast = min(allowance, max(deadline - time.monotonic(), 0.0))
            if worker.conn.poll(fast):
                outcome: Outcome = worker.conn.recv()
                self._idle.put(worker)
                return outcome
            if owner is not None and time.monotonic() < deadline:
                slow = self._to_slow_lane(worker, owner)
                if worker.conn.poll(max(deadline - time.monotonic(), 0.0)):
                    outcome = worker.conn.recv()
                    self._retire(worker)
                    return outcome
            crashed = False
        except (EOFError, OSError):
            crashed = True
        finally:
            if slow and owner is not None:
                self._leave_slow_lane(owner)
        if slow:  # its place in the fast lane was filled when it moved
            self._retire(worker)
        else:
            self._replace(worker)
        if crashed:
            raise WorkerCrashed()
        raise QueryTimeout()

    def _to_slow_lane(self, worker: _Worker, owner: str) -> bool:
        """Move a long-running query out of the fast lane, or stop it when the slow lane is full
        or its owner already has a query there (raises SlowLaneFull after replacing the worker)."""
        with self._lock:
            mine = owner in self._slow_owners
            full = mine or self.slow_running >= self.slow_lane
            if not full:
                self._slow_owners.add(owner)
        if full:
            self._replace(worker)
            raise SlowLaneFull(mine)
        lower_priority(worker.pid)
        self._idle.put(self._spawn())
        return True

    def _leave_slow_lane(self, owner: str) -> None:
        with self._lock:
            self._slow_owners.discard(owner)

    def _retire(self, worker: _Worker) -> None:
        """End a worker that will not serve again (its fast-lane place is already filled)."""
        self._kill(worker)
        self.replaced += 1

    def _replace(self, worker: _Worker) -> None:
        """End a fast-lane worker and put a fresh one in its place."""
        self._retire(worker)
        self._idle.put(self._spawn())

    def close(self) -> None:
        while True:
            try:
                self._kill(self._idle.get_nowait())
            except queue.Empty:
                break
        if self._zygote is not None:
            self._zygote.close()  # workers still running a query die with it
        if self.spool_dir:
            shutil.rmtree(self.spool_dir, ignore_errors=True)

    def close_when_idle(self, timeout: float, grace: float = 1.0) -> None:
        """Close once no worker is running a query (or at ``timeout``): for a pool that has been
        replaced by a fresh one, so queries already running on it finish (KnowledgeGraph.reload)."""
        time.sleep(grace)  # a request that took this pool just before the swap gets its worker
        deadline = time.monotonic() + timeout
        while self._busy and time.monotonic() < deadline:
            time.sleep(0.05)
        self.close()


__all__ = [
    "Job",
    "Outcome",
    "PoolBusy",
    "QueryTimeout",
    "SlowLaneFull",
    "WorkerCrashed",
    "WorkerLimits",
    "WorkerPool",
    "evaluate",
]

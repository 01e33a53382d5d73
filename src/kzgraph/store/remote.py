"""Query evaluation on a remote SPARQL server (``KZGRAPH_STORE``), with the WorkerPool's contract.

Each job is POSTed to the store's query URL as a SPARQL query (SPARQL 1.1 Protocol). The answer is
asked for in a format this module parses as a stream (SPARQL JSON for SELECT and ASK, N-Triples
for CONSTRUCT and DESCRIBE), checked against the row limit and written
in the format the client negotiated by the embedded store's own writers. The deadline is a wall
clock: a watchdog shuts the socket when it passes. See docs/store.md.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import socket
import threading
import time
from dataclasses import replace
from typing import Any

import pyoxigraph as ox

from kzgraph.formats import (
    DATASET,
    GRAPH,
    N_TRIPLES,
    RDF_XML,
    SOLUTIONS,
    TURTLE,
    accept_header,
    by_media,
)
from kzgraph.settings import UnionMode
from kzgraph.sparql.binding import CannotBind
from kzgraph.sparql.formats import results_writer, write_boolean, write_solutions, write_triples
from kzgraph.sparql.workers import (
    Job,
    Outcome,
    PoolBusy,
    QueryTimeout,
    bounded,
    in_query_order,
    too_many_rows,
)
from kzgraph.store.client import Endpoint, StoreError, StoreHTTPError
from kzgraph.store.engines import (
    OXIGRAPH,
    SOLUTIONS_ACCEPT,
    Engine,
    default_size,
    graph_sizes,
    media,
    merged_size,
    results_parser,
)

__all__ = ["RemoteBackend", "StoreUnavailable", "default_size", "graph_sizes", "merged_size"]

log = logging.getLogger("kzgraph.store.memory")

TRIPLES_ACCEPT = accept_header([N_TRIPLES, TURTLE, RDF_XML])
# A query is its prologue (comments, BASE, PREFIX) then its form: anything else before the form,
# such as Virtuoso's `define` pragmas (some make the server fetch URLs), is refused here.
_PLAIN_QUERY = re.compile(
    r"(?:\s|\#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s*[^\s:<]*:\s*<[^>]*>)*"
    r"(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b",
    re.IGNORECASE,
)
NOT_PLAIN = "a query is BASE and PREFIX declarations, then SELECT, CONSTRUCT, DESCRIBE or ASK"


class StoreUnavailable(PoolBusy):
    """The store cannot be reached or sent a broken answer: the service answers 503."""


def _read_all(response: Any, deadline: float) -> bytes:
    parts: list[bytes] = []
    while chunk := response.read(1 << 16):
        if time.monotonic() >= deadline:
            raise QueryTimeout()
        parts.append(chunk)
    return b"".join(parts)


class _Watchdog:
    """Shuts the response's socket at the deadline, so that a blocked read returns at once."""

    def __init__(self, response: Any, deadline: float):
        self.fired = False
        self._response = response
        self._lock = threading.Lock()
        self._active = True
        self._timer = threading.Timer(max(deadline - time.monotonic(), 0.0), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def _fire(self) -> None:
        with self._lock:
            if not self._active:
                return
            self.fired = True
            try:
                sock = socket.socket(fileno=os.dup(self._response.fileno()))
            except (OSError, ValueError):
                return
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            finally:
                sock.close()

    def __exit__(self, *_: object) -> None:
        with self._lock:
            self._active = False
        self._timer.cancel()
        self._response.close()


def _several_defaults(job: Job) -> str | None:
    """Why a job whose default graph is made of several graphs is refused, or None.

    Such a default graph must be the RDF merge (each triple once), but remote servers build it as
    a bag (Oxigraph 0.5, Virtuoso) and kzgraph cannot merge it for them without writing to the
    store; the embedded store merges it (docs/decisions/0017-default-graph-merge.md)."""
    if job.default_graphs is not None:
        graphs, given = set(job.default_graphs), "default-graph-uri parameters"
    elif job.query_names_dataset and job.from_graphs is not None:
        graphs, given = set(job.from_graphs), "FROM clauses"
    else:
        return None
    if len(graphs) < 2:
        return None
    return (
        f"this endpoint answers from a remote store, which would count a triple once per graph "
        f"of the {len(graphs)} {given}, not once as SPARQL's merge requires: name one graph, or "
        "query the default graph (the merge of all graphs), or use GRAPH ?g with "
        "FILTER(?g IN (...)) and SELECT DISTINCT"
    )


class RemoteBackend:
    """Runs jobs on a remote store; ``run`` blocks (call it from a thread, not the loop)."""

    spool_dir: str | None = None  # answers are read into memory, within the byte limit
    memory_limit: int | None = None  # the store's own concern

    def __init__(
        self,
        query_url: str,
        union: UnionMode,
        graph_prefix: str,
        concurrency: int = 4,
        engine: Engine = OXIGRAPH,
        login: tuple[str | None, str | None] = (None, None),
    ):
        self.endpoint = Endpoint.parse(query_url).login(*login)
        self.union = union
        self.engine = engine
        self.graph_prefix = graph_prefix
        self._slots = threading.BoundedSemaphore(max(concurrency, 1))
        self._graphs: tuple[str, ...] = ()

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def connect(self, timeout: float = 60.0) -> dict[str, int]:
        """The kzgraph graphs in the store and their sizes; checks the union default graph."""
        graphs = graph_sizes(self.endpoint, self.graph_prefix, timeout, self.engine)
        if not graphs:
            raise StoreError(
                f"{self.endpoint.shown} holds no graph under {self.graph_prefix}: "
                "run 'kzgraph push' first"
            )
        self._graphs = tuple(sorted(graphs))
        try:
            ask = self.engine.query(
                self.endpoint, "ASK { ?s ?p ?o }", SOLUTIONS_ACCEPT, timeout, self._union_params()
            )
        except TimeoutError:
            raise StoreError(f"{self.endpoint.shown} did not answer within {timeout:g} s") from None
        with ask:
            try:
                fmt = results_parser(media(ask)) or ox.QueryResultsFormat.JSON
                answer = ox.parse_query_results(ask, format=fmt)
            except (SyntaxError, OSError, ValueError) as exc:
                raise StoreError(
                    f"{self.endpoint.shown} sent an unreadable answer: {exc}"
                ) from None
        if not (isinstance(answer, ox.QueryBoolean) and bool(answer)):
            raise StoreError(
                f"the default graph of {self.endpoint.shown} is empty with "
                f"KZGRAPH_STORE_UNION={self.union}: it must be the union of the named graphs "
                "(see docs/store.md for this server's setting)"
            )
        if self.union == "merged":
            self._check_merged(timeout)
        return graphs

    def _check_merged(self, timeout: float) -> None:
        merged = merged_size(self.endpoint, self.graph_prefix, timeout, self.engine)
        stored = default_size(self.endpoint, timeout, self.engine)
        if stored != merged:
            raise StoreError(
                f"the default graph of {self.endpoint.shown} has {stored} triples, the merge of "
                f"the kzgraph graphs {merged}: with KZGRAPH_STORE_UNION=merged it must be their "
                "merge; run 'kzgraph push' (docs/store.md)"
            )

    def merged_size(self, timeout: float = 60.0) -> int:
        """Triples in the merge of the kzgraph graphs, each once (the default graph's size)."""
        return merged_size(self.endpoint, self.graph_prefix, timeout, self.engine)

    def _union_params(self) -> list[tuple[str, str]]:
        if self.union == "merged":
            return self.engine.merged_dataset(self._graphs)
        if self.union == "oxigraph":
            return [("union-default-graph", "")]
        if self.union == "graphs":
            return [("default-graph-uri", g) for g in self._graphs] + [
                ("named-graph-uri", g) for g in self._graphs
            ]
        return []

    def _params(self, job: Job) -> list[tuple[str, str]]:
        if job.default_graphs is not None or job.named_graphs is not None:
            return [("default-graph-uri", g) for g in job.default_graphs or ()] + [
                ("named-graph-uri", g) for g in job.named_graphs or ()
            ]
        # FROM / FROM NAMED choose the dataset themselves; otherwise the default graph is the union
        return [] if job.query_names_dataset else self._union_params()

    def run(self, job: Job, timeout: float, owner: str | None = "") -> Outcome:
        several = _several_defaults(job)
        if several:
            return Outcome(error="evaluation", message=several)
        if job.substitutions:  # our own queries' checked values, as a VALUES block of terms
            try:
                job = replace(
                    job, query=self.engine.bind(job.query, job.substitutions), substitutions=()
                )
            except CannotBind as exc:
                return Outcome(error="evaluation", message=str(exc))
        deadline = time.monotonic() + timeout
        if not self._slots.acquire(timeout=timeout):
            raise PoolBusy()
        try:
            return self._run(job, deadline)
        finally:
            self._slots.release()

    def _run(self, job: Job, deadline: float) -> Outcome:
        t0 = time.perf_counter()
        if not _PLAIN_QUERY.match(job.query):
            return Outcome(error="syntax", message=NOT_PLAIN)
        solutions = by_media(job.media, SOLUTIONS) is not None
        try:
            response = self.engine.query(
                self.endpoint,
                job.query,
                SOLUTIONS_ACCEPT if solutions else TRIPLES_ACCEPT,
                deadline - time.monotonic(),
                self._params(job),
            )
        except TimeoutError:
            raise QueryTimeout() from None
        except StoreHTTPError as exc:
            return self._http_error(exc)
        except StoreError as exc:
            log.error("store unavailable: %s", exc)
            raise StoreUnavailable() from None
        prepared = time.perf_counter()
        with _Watchdog(response, deadline) as watchdog:
            try:
                read = self._read(response, job, deadline, solutions)
            except QueryTimeout:
                raise
            except (OSError, ValueError, SyntaxError, http.client.HTTPException) as exc:
                if watchdog.fired or time.monotonic() >= deadline:
                    raise QueryTimeout() from None
                log.error("unreadable answer from %s: %s", self.endpoint.shown, exc)
                raise StoreUnavailable() from None
        if isinstance(read, Outcome):
            return read
        body, rows = read
        done = time.perf_counter()
        timings = {"eval": done - t0, "prepare": prepared - t0}
        return bounded(job, Outcome(body, job.media, rows, timings=timings))

    def _http_error(self, exc: StoreHTTPError) -> Outcome:
        if exc.status == 400:
            return Outcome(error="syntax", message=exc.message)
        if exc.status in (408, 504):
            raise QueryTimeout()
        if exc.status in (429, 502, 503):
            log.error("store unavailable: %s", exc)
            raise StoreUnavailable()
        return Outcome(
            error="evaluation", message=f"the store answered HTTP {exc.status}: " + exc.message
        )

    def _read(
        self, response: Any, job: Job, deadline: float, solutions: bool
    ) -> tuple[bytes, int] | Outcome:
        answered = media(response)
        if solutions:
            fmt = results_parser(answered)
            if fmt is None:
                raise ValueError(f"the store answered with {answered!r}")
            source = response
            if self.engine.sql_literals:  # read whole, to rename Virtuoso's blank nodes
                source = io.BytesIO(self.engine.answer_body(_read_all(response, deadline)))
            result = ox.parse_query_results(source, format=fmt)
            kind = results_writer(job.media)
            if isinstance(result, ox.QueryBoolean):
                return write_boolean(kind, bool(result)), 1
            variables = in_query_order([v.value for v in result.variables], job.columns)
            rows: list[list[object | None]] = []
            for solution in result:
                if len(rows) == job.max_rows:
                    return too_many_rows(job.max_rows)
                if time.monotonic() >= deadline:
                    raise QueryTimeout()
                rows.append([self.engine.answered(solution[v]) for v in variables])
            body = write_solutions(
                kind, variables, rows, hidden=job.hidden, words=job.durations_in_words
            )
            return body, len(rows)
        parsed = by_media(answered, GRAPH, DATASET)
        rdf = parsed.rdf if parsed else None
        if rdf is None:
            raise ValueError(f"the store answered with {answered!r}")
        triples: list[ox.Triple] = []
        for quad in ox.parse(response, format=rdf):
            if len(triples) == job.max_rows:
                return too_many_rows(job.max_rows)
            if time.monotonic() >= deadline:
                raise QueryTimeout()
            triples.append(self.engine.answered_triple(quad.triple))
        return write_triples(job.media, triples), len(triples)

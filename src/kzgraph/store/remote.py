"""Query evaluation on a remote SPARQL server (``KZGRAPH_STORE``), with the WorkerPool's contract.

Each job is POSTed to the store's query URL as a SPARQL query (SPARQL 1.1 Protocol). The answer is
asked for in a format this module parses as a stream (SPARQL JSON for SELECT and ASK, N-Triples
for CONSTRUCT and DESCRIBE), checked against the row limit and written
in the format the client negotiated by the embedded store's own writers. The deadline is a wall
clock: a watchdog shuts the socket when it passes. See docs/store.md.
"""

from __future__ import annotations

import http.client
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
    SPARQL_JSON,
    SPARQL_QUERY,
    SPARQL_XML,
    TSV,
    TURTLE,
    accept_header,
    by_media,
)
from kzgraph.settings import UnionMode
from kzgraph.sparql.binding import CannotBind, bind_values
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
from kzgraph.store.client import Endpoint, StoreError, StoreHTTPError, post

log = logging.getLogger("kzgraph.store.memory")

# Formats read as a stream, best first: SPARQL JSON for SELECT and ASK, N-Triples for graphs.
SOLUTIONS_ACCEPT = accept_header([SPARQL_JSON, SPARQL_XML, TSV])
TRIPLES_ACCEPT = accept_header([N_TRIPLES, TURTLE, RDF_XML])
# A query is its prologue (comments, BASE, PREFIX) then its form: anything else before the form,
# such as Virtuoso's `define` pragmas (some make the server fetch URLs), is refused here.
_PLAIN_QUERY = re.compile(
    r"(?:\s|\#[^\n]*(?:\n|$)|BASE\s*<[^>]*>|PREFIX\s*[^\s:<]*:\s*<[^>]*>)*"
    r"(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b",
    re.IGNORECASE,
)
NOT_PLAIN = "a query is BASE and PREFIX declarations, then SELECT, CONSTRUCT, DESCRIBE or ASK"
GRAPH_SIZES = """SELECT ?g (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), %s)) } GROUP BY ?g"""
# the merge of the kzgraph graphs, each triple once, whatever the server's default graph is
MERGE_SIZE = """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), %s)) } }"""
DEFAULT_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


class StoreUnavailable(PoolBusy):
    """The store cannot be reached or sent a broken answer: the service answers 503."""


def _media(response: Any) -> str:
    return str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()


def _results_parser(media: str) -> ox.QueryResultsFormat | None:
    """pyoxigraph's parser of SPARQL results in ``media`` (None: a type it cannot read)."""
    found = by_media(media, SOLUTIONS)
    return found.parser if found else None


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


def _select(endpoint: Endpoint, query: str, timeout: float) -> list[dict[str, str]]:
    """A small SELECT on the store, as rows of plain strings (no row cap: for our own queries)."""
    try:
        response = post(endpoint, query.encode(), SPARQL_QUERY.media, SOLUTIONS_ACCEPT, timeout)
    except TimeoutError:
        raise StoreError(f"{endpoint.shown} did not answer within {timeout:g} s") from None
    with response:
        fmt = _results_parser(_media(response))
        if fmt is None:
            raise StoreError(f"{endpoint.shown} answered a SELECT with {_media(response)!r}")
        try:
            result = ox.parse_query_results(response, format=fmt)
            if not isinstance(result, ox.QuerySolutions):
                raise StoreError(f"{endpoint.shown} answered a SELECT with a boolean")
            names = [v.value for v in result.variables]
            return [{n: row[n].value for n in names if row[n] is not None} for row in result]
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"{endpoint.shown} sent an unreadable answer: {exc}") from None


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def graph_sizes(endpoint: Endpoint, prefix: str, timeout: float = 60.0) -> dict[str, int]:
    """Triples per named graph whose IRI starts with ``prefix``, as the store counts them."""
    rows = _select(endpoint, GRAPH_SIZES % _literal(prefix), timeout)
    return {row["g"]: int(row["n"]) for row in rows if "g" in row and "n" in row}


def _count(endpoint: Endpoint, query: str, timeout: float) -> int:
    rows = _select(endpoint, query, timeout)
    return int(rows[0]["n"]) if rows and "n" in rows[0] else 0


def merged_size(endpoint: Endpoint, prefix: str, timeout: float = 60.0) -> int:
    """Triples in the merge of the graphs under ``prefix`` (each triple once)."""
    return _count(endpoint, MERGE_SIZE % _literal(prefix), timeout)


def default_size(endpoint: Endpoint, timeout: float = 60.0) -> int:
    """Triples in the store's own default graph (no dataset, no union parameter)."""
    return _count(endpoint, DEFAULT_SIZE, timeout)


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

    def __init__(self, query_url: str, union: UnionMode, graph_prefix: str, concurrency: int = 4):
        self.endpoint = Endpoint.parse(query_url)
        self.union = union
        self.graph_prefix = graph_prefix
        self._slots = threading.BoundedSemaphore(max(concurrency, 1))
        self._graphs: tuple[str, ...] = ()

    def start(self) -> None:
        pass

    def close(self) -> None:
        pass

    def connect(self, timeout: float = 60.0) -> dict[str, int]:
        """The kzgraph graphs in the store and their sizes; checks the union default graph."""
        graphs = graph_sizes(self.endpoint, self.graph_prefix, timeout)
        if not graphs:
            raise StoreError(
                f"{self.endpoint.shown} holds no graph under {self.graph_prefix}: "
                "run 'kzgraph push' first"
            )
        self._graphs = tuple(sorted(graphs))
        try:
            ask = post(
                self.endpoint,
                b"ASK { ?s ?p ?o }",
                SPARQL_QUERY.media,
                SOLUTIONS_ACCEPT,
                timeout,
                self._union_params(),
            )
        except TimeoutError:
            raise StoreError(f"{self.endpoint.shown} did not answer within {timeout:g} s") from None
        with ask:
            try:
                fmt = _results_parser(_media(ask)) or ox.QueryResultsFormat.JSON
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
        merged = merged_size(self.endpoint, self.graph_prefix, timeout)
        stored = default_size(self.endpoint, timeout)
        if stored != merged:
            raise StoreError(
                f"the default graph of {self.endpoint.shown} has {stored} triples, the merge of "
                f"the kzgraph graphs {merged}: with KZGRAPH_STORE_UNION=merged it must be their "
                "merge; run 'kzgraph push' (docs/store.md)"
            )

    def merged_size(self, timeout: float = 60.0) -> int:
        """Triples in the merge of the kzgraph graphs, each once (the default graph's size)."""
        return merged_size(self.endpoint, self.graph_prefix, timeout)

    def _union_params(self) -> list[tuple[str, str]]:
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
                    job, query=bind_values(job.query, job.substitutions), substitutions=()
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
            response = post(
                self.endpoint,
                job.query.encode("utf-8"),
                SPARQL_QUERY.media,
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
        media = _media(response)
        if solutions:
            fmt = _results_parser(media)
            if fmt is None:
                raise ValueError(f"the store answered with {media!r}")
            result = ox.parse_query_results(response, format=fmt)
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
                rows.append([solution[v] for v in variables])
            body = write_solutions(
                kind, variables, rows, hidden=job.hidden, words=job.durations_in_words
            )
            return body, len(rows)
        parsed = by_media(media, GRAPH, DATASET)
        rdf = parsed.rdf if parsed else None
        if rdf is None:
            raise ValueError(f"the store answered with {media!r}")
        triples: list[ox.Triple] = []
        for quad in ox.parse(response, format=rdf):
            if len(triples) == job.max_rows:
                return too_many_rows(job.max_rows)
            if time.monotonic() >= deadline:
                raise QueryTimeout()
            triples.append(quad.triple)
        return write_triples(job.media, triples), len(triples)

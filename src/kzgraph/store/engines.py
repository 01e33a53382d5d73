"""What differs between the SPARQL servers kzgraph serves from (``KZGRAPH_STORE_ENGINE``), in one
place, and the small queries kzgraph asks a store in its dialect (decision 0025, docs/store.md).

- **Oxigraph** (``oxigraph serve``): queries as an ``application/sparql-query`` body; our own
  queries' values bound with ``LATERAL`` (SEP-0006); the merge of the graphs kept in the store's
  own default graph.
- **Virtuoso 7**: it never answers a query sent as an ``application/sparql-query`` body (7.2.5:
  the connection hangs), so queries and updates go as a URL-encoded form; it has no ``LATERAL``,
  so values are written in place as terms (:func:`kzgraph.sparql.binding.bind_inline`); and it has
  no default graph of its own: without a dataset it answers over *every* graph, its system graphs
  included, as a bag (a triple once per graph that holds it). So the merge is kept in the graph
  ``urn:kzgraph:merge`` and each query that names no dataset is sent with that graph as
  ``default-graph-uri`` and every kzgraph graph as ``named-graph-uri``: counts are the merge's,
  and ``GRAPH ?g`` sees the kzgraph graphs alone, as on the embedded store.
- **sparql** (any other SPARQL 1.1 server): the protocol's query body, no ``LATERAL``, the merge in
  the store's default graph.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from kzgraph.formats import (
    SOLUTIONS,
    SPARQL_JSON,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    SPARQL_XML,
    TSV,
    accept_header,
    by_media,
)
from kzgraph.settings import StoreEngine
from kzgraph.sparql.binding import Substitution, bind_inline, bind_values
from kzgraph.store.client import Endpoint, StoreError, post, post_form
from kzgraph.store.virtuoso import from_store, triple_from_store, triple_to_store

Params = Sequence[tuple[str, str]]
# a blank node in Virtuoso's SPARQL JSON: {"type": "bnode", "value": "nodeID://b123"}
VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')
MERGE_GRAPH = "urn:kzgraph:merge"  # where a store without a default graph of its own keeps it
SOLUTIONS_ACCEPT = accept_header([SPARQL_JSON, SPARQL_XML, TSV])
GRAPH_SIZES = """SELECT ?g (COUNT(*) AS ?n) WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), %s)) } GROUP BY ?g"""
# the merge of the kzgraph graphs, each triple once, whatever the server's default graph is
MERGE_SIZE = """SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), %s)) } }"""
DEFAULT_SIZE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@dataclass(frozen=True)
class Engine:
    name: StoreEngine
    form_post: bool  # queries and updates as a URL-encoded form, not as a body of their own
    lateral: bool  # has SEP-0006 LATERAL
    merge_graph: str | None  # the graph holding the merge; None: the store's own default graph
    sql_literals: bool = False  # keeps literals as SQL values (Virtuoso: kzgraph.store.virtuoso)
    # keeps literals as pyoxigraph does (xsd:nonNegativeInteger comes back as xsd:integer), so the
    # build's triples are compared with its copy through an in-memory pyoxigraph store
    oxigraph_literals: bool = False

    def stored(self, triple: ox.Triple) -> ox.Triple:
        """A triple as it is written into this store."""
        return triple_to_store(triple) if self.sql_literals else triple

    def answered(self, term: Any) -> Any:
        """A term this store answered, as the embedded store would answer it."""
        if self.sql_literals and isinstance(term, ox.Literal):
            return from_store(term)
        return term

    def answered_triple(self, triple: ox.Triple) -> ox.Triple:
        return triple_from_store(triple) if self.sql_literals else triple

    def read_back(self, triple: ox.Triple) -> ox.Triple:
        """A triple of this store's copy of a graph, in the build's form (to compare them)."""
        return triple_from_store(triple, as_built=True) if self.sql_literals else triple

    def as_held(self, triples: list[ox.Triple]) -> list[ox.Triple]:
        """``triples`` as this store answers them once written (to compare with its copy)."""
        if not self.oxigraph_literals:
            return triples
        store = ox.Store()
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        return [quad.triple for quad in store]

    def answer_body(self, body: bytes) -> bytes:
        """A SPARQL results body as pyoxigraph reads it: Virtuoso names blank nodes
        ``nodeID://b123``, which is no blank-node label; the prefix is dropped."""
        if not self.sql_literals:
            return body
        return VIRTUOSO_BNODE.sub(rb"\1", body)

    def bind(self, query: str, substitutions: tuple[Substitution, ...]) -> str:
        """One of our own queries with its checked values bound as terms, in this dialect."""
        if self.lateral:
            return bind_values(query, substitutions)
        return bind_inline(query, substitutions)

    def merged_dataset(self, graphs: Sequence[str]) -> list[tuple[str, str]]:
        """The dataset parameters that make the default graph the stored merge (none when it
        is the store's own default graph), ``graphs`` the named graphs."""
        if self.merge_graph is None:
            return []
        return [("default-graph-uri", self.merge_graph)] + [("named-graph-uri", g) for g in graphs]

    def merge_target(self) -> list[tuple[str, str]]:
        """The Graph Store Protocol parameter of the graph that holds the merge."""
        return [("graph", self.merge_graph)] if self.merge_graph else [("default", "")]

    def query(
        self, endpoint: Endpoint, text: str, accept: str, timeout: float, params: Params = ()
    ) -> Any:
        """POST a query; the open response (errors as :func:`kzgraph.store.client.post`)."""
        if self.form_post:
            return post_form(endpoint, "query", text, accept, timeout, params)
        return post(endpoint, text.encode("utf-8"), SPARQL_QUERY.media, accept, timeout, params)

    def update(self, endpoint: Endpoint, text: str, timeout: float) -> None:
        """POST an update and read nothing back."""
        try:
            if self.form_post:
                post_form(endpoint, "update", text, "*/*", timeout).close()
            else:
                post(endpoint, text.encode("utf-8"), SPARQL_UPDATE.media, "*/*", timeout).close()
        except TimeoutError:
            raise StoreError(f"{endpoint.shown} did not answer within {timeout:g} s") from None


ENGINES: dict[str, Engine] = {
    "oxigraph": Engine(
        "oxigraph", form_post=False, lateral=True, merge_graph=None, oxigraph_literals=True
    ),
    "virtuoso": Engine(
        "virtuoso", form_post=True, lateral=False, merge_graph=MERGE_GRAPH, sql_literals=True
    ),
    "sparql": Engine("sparql", form_post=False, lateral=False, merge_graph=None),
}
OXIGRAPH = ENGINES["oxigraph"]


def media(response: Any) -> str:
    return str(response.headers.get("Content-Type", "")).split(";")[0].strip().lower()


def results_parser(media_type: str) -> ox.QueryResultsFormat | None:
    """pyoxigraph's parser of SPARQL results in ``media_type`` (None: one it cannot read)."""
    found = by_media(media_type, SOLUTIONS)
    return found.parser if found else None


def select(
    endpoint: Endpoint, query: str, timeout: float, engine: Engine = OXIGRAPH, params: Params = ()
) -> list[dict[str, str]]:
    """A small SELECT on the store, as rows of plain strings (no row cap: for our own queries)."""
    try:
        response = engine.query(endpoint, query, SOLUTIONS_ACCEPT, timeout, params)
    except TimeoutError:
        raise StoreError(f"{endpoint.shown} did not answer within {timeout:g} s") from None
    with response:
        fmt = results_parser(media(response))
        if fmt is None:
            raise StoreError(f"{endpoint.shown} answered a SELECT with {media(response)!r}")
        try:
            result = ox.parse_query_results(response, format=fmt)
            if not isinstance(result, ox.QuerySolutions):
                raise StoreError(f"{endpoint.shown} answered a SELECT with a boolean")
            names = [v.value for v in result.variables]
            return [{n: row[n].value for n in names if row[n] is not None} for row in result]
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"{endpoint.shown} sent an unreadable answer: {exc}") from None


def literal(text: str) -> str:
    return str(ox.Literal(text))


def graph_sizes(
    endpoint: Endpoint, prefix: str, timeout: float = 60.0, engine: Engine = OXIGRAPH
) -> dict[str, int]:
    """Triples per named graph whose IRI starts with ``prefix``, as the store counts them."""
    rows = select(endpoint, GRAPH_SIZES % literal(prefix), timeout, engine)
    return {row["g"]: int(row["n"]) for row in rows if "g" in row and "n" in row}


def _count(endpoint: Endpoint, query: str, timeout: float, engine: Engine, params: Params) -> int:
    rows = select(endpoint, query, timeout, engine, params)
    return int(rows[0]["n"]) if rows and "n" in rows[0] else 0


def merged_size(
    endpoint: Endpoint, prefix: str, timeout: float = 60.0, engine: Engine = OXIGRAPH
) -> int:
    """Triples in the merge of the graphs under ``prefix`` (each triple once)."""
    return _count(endpoint, MERGE_SIZE % literal(prefix), timeout, engine, ())


def default_size(endpoint: Endpoint, timeout: float = 60.0, engine: Engine = OXIGRAPH) -> int:
    """Triples in the default graph that holds the merge: the store's own, or the engine's merge
    graph."""
    return _count(endpoint, DEFAULT_SIZE, timeout, engine, engine.merged_dataset(()))

"""The query store: the built N-Quads loaded into an in-memory pyoxigraph store.

See docs/decisions/0003-query-store.md for why in memory (measured ~10x faster aggregates than
pyoxigraph's on-disk store at 100k triples; the whole graph loads in well under a second).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kzgraph.sparql.guard import QueryRefused, inspect_query

SELECT_FORMATS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}


class QuerySyntaxError(ValueError):
    """The query does not parse."""


@dataclass(frozen=True)
class Answer:
    """A serialised query answer and its media type."""

    body: bytes
    media_type: str


class GraphStore:
    """Read-only SPARQL over the built dataset; the default graph is the union of all graphs."""

    def __init__(self, store: ox.Store):
        self._store = store

    @classmethod
    def from_nquads(cls, path: Path) -> GraphStore:
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: run 'kzgraph build' first")
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        return cls(store)

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph."""
        return {
            g: len(list(self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))))
            for g in self.named_graphs()
        }

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def _run(self, sparql: str) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Evaluate with the endpoint's dataset rules: FROM selects stored graphs, otherwise the
        default graph is the union of all graphs; SERVICE and updates are refused."""
        try:
            shape = inspect_query(sparql)
        except QueryRefused as exc:
            raise QuerySyntaxError(exc.message) from None
        try:
            return self._store.query(sparql, use_default_graph_as_union=not shape.has_from)
        except SyntaxError as exc:
            raise QuerySyntaxError(str(exc)) from None

    def query(self, sparql: str, accept: str | None = None) -> Answer:
        """Run a query and serialise its answer in the requested (supported) media type."""
        result = self._run(sparql)
        if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
            media = accept if accept in SELECT_FORMATS else "application/sparql-results+json"
            return Answer(result.serialize(format=SELECT_FORMATS[media]) or b"", media)
        media = accept if accept in GRAPH_FORMATS else "text/turtle"
        return Answer(result.serialize(format=GRAPH_FORMATS[media]) or b"", media)

    def select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT as plain rows of strings (for the CLI and tests)."""
        result = self._run(sparql)
        if not isinstance(result, ox.QuerySolutions):
            raise ValueError("select() needs a SELECT query")
        names = [v.value for v in result.variables]
        return [{n: row[n].value for n in names if row[n] is not None} for row in result]

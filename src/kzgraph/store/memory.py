"""The query store: the built N-Quads loaded into an in-memory pyoxigraph store.

See docs/decisions/0003-query-store.md for why in memory (measured ~10x faster aggregates than
pyoxigraph's on-disk store at 100k triples; the whole graph loads in well under a second).
At load the merge of the named graphs is written into the store's default graph, which queries
without a dataset read: each triple once (docs/decisions/0017-default-graph-merge.md).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kzgraph.sparql.merge import merge_into_default, stored_graphs

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
MERGE_SIZE = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


class GraphStore:
    """The built dataset, loaded; queries run through :func:`kzgraph.sparql.workers.evaluate`."""

    def __init__(self, store: ox.Store):
        self._store = store

    @classmethod
    def from_nquads(cls, path: Path) -> GraphStore:
        if not path.exists():
            raise FileNotFoundError(f"{path} not found: run 'kzgraph build' first")
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.N_QUADS)
        merge_into_default(store)
        return cls(store)

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph (one COUNT in the store: ~3x faster at start-up than listing
        the quads in Python, measured at 100k triples)."""
        sizes = dict.fromkeys(self.named_graphs(), 0)
        counts = self._store.query(GRAPH_SIZES, named_graphs=stored_graphs(self._store))
        assert isinstance(counts, ox.QuerySolutions)
        for row in counts:
            graph, n = row[0], row[1]
            if isinstance(graph, ox.NamedNode) and isinstance(n, ox.Literal):
                sizes[graph.value] = int(n.value)
        return sizes

    def merged_size(self) -> int:
        """Triples in the default graph, the merge of the named graphs (each triple once)."""
        count = next(iter(self._store.query(MERGE_SIZE)))  # type: ignore[arg-type]
        return int(count[0].value)

    def __len__(self) -> int:
        """Quads in the named graphs (a triple in two graphs counts twice; see merged_size)."""
        return sum(self.graph_sizes().values())

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in stored_graphs(self._store) if isinstance(g, ox.NamedNode))

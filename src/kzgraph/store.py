"""The query store: the built N-Quads loaded into an in-memory pyoxigraph store.

See docs/decisions/0003-query-store.md for why in memory (measured ~10x faster aggregates than
pyoxigraph's on-disk store at 100k triples; the whole graph loads in well under a second).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


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
        return cls(store)

    @property
    def oxigraph(self) -> ox.Store:
        return self._store

    def graph_sizes(self) -> dict[str, int]:
        """Triples per named graph (one COUNT in the store: ~3x faster at start-up than listing
        the quads in Python, measured at 100k triples)."""
        sizes = dict.fromkeys(self.named_graphs(), 0)
        counts = self._store.query(GRAPH_SIZES)
        assert isinstance(counts, ox.QuerySolutions)
        for row in counts:
            graph, n = row[0], row[1]
            if isinstance(graph, ox.NamedNode) and isinstance(n, ox.Literal):
                sizes[graph.value] = int(n.value)
        return sizes

    def __len__(self) -> int:
        return len(self._store)

    def named_graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

"""Counts of what the graph holds, by class and named graph: the README's table and
``kzgraph stats``, the home page's overview (:mod:`kzgraph.site.overview`) and an ingest's
summary. They are SPARQL queries, so that a remote store answers them as the embedded one does;
``select`` runs one and gives its rows as ``{variable: value}``."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pyoxigraph as ox

from kzgraph.iris import graph_iri
from kzgraph.namespaces import GRAPH, KZ, RDFS

Rows = list[dict[str, str]]
Select = Callable[[str], Rows]

# The classes counted, in the order of the tables (subclasses are counted with their class).
CLASSES = [
    "Person",
    "Organization",
    "Group",
    "Place",
    "Law",
    "LegalProvision",
    "Event",
    "Act",
    "Charge",
    "Sentence",
    "StatisticalClaim",
    "AccountabilityOutcome",
    "Recommendation",
    "ImplementationAssessment",
    "Intervention",
    "Mention",
    "Evidence",
]
_ONTOLOGY = f"<{graph_iri('ontology')}>"
_INFERRED = f"<{graph_iri('inferred')}>"
_VOCABULARIES = f"<{graph_iri('vocabularies')}>"


def _values(classes: Iterable[str]) -> str:
    return " ".join(f"<{KZ[c]}>" for c in classes)


def counts_query(classes: Iterable[str] = CLASSES) -> str:
    """Instances of each class, subclasses included, asserted in each graph (not the inferred
    one)."""
    return f"""SELECT ?g ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {_values(classes)} }}
  GRAPH {_ONTOLOGY} {{ ?kind <{RDFS.subClassOf}>* ?class }}
  GRAPH ?g {{ ?s a ?kind }}
  FILTER(?g != {_INFERRED})
}} GROUP BY ?g ?class"""


def totals_query(classes: Iterable[str] = CLASSES) -> str:
    """The same across the data graphs, each instance once however many graphs assert it."""
    return f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {_values(classes)} }}
  GRAPH {_ONTOLOGY} {{ ?kind <{RDFS.subClassOf}>* ?class }}
  GRAPH ?g {{ ?s a ?kind }}
  FILTER(?g NOT IN ({_INFERRED}, {_ONTOLOGY}, {_VOCABULARIES}))
}} GROUP BY ?class"""


def _short(cls: str) -> str:
    return cls.rsplit("#", 1)[-1]


def class_counts(select: Select, classes: Iterable[str] = CLASSES) -> dict[str, dict[str, int]]:
    """Class -> data graph (short name: ``report/<id>``, ``entities``, ``assessments``) ->
    instances asserted there; a graph without any is left out."""
    counts: dict[str, dict[str, int]] = {c: {} for c in classes}
    for row in select(counts_query(list(counts))):
        graph = row["g"].removeprefix(str(GRAPH))
        if graph not in ("ontology", "vocabularies"):
            counts[_short(row["class"])][graph] = int(row["n"])
    return counts


def totals(select: Select, classes: Iterable[str] = CLASSES) -> dict[str, int]:
    """Class -> instances in all data graphs, each counted once."""
    return {_short(row["class"]): int(row["n"]) for row in select(totals_query(classes))}


def data_graphs(counts: dict[str, dict[str, int]]) -> list[str]:
    """The graphs of :func:`class_counts`, in table order: the reports, then the shared graphs."""
    graphs = {g for by_graph in counts.values() for g in by_graph}
    ordered = sorted(g for g in graphs if g.startswith("report/"))
    return ordered + [g for g in ("entities", "assessments") if g in graphs]


def markdown_table(select: Select) -> str:
    """One row per class, one column per data graph, plus the sum of the row."""
    counts = class_counts(select)
    graphs = data_graphs(counts)
    header = ["class", *(g.removeprefix("report/") for g in graphs), "total"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for cls in CLASSES:
        row = [counts[cls].get(g, 0) for g in graphs]
        lines.append(f"| {cls} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    return "\n".join(lines)


def store_select(store: ox.Store) -> Select:
    """``select`` over a pyoxigraph store in this process (an ingest's new dataset)."""

    def select(query: str) -> Rows:
        solutions = store.query(query)
        assert isinstance(solutions, ox.QuerySolutions)
        variables = solutions.variables
        return [
            {v.value: term.value for v in variables if (term := row[v]) is not None}
            for row in solutions
        ]

    return select

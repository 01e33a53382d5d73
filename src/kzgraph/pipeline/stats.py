"""Counts of what the graph holds, by class and named graph (for the README and `kzgraph stats`)."""

from __future__ import annotations

from rdflib import Dataset

from kzgraph.iris import graph_iri
from kzgraph.namespaces import GRAPH, KZ, RDF, RDFS

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


def class_counts(ds: Dataset, graph: str, classes: list[str]) -> dict[str, int]:
    """Instances of each class (subclasses included, by the ontology graph) asserted in a graph."""
    ontology = ds.graph(graph_iri("ontology"))
    g = ds.graph(graph_iri(graph))
    counts = {}
    for cls in classes:
        kinds = set(ontology.transitive_subjects(RDFS.subClassOf, KZ[cls]))
        counts[cls] = len({s for kind in kinds for s in g.subjects(RDF.type, kind)})
    return counts


def data_graphs(ds: Dataset) -> list[str]:
    names = [str(g.identifier)[len(str(GRAPH)) :] for g in ds.graphs() if len(g)]
    reports = sorted(n for n in names if n.startswith("report/"))
    return [*reports, *(n for n in ("entities", "assessments") if n in names)]


def markdown_table(ds: Dataset) -> str:
    """One row per class, one column per data graph, plus a total."""
    graphs = data_graphs(ds)
    counts = {g: class_counts(ds, g, CLASSES) for g in graphs}
    header = ["class", *(g.removeprefix("report/") for g in graphs), "total"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for cls in CLASSES:
        row = [counts[g][cls] for g in graphs]
        lines.append(f"| {cls} | " + " | ".join(str(n) for n in row) + f" | {sum(row)} |")
    return "\n".join(lines)

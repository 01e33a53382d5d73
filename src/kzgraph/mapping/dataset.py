"""Map a whole :class:`AnnotationSet` into named graphs, one per report plus shared ones."""

from __future__ import annotations

from rdflib import Dataset, URIRef

from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.load import AnnotationSet
from kzgraph.iris import graph_iri
from kzgraph.mapping.units import Units, map_unit
from kzgraph.namespaces import PREFIXES


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def map_annotations(aset: AnnotationSet) -> Dataset:
    """Every record into its named graph, unit by unit (:mod:`kzgraph.mapping.units`); an
    unmappable record is reported with its place (every problem of every unit at once)."""
    units = Units(aset)
    ds = new_dataset()
    problems: list[Problem] = []
    for name in units.names():
        try:
            triples, _ = map_unit(units, name)
        except AnnotationError as exc:
            problems += exc.problems
            continue
        g = ds.graph(graph_iri(name))
        g.addN((s, p, o, g) for s, p, o in triples)
    if problems:
        raise AnnotationError(problems)
    return ds


def graphs_of(ds: Dataset) -> list[URIRef]:
    return sorted(URIRef(str(g.identifier)) for g in ds.graphs() if len(g))

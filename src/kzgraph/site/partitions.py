"""VoID class and property partitions of the default graph (the merge: each triple once), by
SPARQL so that a remote store answers them too; for ``/.well-known/void``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef

from kzgraph.namespaces import XSD
from kzgraph.sparql.description import VOID

Rows = list[dict[str, str]]
# instances of each class (its entities) and the triples about them
CLASSES_QUERY = """SELECT ?class (COUNT(DISTINCT ?s) AS ?entities) (COUNT(*) AS ?triples) WHERE {
  { SELECT DISTINCT ?s ?class WHERE { ?s a ?class } } ?s ?p ?o
} GROUP BY ?class"""
PROPERTIES_QUERY = """SELECT ?property (COUNT(*) AS ?triples)
       (COUNT(DISTINCT ?s) AS ?subjects) (COUNT(DISTINCT ?o) AS ?objects)
WHERE { ?s ?property ?o } GROUP BY ?property"""


@dataclass(frozen=True)
class Partitions:
    classes: dict[str, tuple[int, int]]  # class IRI -> (entities, triples)
    properties: dict[str, tuple[int, int, int]]  # property IRI -> (triples, subjects, objects)


def partitions(select: Callable[[str], Rows]) -> Partitions:
    classes = {
        r["class"]: (int(r["entities"]), int(r["triples"]))
        for r in select(CLASSES_QUERY)
        if r.get("class", "").startswith(("http://", "https://", "urn:"))
    }
    properties = {
        r["property"]: (int(r["triples"]), int(r["subjects"]), int(r["objects"]))
        for r in select(PROPERTIES_QUERY)
    }
    return Partitions(classes, properties)


def _count(value: int) -> Literal:
    return Literal(value, datatype=XSD.integer)


def add_partitions(g: Graph, dataset: URIRef, parts: Partitions) -> Graph:
    """``void:classPartition`` (``void:class``, ``void:entities``, ``void:triples``) and
    ``void:propertyPartition`` (``void:property``, ``void:triples``, distinct subjects and
    objects) of ``dataset``, one per class and property of the default graph."""
    for cls, (entities, triples) in sorted(parts.classes.items()):
        node = BNode()
        g.add((dataset, VOID.classPartition, node))
        g.add((node, VOID["class"], URIRef(cls)))
        g.add((node, VOID.entities, _count(entities)))
        g.add((node, VOID.triples, _count(triples)))
    for prop, (triples, subjects, objects) in sorted(parts.properties.items()):
        node = BNode()
        g.add((dataset, VOID.propertyPartition, node))
        g.add((node, VOID.property, URIRef(prop)))
        g.add((node, VOID.triples, _count(triples)))
        g.add((node, VOID.distinctSubjects, _count(subjects)))
        g.add((node, VOID.distinctObjects, _count(objects)))
    return g

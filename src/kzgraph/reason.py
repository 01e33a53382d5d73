"""OWL 2 RL inference with owlrl: the new instance-level triples, in a graph of their own."""

from __future__ import annotations

import owlrl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kzgraph.namespaces import ID, OWL, RDF, RDFS

TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}


def keep(s: Node, p: Node, o: Node) -> bool:
    """An inferred triple worth keeping: about one of our instances, and not trivially true."""
    if not isinstance(s, URIRef) or not str(s).startswith(str(ID)):
        return False
    if isinstance(o, BNode):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and o in TRIVIAL_TYPES:
        return False
    return not (isinstance(o, Literal) and p == RDF.type)


def infer(data: Graph, ontology: Graph) -> Graph:
    """The OWL 2 RL closure of data plus ontology, minus what was asserted, filtered by
    :func:`keep`."""
    work = Graph()
    for triple in data:
        work.add(triple)
    for triple in ontology:
        work.add(triple)
    owlrl.DeductiveClosure(
        owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False
    ).expand(work)
    inferred = Graph()
    for s, p, o in work:
        if (s, p, o) not in data and keep(s, p, o):
            inferred.add((s, p, o))
    return inferred

"""OWL 2 RL inference: the new instance-level triples, in a graph of their own.

The closure is computed by ``reasonable`` (a Rust OWL 2 RL reasoner) over the asserted data plus
the ontology; :func:`infer_owlrl` keeps the pure-Python owlrl closure it replaced, against which
tests check that both give the same triples (docs/decisions/0012-reasoner-at-scale.md).
"""

from __future__ import annotations

import owlrl
import reasonable
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kzgraph.namespaces import ID, OWL, RDF, RDFS, XSD

Triple = tuple[Node, Node, Node]

TRIVIAL_TYPES = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
_ID = str(ID)


def keep(s: Node, p: Node, o: Node) -> bool:
    """An inferred triple worth keeping: about one of our instances, and not trivially true."""
    if not isinstance(s, URIRef) or not s.startswith(_ID):
        return False
    if isinstance(o, BNode):
        return False
    if p == OWL.sameAs and s == o:
        return False
    if p == RDF.type and o in TRIVIAL_TYPES:
        return False
    return not (isinstance(o, Literal) and p == RDF.type)


def _plain(o: Node) -> Node:
    """reasonable gives plain literals back typed ``xsd:string``; in RDF 1.1 they are the same
    literal, so give them back as rdflib holds the asserted ones (untyped)."""
    if isinstance(o, Literal) and o.datatype == XSD.string and o.language is None:
        return Literal(str(o))
    return o


def infer(data: Graph, ontology: Graph) -> Graph:
    """The OWL 2 RL closure of data plus ontology, minus what was asserted, filtered by
    :func:`keep`."""
    inferred = Graph()
    for triple in inferred_triples(data, ontology):
        inferred.add(triple)
    return inferred


def inferred_triples(data: Graph, ontology: Graph) -> set[Triple]:
    """What :func:`infer` returns, as a set. ``data`` may be a read-only view over several graphs
    (:class:`rdflib.graph.ReadOnlyGraphAggregate`): nothing is copied into a graph of its own.
    Both graphs go to the reasoner as they are (``from_graph`` appends), and what was asserted is
    looked up in a set rather than in the rdflib graph (~10x faster)."""
    reasoner = reasonable.PyReasoner()
    reasoner.from_graph(data)
    reasoner.from_graph(ontology)
    asserted: set[Triple] = set(data)
    inferred: set[Triple] = set()
    for s, p, o in reasoner.reason():
        o = _plain(o)
        if (s, p, o) not in asserted and keep(s, p, o):
            inferred.add((s, p, o))
    return inferred


def infer_owlrl(data: Graph, ontology: Graph) -> Graph:
    """The same with owlrl (pure Python; ~30x slower): the reference :func:`infer` is tested
    against."""
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

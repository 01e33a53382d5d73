"""Statements read by different libraries, as comparable keys: a blank node is only "a blank node"
(labels are local to a parse), a literal its lexical form with its datatype or language."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib.term import BNode, Literal, Node, URIRef

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Key = tuple[str, ...]


def ox_key(term: object) -> Key:
    if isinstance(term, ox.NamedNode):
        return ("iri", term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return ("literal", term.value, "@" + term.language.lower())
        return ("literal", term.value, term.datatype.value)
    if isinstance(term, ox.DefaultGraph):
        return ("default",)
    return ("blank",)


def rdflib_key(term: Node | None) -> Key:
    if isinstance(term, URIRef):
        return ("iri", str(term))
    if isinstance(term, Literal):
        if term.language:
            return ("literal", str(term), "@" + term.language.lower())
        return ("literal", str(term), str(term.datatype or XSD_STRING))
    if isinstance(term, BNode):
        return ("blank",)
    return ("default",)


def ox_statements(statements: Iterable[ox.Quad | ox.Triple]) -> Counter[tuple[Key, ...]]:
    """Each distinct quad (or triple) as a key, counted (blank nodes make keys collide); a quad in
    the default graph is a triple."""
    out: Counter[tuple[Key, ...]] = Counter()
    for s in set(statements):
        terms = [s.subject, s.predicate, s.object]
        if isinstance(s, ox.Quad) and not isinstance(s.graph_name, ox.DefaultGraph):
            terms.append(s.graph_name)
        out[tuple(ox_key(t) for t in terms)] += 1
    return out

"""JSON-LD that people and JSON tools can read: one ``@context`` with the project's prefixes, one
node object per subject under ``@graph``, compact IRIs for properties, types and links, plain
strings for plain literals. (pyoxigraph writes expanded JSON-LD: every IRI in full, every value an
object in a list.) Expanding the output gives back exactly the triples written."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import pyoxigraph as ox

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
Node = dict[str, object]


class _Compactor:
    def __init__(self, prefixes: Mapping[str, str]):
        # longest namespace first, so kzid: wins over a shorter namespace it starts with
        self.prefixes = sorted(prefixes.items(), key=lambda item: -len(item[1]))
        self.used: dict[str, str] = {}

    def iri(self, value: str) -> str:
        for name, namespace in self.prefixes:
            if value.startswith(namespace) and len(value) > len(namespace):
                local = value[len(namespace) :]
                if not local.startswith("//"):  # "p://…" would read as an absolute IRI
                    self.used[name] = namespace
                    return f"{name}:{local}"
        return value

    def term(self, term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
        if isinstance(term, ox.NamedNode):
            return {"@id": self.iri(term.value)}
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        if isinstance(term, ox.Literal):
            if term.language:
                return {"@value": term.value, "@language": term.language}
            if term.datatype.value == XSD_STRING:
                return term.value
            return {"@value": term.value, "@type": self.iri(term.datatype.value)}
        raise ValueError("JSON-LD 1.1 cannot carry an RDF-star triple term")

    def subject(self, term: ox.NamedNode | ox.BlankNode | ox.Triple) -> str:
        if isinstance(term, ox.NamedNode):
            return self.iri(term.value)
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        raise ValueError("JSON-LD 1.1 cannot carry an RDF-star triple term")


def write_jsonld(triples: Iterable[ox.Triple], prefixes: Mapping[str, str]) -> bytes:
    """``triples`` as compact JSON-LD with the ``prefixes`` they use in its context."""
    compact = _Compactor(prefixes)
    nodes: dict[str, Node] = {}
    for triple in triples:
        key = compact.subject(triple.subject)
        node = nodes.setdefault(key, {"@id": key})
        if triple.predicate.value == RDF_TYPE and isinstance(triple.object, ox.NamedNode):
            types = node.setdefault("@type", [])
            assert isinstance(types, list)
            types.append(compact.iri(triple.object.value))
            continue
        values = node.setdefault(compact.iri(triple.predicate.value), [])
        assert isinstance(values, list)
        values.append(compact.term(triple.object))
    for node in nodes.values():  # a single value needs no list
        for key, value in node.items():
            if isinstance(value, list) and len(value) == 1:
                node[key] = value[0]
    document = {"@context": dict(sorted(compact.used.items())), "@graph": list(nodes.values())}
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")

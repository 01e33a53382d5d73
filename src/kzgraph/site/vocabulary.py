"""What the SPARQL editor completes (issue 16): the project's prefixes, and the ontology's
classes and properties with their labels, read from the ontology graph by SPARQL (so a remote
store answers it too), plus every other property the data uses, so that ``oa:``, ``skos:`` and
``org:`` terms complete as well."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from kzgraph.namespaces import GRAPH, KZ, PREFIXES, prefix_block

Rows = list[dict[str, str]]
TERMS_QUERY = (
    prefix_block("owl", "rdf", "rdfs", "skos")
    + f"""SELECT ?term ?type (SAMPLE(?name) AS ?label) WHERE {{
  GRAPH <{GRAPH}ontology> {{
    ?term a ?type .
    VALUES ?type {{ owl:Class rdfs:Class owl:ObjectProperty owl:DatatypeProperty
                   owl:AnnotationProperty rdf:Property }}
    FILTER(isIRI(?term))
    OPTIONAL {{ ?term rdfs:label|skos:prefLabel ?name FILTER(langMatches(lang(?name), "en")
                                                       || lang(?name) = "") }}
  }}
}} GROUP BY ?term ?type"""
)
USED_PROPERTIES_QUERY = "SELECT DISTINCT ?property WHERE { ?s ?property ?o }"
CLASS_TYPES = ("Class",)  # owl:Class, rdfs:Class


@dataclass(frozen=True)
class Term:
    iri: str
    label: str = ""

    def json(self) -> dict[str, str]:
        return {"iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class Vocabulary:
    prefixes: dict[str, str]  # prefix -> namespace IRI
    classes: list[Term] = field(default_factory=list)
    properties: list[Term] = field(default_factory=list)

    def json(self) -> dict[str, object]:
        return {
            "prefixes": self.prefixes,
            "classes": [t.json() for t in self.classes],
            "properties": [t.json() for t in self.properties],
        }


def our_prefixes() -> dict[str, str]:
    return {name: str(ns) for name, ns in PREFIXES.items()}


def vocabulary(select: Callable[[str], Rows]) -> Vocabulary:
    """The ontology's own terms (``kz:`` first, with labels) and the properties used in the
    data; sorted by IRI."""
    classes: dict[str, Term] = {}
    properties: dict[str, Term] = {}
    for row in select(TERMS_QUERY):
        term = Term(row["term"], row.get("label", ""))
        kind = classes if row["type"].endswith(CLASS_TYPES) else properties
        if term.label or term.iri not in kind:
            kind[term.iri] = term
    for row in select(USED_PROPERTIES_QUERY):
        properties.setdefault(row["property"], Term(row["property"]))
    return Vocabulary(
        our_prefixes(),
        sorted(classes.values(), key=_order),
        sorted(properties.values(), key=_order),
    )


def _order(term: Term) -> tuple[bool, str]:
    return (not term.iri.startswith(str(KZ)), term.iri)

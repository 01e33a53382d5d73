"""The queries the client tests send, and the embedded store's own answers to compare with
(``KnowledgeGraph.run_sparql``): solutions and graphs as keys that do not depend on the format."""

from __future__ import annotations

import json
from collections import Counter

import pyoxigraph as ox
from rdflib import Graph
from rdflib.query import Result

from kzgraph.core import KnowledgeGraph

from .rdf_keys import XSD_STRING, Key, ox_statements, rdflib_key

PREFIXES = """PREFIX kz: <https://w3id.org/kzgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""
# IRIs, typed literals (xsd:date, gYear, gYearMonth), language-tagged labels and unbound values
SELECT = (
    PREFIXES + "SELECT ?s ?date ?label WHERE { ?s kz:date ?date OPTIONAL { ?s rdfs:label ?label } }"
)
ASK = PREFIXES + "ASK { ?s a kz:Person ; rdfs:label ?l }"
CONSTRUCT = (
    PREFIXES + "CONSTRUCT { ?s rdfs:label ?l ; kz:date ?d } WHERE { ?s kz:date ?d ; rdfs:label ?l }"
)
DESCRIBE = "DESCRIBE <https://w3id.org/kzgraph/id/person/zhanbolat-mamay>"

Row = tuple[Key, ...]


def _json_key(binding: dict[str, str] | None) -> Key:
    if binding is None:
        return ("unbound",)
    if binding["type"] == "uri":
        return ("iri", binding["value"])
    if binding["type"] == "bnode":
        return ("blank",)
    if "xml:lang" in binding:
        return ("literal", binding["value"], "@" + binding["xml:lang"].lower())
    return ("literal", binding["value"], binding.get("datatype", XSD_STRING))


def solutions_from_json(answer: dict[str, object]) -> Counter[Row]:
    """SPARQL JSON results as a multiset of rows, one key per variable, in the head's order."""
    head = answer["head"]
    assert isinstance(head, dict)
    variables: list[str] = head["vars"]
    results = answer["results"]
    assert isinstance(results, dict)
    return Counter(tuple(_json_key(row.get(v)) for v in variables) for row in results["bindings"])


def solutions_from_result(result: Result) -> Counter[Row]:
    """Rows parsed by one of rdflib's result parsers (XML, CSV, TSV)."""
    assert result.vars is not None
    return Counter(
        tuple(rdflib_key(row[v]) if row[v] is not None else ("unbound",) for v in result.vars)
        for row in result.bindings  # type: ignore[union-attr]
    )


def as_text(rows: Counter[Row]) -> Counter[tuple[str, ...]]:
    """What CSV keeps of each value: its text (IRI or lexical form), empty when unbound."""
    out: Counter[tuple[str, ...]] = Counter()
    for row, n in rows.items():
        out[tuple(key[1] if len(key) > 1 else "" for key in row)] += n
    return out


def expected_solutions(kg: KnowledgeGraph, query: str) -> Counter[Row]:
    outcome = kg.run_sparql(query, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    return solutions_from_json(json.loads(outcome.body))


def expected_boolean(kg: KnowledgeGraph, query: str) -> bool:
    outcome = kg.run_sparql(query, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    value = json.loads(outcome.body)["boolean"]
    assert isinstance(value, bool)
    return value


def expected_graph(kg: KnowledgeGraph, query: str) -> Counter[Row]:
    outcome = kg.run_sparql(query, "application/n-triples")
    assert outcome.error is None, outcome.message
    return ox_statements(ox.parse(outcome.body, format=ox.RdfFormat.N_TRIPLES))


def graph_keys(graph: Graph) -> Counter[Row]:
    return Counter(tuple(rdflib_key(t) for t in triple) for triple in set(graph))

"""rdflib's ``SPARQLStore`` against a real server: queries, ``len``, ``triples``, named graphs and
``contexts`` give what the embedded store answers to the same question."""

from __future__ import annotations

import json

import pytest
from rdflib import Graph, URIRef
from rdflib.plugins.stores.sparqlstore import SPARQLStore

from kzgraph.core import KnowledgeGraph

from .client_answers import (
    ASK,
    CONSTRUCT,
    SELECT,
    expected_boolean,
    expected_graph,
    expected_solutions,
    graph_keys,
    solutions_from_result,
)
from .rdf_keys import rdflib_key

PERSON = "https://w3id.org/kzgraph/id/person/zhanbolat-mamay"
ENTITIES = "https://w3id.org/kzgraph/graph/entities"


def _store(server: str, method: str = "GET", fmt: str = "json") -> SPARQLStore:
    return SPARQLStore(f"{server}/sparql", method=method, returnFormat=fmt, timeout=30)


def _count(kg: KnowledgeGraph, query: str) -> int:
    outcome = kg.run_sparql(query, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    return int(json.loads(outcome.body)["results"]["bindings"][0]["n"]["value"])


METHODS = ["GET", "POST", "POST_FORM"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("method", METHODS)
def test_select_and_ask(real_server: str, real_kg: KnowledgeGraph, method: str, fmt: str) -> None:
    graph = Graph(_store(real_server, method, fmt))
    assert solutions_from_result(graph.query(SELECT)) == expected_solutions(real_kg, SELECT)
    assert graph.query(ASK).askAnswer is expected_boolean(real_kg, ASK)


@pytest.mark.parametrize("method", METHODS)
def test_construct(real_server: str, real_kg: KnowledgeGraph, method: str) -> None:
    """With the store's default returnFormat, xml, rdflib also accepts RDF/XML. (With "json" it
    asks for SPARQL JSON only, which a graph cannot be: the server's 406 is right.)"""
    constructed = Graph(_store(real_server, method, "xml")).query(CONSTRUCT).graph
    assert constructed is not None
    assert graph_keys(constructed) == expected_graph(real_kg, CONSTRUCT)


def test_len_and_triples_over_the_default_graph(real_server: str, real_kg: KnowledgeGraph) -> None:
    graph = Graph(_store(real_server))
    assert len(graph) == _count(real_kg, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    read = sorted(
        (rdflib_key(p), rdflib_key(o)) for _, p, o in graph.triples((URIRef(PERSON), None, None))
    )
    expected = expected_solutions(real_kg, f"SELECT ?p ?o WHERE {{ <{PERSON}> ?p ?o }}")
    assert read and read == sorted(expected.elements())


def test_named_graphs_and_contexts(real_server: str, real_kg: KnowledgeGraph) -> None:
    store = _store(real_server)
    entities = Graph(store, identifier=URIRef(ENTITIES))
    assert len(entities) == _count(
        real_kg, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ENTITIES}> {{ ?s ?p ?o }} }}"
    )
    names = {str(g.identifier if isinstance(g, Graph) else g) for g in store.contexts()}
    expected = expected_solutions(real_kg, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
    assert names == {row[0][1] for row in expected}

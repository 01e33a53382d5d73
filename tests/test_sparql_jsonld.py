"""Compact JSON-LD: one context, CURIEs, plain strings; expanding it gives the same triples."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic

from kzgraph.namespaces import PREFIXES
from kzgraph.sparql.jsonld import write_jsonld

from .server import fetch

EX = "https://w3id.org/kzgraph/id/"
KZ = "https://w3id.org/kzgraph/ontology#"


def test_the_document_is_compact_and_expands_to_the_same_triples() -> None:
    person = ox.NamedNode(f"{EX}person/a")
    blank = ox.BlankNode("b1")
    triples = [
        ox.Triple(
            person,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(f"{KZ}Person"),
        ),
        ox.Triple(
            person,
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal("Жанболат", language="kk"),
        ),
        ox.Triple(person, ox.NamedNode(f"{KZ}note"), ox.Literal("plain")),
        ox.Triple(
            person,
            ox.NamedNode(f"{KZ}age"),
            ox.Literal("40", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
        ),
        ox.Triple(person, ox.NamedNode(f"{KZ}knows"), blank),
        ox.Triple(blank, ox.NamedNode(f"{KZ}link"), ox.NamedNode("http://example.org//x")),
    ]
    body = write_jsonld(triples, {name: str(ns) for name, ns in PREFIXES.items()})
    document = json.loads(body)
    assert set(document["@context"]) == {"kz", "kzid", "rdfs", "xsd"}
    node = next(n for n in document["@graph"] if n["@id"] == "kzid:person/a")
    assert node["@type"] == "kz:Person" and node["kz:note"] == "plain"
    expected = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert isomorphic(Graph().parse(data=body, format="json-ld"), expected)


def test_the_endpoint_and_entity_iris_give_compact_json_ld(real_server: str) -> None:
    query = "CONSTRUCT WHERE { <https://w3id.org/kzgraph/id/person/max-bokaev> ?p ?o }"
    status, headers, body = fetch(
        f"{real_server}/sparql?{urllib.parse.urlencode({'query': query})}",
        headers={"Accept": "application/ld+json"},
    )
    assert status == 200 and "@context" in json.loads(body)
    for accept in ("application/json", "application/ld+json"):
        status, headers, body = fetch(
            f"{real_server}/id/person/max-bokaev", headers={"Accept": accept}
        )
        assert status == 200 and headers["content-type"].startswith(accept), headers
        document = json.loads(body)
        assert document["@context"]["kz"] == KZ
        assert any(n["@id"] == "kzid:person/max-bokaev" for n in document["@graph"])

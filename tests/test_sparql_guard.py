"""What the guard reads from a query's text: the SELECT * column order (refusals: see
test_sparql_sandbox)."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from kzgraph.sparql.guard import star_columns

from .server import fetch


def test_star_columns_in_order_of_appearance() -> None:
    assert star_columns("SELECT * { ?z ?a ?m . ?a ?x ?z }") == ("z", "a", "m", "x")
    assert star_columns("PREFIX p: <x:> SELECT REDUCED * { $b p:q ?a }") == ("b", "a")
    assert star_columns("SELECT ?a ?b { ?b ?x ?a }") == ()
    assert star_columns("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == ()


def test_select_star_columns_follow_the_query(real_server: str) -> None:
    query = "SELECT * WHERE { ?zeta ?alpha ?mid } LIMIT 1"
    status, _, body = fetch(f"{real_server}/sparql?{urllib.parse.urlencode({'query': query})}")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["zeta", "alpha", "mid"]
    nested = "SELECT DISTINCT * WHERE { { SELECT ?b ?a WHERE { ?a ?b ?c } LIMIT 1 } }"
    status, _, body = fetch(f"{real_server}/sparql?{urllib.parse.urlencode({'query': nested})}")
    assert status == 200 and json.loads(body)["head"]["vars"] == ["b", "a"]


@pytest.mark.parametrize(
    ("name", "query", "media"),
    [
        ("csv", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "text/csv"),
        ("json", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "application/sparql-results+json"),
        ("tsv", "ASK {}", "text/tab-separated-values"),
        ("turtle", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "text/turtle"),
        ("jsonld", "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1", "application/ld+json"),
        (
            "ntriples",
            "DESCRIBE <https://w3id.org/kzgraph/id/person/max-bokaev>",
            "application/n-triples",
        ),
    ],
)
def test_format_parameter_chooses_the_answer(
    real_server: str, name: str, query: str, media: str
) -> None:
    for key in ("format", "output"):
        params = urllib.parse.urlencode({"query": query, key: name})
        status, headers, _ = fetch(
            f"{real_server}/sparql?{params}", headers={"Accept": "text/html"}
        )
        assert status == 200 and headers["content-type"].startswith(media), (key, headers)


def test_a_format_that_does_not_fit_the_query_is_406(real_server: str) -> None:
    params = urllib.parse.urlencode({"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "csv"})
    status, _, body = fetch(f"{real_server}/sparql?{params}")
    assert status == 406 and "turtle" in json.loads(body)["offered"]

"""What the guard reads from a query's text: the SELECT * column order (refusals: see
test_sparql_sandbox)."""

from __future__ import annotations

import json
import urllib.parse

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

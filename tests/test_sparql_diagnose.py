"""Syntax errors a person can read: the token, its line and column, what was expected in words."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
import pytest

from kzgraph.sparql.diagnose import SyntaxProblem, explain

from .server import fetch


def problem(query: str) -> SyntaxProblem:
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(query)
    return explain(query, str(raised.value))


def test_a_misspelt_form_is_named() -> None:
    found = problem("SELEC * { ?s ?p ?o }")
    assert found.token == "SELEC" and (found.line, found.column) == (1, 1)
    assert "SELECT, CONSTRUCT, DESCRIBE or ASK" in found.message


def test_an_undefined_prefix_is_named_with_its_place() -> None:
    found = problem(
        "PREFIX kz: <https://w3id.org/kzgraph/ontology#>\nSELECT * {\n  ?s a foaf:Person }"
    )
    assert "undefined prefix 'foaf:'" in found.message
    assert (found.line, found.column, found.token) == (3, 8, "foaf:Person")


def test_no_character_classes_in_what_was_expected() -> None:
    for query in ("SELECT * { ?s foo:bar ?o }", "SELECT * WHERE {\n  ?s ?p ?o\n  OPTIONAL ?x }"):
        found = problem(query)
        assert "\\u{" not in found.message and "..=" not in found.message, found.message


def test_an_unexpected_token_and_the_words_expected() -> None:
    found = problem("SELECT * WHERE {\n  ?s ?p ?o\n  OPTIONAL ?x }")
    assert found.message == "unexpected '?x' at line 3, column 12; expected '{'"


def test_a_query_that_ends_too_early() -> None:
    found = problem("SELECT * WHERE { ?s ?p ?o ")
    assert found.message.startswith("the query ends too early (line 1, column 27); expected")


def test_the_endpoint_answers_with_the_explanation(real_server: str) -> None:
    query = urllib.parse.urlencode({"query": "PREFIX a: <http://a/>\nSELECT * { ?s b:c ?o }"})
    status, _, body = fetch(f"{real_server}/sparql?{query}")
    error = json.loads(body)
    assert status == 400 and error["error"] == "query syntax error"
    assert (
        error["token"] == "b:c"
        and error["line"] == 2
        and "undefined prefix 'b:'" in error["message"]
    )

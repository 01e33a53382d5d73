"""SPARQLWrapper against a real server: SELECT, ASK, CONSTRUCT and DESCRIBE by GET, POST form and
POST direct, in every result format it offers, each answer equal to the embedded store's."""

from __future__ import annotations

import io
import json

import pytest
from rdflib import Graph
from rdflib.query import Result
from SPARQLWrapper import (
    CSV,
    GET,
    JSON,
    JSONLD,
    POST,
    POSTDIRECTLY,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

from kzgraph.core import KnowledgeGraph
from kzgraph.sparql.formats import FormatsDisagree, named_format

from .client_answers import (
    ASK,
    CONSTRUCT,
    DESCRIBE,
    SELECT,
    as_text,
    expected_boolean,
    expected_graph,
    expected_solutions,
    graph_keys,
    solutions_from_json,
    solutions_from_result,
)

METHODS = {
    "GET": (GET, URLENCODED),
    "POST form": (POST, URLENCODED),
    "POST direct": (POST, POSTDIRECTLY),
}


def _client(server: str, query: str, fmt: str, method: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{server}/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    http_method, request_method = METHODS[method]
    client.setMethod(http_method)
    client.setRequestMethod(request_method)
    client.setTimeout(30)
    return client


def _raw(client: SPARQLWrapper) -> tuple[str, bytes]:
    response = client.query().response
    body: bytes = response.read()
    return response.headers.get("Content-Type", ""), body


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_select(real_server: str, real_kg: KnowledgeGraph, method: str, fmt: str) -> None:
    expected = expected_solutions(real_kg, SELECT)
    assert expected, "the SELECT should have rows"
    client = _client(real_server, SELECT, fmt, method)
    if fmt == JSON:
        got = solutions_from_json(client.queryAndConvert())  # type: ignore[arg-type]
        assert got == expected
        return
    media, body = _raw(client)
    parsed = Result.parse(io.BytesIO(body), format=fmt, content_type=media.split(";")[0])
    if fmt == CSV:  # CSV keeps only the text of each value
        assert as_text(solutions_from_result(parsed)) == as_text(expected)
    else:
        assert solutions_from_result(parsed) == expected, f"{fmt} by {method}"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [JSON, XML, CSV, TSV])
def test_ask(real_server: str, real_kg: KnowledgeGraph, method: str, fmt: str) -> None:
    expected = expected_boolean(real_kg, ASK)
    media, body = _raw(_client(real_server, ASK, fmt, method))
    if fmt == JSON:
        assert json.loads(body)["boolean"] is expected
    elif fmt == XML:
        assert Result.parse(io.BytesIO(body), format="xml").askAnswer is expected
    else:  # CSV and TSV have no standard form for a boolean: the embedded store's bytes
        own = real_kg.run_sparql(ASK, media.split(";")[0])
        assert body == own.body, f"{fmt} by {method}: {body!r}"


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
@pytest.mark.parametrize("query", [CONSTRUCT, DESCRIBE], ids=["CONSTRUCT", "DESCRIBE"])
def test_graph(
    real_server: str, real_kg: KnowledgeGraph, query: str, method: str, fmt: str
) -> None:
    expected = expected_graph(real_kg, query)
    assert expected, "the query should give triples"
    converted = _client(real_server, query, fmt, method).queryAndConvert()
    graph = converted if isinstance(converted, Graph) else None
    if graph is None:  # SPARQLWrapper gives Turtle as bytes
        assert isinstance(converted, bytes), type(converted)
        graph = Graph().parse(data=converted, format="turtle")
    assert graph_keys(graph) == expected, f"{fmt} by {method}"


def test_repeated_format_parameters_must_agree() -> None:
    """What SPARQLWrapper sends: a name, then media types (an empty one for */*)."""
    assert named_format(["tsv", "", "text/tab-separated-values"], graph=False) == (
        "text/tab-separated-values"
    )
    ld = ["json-ld", "application/ld+json,application/x-json+ld"]
    assert named_format(ld, graph=True) == "application/ld+json"
    with pytest.raises(FormatsDisagree, match=r"application/sparql-results\+json, text/csv"):
        named_format(["csv", "json"], graph=False)

"""The HTTP app over the real built graph, served by a real `kzgraph serve` on 127.0.0.1."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import KZ, RDF
from kzgraph.pipeline.stages import BuildResult

from .server import fetch, running_server

COUNT_PEOPLE = (
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/kzgraph/ontology#Person> }"
)


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    status, headers, body = fetch(url, headers={"Accept": accept} if accept else {}, timeout=30)
    return status, headers["Content-Type"], body


def test_health_lists_the_graphs(server: str) -> None:
    status, _, body = _get(f"{server}/health")
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok"
    assert "https://w3id.org/kzgraph/graph/report/hrw-world-report-2024" in data["graphs"]


def test_select_by_get_as_json(server: str, real_build: BuildResult) -> None:
    status, ctype, body = _get(
        f"{server}/sparql?" + urllib.parse.urlencode({"query": COUNT_PEOPLE})
    )
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
    people = {q[0] for q in real_build.dataset.quads((None, RDF.type, KZ.Person, None))}
    assert n == len(people) > 50


def test_select_by_post_as_csv(server: str) -> None:
    data = urllib.parse.urlencode({"query": COUNT_PEOPLE}).encode()
    request = urllib.request.Request(f"{server}/sparql", data=data, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = response.read().decode().splitlines()
    assert lines[0] == "n" and int(lines[1]) > 50


def test_syntax_error_is_a_400_with_line_and_column(server: str) -> None:
    query = "SELECT ?x WHERE {\n  ?x ?y }"
    status, ctype, body = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": query}))
    error = json.loads(body)
    assert status == 400 and ctype == "application/json"
    assert error["error"] == "query syntax error" and error["line"] == 2 and error["column"] > 1

"""The HTTP app, served by a real uvicorn on 127.0.0.1 over the real built graph."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
import uvicorn

from kzgraph.api.app import create_app
from kzgraph.build import BuildResult
from kzgraph.core import KnowledgeGraph

COUNT_PEOPLE = (
    "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/kzgraph/ontology#Person> }"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(
        create_app(real_kg.settings), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(timeout=10)


def _get(url: str, accept: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read()


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
    from kzgraph.namespaces import KZ, RDF

    expected = len({q[0] for q in real_build.dataset.quads((None, RDF.type, KZ.Person, None))})
    assert n == expected > 50


def test_select_by_post_as_csv(server: str) -> None:
    data = urllib.parse.urlencode({"query": COUNT_PEOPLE}).encode()
    request = urllib.request.Request(f"{server}/sparql", data=data, headers={"Accept": "text/csv"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"].startswith("text/csv")
        lines = response.read().decode().splitlines()
    assert lines[0] == "n" and int(lines[1]) > 50


def test_syntax_error_is_a_400_with_json(server: str) -> None:
    status, ctype, body = _get(f"{server}/sparql?" + urllib.parse.urlencode({"query": "SELEC ?x"}))
    assert status == 400 and ctype == "application/json"
    assert json.loads(body)["error"] == "query syntax"

"""The Graph Store Protocol's read side at /store, against the real build and a real server."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
from rdflib import Graph

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .server import fetch

REPORT = "https://w3id.org/kzgraph/graph/report/hrw-world-report-2024"


def store_url(server: str, **params: str) -> str:
    return f"{server}/store?{urllib.parse.urlencode(params)}"


def test_a_named_graph_is_the_stored_graph(
    real_server: str, real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    status, headers, body = fetch(store_url(real_server, graph=REPORT))
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    served = Graph().parse(data=body, format="turtle")
    stored = ox.Store()
    stored.bulk_load(path=str(real_kg.dump_path), format=ox.RdfFormat.N_QUADS)
    expected = sum(1 for _ in stored.quads_for_pattern(None, None, None, ox.NamedNode(REPORT)))
    assert len(served) == expected > 1000


def test_the_default_graph_is_every_triple_once(real_server: str) -> None:
    status, headers, body = fetch(
        store_url(real_server, default=""), headers={"Accept": "application/n-triples"}
    )
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    lines = body.decode().splitlines()
    assert len(lines) == len(set(lines)) > 30_000


def test_head_answers_without_a_body(real_server: str) -> None:
    status, headers, body = fetch(store_url(real_server, graph=REPORT), method="HEAD")
    assert status == 200 and body == b"" and headers["content-type"].startswith("text/turtle")


def test_bad_requests_say_what_to_do(real_server: str) -> None:
    both = fetch(store_url(real_server, graph=REPORT, default=""))
    neither = fetch(f"{real_server}/store")
    unknown = fetch(store_url(real_server, graph="https://example.org/nothing"))
    csv = fetch(store_url(real_server, graph=REPORT), headers={"Accept": "text/csv"})
    put = fetch(store_url(real_server, graph=REPORT), data=b"", method="PUT")
    assert [both[0], neither[0], unknown[0], csv[0], put[0]] == [400, 400, 404, 406, 405]
    assert "/store?graph=IRI" in json.loads(both[2])["error"]
    assert REPORT in json.loads(unknown[2])["graphs"]
    assert put[1]["allow"] == "GET, HEAD"


def test_the_query_endpoint_refuses_a_graph_request(real_server: str) -> None:
    status, _, body = fetch(f"{real_server}/sparql?{urllib.parse.urlencode({'graph': REPORT})}")
    assert status == 400 and "/store?graph=IRI" in json.loads(body)["error"]

"""With a remote store (KZGRAPH_STORE, a real `oxigraph serve`), IRIs dereference and canned
queries take parameters as on the embedded store: the checked values are bound as a VALUES block
of terms (kzgraph.sparql.binding), never pasted text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .server import fetch, running_server
from .test_remote_store import oxigraph, store  # noqa: F401  (a real store with the build pushed)


@pytest.fixture(scope="module")
def remote(store: str, real_kg: KnowledgeGraph) -> Iterator[str]:  # noqa: F811
    with running_server(real_kg.settings.build_dir, store=store) as url:
        yield url


def test_an_entity_is_described_as_on_the_embedded_store(remote: str, real_server: str) -> None:
    path = "/id/person/zhanbolat-mamay"
    for accept, fmt in (("text/turtle", "turtle"), ("application/ld+json", "json-ld")):
        status, headers, body = fetch(remote + path, headers={"Accept": accept})
        assert status == 200 and headers["content-type"].startswith(accept), body[:200]
        embedded = fetch(real_server + path, headers={"Accept": accept})[2]
        assert isomorphic(
            Graph().parse(data=body, format=fmt), Graph().parse(data=embedded, format=fmt)
        )


def test_an_entity_page_is_drawn_from_the_remote_store(remote: str) -> None:
    status, headers, body = fetch(
        f"{remote}/id/person/zhanbolat-mamay", headers={"Accept": "text/html"}
    )
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"Mamay" in body and b"3522" in body  # his 2023 conviction's passage offsets


def test_a_canned_query_with_a_parameter_answers_as_on_the_embedded_store(
    remote: str, real_server: str, real_build: BuildResult
) -> None:
    path = "/queries/person-dossier.json?person=https://w3id.org/kzgraph/id/person/max-bokaev"
    status, _, body = fetch(remote + path)
    assert status == 200, body[:300]

    def rows(raw: bytes) -> list[str]:
        bindings = json.loads(raw)["results"]["bindings"]
        return sorted(json.dumps(b, sort_keys=True) for b in bindings)

    assert rows(body) == rows(fetch(real_server + path)[2]) and rows(body)


def test_the_ontology_still_answers(remote: str) -> None:
    status, headers, _ = fetch(f"{remote}/ontology", headers={"Accept": "application/rdf+xml"})
    assert status == 200 and headers["content-type"].startswith("application/rdf+xml")

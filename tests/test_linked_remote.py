"""With a remote store (KZGRAPH_STORE, a real `oxigraph serve`), dereferencing IRIs is a clear
501 (docs/decisions/0007-linked-data.md) while the ontology, served from files, still answers."""

from __future__ import annotations

from kzgraph.core import KnowledgeGraph

from .server import fetch, running_server
from .test_remote_store import oxigraph, store  # noqa: F401  (a real store with the build pushed)


def _get(url: str, accept: str) -> tuple[int, str, bytes]:
    status, headers, body = fetch(url, headers={"Accept": accept})
    return status, headers["Content-Type"], body


def test_resources_are_501_with_the_reason_and_the_ontology_answers(
    store: str,  # noqa: F811
    real_kg: KnowledgeGraph,
) -> None:
    with running_server(real_kg.settings.build_dir, store=store) as url:
        status, media, body = _get(f"{url}/id/person/zhanbolat-mamay", "text/turtle")
        assert status == 501 and media == "application/json"
        assert b"embedded store" in body and b"KZGRAPH_STORE" in body
        status, media, body = _get(f"{url}/id/person/zhanbolat-mamay", "text/html")
        assert status == 501 and media.startswith("text/html") and b"role=alert" in body
        status, media, _ = _get(f"{url}/ontology", "application/rdf+xml")
        assert status == 200 and media.startswith("application/rdf+xml")
        assert _get(f"{url}/sparql?query=ASK%7B%7D", "application/sparql-results+json")[0] == 200

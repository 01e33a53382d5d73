"""Dereferenceable IRIs over a real `kzgraph serve`: each RDF format by Accept and by suffix,
parsed with rdflib and checked for the triples it must hold; headers, 404s, the route order."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kzgraph.api.app import create_app
from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import DCTERMS, GRAPH, ID, KZ, OA, RDF, RDFS, SKOS, VOCAB, XSD
from kzgraph.pipeline.stages import BuildResult

from .server import fetch, running_server

MAMAY = ID["person/zhanbolat-mamay"]
CONVICTION = ID["act/mamay-conviction-2023"]
FORMATS = {
    "text/turtle": ("ttl", "turtle"),
    "application/ld+json": ("jsonld", "json-ld"),
    "application/n-triples": ("nt", "nt"),
    "application/rdf+xml": ("rdf", "xml"),
}


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    return fetch(url, headers={k.replace("_", "-"): v for k, v in headers.items()})


def local(iri: str, server: str) -> str:
    return server + "/" + iri.removeprefix("https://w3id.org/kzgraph/")


def parsed(body: bytes, rdflib_format: str) -> Graph:
    return Graph().parse(data=body, format=rdflib_format)


@pytest.mark.parametrize("media", list(FORMATS))
def test_each_format_by_accept_and_by_suffix_holds_the_description(server: str, media: str) -> None:
    suffix, rdflib_format = FORMATS[media]
    status, headers, body = get(local(MAMAY, server), Accept=media)
    assert status == 200 and headers["content-type"].startswith(media)
    graph = parsed(body, rdflib_format)
    assert (MAMAY, RDFS.label, Literal("Zhanbolat Mamay", lang="en")) in graph
    assert (MAMAY, SKOS.altLabel, Literal("Zhanbolat Mamai", lang="en")) in graph
    role = VOCAB["role/opposition-politician"]  # not journalist: audit 2026-12
    assert (MAMAY, KZ.hasRole, role) in graph
    # the role's claim, minted under his IRI, with the passage that states it
    claim = URIRef(f"{MAMAY}/claim/role/opposition-politician")
    assert (claim, KZ.claimValue, role) in graph and (claim, KZ.hasEvidence, None) in graph
    # the symmetric part: the acts against him, with their labels
    assert (CONVICTION, KZ.hasVictim, MAMAY) in graph
    assert (CONVICTION, RDFS.label, None) in graph
    assert (role, SKOS.prefLabel, Literal("opposition politician", lang="en")) in graph
    # asserted triples only: nothing from the reasoner's graph
    assert (MAMAY, RDF.type, KZ.Agent) not in graph
    status, headers, by_suffix = get(f"{local(MAMAY, server)}.{suffix}")
    assert status == 200 and headers["content-type"].startswith(media)
    assert isomorphic(parsed(by_suffix, rdflib_format), graph)
    assert headers["content-location"].endswith(f"/id/person/zhanbolat-mamay.{suffix}")


def test_the_formats_are_the_same_graph(server: str) -> None:
    graphs = [
        parsed(get(f"{local(MAMAY, server)}.{suffix}")[2], fmt) for suffix, fmt in FORMATS.values()
    ]
    assert all(isomorphic(graphs[0], g) for g in graphs[1:])


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "text/turtle"),
        ("*/*", "text/turtle"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
        ("application/rdf+xml;q=0.9, text/turtle;q=0.5", "application/rdf+xml"),
        ("application/json;q=0.2, application/ld+json", "application/ld+json"),
    ],
)
def test_negotiation_follows_q_values(server: str, accept: str | None, expected: str) -> None:
    status, headers, _ = get(local(CONVICTION, server), **({"Accept": accept} if accept else {}))
    assert status == 200 and headers["content-type"].startswith(expected)
    assert "Accept" in headers["vary"]


def test_an_unacceptable_type_is_406(server: str) -> None:
    status, _, body = get(local(MAMAY, server), Accept="image/png")
    assert status == 406 and b"text/turtle" in body


def test_caching_headers_and_304(server: str) -> None:
    status, headers, _ = get(f"{local(MAMAY, server)}.ttl")
    tag = headers["etag"]
    assert status == 200 and "max-age" in headers["cache-control"]
    assert get(f"{local(MAMAY, server)}.ttl", If_None_Match=tag)[0] == 304
    other = get(f"{local(MAMAY, server)}.nt")[1]["etag"]
    page = get(f"{local(MAMAY, server)}.html")[1]["etag"]
    assert len({tag, other, page}) == 3, "each representation has its own ETag"
    assert get(f"{local(MAMAY, server)}.html", If_None_Match=page)[0] == 304


def test_evidence_nodes_carry_their_selectors(server: str) -> None:
    evidence = ID["evidence/hrw-world-report-2024/3522-3576"]
    graph = parsed(get(f"{local(evidence, server)}.ttl")[2], "turtle")
    quote = URIRef(f"{evidence}/quote")
    assert (evidence, OA.hasSelector, quote) in graph
    assert (
        quote,
        OA.exact,
        Literal("On April 10, an Almaty court convicted Zhanbolat Mamay"),
    ) in graph
    assert (evidence, KZ.inReport, ID["report/hrw-world-report-2024"]) in graph


def test_vocabulary_concepts_and_reports_dereference(server: str) -> None:
    concept = parsed(get(f"{local(VOCAB['role/journalist'], server)}.ttl")[2], "turtle")
    assert (VOCAB["role/journalist"], SKOS.prefLabel, None) in concept
    report = ID["report/hrw-world-report-2024"]
    graph = parsed(get(local(report, server), Accept="text/turtle")[2], "turtle")
    assert (report, DCTERMS.title, Literal("World Report 2024: Kazakhstan", lang="en")) in graph


def test_a_named_graph_iri_gives_the_graph(server: str, real_build: BuildResult) -> None:
    status, headers, body = get(f"{local(GRAPH.entities, server)}.nt")
    assert status == 200 and "kzgraph-truncated" not in headers
    stored = Graph()
    for s, p, o in real_build.dataset.graph(GRAPH.entities):
        # the store keeps xsd:nonNegativeInteger offsets as xsd:integer (decision 0013); the
        # entities graph holds selectors since entity claims cite passages (decision 0014)
        if isinstance(o, Literal) and o.datatype == XSD.nonNegativeInteger:
            o = Literal(int(o), datatype=XSD.integer)
        stored.add((s, p, o))
    assert isomorphic(parsed(body, "nt"), stored)
    status, _, page = get(local(GRAPH.entities, server), Accept="text/html")
    assert status == 200 and str(len(stored)).encode() in page


@pytest.mark.parametrize("path", ["id/person/nobody", "id/person/nobody.ttl", "vocab/role/none"])
def test_unknown_iris_are_404(server: str, path: str) -> None:
    status, headers, body = get(f"{server}/{path}")
    assert status == 404 and headers["content-type"] == "application/json"
    assert b"says nothing about" in body
    status, headers, body = get(f"{server}/{path}", Accept="text/html")
    if not path.endswith(".ttl"):
        assert status == 404 and headers["content-type"].startswith("text/html")
        assert b"role=alert" in body and b"https://w3id.org/kzgraph/" in body


def test_the_other_routes_are_not_shadowed(server: str) -> None:
    assert get(f"{server}/health")[0] == 200
    assert get(f"{server}/queries", Accept="application/json")[0] == 200
    assert get(f"{server}/sparql?query=ASK%7B%7D")[0] == 200
    assert get(f"{server}/.well-known/void")[0] == 200
    assert get(f"{server}/sparql/nothing")[0] == 404


def _paths(routes: list[Any]) -> list[str]:
    """Route paths in matching order (FastAPI keeps included routers as nested objects)."""
    out: list[str] = []
    for route in routes:
        if hasattr(route, "path"):
            out.append(route.path)
        elif hasattr(route, "original_router"):
            out += _paths(route.original_router.routes)
        elif hasattr(route, "routes"):
            out += _paths(route.routes)
    return out


def test_the_catch_all_route_is_registered_last(real_kg: KnowledgeGraph) -> None:
    """A router included after the catch-all would never be reached (merge guard)."""
    paths = _paths(create_app(real_kg.settings).routes)
    assert "/sparql" in paths and "/queries/{name}" in paths
    assert paths[-1] == "/{path:path}"
    assert paths[-3:-1] == ["/ontology{rest:path}", "/shapes{rest:path}"]


def test_behind_a_proxy_links_and_locations_use_the_public_url(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    public = "https://kz.example.org/graph"
    with running_server(real_kg.settings.build_dir, public_url=public) as url:
        status, headers, body = get(f"{local(MAMAY, url)}", Accept="text/html")
        assert status == 200
        assert headers["content-location"] == f"{public}/id/person/zhanbolat-mamay.html"
        assert (
            f"href='/graph/{CONVICTION.removeprefix('https://w3id.org/kzgraph/')}'".encode() in body
        )
        assert b"https://w3id.org/kzgraph/id/person/zhanbolat-mamay" in body  # canonical IRI shown


def test_head_answers_like_get_without_a_body(server: str) -> None:
    request = urllib.request.Request(f"{local(MAMAY, server)}.ttl", method="HEAD")
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200 and response.read() == b""
        assert response.headers["Content-Type"].startswith("text/turtle")


def test_pages_load_nothing_from_elsewhere(server: str) -> None:
    for iri in (MAMAY, CONVICTION, ID["report/hrw-world-report-2024"], GRAPH.entities):
        status, _, body = get(local(iri, server), Accept="text/html")
        assert status == 200
        assert b"<script src" not in body and b"<link" not in body and b"<img" not in body
        assert body.count(b"<script") == body.count(b"<script type='application/ld+json'>")

"""The ontology at its IRI over a real `kzgraph serve`: every format parses and is isomorphic to
the hand-edited Turtle, Protégé's Accept gets RDF/XML, the version IRI answers, and each hash
term ``…/ontology#Name`` lands on its own entry of the HTML documentation."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kzgraph.core import KnowledgeGraph
from kzgraph.linked.ontology import fix_term_anchors
from kzgraph.namespaces import KZ
from kzgraph.pipeline.stages import BuildResult

from .conftest import ROOT
from .server import fetch, running_server

SOURCE = ROOT / "ontology" / "kzgraph.ttl"
# what Protégé 5 sends for "Open from URL" (OWL API's default Accept)
PROTEGE_ACCEPT = (
    "application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, */*; q=0.09"
)
FORMATS = {
    "text/turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
}
SUFFIXES = {".ttl": "turtle", ".owl": "xml", ".rdf": "xml", ".jsonld": "json-ld", ".nt": "nt"}


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


@pytest.fixture(scope="module")
def source() -> Graph:
    return Graph().parse(SOURCE, format="turtle")


def get(
    url: str, accept: str | None = None, etag: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    headers = {"Accept": accept} if accept else {}
    if etag:
        headers["If-None-Match"] = etag
    return fetch(url, headers=headers)


@pytest.mark.parametrize("path", ["/ontology", "/ontology/0.1.0"])
@pytest.mark.parametrize("media", list(FORMATS))
def test_each_format_is_the_source(server: str, source: Graph, path: str, media: str) -> None:
    status, headers, body = get(server + path, media)
    assert status == 200 and headers["content-type"].startswith(media)
    assert "Accept" in headers["vary"] and headers["etag"]
    assert isomorphic(Graph().parse(data=body, format=FORMATS[media]), source)


@pytest.mark.parametrize("suffix", list(SUFFIXES))
def test_suffixes(server: str, source: Graph, suffix: str) -> None:
    status, _, body = get(f"{server}/ontology{suffix}")
    assert status == 200
    assert isomorphic(Graph().parse(data=body, format=SUFFIXES[suffix]), source)
    assert get(f"{server}/ontology/0.1.0{suffix}")[0] == 200


def test_protege_gets_rdf_xml_and_curl_gets_turtle(server: str) -> None:
    assert get(f"{server}/ontology", PROTEGE_ACCEPT)[1]["content-type"].startswith(
        "application/rdf+xml"
    )
    assert get(f"{server}/ontology", "*/*")[1]["content-type"].startswith("text/turtle")
    assert get(f"{server}/ontology")[1]["content-type"].startswith("text/turtle")


def test_a_browser_gets_the_documentation_and_a_304_when_fresh(server: str) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    status, headers, body = get(f"{server}/ontology", accept)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"kzgraph" in body
    assert get(f"{server}/ontology", accept, headers["etag"])[0] == 304


@pytest.mark.parametrize(
    "path", ["/ontology/0.0.9", "/ontology/0.1.0/x", "/ontologyx", "/ontology.csv"]
)
def test_unknown_versions_and_formats_are_404(server: str, path: str) -> None:
    assert get(server + path)[0] == 404


def test_every_hash_term_has_its_own_anchor(server: str, source: Graph) -> None:
    """``…/ontology#Person`` must land on kz:Person, not on foaf:Person (pyLODE's numbering)."""
    html = get(f"{server}/ontology.html")[2].decode()
    anchors = dict(
        re.findall(
            r'<div class="[^"]*entity[^"]*" id="([^"]+)">\s*<h3>.*?<code>([^<]+)</code>', html, re.S
        )
    )
    terms = {str(s) for s in source.subjects() if str(s).startswith(str(KZ))}
    assert len(terms) > 50
    for term in terms:
        name = term[len(str(KZ)) :]
        assert anchors.get(name) == term, f"#{name} does not show {term}"


def test_fix_term_anchors_renames_the_imported_term_that_held_the_name() -> None:
    def div(ident: str, iri: str) -> str:
        return f'<div class="property entity" id="{ident}"><h3>X</h3><code>{iri}</code></div>'

    html = (
        div("Person", "http://xmlns.com/foaf/0.1/Person")
        + div("Person1", "https://w3id.org/kzgraph/ontology#Person")
        + '<a href="#Person1">Person</a>'
    )
    fixed = fix_term_anchors(html, "https://w3id.org/kzgraph/ontology#")
    assert 'id="Person"><h3>X</h3><code>https://w3id.org/kzgraph/ontology#Person' in fixed
    assert 'id="Person-1"><h3>X</h3><code>http://xmlns.com/foaf/0.1/Person' in fixed
    assert '<a href="#Person">' in fixed


@pytest.mark.parametrize(
    ("path", "accept", "fmt"),
    [
        ("/shapes", "text/turtle", "turtle"),
        ("/shapes", "application/rdf+xml", "xml"),
        ("/shapes.jsonld", None, "json-ld"),
        ("/shapes.nt", None, "nt"),
    ],
)
def test_the_shapes_are_served_at_their_iri(
    real_server: str, path: str, accept: str | None, fmt: str
) -> None:
    status, _, body = fetch(real_server + path, headers={"Accept": accept} if accept else {})
    assert status == 200, body
    served = Graph().parse(data=body, format=fmt)
    source = Graph().parse(ROOT / "ontology" / "shapes.ttl", format="turtle")
    assert isomorphic(served, source)
    assert fetch(real_server + "/shapes", headers={"Accept": "text/html"})[0] == 406

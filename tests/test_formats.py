"""The format registry (kzgraph.formats): lookups that round-trip, negotiation with q-values, the
406 that lists the offer, the offers each route makes, and an RDF format added as one entry."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Literal, URIRef
from starlette.requests import Request

from kzgraph import formats
from kzgraph.api.responses import choose, preferred
from kzgraph.formats import (
    GRAPH,
    SOLUTIONS,
    Format,
    NotAcceptable,
    accept_header,
    by_media,
    by_name,
    by_suffix,
    media_types,
    negotiate,
)
from kzgraph.linked.describe import reserialise
from kzgraph.linked.resolve import Links, representations, requested, resource_formats
from kzgraph.namespaces import prefix_block
from kzgraph.pipeline import serialise
from kzgraph.pipeline.dumps import find_dumps, write_compressed
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.entity import formats_nav
from kzgraph.sparql.description import rdf_formats, service_description
from kzgraph.sparql.protocol import Limits, parse_request
from kzgraph.sparql.workers import evaluate

from .conftest import MINI, settings_for

BASE = "https://w3id.org/kzgraph/"


# -- the registry round-trips ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [f for f in formats.FORMATS if f.suffix], ids=lambda f: f.label)
def test_suffix_media_and_name_lead_back_to_the_entry(fmt: Format) -> None:
    assert by_suffix(fmt.suffix) is fmt
    assert by_media(fmt.media) is fmt
    assert by_media(fmt.media.upper() + "; charset=utf-8") is fmt
    for name in fmt.names:
        assert by_name(name, fmt.kind) is fmt


def test_media_types_and_suffixes_are_each_one_entry() -> None:
    medias = [f.media for f in formats.FORMATS]
    suffixes = [f.suffix for f in formats.FORMATS if f.suffix]
    assert len(set(medias)) == len(medias)
    assert len(set(suffixes)) == len(suffixes)


def test_a_name_means_one_format_per_kind_of_answer() -> None:
    for kinds in [(SOLUTIONS,), (GRAPH, formats.DATASET)]:
        names = [n for f in formats.of_kind(*kinds) for n in f.names]
        assert len(set(names)) == len(names)
    assert by_name("json", SOLUTIONS) is formats.SPARQL_JSON
    assert by_name("json", GRAPH) is formats.JSON_LD
    assert by_name("n3", GRAPH) is formats.TURTLE


def test_aliases_and_older_names() -> None:
    assert by_media("application/json", SOLUTIONS) is formats.SPARQL_JSON
    assert by_media("application/json") is formats.JSON  # its own type comes first
    assert by_media("application/xhtml+xml") is formats.HTML
    assert by_media("application/x-trig") is formats.TRIG
    assert by_media("text/plain", GRAPH) is formats.N_TRIPLES
    assert by_media("image/gif") is None  # not a format of ours
    assert formats.TURTLE.labelled == "text/turtle; charset=utf-8"
    assert formats.JSON_LD.labelled == "application/ld+json"
    assert formats.content_type("application/n-triples") == "application/n-triples; charset=utf-8"
    assert formats.content_type("application/json") == "application/json"
    assert formats.content_type("image/png") == "image/png"


def test_accept_header_lists_formats_best_first() -> None:
    fs = [formats.N_TRIPLES, formats.TURTLE, formats.RDF_XML]
    header = accept_header(fs)
    assert header == "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.8"
    assert negotiate(header, formats.offer(reversed(fs)), "") == "application/n-triples"


# -- negotiation -------------------------------------------------------------------------------

SOLUTION_OFFER = media_types(SOLUTIONS)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, "application/sparql-results+json"),
        ("", "application/sparql-results+json"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv", "text/csv"),
        ("text/csv;q=0.5, text/tab-separated-values", "text/tab-separated-values"),
        ("text/*;q=0.9, text/csv;q=0.1", "text/tab-separated-values"),  # the specific q wins
        ("text/*", "text/csv"),  # a tie: the order of the offer
        ("application/*;q=0.2, text/tab-separated-values;q=0.3", "text/tab-separated-values"),
        ("application/xml, */*;q=0.1", "application/xml"),
        ("text/csv;q=0, */*;q=0.1", "application/sparql-results+json"),
        ("text/csv;q=oops, text/tab-separated-values;q=0.1", "text/tab-separated-values"),
    ],
)
def test_negotiation_weighs_q_values(accept: str | None, chosen: str) -> None:
    assert negotiate(accept, SOLUTION_OFFER, SOLUTION_OFFER[0]) == chosen


def test_nothing_acceptable_names_the_offer() -> None:
    with pytest.raises(NotAcceptable) as caught:
        negotiate("image/png, text/csv;q=0", SOLUTION_OFFER, "")
    assert caught.value.offered == SOLUTION_OFFER
    assert str(caught.value).endswith("offered: " + ", ".join(SOLUTION_OFFER))


def _request(accept: str | None) -> Request:
    headers = [] if accept is None else [(b"accept", accept.encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers})


def test_choose_returns_the_media_type_or_a_406_listing_the_offer() -> None:
    offered = [formats.JSON.media, formats.HTML.media]
    assert choose(_request(None), offered) == "application/json"
    assert choose(_request("text/html,application/xhtml+xml;q=0.9"), offered) == "text/html"
    refused = choose(_request("image/png"), offered)
    assert not isinstance(refused, str)
    assert refused.status_code == 406
    assert refused.media_type == "application/json"
    assert json.loads(bytes(refused.body)) == {
        "error": "none of the requested media types can be produced; offered: "
        "application/json, text/html",
        "offered": ["application/json", "text/html"],
    }
    assert preferred(_request("image/png"), offered) is None


# -- what each route offers, in order (pinned: a change here changes the protocol) -------------


def test_the_offers_of_the_routes() -> None:
    from kzgraph.api.routes import ontology, queries

    assert SOLUTION_OFFER == [
        "application/sparql-results+json",
        "application/json",
        "application/sparql-results+xml",
        "application/xml",
        "text/csv",
        "text/tab-separated-values",
    ]
    assert media_types(GRAPH, formats.DATASET) == [  # CONSTRUCT and DESCRIBE
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
        "application/trig",
        "application/n-quads",
    ]
    assert media_types(GRAPH) == [  # /store
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    ]
    assert formats.offer(rdf_formats()) == [  # the service description, VoID
        "text/turtle",
        "application/n-triples",
        "application/rdf+xml",
        "application/ld+json",
    ]
    assert formats.offer([*representations(), formats.JSON]) == [  # entity pages
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
        "text/html",
        "application/xhtml+xml",
        "application/json",
    ]
    assert ontology._offered(True) == [
        "text/turtle",
        "application/rdf+xml",
        "application/ld+json",
        "application/n-triples",
        "text/html",
        "application/xhtml+xml",
    ]
    assert queries.OFFERED == [
        "application/sparql-results+json",
        "application/json",
        "text/csv",
        "text/tab-separated-values",
        "application/sparql-results+xml",
        "text/html",
    ]
    assert queries.SUFFIXES == {
        ".json": "application/sparql-results+json",
        ".csv": "text/csv",
        ".tsv": "text/tab-separated-values",
        ".xml": "application/sparql-results+xml",
        ".html": "text/html",
    }
    assert [f.media for f in formats.dumped()] == [
        "application/n-quads",
        "application/trig",
        "application/ld+json",
        "text/turtle",
    ]


# -- an RDF format is one entry ----------------------------------------------------------------

N3 = Format(
    "text/n3", "N3", GRAPH, ".n3", rdf=ox.RdfFormat.N3, rdflib="n3", w3c="N3", text=True, dump=5
)


@pytest.fixture
def with_n3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "FORMATS", (*formats.FORMATS, N3))


def _store() -> ox.Store:
    store = ox.Store()
    me = ox.NamedNode(BASE + "id/person/me")
    store.add(ox.Quad(me, ox.NamedNode(BASE + "ontology#name"), ox.Literal("me")))
    return store


@pytest.mark.usefixtures("with_n3")
def test_a_new_rdf_format_is_offered_for_construct_and_written() -> None:
    query = b"query=CONSTRUCT+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D"
    job = parse_request("GET", query, None, b"", "text/n3", Limits())
    assert job is not None and job.media == "text/n3"
    outcome = evaluate(_store(), job)
    assert not outcome.error and outcome.media == "text/n3"
    assert b'"me"' in outcome.body
    named = parse_request("GET", query + b"&format=text/n3", None, b"", None, Limits())
    assert named is not None and named.media == "text/n3"
    assert "text/n3" in media_types(GRAPH)  # /store offers it too


@pytest.mark.usefixtures("with_n3")
def test_a_new_rdf_format_is_dumped_and_listed(tmp_path: Path) -> None:
    ds = Dataset()
    ds.graph(URIRef(BASE + "graph/x")).add(
        (URIRef(BASE + "id/a"), URIRef(BASE + "ontology#name"), Literal("a"))
    )
    for name, data in serialise.serialisations(ds):
        (tmp_path / name).write_bytes(data)
    assert (tmp_path / "kzgraph.n3").exists()
    write_compressed(tmp_path)
    dumps = find_dumps(tmp_path)
    assert [d.name for d in dumps][-1] == "kzgraph.n3.gz"
    assert dumps[-1].title == "N3: all graphs merged into one"
    assert b'"a"' in gzip.decompress(dumps[-1].path.read_bytes())


@pytest.mark.usefixtures("with_n3")
def test_a_new_rdf_format_is_an_entity_representation() -> None:
    assert resource_formats()[-1] is N3
    assert requested(BASE, "id/person/me.n3").media == "text/n3"
    links = Links(BASE)
    assert links.representation("id/person/me", "text/n3") == "/id/person/me.n3"
    nav = formats_nav("id/person/me", BASE + "id/person/me", links)
    assert "<a href='/id/person/me.n3' type='text/n3'>N3</a>" in nav
    ntriples = f'<{BASE}id/a> <{BASE}ontology#name> "a" .\n'.encode()
    assert b'"a"' in reserialise(ntriples, "text/n3")
    description = service_description("http://x/sparql", {}, 0)
    formats_ns = "http://www.w3.org/ns/formats/"
    assert (None, None, URIRef(formats_ns + "N3")) in description


@pytest.mark.usefixtures("with_n3")
def test_a_new_rdf_format_over_http(mini_build: BuildResult) -> None:
    """The same through the app: /sparql, an entity (by Accept, by suffix, in its page's links
    and Link header), /store and the service description."""
    from fastapi.testclient import TestClient

    from kzgraph.api.app import create_app

    build_dir = mini_build.outputs[0].parent
    with TestClient(create_app(settings_for(MINI / "data", build_dir))) as client:
        n3 = {"accept": "text/n3"}
        construct = {"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 2"}
        reply = client.get("/sparql", params=construct, headers=n3)
        assert reply.headers["content-type"] == "text/n3; charset=utf-8"
        select = {"query": prefix_block("kz") + "SELECT ?p WHERE { ?p a kz:Person } LIMIT 1"}
        person = client.get("/sparql", params=select).json()["results"]["bindings"][0]["p"]
        path = person["value"].removeprefix(BASE)
        reply = client.get(f"/{path}", headers=n3)
        assert reply.status_code == 200, reply.text
        assert reply.headers["content-type"] == "text/n3; charset=utf-8"
        assert f'{path}.n3>; rel="alternate"; type="text/n3"' in reply.headers["link"]
        assert client.get(f"/{path}.n3").headers["content-type"] == "text/n3; charset=utf-8"
        page = client.get(f"/{path}", headers={"accept": "text/html"}).text
        assert f"<a href='/{path}.n3' type='text/n3'>N3</a>" in page
        reply = client.get("/store", params={"default": ""}, headers=n3)
        assert reply.headers["content-type"] == "text/n3; charset=utf-8"
        assert client.get("/sparql", headers=n3).headers["content-type"].startswith("text/n3")

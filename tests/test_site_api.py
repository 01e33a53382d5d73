"""The site's routes over a real server: search, home, dumps, DCAT, the editor's CSV."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.catalog import DCAT, SPDX

from .server import fetch, running_server

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def get(
    url: str, accept: str | None = None, method: str = "GET", **headers: str
) -> tuple[int, dict[str, str], bytes]:
    if accept:
        headers["Accept"] = accept
    return fetch(url, headers=headers, method=method, follow_redirects=False)


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


def search(server: str, q: str, **params: object) -> list[dict[str, object]]:
    status, _, body = get(f"{server}/search?{urlencode({'q': q, **params})}")
    assert status == 200, body
    results: list[dict[str, object]] = json.loads(body)["results"]
    return results


@pytest.mark.parametrize(
    ("query", "label", "matched"),
    [
        ("Bokayev", "Max Bokaev", "Max Bokayev"),
        ("maks bokaev", "Max Bokaev", "Maks Bokaev"),
        ("tokaev", "Kassym-Jomart Tokayev", "Tokaev"),
        ("TOKAYEV", "Kassym-Jomart Tokayev", None),
        ("Mamai", "Zhanbolat Mamay", "Zhanbolat Mamai"),
        ("Мамай", "Zhanbolat Mamay", None),
    ],
)
def test_search_json_ranks_the_person_first(
    server: str, query: str, label: str, matched: str | None
) -> None:
    results = search(server, query)
    top = results[0]
    assert top["label"] == label
    if matched:
        assert top["matched"] == matched
    assert str(top["href"]).startswith("/id/person/")
    assert top["reports"] and all(str(r["href"]).startswith("/id/report/") for r in top["reports"])
    scores = [float(str(r["score"])) for r in results]
    assert scores == sorted(scores, reverse=True)


def test_search_limit_and_refusals(server: str) -> None:
    assert len(search(server, "a", limit=2)) <= 2
    for params, status in (
        ({}, 400),
        ({"q": ""}, 400),
        ({"q": "x" * 101}, 422),
        ({"q": "Bokaev", "limit": 1000}, 422),
    ):
        code, _, body = get(f"{server}/search?{urlencode(params)}")
        assert code == status and json.loads(body)["error"], params
    code, _, _ = get(f"{server}/search?q=Bokaev", accept="text/turtle")
    assert code == 406


def test_search_page_for_a_browser(server: str) -> None:
    status, headers, body = get(f"{server}/search?q=Bokayev", accept=BROWSER_ACCEPT)
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "href='/id/person/max-bokaev'" in body.decode()
    status, _, body = get(f"{server}/search?q=", accept=BROWSER_ACCEPT)
    assert status == 200 and b"<form action='/search'" in body  # the empty search page


def test_home_page_lists_reports_counts_and_queries(
    server: str, real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    status, _, raw = get(f"{server}/", accept=BROWSER_ACCEPT)
    body = raw.decode()
    assert status == 200
    for report in real_build.annotations.reports.values():
        assert report.meta.sha256[:12] in body
        assert f"href='/id/report/{report.meta.id}'" in body
    for name in real_kg.queries():
        assert f"href='/queries/{name}'" in body
    assert "<table id=counts>" in body and "name=q" in body
    for href in ("/search", "/queries", "/editor", "/dumps/", "/ontology"):
        assert f"href='{href}'" in body


def test_dumps_listing_and_downloads(server: str, real_kg: KnowledgeGraph) -> None:
    status, _, body = get(f"{server}/dumps/")
    listing = json.loads(body)
    assert [d["name"] for d in listing] == [
        "kzgraph.nq.gz",
        "kzgraph.trig.gz",
        "kzgraph.jsonld.gz",
        "kzgraph.ttl.gz",
    ]
    build = real_kg.settings.build_dir
    quads = len(real_kg.open_store())
    for dump in listing:
        status, headers, data = get(dump["url"])
        assert status == 200
        assert headers["content-type"] == "application/gzip"
        assert "content-encoding" not in {k.lower() for k in headers}
        assert "attachment" in headers["content-disposition"]
        assert len(data) == dump["bytes"] == int(headers["content-length"])
        assert hashlib.sha256(data).hexdigest() == dump["sha256"]
        content = gzip.decompress(data)
        fmt = ox.RdfFormat.from_media_type(dump["media_type"])
        assert fmt is not None
        parsed = list(ox.parse(content, format=fmt))
        if fmt.supports_datasets:
            assert len(set(parsed)) == quads, dump["name"]
        if dump["name"] == "kzgraph.nq.gz":
            assert content == (build / "kzgraph.nq").read_bytes()
        assert dump["document_url"] == dump["url"].removesuffix(".gz")
    status, headers, data = get(f"{server}/dumps/kzgraph.nq.gz", method="HEAD")
    assert status == 200 and data == b"" and int(headers["content-length"]) == listing[0]["bytes"]
    status, headers, data = get(f"{server}/dumps/kzgraph.nq.gz", Range="bytes=0-1")
    assert status == 206 and data == b"\x1f\x8b"  # the gzip magic number
    status, headers, body = get(f"{server}/dumps/kzgraph.nq")  # the RDF document itself
    assert status == 200 and headers["content-type"] == "application/n-quads"
    assert body == (build / "kzgraph.nq").read_bytes()
    status, _, body = get(f"{server}/dumps/kzgraph.nt.gz")
    assert status == 404 and b"kzgraph.nq.gz" in body


@pytest.mark.parametrize(
    ("accept", "fmt"), [("text/turtle", "turtle"), ("application/ld+json", "json-ld")]
)
def test_dcat_parses_and_every_download_url_answers(server: str, accept: str, fmt: str) -> None:
    status, _, body = get(f"{server}/.well-known/void", accept=accept)
    assert status == 200
    g = Graph().parse(data=body, format=fmt)
    urls = list(g.subject_objects(DCAT.downloadURL))
    assert len(urls) == 4
    for node, url in urls:
        status, _, data = get(str(url))
        assert status == 200, url
        assert int(str(g.value(node, DCAT.byteSize))) == len(data)
        checksum = g.value(node, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
    endpoints = list(g.objects(None, DCAT.endpointURL))
    assert [str(e) for e in endpoints] == [f"{server}/sparql"]


def test_editor_csv(server: str) -> None:
    query = "SELECT ?s WHERE { ?s a <https://w3id.org/kzgraph/ontology#Person> } LIMIT 3"
    status, headers, body = get(f"{server}/editor/results.csv?{urlencode({'query': query})}")
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert "attachment" in headers["content-disposition"]
    assert body.decode().splitlines()[0] == "s" and len(body.decode().splitlines()) == 4
    status, _, body = get(f"{server}/editor/results.csv?{urlencode({'query': 'SELECT ?s {'})}")
    assert status == 400 and json.loads(body)["line"] == 1
    status, _, _ = get(f"{server}/editor/results.csv?{urlencode({'query': 'INSERT DATA {}'})}")
    assert status == 403


def test_a_browser_asking_the_endpoint_for_a_page_is_sent_to_the_editor(server: str) -> None:
    status, headers, _ = get(f"{server}/sparql", accept=BROWSER_ACCEPT)
    assert status == 303 and headers["location"] == "/editor"
    status, headers, _ = get(f"{server}/sparql", accept="*/*")
    assert status == 200 and headers["content-type"].startswith("text/turtle")

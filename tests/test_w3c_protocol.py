"""The W3C SPARQL 1.1 Protocol test suite (query side and bad requests) against a real server.

Source: w3c/rdf-tests, ``sparql/sparql11/protocol/manifest.ttl`` (read at commit
0198f458a7ae9438a92b566d29624b985fe6360f). Its cases are prose: an HTTP request and the expected
response. Each test below sends the described request, byte for byte where it matters (no
``Accept`` header unless the case gives one, the same percent-encoding, the same bodies), and
checks the described outcome. Adaptations:

* The manifest's endpoint is ``/sparql/``; ours is ``/sparql`` (``/sparql/`` answers a 307 to it).
* The example data ``dataN.rdf`` (each a graph describing one document, typed in that graph only)
  become our report graphs, whose report resource is typed ``kz:Report`` in its own graph only:
  data1 -> hrw-world-report-2024, data2 -> hrw-world-report-2022, data3 -> hrw-upr-submission-2019;
  data0 (used where any graph will do) -> the entities graph.
* Without a dataset in the request our default graph is the union of all named graphs, so an ASK
  that is true over a protocol-given dataset would often be true without it too. Each dataset case
  therefore also sends a control request over a smaller dataset whose answer must be false: the
  dataset the request names is exactly what the query sees.
* The service is read-only: the bad_update_* cases expect a 4xx and get 403 (or 400 when the
  request is malformed anyway), and the update_* cases, which expect an update to succeed, are
  sent only to check that they are refused and change nothing
  (``test_update_operations_are_refused``).
"""

from __future__ import annotations

import csv
import http.client
import io
import json
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .server import running_server

MANIFEST = "http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#"
GRAPH = "https://w3id.org/kzgraph/graph/"
ID = "https://w3id.org/kzgraph/id/report/"
KZ_REPORT = "https://w3id.org/kzgraph/ontology#Report"

DATA0 = GRAPH + "entities"
REPORTS = ("hrw-world-report-2024", "hrw-world-report-2022", "hrw-upr-submission-2019")
DATA1, DATA2, DATA3 = (GRAPH + "report/" + r for r in REPORTS)  # the graphs
DOC1, DOC2, DOC3 = (ID + r for r in REPORTS)  # the resource each of them describes

BOOLEAN_TYPES = {
    "application/sparql-results+json",
    "application/json",
    "application/sparql-results+xml",
    "application/xml",
}
TABULAR_TYPES = BOOLEAN_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {
    "text/turtle": "turtle",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
    "application/ld+json": "json-ld",
}
RESULTS_NS = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


@pytest.fixture(scope="module")
def quads_at_start(server: str) -> int:
    count = _quads(server)
    assert count > 1000
    return count


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()

    def json(self) -> dict[str, object]:
        data: dict[str, object] = json.loads(self.body)
        return data


def send(
    server: str,
    method: str,
    target: str,
    body: bytes | str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """One raw HTTP/1.1 request: only Host, the given headers and Content-Length are sent."""
    url = urllib.parse.urlsplit(server)
    connection = http.client.HTTPConnection(url.hostname or "127.0.0.1", url.port, timeout=30)
    try:
        payload = body.encode("utf-8") if isinstance(body, str) else body
        connection.request(method, target, body=payload, headers=headers or {})
        response = connection.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        connection.close()


def target(path: str = "/sparql", **params: str | list[str]) -> str:
    """A request target whose parameters are percent-encoded as in the manifest (%20, %3A, ...)."""
    pairs = [
        (name.replace("_", "-"), value)
        for name, values in params.items()
        for value in (values if isinstance(values, list) else [values])
    ]
    if not pairs:
        return path
    return path + "?" + urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote, safe="")


def boolean(reply: Reply) -> bool:
    """The answer of an ASK in a media type for boolean results (JSON or XML)."""
    assert reply.status == 200, reply.body
    assert reply.media_type in BOOLEAN_TYPES, reply.media_type
    if "json" in reply.media_type:
        value = reply.json()["boolean"]
        assert isinstance(value, bool)
        return value
    element = ET.fromstring(reply.body).find(f"{RESULTS_NS}boolean")
    assert element is not None and element.text in ("true", "false")
    return element.text == "true"


def rows(reply: Reply) -> list[dict[str, str]]:
    """SELECT results in a media type for tabular results, as variable -> lexical value."""
    assert reply.status == 200, reply.body
    assert reply.media_type in TABULAR_TYPES, reply.media_type
    text = reply.body.decode("utf-8")
    if "json" in reply.media_type:
        bindings = json.loads(text)["results"]["bindings"]
        return [{v: b[v]["value"] for v in b} for b in bindings]
    if "xml" in reply.media_type:
        out = []
        for result in ET.fromstring(text).iter(f"{RESULTS_NS}result"):
            out.append({b.attrib["name"]: "".join(b.itertext()) for b in result})
        return out
    if reply.media_type == "text/csv":
        return [dict(row) for row in csv.DictReader(io.StringIO(text))]
    header, *lines = text.splitlines()
    names = [v.lstrip("?") for v in header.split("\t")]
    return [
        {n: _tsv_value(c) for n, c in zip(names, line.split("\t"), strict=True) if c}
        for line in lines
    ]


def _tsv_value(cell: str) -> str:
    """The lexical value of a TSV term: <iri>, "literal"(@lang|^^<type>), _:b or a bare number."""
    if cell.startswith("<") and cell.endswith(">"):
        return cell[1:-1]
    if cell.startswith('"'):
        return cell[1 : cell.rindex('"')].replace('\\"', '"')
    return cell


def rdf(reply: Reply) -> Graph:
    """The graph of a CONSTRUCT or DESCRIBE answer, parsed in the media type the server gave."""
    assert reply.status == 200, reply.body
    assert reply.media_type in RDF_TYPES, reply.media_type
    return Graph().parse(data=reply.body, format=RDF_TYPES[reply.media_type])


def refused(reply: Reply, *statuses: int) -> dict[str, object]:
    """A 4xx answer with a JSON error message, one of ``statuses``, and no stack trace."""
    assert 400 <= reply.status < 500
    assert reply.status in statuses, (reply.status, reply.body)
    assert reply.media_type == "application/json"
    assert b"Traceback" not in reply.body
    error = reply.json()
    assert isinstance(error.get("error") or error.get("detail"), str)
    return error


def _quads(server: str) -> int:
    """The number of quads in the store now (not /health's, which is counted at startup)."""
    query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    return int(rows(send(server, "GET", target(query=query)))[0]["n"])


def unchanged(server: str, quads_at_start: int) -> None:
    assert _quads(server) == quads_at_start
    assert boolean(send(server, "GET", target(query=f"ASK {{ <{DOC1}> a <{KZ_REPORT}> }}")))


# ---- query_* -------------------------------------------------------------------------------


def test_query_post_form(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_post_form

    POST form-encoded ``query=ASK {}`` with default-graph-uri in the URL: 2xx, boolean true.
    """
    reply = send(
        server,
        "POST",
        target(default_graph_uri=DATA0),
        "query=ASK%20%7B%7D",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert boolean(reply) is True


def test_query_dataset_default_graphs_get(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_dataset_default_graphs_get

    GET with two default-graph-uri: the default graph is their merge, so two documents, each typed
    in its own graph, are both seen with the same type. Control: over one of the graphs, false.
    """
    query = f"ASK {{ <{DOC1}> a ?type . <{DOC2}> a ?type . }}"
    reply = send(server, "GET", target(query=query, default_graph_uri=[DATA1, DATA2]))
    assert boolean(reply) is True
    control = send(server, "GET", target(query=query, default_graph_uri=DATA1))
    assert boolean(control) is False


def test_query_dataset_default_graphs_post(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_dataset_default_graphs_post

    The same by POST application/sparql-query with default-graph-uri in the URL.
    """
    query = f"ASK {{ <{DOC1}> a ?type . <{DOC2}> a ?type . }}"
    headers = {"Content-Type": "application/sparql-query"}
    reply = send(server, "POST", target(default_graph_uri=[DATA1, DATA2]), query, headers)
    assert boolean(reply) is True
    control = send(server, "POST", target(default_graph_uri=[DATA2, DATA3]), query, headers)
    assert boolean(control) is False


def test_query_dataset_named_graphs_post(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_dataset_named_graphs_post

    POST application/sparql-query with two named-graph-uri: GRAPH ?g ranges over exactly those.
    """
    query = f"ASK {{ GRAPH ?g1 {{ <{DOC1}> a ?type }} GRAPH ?g2 {{ <{DOC2}> a ?type }} }}"
    headers = {"Content-Type": "application/sparql-query"}
    reply = send(server, "POST", target(named_graph_uri=[DATA1, DATA2]), query, headers)
    assert boolean(reply) is True
    control = send(server, "POST", target(named_graph_uri=[DATA1, DATA3]), query, headers)
    assert boolean(control) is False


def test_query_dataset_named_graphs_get(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_dataset_named_graphs_get

    The same by GET; the graphs GRAPH ?g binds are exactly the named graphs given.
    """
    query = f"ASK {{ GRAPH ?g1 {{ <{DOC1}> a ?type }} GRAPH ?g2 {{ <{DOC2}> a ?type }} }}"
    reply = send(server, "GET", target(query=query, named_graph_uri=[DATA1, DATA2]))
    assert boolean(reply) is True
    control = send(server, "GET", target(query=query, named_graph_uri=DATA1))
    assert boolean(control) is False
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    seen = rows(send(server, "GET", target(query=graphs, named_graph_uri=[DATA1, DATA2])))
    assert {r["g"] for r in seen} == {DATA1, DATA2}


def test_query_dataset_full(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_dataset_full

    default-graph-uri and named-graph-uri together: data3 as the default graph, data1 and data2 as
    the named graphs.
    """
    pattern = (
        f"<{DOC3}> a ?type\n"
        f"  GRAPH ?g1 {{ <{DOC1}> a ?type }}\n"
        f"  GRAPH ?g2 {{ <{DOC2}> a ?type }}\n"
    )
    headers = {"Content-Type": "application/sparql-query"}
    url = target(default_graph_uri=DATA3, named_graph_uri=[DATA1, DATA2])
    assert boolean(send(server, "POST", url, f"ASK {{\n  {pattern}}}", headers)) is True
    solutions = rows(send(server, "POST", url, f"SELECT * {{\n  {pattern}}}", headers))
    assert solutions == [{"type": KZ_REPORT, "g1": DATA1, "g2": DATA2}]
    swapped = target(default_graph_uri=DATA1, named_graph_uri=[DATA3, DATA2])
    assert boolean(send(server, "POST", swapped, f"ASK {{\n  {pattern}}}", headers)) is False


def test_query_multiple_dataset(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_multiple_dataset

    A dataset in both the query (FROM) and the protocol: the protocol's dataset is used. (The
    manifest's request line encodes the second ``&named-graph-uri=`` as ``%26...%3D``, which would
    make one parameter naming a graph that does not exist; the expected ``true`` needs the two
    named graphs, so two parameters are sent.) Controls, as in the earlier version of this case:
    the FROM graph is not the default graph when the protocol gives a dataset.
    """
    named = f"GRAPH ?g1 {{ <{DOC1}> a ?type }} GRAPH ?g2 {{ <{DOC2}> a ?type }}"
    query = f"ASK FROM <{DATA3}> {{ {named} }}"
    headers = {"Content-Type": "application/sparql-query"}
    reply = send(server, "POST", target(named_graph_uri=[DATA1, DATA2]), query, headers)
    assert boolean(reply) is True
    from_only = f"ASK FROM <{DATA3}> {{ <{DOC3}> a ?type }}"
    assert boolean(send(server, "POST", "/sparql", from_only, headers)) is True
    overridden = send(server, "POST", target(named_graph_uri=[DATA1, DATA2]), from_only, headers)
    assert boolean(overridden) is False
    older = f"ASK FROM <{DATA1}> {{ <{DOC1}> ?p ?o }}"
    assert boolean(send(server, "POST", target(default_graph_uri=DATA2), older, headers)) is False


def test_query_get(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_get

    GET ``query=ASK {}`` with a default-graph-uri: 2xx, boolean true.
    """
    reply = send(server, "GET", target(query="ASK {}", default_graph_uri=DATA0))
    assert boolean(reply) is True


def test_query_content_type_select(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_content_type_select

    A SELECT with no Accept header is answered in a tabular results type (XML, JSON, CSV, TSV);
    each of these, when asked for, is what the Content-Type says and what the body is.
    """
    query = "SELECT (1 AS ?value) {}"
    url = target(default_graph_uri=DATA0)
    reply = send(server, "POST", url, query, {"Content-Type": "application/sparql-query"})
    assert rows(reply) == [{"value": "1"}]
    for media in sorted(TABULAR_TYPES):
        headers = {"Content-Type": "application/sparql-query", "Accept": media}
        reply = send(server, "POST", url, query, headers)
        assert reply.media_type == media
        assert rows(reply) == [{"value": "1"}]


def test_query_content_type_ask(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_content_type_ask

    An ASK is answered in a boolean results type (XML or JSON), with or without an Accept header.
    """
    url = target(default_graph_uri=DATA0)
    reply = send(server, "POST", url, "ASK {}", {"Content-Type": "application/sparql-query"})
    assert boolean(reply) is True
    for media in sorted(BOOLEAN_TYPES):
        headers = {"Content-Type": "application/sparql-query", "Accept": media}
        reply = send(server, "POST", url, "ASK {}", headers)
        assert reply.media_type == media
        assert boolean(reply) is True


def test_query_content_type_describe(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_content_type_describe

    A DESCRIBE is answered in an RDF type (RDF/XML, Turtle, N-Triples, ...), here an empty graph;
    DESCRIBE of one of our documents gives its triples in each RDF type asked for.
    """
    url = target(default_graph_uri=DATA0)
    headers = {"Content-Type": "application/sparql-query"}
    reply = send(server, "POST", url, "DESCRIBE <http://example.org/>", headers)
    assert len(rdf(reply)) == 0
    for media in sorted(RDF_TYPES):
        reply = send(server, "POST", "/sparql", f"DESCRIBE <{DOC1}>", {**headers, "Accept": media})
        assert reply.media_type == media
        assert (URIRef(DOC1), RDF.type, URIRef(KZ_REPORT)) in rdf(reply)


def test_query_content_type_construct(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_content_type_construct

    ``CONSTRUCT { <s> <p> 1 } WHERE {}`` is answered in an RDF type, with one triple. The IRIs are
    relative: the service resolves them against its own base (see update_base_uri: "which MAY be
    the service endpoint").
    """
    reply = send(
        server,
        "POST",
        target(default_graph_uri=DATA0),
        "CONSTRUCT { <s> <p> 1 } WHERE {}",
        {"Content-Type": "application/sparql-query"},
    )
    assert len(rdf(reply)) == 1


def test_query_content_type_construct_absolute_iris(server: str) -> None:
    """The query_content_type_construct case with absolute IRIs (and with every RDF type asked
    for): what the manifest case checks, content type and result, less the base IRI resolution."""
    query = "CONSTRUCT { <http://example.org/s> <http://example.org/p> 1 } WHERE {}"
    url = target(default_graph_uri=DATA0)
    headers = {"Content-Type": "application/sparql-query"}
    reply = send(server, "POST", url, query, headers)
    assert reply.media_type in RDF_TYPES
    assert len(rdf(reply)) == 1
    for media in sorted(RDF_TYPES):
        reply = send(server, "POST", url, query, {**headers, "Accept": media})
        assert reply.media_type == media
        assert len(rdf(reply)) == 1


def test_query_post_direct(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#query_post_direct

    POST application/sparql-query ``ASK {}``, no dataset: 2xx, boolean true. Without a dataset the
    default graph is the union of the named graphs: documents from different graphs are seen.
    """
    headers = {"Content-Type": "application/sparql-query"}
    assert boolean(send(server, "POST", "/sparql", "ASK {}", headers)) is True
    union = f"ASK {{ <{DOC1}> a ?type . <{DOC2}> a ?type . <{DOC3}> a ?type }}"
    assert boolean(send(server, "POST", "/sparql", union, headers)) is True


# ---- bad_* -----------------------------------------------------------------------------------


def test_bad_query_method(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_method

    A query by PUT: 4xx.
    """
    reply = send(
        server,
        "PUT",
        target(query="ASK {}", default_graph_uri=DATA0),
        b"",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    refused(reply, 405)
    assert {m.strip() for m in reply.headers["Allow"].split(",")} == {"GET", "POST"}
    unchanged(server, quads_at_start)


def test_bad_multiple_queries(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_multiple_queries

    Two ``query`` parameters: 4xx.
    """
    reply = send(server, "GET", target(query=["ASK {}", "SELECT * {}"]))
    refused(reply, 400)


def test_bad_query_wrong_media_type(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_wrong_media_type

    A query POSTed as text/plain: 4xx.
    """
    reply = send(server, "POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"})
    refused(reply, 400, 415)


def test_bad_query_missing_form_type(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_missing_form_type

    A form-encoded body without a Content-Type: 4xx.
    """
    refused(send(server, "POST", "/sparql", "query=ASK%20%7B%7D"), 400, 415)


def test_bad_query_missing_direct_type(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_missing_direct_type

    A SPARQL body without a Content-Type: 4xx.
    """
    refused(send(server, "POST", "/sparql", "ASK {}"), 400, 415)


def test_bad_query_non_utf8(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_non_utf8

    A query POSTed in UTF-16 (with a BOM) as ``application/sparql-query; charset=UTF-16``: 4xx. The
    same body without the charset parameter is not valid UTF-8: 4xx too.
    """
    body = "ASK {}".encode("utf-16")
    assert len(body) == 14  # as the manifest's Content-Length
    headers = {"Content-Type": "application/sparql-query; charset=UTF-16"}
    refused(send(server, "POST", "/sparql", body, headers), 400, 415)
    headers = {"Content-Type": "application/sparql-query"}
    refused(send(server, "POST", "/sparql", body, headers), 400, 415)


def test_bad_query_syntax(server: str) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_query_syntax

    ``ASK {`` by GET: 4xx (here 400 with the position of the error).
    """
    error = refused(send(server, "GET", "/sparql?query=ASK%20%7B"), 400)
    assert error["error"] == "query syntax error"
    assert error["line"] == 1 and isinstance(error["column"], int)


def test_bad_update_get(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_get

    An update by GET: 4xx (403: the service is read-only), and nothing changes.
    """
    refused(send(server, "GET", "/sparql?update=CLEAR%20ALL"), 403)
    unchanged(server, quads_at_start)


def test_bad_multiple_updates(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_multiple_updates

    Two ``update`` fields in a form: 4xx.
    """
    reply = send(
        server,
        "POST",
        "/sparql",
        "update=CLEAR%20NAMED&update=CLEAR%20DEFAULT",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    refused(reply, 400, 403)
    unchanged(server, quads_at_start)


def test_bad_update_wrong_media_type(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_wrong_media_type

    An update POSTed as text/plain: 4xx.
    """
    reply = send(server, "POST", "/sparql", "CLEAR NAMED", {"Content-Type": "text/plain"})
    refused(reply, 400, 403, 415)
    unchanged(server, quads_at_start)


def test_bad_update_missing_form_type(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_missing_form_type

    A form-encoded update without a Content-Type: 4xx.
    """
    refused(send(server, "POST", "/sparql", "update=CLEAR%20NAMED"), 400, 403, 415)
    unchanged(server, quads_at_start)


def test_bad_update_non_utf8(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_non_utf8

    An update POSTed in UTF-16 (with a BOM) as ``application/sparql-update; charset=UTF-16``: 4xx.
    """
    body = "CLEAR NAMED".encode("utf-16")
    assert len(body) == 24  # as the manifest's Content-Length
    headers = {"Content-Type": "application/sparql-update; charset=UTF-16"}
    refused(send(server, "POST", "/sparql", body, headers), 400, 403, 415)
    unchanged(server, quads_at_start)


def test_bad_update_syntax(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_syntax

    ``update=CLEAR XYZ`` in a form: 4xx.
    """
    reply = send(
        server,
        "POST",
        "/sparql",
        "update=CLEAR%20XYZ",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    refused(reply, 400, 403)
    unchanged(server, quads_at_start)


def test_bad_update_dataset_conflict(server: str, quads_at_start: int) -> None:
    """http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#bad_update_dataset_conflict

    using-named-graph-uri together with a WITH clause: 4xx.
    """
    body = (
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\n"
        "WITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\n"
        "INSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n"
        "    ?person foaf:givenName 'Bill'\n"
        "}"
    )
    reply = send(
        server,
        "POST",
        target(using_named_graph_uri="http://example/people"),
        body,
        {"Content-Type": "application/sparql-update"},
    )
    refused(reply, 400, 403)
    unchanged(server, quads_at_start)


# ---- update_*: expected to succeed by the suite; refused here (read-only service) ----------

CLEAR_AND_COPY = (
    "PREFIX dc: <http://purl.org/dc/terms/>\n"
    "PREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
    "DROP ALL ;\n"
    f"INSERT DATA {{ GRAPH <{DATA1}> {{ <{DOC1}> a foaf:Document }} }} ;\n"
    "INSERT { GRAPH <http://example.org/protocol-update-dataset-test/> "
    "{ ?s a dc:BibliographicResource } }\n"
    "WHERE { ?s a foaf:Document }"
)
UPDATE_CASES = {
    "update_dataset_default_graph": (target(using_graph_uri=DATA1), CLEAR_AND_COPY),
    "update_dataset_default_graphs": (target(using_graph_uri=[DATA1, DATA2]), CLEAR_AND_COPY),
    "update_dataset_named_graphs": (target(using_named_graph_uri=[DATA1, DATA2]), CLEAR_AND_COPY),
    "update_dataset_full": (
        target(using_graph_uri=DATA1, using_named_graph_uri=DATA2),
        CLEAR_AND_COPY,
    ),
    "update_post_form": ("/sparql", "update=CLEAR+ALL"),
    "update_post_direct": ("/sparql", "CLEAR ALL"),
    "update_base_uri": (
        "/sparql",
        "CLEAR GRAPH <http://example.org/protocol-base-test/> ;\n"
        "INSERT DATA { GRAPH <http://example.org/protocol-base-test/> "
        "{ <http://example.org/s> <http://example.org/p> <test> } }",
    ),
}


@pytest.mark.parametrize("case", list(UPDATE_CASES))
def test_update_operations_are_refused(server: str, quads_at_start: int, case: str) -> None:
    """The suite's update_* cases (MANIFEST + case name, e.g.
    http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest#update_post_form)
    expect a 2xx from a service that accepts updates. This one is read-only: each update request
    (the manifest's first request, with our graphs) is refused with 403, and nothing changes."""
    path, body = UPDATE_CASES[case]
    form = body.startswith("update=")
    content_type = "application/x-www-form-urlencoded" if form else "application/sparql-update"
    error = refused(send(server, "POST", path, body, {"Content-Type": content_type}), 403)
    assert "read-only" in str(error["error"])
    unchanged(server, quads_at_start)
    graphs = "ASK { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'http://example.org/')) }"
    assert boolean(send(server, "GET", target(query=graphs))) is False

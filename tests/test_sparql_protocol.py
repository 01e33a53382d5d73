"""The SPARQL endpoint's protocol, refusals and limits, against a real `kzgraph serve`."""

from __future__ import annotations

import io
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from rdflib import Graph

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .server import Listener, fetch, running_server

ENTITIES = "https://w3id.org/kzgraph/graph/entities"
REPORT = "https://w3id.org/kzgraph/graph/report/hrw-world-report-2024"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
TIMEOUT = 2.0
MAX_ROWS = 200


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(
        real_kg.settings.build_dir,
        query_timeout=TIMEOUT,
        max_rows=MAX_ROWS,
        max_body_bytes=20_000,
        max_url_bytes=4_000,
        workers=2,
        client_header="X-Forwarded-For",
    ) as url:
        yield url


def request(
    url: str,
    *,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
    method: str | None = None,
) -> tuple[int, dict[str, str], bytes]:
    return fetch(url, data=data, headers=headers, method=method)


def get(
    server: str, query: str, accept: str | None = None, **params: str | list[str]
) -> tuple[int, dict[str, str], bytes]:
    pairs = urllib.parse.urlencode({"query": query, **params}, doseq=True)
    return request(f"{server}/sparql?{pairs}", headers={"Accept": accept} if accept else {})


def count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


# --- the three ways to send a query -------------------------------------------------------------


def test_get_post_form_and_post_direct_agree(server: str) -> None:
    _, _, by_get = get(server, COUNT)
    _, _, by_form = request(
        f"{server}/sparql",
        data=urllib.parse.urlencode({"query": COUNT}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    _, headers, direct = request(
        f"{server}/sparql",
        data=COUNT.encode(),
        headers={"Content-Type": "application/sparql-query; charset=UTF-8"},
    )
    assert count(by_get) == count(by_form) == count(direct) > 30_000
    assert headers["content-type"].startswith("application/sparql-results+json")


# --- the dataset a query sees ---------------------------------------------------------------------


def test_default_graph_uri_selects_exactly_that_graph(server: str, real_build: BuildResult) -> None:
    from kzgraph.iris import graph_iri

    status, _, body = get(server, COUNT, **{"default-graph-uri": ENTITIES})
    assert status == 200
    assert count(body) == len(real_build.dataset.graph(graph_iri("entities")))


def test_named_graph_uri_limits_graph_patterns(server: str) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    status, _, body = get(server, query, **{"named-graph-uri": [ENTITIES, REPORT]})
    graphs = {b["g"]["value"] for b in json.loads(body)["results"]["bindings"]}
    assert status == 200 and graphs == {ENTITIES, REPORT}
    _, _, body = get(server, COUNT, **{"named-graph-uri": ENTITIES})
    assert count(body) == 0, "with only named graphs given, the default graph is empty"


def test_from_selects_a_stored_graph(server: str) -> None:
    _, _, whole = get(server, COUNT)
    _, _, only = get(server, f"SELECT (COUNT(*) AS ?n) FROM <{ENTITIES}> WHERE {{ ?s ?p ?o }}")
    assert 0 < count(only) < count(whole)


# --- formats -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "accept, media",
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
    ],
)
def test_select_formats(server: str, accept: str, media: str) -> None:
    status, headers, body = get(
        server,
        "SELECT ?s WHERE { ?s a <https://w3id.org/kzgraph/ontology#Person> } LIMIT 3",
        accept,
    )
    assert status == 200 and headers["content-type"].split(";")[0] == media
    if media == "application/sparql-results+json":
        assert len(json.loads(body)["results"]["bindings"]) == 3
    elif media == "text/csv":
        assert len(body.decode().splitlines()) == 4


@pytest.mark.parametrize(
    "accept, rdflib_format",
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("application/trig", "trig"),
        ("application/n-quads", "nquads"),
    ],
)
def test_construct_formats_parse(server: str, accept: str, rdflib_format: str) -> None:
    query = (
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/kzgraph/graph/entities> "
        "{ ?s ?p ?o } } LIMIT 20"
    )
    status, headers, body = get(server, query, accept)
    assert status == 200 and headers["content-type"].split(";")[0] == accept
    from rdflib import Dataset

    parsed = Dataset() if rdflib_format in ("trig", "nquads") else Graph()
    parsed.parse(io.BytesIO(body), format=rdflib_format)
    assert len(parsed) == 20 or sum(len(g) for g in parsed.graphs()) == 20  # type: ignore[attr-defined]


def test_ask(server: str) -> None:
    status, _, body = get(server, "ASK { ?s a <https://w3id.org/kzgraph/ontology#Conviction> }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_nothing_acceptable_is_406(server: str) -> None:
    status, _, body = get(server, COUNT, "image/png")
    assert status == 406 and "offered" in json.loads(body)


# --- refusals ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, how",
    [
        (
            "update parameter",
            lambda s: request(
                f"{s}/sparql",
                data=b"update=DROP+ALL",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
        ),
        (
            "update content type",
            lambda s: request(
                f"{s}/sparql",
                data=b"DROP ALL",
                headers={"Content-Type": "application/sparql-update"},
            ),
        ),
        ("INSERT as a query", lambda s: get(s, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")),
        ("LOAD as a query", lambda s: get(s, "LOAD <http://127.0.0.1:9/x>")),
    ],
)
def test_updates_are_refused_and_nothing_changes(server: str, name: str, how) -> None:  # type: ignore[no-untyped-def]
    _, _, before = get(server, COUNT)
    status, _, body = how(server)
    assert status == 403, name
    assert "read-only" in json.loads(body)["error"]
    _, _, after = get(server, COUNT)
    assert count(before) == count(after)


@pytest.mark.parametrize(
    "name, how",
    [
        (
            "query and update",
            lambda s: request(
                f"{s}/sparql",
                data=b"query=ASK{}&update=DROP+ALL",
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            ),
        ),
        ("two queries", lambda s: request(f"{s}/sparql?query=ASK%7B%7D&query=ASK%7B%7D")),
        (
            "missing content type",
            lambda s: request(f"{s}/sparql", data=b"ASK {}", headers={"Content-Type": ""}),
        ),
        (
            "wrong content type",
            lambda s: request(
                f"{s}/sparql", data=b"ASK {}", headers={"Content-Type": "text/plain"}
            ),
        ),
        (
            "non-UTF-8 body",
            lambda s: request(
                f"{s}/sparql",
                data='ASK { ?s ?p "é" }'.encode("latin-1"),
                headers={"Content-Type": "application/sparql-query"},
            ),
        ),
        (
            "non-UTF-8 charset",
            lambda s: request(
                f"{s}/sparql",
                data=b"ASK {}",
                headers={"Content-Type": "application/sparql-query; charset=latin-1"},
            ),
        ),
        ("empty query", lambda s: request(f"{s}/sparql?query=")),
        ("syntax error", lambda s: get(s, "SELECT WHERE")),
    ],
)
def test_bad_requests_are_400_with_a_json_message(server: str, name: str, how) -> None:  # type: ignore[no-untyped-def]
    status, headers, body = how(server)
    assert status == 400, name
    assert headers["content-type"] == "application/json"
    message = json.loads(body)
    assert message["error"] and "Traceback" not in body.decode()


def test_no_outbound_requests_ever(server: str) -> None:
    listener = Listener()
    target = f"http://127.0.0.1:{listener.port}/data"
    try:
        status, _, body = get(server, f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}")
        assert status == 400 and "SERVICE" in json.loads(body)["error"]
        status, _, body = get(server, f"SELECT * FROM <{target}> WHERE {{ ?s ?p ?o }}")
        assert status == 200 and json.loads(body)["results"]["bindings"] == []
        status, _, _ = get(
            server, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": target}
        )
        assert status == 200
        status, _, _ = get(server, "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }")
        assert status == 200
        time.sleep(0.5)
        assert listener.connections == 0
    finally:
        listener.close()


# --- limits ------------------------------------------------------------------------------------


def test_body_too_large_is_413(server: str) -> None:
    query = "ASK { ?s ?p ?o } # " + "x" * 30_000
    status, _, _ = request(
        f"{server}/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 413


def test_url_too_long_is_414(server: str) -> None:
    status, _, _ = get(server, "ASK { ?s ?p ?o } # " + "x" * 5_000)
    assert status == 414


def test_deep_nesting_is_refused_and_the_server_survives(server: str) -> None:
    query = "SELECT * WHERE " + "{" * 5000 + "}" * 5000
    status, _, body = request(
        f"{server}/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert status == 400 and "nest" in json.loads(body)["error"]
    assert get(server, "ASK {}")[0] == 200


def test_an_answer_over_the_row_limit_is_an_error_not_a_cut(server: str) -> None:
    status, _, body = get(server, "SELECT * WHERE { ?s ?p ?o }")
    error = json.loads(body)
    assert status == 400 and f"more than {MAX_ROWS} rows" in error["error"]
    assert error["limit_rows"] == MAX_ROWS
    status, headers, body = get(server, f"SELECT * WHERE {{ ?s ?p ?o }} LIMIT {MAX_ROWS}")
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == MAX_ROWS
    assert "kzgraph-truncated" not in headers


def test_without_a_row_limit_the_whole_graph_comes_back(real_server: str) -> None:
    """The default: no row limit, so CONSTRUCT WHERE { ?s ?p ?o } is the whole default graph."""
    status, _, body = get(real_server, "CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples")
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    count_rows = get(real_server, distinct)[2]
    expected = int(json.loads(count_rows)["results"]["bindings"][0]["n"]["value"])
    assert status == 200 and len(body.decode().splitlines()) == expected


def test_timeout_stops_the_query_and_the_server_keeps_answering(server: str) -> None:
    started = time.monotonic()
    status, headers, body = get(server, HEAVY)
    elapsed = time.monotonic() - started
    assert status == 503 and headers["content-type"] == "application/json"
    assert json.loads(body)["timeout_seconds"] == TIMEOUT
    assert TIMEOUT <= elapsed < TIMEOUT + 5
    assert get(server, "ASK {}")[0] == 200


def test_a_slow_query_does_not_delay_others(server: str) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow = pool.submit(get, server, HEAVY)
        time.sleep(0.3)
        started = time.monotonic()
        status, _, _ = get(server, "ASK { ?s ?p ?o }")
        assert status == 200 and time.monotonic() - started < 1.5
        assert slow.result()[0] == 503


def test_fifty_concurrent_requests(server: str) -> None:
    queries = [f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s ?p ?o }} LIMIT {i + 1}" for i in range(50)]
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda q: get(server, q), queries))
    assert [r[0] for r in results] == [200] * 50
    assert len({count(r[2]) for r in results}) == 1


# --- headers and descriptions ------------------------------------------------------------------


def test_cors_etag_and_server_timing(server: str) -> None:
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": COUNT})
    status, headers, _ = request(url, headers={"Origin": "https://example.org"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in headers
    assert headers["cache-control"].startswith("public, max-age=")
    assert "total;dur=" in headers["server-timing"]
    status, _, body = request(url, headers={"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""


def test_service_description(server: str) -> None:
    status, headers, body = request(f"{server}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=body, format="turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    from rdflib import URIRef

    service = URIRef(f"{server}/sparql")
    assert (service, URIRef(sd + "endpoint"), service) in g
    text = body.decode()
    assert "SPARQL11Query" in text and "UnionDefaultGraph" in text
    assert ENTITIES in text and "owl-profile/RL" in text


def test_void_description(server: str) -> None:
    status, _, body = request(f"{server}/.well-known/void", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=body, format="turtle")
    assert status == 200 and len(g) > 10
    assert f"{server}/sparql" in body.decode() and REPORT in body.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("a long chain of negations", "ASK { FILTER(" + "!" * 10_000 + "true) }"),
        ("a long sum", "SELECT (" + "+".join(["1"] * 9_000) + " AS ?x) {}"),
        ("a long property path", "ASK { ?s " + "/".join(["<p>"] * 4_500) + " ?o }"),
    ],
)
def test_long_flat_chains_are_answered_without_crashing(server: str, name: str, query: str) -> None:
    """Such chains overflowed an 8 MiB stack and killed the worker; now they are evaluated (or
    run into the deadline like any slow query), and a crash would not pass for a timeout."""
    started = time.monotonic()
    status, _, body = request(
        f"{server}/sparql",
        data=query.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    if status == 503:
        assert time.monotonic() - started >= TIMEOUT, (name, body)
    else:
        assert status in (200, 400), (name, status, body[:200])
    assert get(server, "ASK {}")[0] == 200


def test_relative_iris_resolve_against_the_endpoint(server: str) -> None:
    status, _, body = get(server, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples")
    assert status == 200 and f"<{server}/s> <{server}/p>".encode() in body


def test_xml_cannot_carry_control_characters_so_406(server: str) -> None:
    query = 'SELECT ?v WHERE { BIND("a\\u0001b" AS ?v) }'
    status, _, body = get(server, query, "application/sparql-results+xml")
    assert status == 406 and "control character" in json.loads(body)["error"]
    status, _, body = get(server, query)
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["v"]["value"] == "a\x01b"


def _heavy_from(server: str, client: str) -> tuple[int, dict[str, str], bytes]:
    url = f"{server}/sparql?{urllib.parse.urlencode({'query': HEAVY})}"
    return request(url, headers={"X-Forwarded-For": client})


def test_two_slow_queries_of_two_clients_run_at_once(server: str) -> None:
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(_heavy_from, server, f"10.5.5.{n}") for n in range(2)]
        statuses = [run.result()[0] for run in runs]
    assert statuses == [503, 503]
    assert time.monotonic() - started < 2 * TIMEOUT, "the two queries ran one after the other"


def test_a_client_runs_one_long_query_at_a_time(server: str) -> None:
    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(_heavy_from, server, "10.6.6.6") for _ in range(2)]
        answers = [run.result() for run in runs]
    assert sorted(status for status, _, _ in answers) == [429, 503]
    _, headers, body = next(a for a in answers if a[0] == 429)
    assert "long-running query" in json.loads(body)["error"]
    assert headers["Retry-After"] == "5"


def test_each_query_is_logged_as_one_json_line(server: str, real_kg: KnowledgeGraph) -> None:
    marker = "SELECT ?logged WHERE { ?logged ?p ?o } LIMIT 1"
    assert get(server, marker)[0] == 200
    port = server.rsplit(":", 1)[1]
    log = real_kg.settings.build_dir.parent / f"server-{port}.log"
    time.sleep(0.2)
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith("{")]
    import hashlib

    digest = hashlib.sha256(marker.encode()).hexdigest()[:16]
    mine = [r for r in records if r.get("query_hash") == digest]
    assert mine and mine[-1]["outcome"] == "ok" and mine[-1]["rows"] == 1
    assert {"status", "duration_ms"} <= set(mine[-1])


def test_public_url_names_the_endpoint(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    with running_server(
        real_kg.settings.build_dir, public_url="https://kzgraph.example.org/"
    ) as url:
        _, _, body = request(f"{url}/sparql", headers={"Accept": "text/turtle"})
        assert b"<https://kzgraph.example.org/sparql>" in body

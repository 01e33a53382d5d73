"""``KZGRAPH_STORE``: the same API over a real `oxigraph serve` on 127.0.0.1, loaded by `kzgraph
push` (which writes the merge too) and served with the default KZGRAPH_STORE_UNION=merged (the
default graph is the merge of the graphs, each triple once); answers compared with the embedded
store's."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from pydantic import ValidationError

from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import GRAPH
from kzgraph.pipeline.stages import BuildResult
from kzgraph.settings import Settings, StoreUrls, parse_store
from kzgraph.site.reconcile import parse_batch
from kzgraph.store.client import Endpoint, StoreError, StoreHTTPError, post
from kzgraph.store.memory import GraphStore
from kzgraph.store.push import push_merge
from kzgraph.store.remote import default_size, graph_sizes, merged_size

from .server import fetch, free_port, run_cli, running_server, stop

KZ = "https://w3id.org/kzgraph/ontology#"
ONTOLOGY_GRAPH = str(GRAPH) + "ontology"
QUERY_TIMEOUT = 2.0
MAX_ROWS = 100
# the same question with each way of choosing the dataset: the merge, FROM, GRAPH, an ASK
DEFAULT_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
EVIDENCE_COUNT = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?e a <{KZ}Evidence> }}"
SAME_ANSWERS = [
    f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{KZ}Person> }}",
    DEFAULT_COUNT,
    EVIDENCE_COUNT,
    f"SELECT (COUNT(*) AS ?n) FROM <{ONTOLOGY_GRAPH}> WHERE {{ ?s ?p ?o }}",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    f"SELECT ?label WHERE {{ ?e a <{KZ}Event> ; <http://www.w3.org/2000/01/rdf-schema#label> "
    "?label } ORDER BY ?label LIMIT 20",
]
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?o . ?b ?q ?o . ?c ?r ?o }"


def _oxigraph() -> str:
    local = Path(sys.executable).parent / "oxigraph"
    found = str(local) if local.exists() else shutil.which("oxigraph")
    if found is None:
        pytest.skip("the 'oxigraph' command (PyPI package oxigraph, in the dev extras) is missing")
    return found


@pytest.fixture(scope="module")
def oxigraph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`oxigraph serve` on a free loopback port; its own timeout frees the heavy query's CPU."""
    folder = tmp_path_factory.mktemp("oxigraph")
    base = f"http://127.0.0.1:{free_port()}"
    command = [_oxigraph(), "serve", "--location", str(folder / "db")]
    command += ["--bind", base.removeprefix("http://"), "--timeout-s", "5"]
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    post(Endpoint(f"{base}/query"), b"ASK {}", "application/sparql-query", "*/*", 2)
                    break
                except StoreError:
                    if process.poll() is not None or time.monotonic() > deadline:
                        log.flush()
                        pytest.fail(
                            f"oxigraph did not start:\n{(folder / 'server.log').read_text()}"
                        )
                    time.sleep(0.1)
            yield base
        finally:
            stop(process)


def _kzgraph(
    *args: str, store: str, build: Path, union: str = "merged"
) -> subprocess.CompletedProcess[str]:
    env = {"KZGRAPH_STORE": store, "KZGRAPH_STORE_UNION": union}
    return run_cli(build, *args, env=env, timeout=300)


@pytest.fixture(scope="module")
def store(oxigraph: str, real_kg: KnowledgeGraph, real_build: BuildResult) -> str:
    """The real build, pushed with `kzgraph push` (in chunks small enough for several): the merge
    is written by default."""
    value = f"{oxigraph}/query {oxigraph}/update"
    build = real_kg.settings.build_dir
    done = _kzgraph("push", "--chunk", "2000", store=value, build=build)
    assert done.returncode == 0, done.stderr
    assert "done: the store" in done.stdout and "request(s)" in done.stdout
    assert "default graph: the merge of the graphs" in done.stdout
    return value


@pytest.fixture(scope="module")
def embedded(real_kg: KnowledgeGraph, real_build: BuildResult) -> GraphStore:
    return real_kg.open_store()


@pytest.fixture(scope="module")
def server(store: str, real_kg: KnowledgeGraph) -> Iterator[str]:
    settings = {
        "store": store,  # KZGRAPH_STORE_UNION: the default, merged
        "query_timeout": QUERY_TIMEOUT,
        "max_rows": MAX_ROWS,
    }
    with running_server(real_kg.settings.build_dir, **settings) as url:
        yield url


def _get(url: str, accept: str | None = None) -> tuple[int, dict[str, str], bytes]:
    return fetch(url, headers={"Accept": accept} if accept else {})


def _sparql(
    server: str, query: str, accept: str | None = None, **params: str
) -> tuple[int, dict[str, str], bytes]:
    fields = [("query", query), *((k.replace("_", "-"), v) for k, v in params.items())]
    return _get(f"{server}/sparql?" + urllib.parse.urlencode(fields), accept)


def _rows(body: bytes) -> list[dict[str, str]]:
    bindings = json.loads(body)["results"]["bindings"]
    return [{k: v["value"] for k, v in row.items()} for row in bindings]


def _embedded(kg: KnowledgeGraph, query: str) -> list[dict[str, str]]:
    """What `kzgraph serve` over the embedded store answers (its workers' evaluation)."""
    return _rows(kg.run_sparql(query, "application/sparql-results+json").body)


def test_push_loads_every_graph(store: str, embedded: GraphStore) -> None:
    query = Endpoint(parse_store(store).query)
    assert graph_sizes(query, str(GRAPH)) == embedded.graph_sizes()


@pytest.mark.parametrize("query", SAME_ANSWERS)
def test_same_answers_as_the_embedded_store(
    server: str, real_kg: KnowledgeGraph, query: str
) -> None:
    status, _, body = _sparql(server, query)
    assert status == 200, body
    assert _rows(body) == _embedded(real_kg, query)


def test_the_default_graph_is_the_merge(server: str, embedded: GraphStore) -> None:
    """Each triple once, as on the embedded store: the pushed merge queried with no union flag."""
    _, _, body = _sparql(server, DEFAULT_COUNT)
    assert _rows(body) == [{"n": str(embedded.merged_size())}]
    assert embedded.merged_size() < sum(embedded.graph_sizes().values())
    status, _, body = _get(f"{server}/health")
    assert status == 200 and json.loads(body)["triples"] == embedded.merged_size()


def test_default_graph_uri_selects_the_dataset(server: str, embedded: GraphStore) -> None:
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    ontology = embedded.graph_sizes()[ONTOLOGY_GRAPH]
    _, _, body = _sparql(server, count, default_graph_uri=ONTOLOGY_GRAPH)
    assert _rows(body) == [{"n": str(ontology)}]
    # named graphs only: the default graph is empty, GRAPH sees just the one named
    _, _, body = _sparql(server, count, named_graph_uri=ONTOLOGY_GRAPH)
    assert _rows(body) == [{"n": "0"}]
    in_graphs = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    _, _, body = _sparql(server, in_graphs, named_graph_uri=ONTOLOGY_GRAPH)
    assert _rows(body) == [{"g": ONTOLOGY_GRAPH, "n": str(ontology)}]


def test_a_timeout_fires_and_the_server_keeps_answering(server: str) -> None:
    started = time.monotonic()
    status, headers, body = _sparql(server, HEAVY)
    elapsed = time.monotonic() - started
    assert status == 503 and headers["content-type"] == "application/json", body
    assert json.loads(body)["timeout_seconds"] == QUERY_TIMEOUT
    assert QUERY_TIMEOUT <= elapsed < QUERY_TIMEOUT + 2.5
    status, _, body = _sparql(server, SAME_ANSWERS[0])
    assert status == 200 and int(_rows(body)[0]["n"]) > 50


def test_an_answer_over_the_row_limit_is_an_error(server: str) -> None:
    select = f"SELECT ?e WHERE {{ ?e a <{KZ}Evidence> }}"
    status, _, body = _sparql(server, select, accept="text/csv")
    assert status == 400 and f"more than {MAX_ROWS} rows" in json.loads(body)["error"]
    construct = f"CONSTRUCT {{ ?e a <{KZ}Evidence> }} WHERE {{ ?e a <{KZ}Evidence> }}"
    status, _, body = _sparql(server, construct, accept="application/n-triples")
    assert status == 400 and f"more than {MAX_ROWS} rows" in json.loads(body)["error"]
    status, headers, body = _sparql(server, select + f" LIMIT {MAX_ROWS}", accept="text/csv")
    assert status == 200 and len(body.decode().splitlines()) == MAX_ROWS + 1
    status, headers, _ = _sparql(server, f"ASK {{ ?e a <{KZ}Evidence> }}", accept="text/csv")
    assert status == 200 and "kzgraph-truncated" not in headers


def test_syntax_errors_are_400_with_line_and_column(server: str) -> None:
    status, _, body = _sparql(server, "SELECT ?x WHERE {\n  ?x ?y }")
    error = json.loads(body)
    assert status == 400 and error["error"] == "query syntax error"
    assert error["line"] == 2 and error["column"] > 1
    # a Virtuoso pragma (this one would make Virtuoso fetch URLs) never reaches the store
    status, _, body = _sparql(server, 'define get:soft "replace" SELECT * WHERE { ?s ?p ?o }')
    assert status == 400 and "PREFIX" in json.loads(body)["message"]


def test_health_lists_the_graphs(server: str, embedded: GraphStore) -> None:
    status, _, body = _get(f"{server}/health")
    health = json.loads(body)
    assert status == 200 and health["graphs"] == embedded.named_graphs()
    assert health["quads"] == len(embedded)


def test_union_by_naming_every_graph(
    store: str, real_kg: KnowledgeGraph, embedded: GraphStore
) -> None:
    """KZGRAPH_STORE_UNION=graphs (for Virtuoso and other stores) answers the same."""
    with running_server(real_kg.settings.build_dir, store=store, store_union="graphs") as url:
        for query in SAME_ANSWERS:
            if query in (DEFAULT_COUNT, EVIDENCE_COUNT):
                continue  # Oxigraph 0.5 unions the named default graphs as a bag: use 'merged'
            status, _, body = _sparql(url, query)
            assert status == 200 and _rows(body) == _embedded(real_kg, query), query


def test_a_wrong_union_setting_stops_the_server(store: str, real_kg: KnowledgeGraph) -> None:
    """With no merge pushed, oxigraph's own default graph is empty: 'native' and 'merged' are
    refused at start, not answer 0; a default graph that is not the merge is refused too."""
    urls = parse_store(store)
    query, update = Endpoint(urls.query), Endpoint(urls.update)
    build = real_kg.settings.build_dir
    try:
        post(update, b"DROP DEFAULT", "application/sparql-update", "*/*", 30).close()
        with (
            pytest.raises(RuntimeError, match="KZGRAPH_STORE_UNION=native"),
            running_server(build, store=store, store_union="native"),
        ):
            pass
        extra = b"INSERT DATA { <urn:x:s> <urn:x:p> <urn:x:o> }"
        post(update, extra, "application/sparql-update", "*/*", 30).close()
        with (
            pytest.raises(RuntimeError, match="run 'kzgraph push'"),
            running_server(build, store=store, store_union="merged"),
        ):
            pass
    finally:
        push_merge(query, update, str(GRAPH), 60)
    assert default_size(query) == merged_size(query, str(GRAPH))


def test_push_failures_name_the_url_status_and_message(
    oxigraph: str, real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    bad = f"{oxigraph}/query {oxigraph}/nowhere"
    done = _kzgraph("push", store=bad, build=real_kg.settings.build_dir)
    assert done.returncode == 1
    assert f"{oxigraph}/nowhere answered HTTP 404" in done.stderr and "not supported" in done.stderr


def test_the_store_setting_is_two_urls() -> None:
    assert parse_store(" http://a/q,http://a/u ") == StoreUrls("http://a/q", "http://a/u")
    assert Settings(store="http://a/q  https://b/u").store_urls() == StoreUrls(
        "http://a/q", "https://b/u"
    )
    assert Settings(store=" ").store is None
    for wrong in ("http://a/q", "http://a/q http://a/u http://a/v", "ftp://a/q http://a/u"):
        with pytest.raises(ValidationError, match="KZGRAPH_STORE"):
            Settings(store=wrong)


class _Redirecting(BaseHTTPRequestHandler):
    """Redirects every POST to another loopback host, or checks Basic credentials."""

    target = ""

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path.startswith("/auth"):
            if self.headers.get("Authorization") != "Basic dXNlcjpzM2NyZXQ=":  # user:s3cret
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="kz"')
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
            return
        self.send_response(307)
        self.send_header("Location", self.target)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_redirects_are_never_followed_and_credentials_are_hidden() -> None:
    seen: list[str] = []

    class Elsewhere(_Redirecting):
        def do_POST(self) -> None:
            seen.append(self.path)
            super().do_POST()

    other = ThreadingHTTPServer(("127.0.0.2", 0), Elsewhere)
    here = ThreadingHTTPServer(("127.0.0.1", 0), _Redirecting)
    _Redirecting.target = f"http://127.0.0.2:{other.server_address[1]}/auth"
    for httpd in (other, here):
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{here.server_address[1]}"
        with pytest.raises(StoreError, match="follows no redirects"):
            post(Endpoint.parse(f"{base}/query"), b"ASK {}", "application/sparql-query", "*/*", 5)
        assert seen == []
        with pytest.raises(StoreHTTPError) as refused:
            post(Endpoint.parse(f"{base}/auth"), b"", "application/sparql-query", "*/*", 5)
        assert refused.value.status == 401
        endpoint = Endpoint.parse(f"http://user:s3cret@127.0.0.1:{here.server_address[1]}/auth")
        assert "s3cret" not in endpoint.shown and endpoint.url == f"{base}/auth"
        with post(endpoint, b"", "application/sparql-query", "*/*", 5) as response:
            assert response.read() == b"ok"
    finally:
        for httpd in (other, here):
            httpd.shutdown()
            httpd.server_close()


# The site pages over the remote store (docs/decisions/0008-site-pages.md): the home page and the
# search index are read through the store, and agree with the embedded store's.
def test_home_page_and_search_over_the_store(server: str, real_kg: KnowledgeGraph) -> None:
    status, _, body = _get(f"{server}/", accept="text/html")
    assert status == 200
    for report in real_kg.site.overview().reports:
        assert report.sha256[:12] in body.decode()
    for query in ("Bokayev", "tokaev", "Mamai"):
        status, _, body = _get(f"{server}/search?" + urllib.parse.urlencode({"q": query}))
        assert status == 200
        remote = json.loads(body)["results"]
        local = real_kg.site.search_index().search(query)
        assert [r["iri"] for r in remote] == [h.entity.iri for h in local], query


def test_reconciliation_over_the_store(server: str, real_kg: KnowledgeGraph) -> None:
    """/reconcile reads the index, the classes and the descriptions through the store too."""
    queries = json.dumps(
        {
            "a": {"query": "Бокаев"},
            "b": {"query": "Almaty", "type": "https://w3id.org/kzgraph/ontology#Organization"},
            "c": {"query": "criminal code", "limit": 3},
        }
    )
    status, _, body = _get(f"{server}/reconcile?" + urllib.parse.urlencode({"queries": queries}))
    assert status == 200
    local = real_kg.site.reconciler().reconcile(parse_batch(queries))
    assert json.loads(body) == local and local["c"]["result"][0].get("description")


def test_the_graph_store_reads_a_graph_of_the_remote_store(
    server: str, real_kg: KnowledgeGraph
) -> None:
    graph = "https://w3id.org/kzgraph/graph/report/hrw-world-report-2022"
    status, headers, body = _get(
        f"{server}/store?{urllib.parse.urlencode({'graph': graph})}", "application/n-triples"
    )
    assert status == 200 and headers["content-type"].startswith("application/n-triples")
    stored = real_kg.open_store().graph_sizes()[graph]
    assert len(set(body.decode().splitlines())) == stored


def test_the_cli_queries_the_remote_store_it_is_given(
    store: str, embedded: GraphStore, tmp_path: Path
) -> None:
    """One core for every front door: with KZGRAPH_STORE, `kzgraph sparql` and `kzgraph query`
    answer from the store, with no build of their own (an empty build folder)."""
    count = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
    done = _kzgraph("sparql", count, "--format", "csv", store=store, build=tmp_path, union="merged")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["n", str(embedded.merged_size())]
    canned = _kzgraph(
        "query", "sentences", "--format", "csv", store=store, build=tmp_path, union="merged"
    )
    assert canned.returncode == 0, canned.stderr
    assert len(canned.stdout.splitlines()) > 1
    local = _kzgraph("sparql", count, store="", build=tmp_path)
    assert local.returncode == 1 and "run 'kzgraph build' first" in local.stderr


@pytest.mark.parametrize("how", ["FROM", "default-graph-uri"])
def test_several_default_graphs_are_refused_not_counted_twice(server: str, how: str) -> None:
    """A remote server unions several default graphs as a bag; rather than a count that is
    silently too large, the client gets a 400 that says why and what to do instead."""
    graphs = [ONTOLOGY_GRAPH, ONTOLOGY_GRAPH.replace("/ontology", "/entities")]
    if how == "FROM":
        froms = " ".join(f"FROM <{g}>" for g in graphs)
        status, _, body = _sparql(server, f"SELECT (COUNT(*) AS ?n) {froms} {{ ?s ?p ?o }}")
    else:
        fields = [("query", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")]
        fields += [("default-graph-uri", g) for g in graphs]
        status, _, body = _get(f"{server}/sparql?" + urllib.parse.urlencode(fields))
    assert status == 400
    message = json.loads(body)["message"]
    assert "once per graph" in message and "name one graph" in message
    one = _sparql(server, f"SELECT (COUNT(*) AS ?n) FROM <{graphs[0]}> {{ ?s ?p ?o }}")
    assert one[0] == 200

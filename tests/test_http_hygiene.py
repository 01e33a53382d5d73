"""The smaller gaps of the reliability audit (../shared/audits/reliability-2026-12.md, finding 9),
each attacked as the audit did against a real ``kzgraph serve`` on 127.0.0.1 over the real build:
raw sockets where the attack is below HTTP (a 1 MB request line, trickled headers, two body
lengths), plain requests otherwise."""

from __future__ import annotations

import http.client
import json
import socket
import time
from collections.abc import Iterator
from urllib.parse import quote

import pytest

from kzgraph.core import KnowledgeGraph

from .server import fetch, running_server

HTML = {"Accept": "text/html"}


def _raw(url: str, request: bytes, timeout: float = 10) -> bytes:
    """Send raw bytes, read the answer until the server closes (or the timeout)."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        return _read_all(sock)


def _read_all(sock: socket.socket) -> bytes:
    chunks = []
    while True:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def _body(answer: bytes) -> dict[str, object]:
    body: dict[str, object] = json.loads(answer.split(b"\r\n\r\n", 1)[1])
    return body


def test_a_1_mb_url_is_a_414_the_client_can_read(real_server: str) -> None:
    for path in ("/sparql?query=", "/search?q=", "/id/person/"):
        answer = _raw(
            real_server, f"GET {path}{'a' * 1_000_000} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
        )
        assert _status(answer) == 414, answer[:200]
        assert "request line is longer than" in str(_body(answer)["error"])


def test_a_huge_header_is_a_431(real_server: str) -> None:
    answer = _raw(
        real_server, b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 100_000 + b"\r\n\r\n"
    )
    assert _status(answer) == 431
    assert "headers are larger than" in str(_body(answer)["error"])


def test_malformed_http_is_a_400_in_the_error_shape(real_server: str) -> None:
    answer = _raw(real_server, b"GET /health HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n")
    assert _status(answer) == 400 and "error" in _body(answer)


def test_content_length_and_transfer_encoding_together_are_a_400(real_server: str) -> None:
    body = b"query=ASK%7B%7D"
    request = (
        b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: %d\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n0\r\n\r\n"
        % (len(body), len(body), body)
    )
    answer = _raw(real_server, request)
    assert _status(answer) == 400, answer[:300]
    assert b"connection: close" in answer.lower()
    assert "both Content-Length and Transfer-Encoding" in str(_body(answer)["error"])


@pytest.fixture(scope="module")
def impatient(real_kg: KnowledgeGraph) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir, header_timeout=1) as url:
        yield url


def test_trickled_headers_are_cut_off_after_the_header_timeout(impatient: str) -> None:
    """Slowloris: one header byte every 0.3 s. The server answers 408 and closes after 1 s."""
    host, port = impatient.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        closed_after = None
        for _ in range(20):
            try:
                sock.sendall(b"a")
            except OSError:
                closed_after = time.monotonic() - started
                break
            time.sleep(0.3)
            sock.setblocking(False)
            try:
                peek = sock.recv(65536, socket.MSG_PEEK)
            except BlockingIOError:
                peek = None
            sock.setblocking(True)
            if peek is not None:
                closed_after = time.monotonic() - started
                break
        assert closed_after is not None and closed_after < 3, closed_after
        answer = _read_all(sock)
    assert _status(answer) == 408
    assert "KZGRAPH_HEADER_TIMEOUT" in str(_body(answer)["error"])


def test_an_idle_connection_is_closed_after_the_header_timeout(impatient: str) -> None:
    host, port = impatient.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        started = time.monotonic()
        _read_all(sock)
        assert time.monotonic() - started < 3


def test_a_keep_alive_connection_serves_requests_within_the_timeout(impatient: str) -> None:
    """The timer covers only the head: a connection reused for several requests is unaffected."""
    host, port = impatient.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        for _ in range(3):
            connection.request("GET", "/health")
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            time.sleep(0.6)
        assert connection.sock is not None  # the same connection throughout
    finally:
        connection.close()


@pytest.mark.parametrize(
    "path",
    [
        "/sparql?query=ASK%FF%7B%7D",
        "/sparql?query=ASK%7B%7D&default-graph-uri=%FF",
        "/queries/charges-by-article?article=%FF",
        "/search?q=Bok%FFayev",
        "/search?q%FF=x",
        "/id/person/a%FFb",
    ],
)
def test_a_percent_escape_that_is_not_utf8_is_a_400_naming_the_byte(
    real_server: str, path: str
) -> None:
    status, _, body = fetch(real_server + path)
    assert status == 400, body
    assert "%FF" in json.loads(body)["error"] and "not UTF-8" in json.loads(body)["error"]


def test_a_form_with_a_percent_escape_that_is_not_utf8_is_a_400(real_server: str) -> None:
    status, _, body = fetch(
        f"{real_server}/sparql",
        data=b"query=ASK%FF%7B%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 400
    assert (
        "request body is not UTF-8: the value of 'query' has the byte %FF"
        in json.loads(body)["error"]
    )


@pytest.mark.parametrize("name", ["a%20b", "a%00b", "a%3Cb%3E"])
def test_an_iri_that_cannot_be_is_a_404_page_for_a_browser(real_server: str, name: str) -> None:
    status, headers, body = fetch(f"{real_server}/id/person/{name}", headers=HTML)
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert b"not a valid IRI" in body
    status, headers, body = fetch(f"{real_server}/id/person/{name}")
    assert status == 404 and "not a valid IRI" in json.loads(body)["error"]


def test_the_host_header_is_never_written_back(real_server: str) -> None:
    evil = {"Host": "evil.example"}
    for path, accept in [
        ("/sparql", "text/turtle"),
        ("/.well-known/void", "text/turtle"),
        ("/id/person/max-bokaev", "text/turtle"),
        ("/ontology", "text/turtle"),
        ("/health", "application/json"),
        ("/dumps/", "application/json"),
    ]:
        status, headers, body = fetch(real_server + path, headers={**evil, "Accept": accept})
        assert status == 200, path
        everything = body + str(sorted(headers.items())).encode()
        assert b"evil.example" not in everything, path
    _, _, description = fetch(f"{real_server}/sparql", headers={**evil, "Accept": "text/turtle"})
    assert f"<{real_server}/sparql>".encode() in description


def test_no_server_header(real_server: str) -> None:
    _, headers, _ = fetch(f"{real_server}/health")
    assert "server" not in headers


def test_head_works_wherever_get_does(real_server: str) -> None:
    for path in (
        "/sparql?query=" + quote("ASK {}"),
        "/sparql",
        "/queries/charges-by-article.csv",
        "/search?q=Bokayev",
        "/id/person/max-bokaev",
        "/health",
        "/",
    ):
        get_status, get_headers, get_body = fetch(real_server + path)
        status, headers, body = fetch(real_server + path, method="HEAD")
        assert (status, body) == (get_status, b""), path
        assert headers["Content-Type"] == get_headers["Content-Type"], path
        assert headers.get("ETag") == get_headers.get("ETag"), path
        assert int(headers["Content-Length"]) == len(get_body), path


def test_rdfxml_that_cannot_be_written_is_a_406_that_says_why(real_server: str) -> None:
    query = "CONSTRUCT { <http://example.org/s> <http://a/> 1 } WHERE {}"
    status, _, body = fetch(
        f"{real_server}/sparql?query={quote(query)}", headers={"Accept": "application/rdf+xml"}
    )
    assert status == 406
    assert "RDF/XML cannot write the predicate <http://a/>" in json.loads(body)["error"]
    status, _, body = fetch(
        f"{real_server}/sparql?query={quote(query)}", headers={"Accept": "text/turtle"}
    )
    assert status == 200 and b"<http://a/>" in body


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/search?q=x&limit=0", 422),
        ("GET", "/search?q=x&limit=many", 422),
        ("POST", "/health", 405),
        ("DELETE", "/queries", 405),
        ("POST", "/no/such/thing", 405),  # every other path is a GET: a resource IRI
        ("GET", "/id/person/nobody-at-all", 404),
    ],
)
def test_errors_come_in_one_shape(real_server: str, method: str, path: str, status: int) -> None:
    got, _, body = fetch(real_server + path, method=method, data=b"" if method == "POST" else None)
    assert got == status, body
    answer = json.loads(body)
    assert isinstance(answer["error"], str) and "detail" not in answer, answer


def test_the_admin_route_checks_the_token_before_the_parameters(real_server: str) -> None:
    """Without KZGRAPH_ADMIN_TOKEN: 403 whatever the parameters (the audit's ?dry_run=null)."""
    status, _, body = fetch(f"{real_server}/admin/reports?dry_run=null", data=b"", method="POST")
    assert status == 403 and "KZGRAPH_ADMIN_TOKEN" in json.loads(body)["error"]


def test_dataset_parameters_without_a_query_are_a_400_not_ignored(real_server: str) -> None:
    """The audit's ST201: ``GET /sparql?default-graph-uri=true`` answered the service
    description and ignored the parameter."""
    for parameter in ("default-graph-uri", "named-graph-uri"):
        status, _, body = fetch(f"{real_server}/sparql?{parameter}=true")
        assert status == 400 and "give a 'query' too" in json.loads(body)["error"]
    status, _, _ = fetch(f"{real_server}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200

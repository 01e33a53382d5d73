"""No outbound request by construction, and query processes that die with the server: a loopback
listener that must see no connection, the query processes' descriptors read from /proc, and a
`kill -9` of the server followed by a restart on the same port."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.guard import QueryRefused, inspect_query
from kzgraph.sparql.workers import Job, WorkerPool

from .server import Listener, fetch, free_port, server_process

JSON = "application/sparql-results+json"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def disguises(target: str) -> dict[str, str]:
    """SERVICE calls written every way an attacker has tried (the audit's and more)."""
    host = target.rsplit("/", 1)[0] + "/"
    return {
        "plain": f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "variable named prefix": (
            f"SELECT ?x WHERE {{ ?s ?p ?prefix SERVICE <{target}> {{ ?x ?p2 ?o }} }} LIMIT 1"
        ),
        "bound ?base": f"SELECT * {{ {{ BIND(1 AS ?base) }} SERVICE <{target}> {{ ?s ?p ?o }} }}",
        "silent": f"SELECT * {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        "lower case": f"select * {{ service <{target}> {{ ?s ?p ?o }} }}",
        "comment between": f"SELECT * {{ SERVICE # why not\n <{target}> {{ ?s ?p ?o }} }}",
        "no spaces": f"SELECT * {{ ?s ?p ?o.SERVICE<{target}>{{ ?s ?p ?o }} }}",
        "language tag @base": (f'SELECT * {{ ?s ?p "x"@base SERVICE <{target}> {{ ?s ?p ?o }} }}'),
        "prefix label base:": (
            "PREFIX base: <http://example.org/> SELECT * { ?s ?p base: "
            f"SERVICE <{target}> {{ ?s ?p ?o }} }}"
        ),
        "prefixed name": f"PREFIX t: <{host}> SELECT * {{ SERVICE t:x {{ ?s ?p ?o }} }}",
        "empty prefix": f"PREFIX : <{host}> SELECT * {{ SERVICE :x {{ ?s ?p ?o }} }}",
        "relative to BASE": f"BASE <{host}> SELECT * {{ SERVICE <x> {{ ?s ?p ?o }} }}",
        "in a subquery": f"SELECT * {{ {{ SELECT * {{ SERVICE <{target}> {{ ?s ?p ?o }} }} }} }}",
        "in EXISTS": (
            f"SELECT * {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{target}> {{ ?a ?b ?c }} }} }}"
        ),
        "on a variable": (f"SELECT * {{ VALUES ?u {{ <{target}> }} SERVICE ?u {{ ?s ?p ?o }} }}"),
        "read as an IRI by a scanner": (
            f"SELECT * {{ VALUES ?u {{ <{target}> }} FILTER(1<2)SERVICE?u#>\n{{ ?s ?p ?o }} }}"
        ),
        "\\u escape in the keyword": f"SELECT * {{ SERV\\u0049CE <{target}> {{ ?s ?p ?o }} }}",
        "\\u escape in the IRI": (
            f"SELECT * {{ SERVICE <{target[:-1]}\\u{ord(target[-1]):04X}> {{ ?s ?p ?o }} }}"
        ),
    }


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    listening = Listener()
    yield listening
    listening.close()


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with server_process(real_kg.settings.build_dir, query_timeout=2.0) as (url, _):
        yield url


@pytest.mark.parametrize("name", list(disguises("http://127.0.0.1:1/x")))
def test_every_disguise_of_service_is_refused_and_nothing_connects(
    server: str, listener: Listener, name: str
) -> None:
    query = disguises(f"http://127.0.0.1:{listener.port}/x")[name]
    before = listener.connections
    for how in ("get", "form", "direct"):
        if how == "get":
            url = f"{server}/sparql?{urllib.parse.urlencode({'query': query})}"
            status, _, body = fetch(url)
        elif how == "form":
            data = urllib.parse.urlencode({"query": query}).encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            status, _, body = fetch(f"{server}/sparql", data=data, headers=headers)
        else:
            headers = {"Content-Type": "application/sparql-query"}
            status, _, body = fetch(f"{server}/sparql", data=query.encode(), headers=headers)
        assert status == 400, (how, body)
        assert "SERVICE" in json.loads(body)["error"], (how, body)
    time.sleep(0.3)
    assert listener.connections == before


@pytest.mark.parametrize(
    "query",
    [
        "PREFIX sd: <http://www.w3.org/ns/sparql-service-description#> "
        "SELECT * { ?s a sd:Service ; sd:endpoint ?e }",
        "PREFIX service: <http://example.org/> SELECT * { ?s service:p ?o }",
        "SELECT ?service { ?service ?p 'SERVICE' }",
        "SELECT * { ?s <http://example.org/service/x> ?o }",
    ],
)
def test_queries_that_only_name_a_service_are_not_refused(query: str) -> None:
    inspect_query(query)


def test_the_nesting_check_is_not_fooled_by_a_comparison_read_as_an_iri() -> None:
    with pytest.raises(QueryRefused, match="nest"):
        inspect_query("SELECT * { FILTER(1<" + "(" * 45_000 + "1" + ")" * 45_000 + "&&2>1) }")


def test_a_query_process_cannot_reach_the_network_even_past_the_guard(listener: Listener) -> None:
    """The SERVICE query goes straight to the pool, as if the guard had been fooled."""
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("http://a/s"), ox.NamedNode("http://a/p"), ox.Literal("o")))
    pool = WorkerPool(store, 1)
    pool.start()
    try:
        before = listener.connections
        for query in disguises(f"http://127.0.0.1:{listener.port}/x").values():
            outcome = pool.run(Job(query, JSON, 10), 5)
            assert b"SSRF" not in outcome.body  # SERVICE SILENT answers one empty solution
        answer = pool.run(Job("SELECT * { ?s ?p ?o }", JSON, 10), 5)
        assert answer.rows == 1
        time.sleep(0.3)
        assert listener.connections == before
    finally:
        pool.close()


def test_forbid_network_refuses_sockets_but_keeps_existing_pipes() -> None:
    script = (
        "import socket\n"
        "from kzgraph.sparql.sandbox import forbid_network\n"
        "a, b = socket.socketpair()\n"
        "forbid_network()\n"
        "a.sendall(b'x'); assert b.recv(1) == b'x'\n"
        "for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX):\n"
        "    try:\n"
        "        socket.socket(family)\n"
        "    except PermissionError:\n"
        "        continue\n"
        "    raise SystemExit(f'{family} allowed')\n"
        "print('confined')\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0 and run.stdout.strip() == "confined", run.stderr


# --- the processes --------------------------------------------------------------------------


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry.name))
    found: list[int] = []
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def tcp_inodes() -> set[str]:
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as rows:
            for row in list(rows)[1:]:
                inodes.add(row.split()[9])
    return inodes


def tcp_sockets_of(pid: int) -> list[str]:
    tcp = tcp_inodes()
    held = []
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:[") and target[8:-1] in tcp:
            held.append(target)
    return held


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_query_processes_hold_no_tcp_socket_even_after_a_respawn(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    with server_process(real_kg.settings.build_dir, query_timeout=1.0) as (url, process):
        # a keep-alive connection open while a worker is replaced
        idle = socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])))
        heavy = urllib.parse.urlencode({"query": HEAVY})
        assert fetch(f"{url}/sparql?{heavy}")[0] == 503  # the worker is killed and replaced
        helpers = descendants(process.pid)
        assert len(helpers) >= 3, helpers  # the forking process and two workers
        for pid in helpers:
            assert tcp_sockets_of(pid) == [], f"query process {pid} holds a TCP socket"
        idle.close()


def test_a_timed_out_request_with_connection_close_is_closed(server: str) -> None:
    host, port = server.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=20) as conn:
        target = "/sparql?" + urllib.parse.urlencode({"query": HEAVY})
        conn.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        started = time.monotonic()
        received = b""
        while chunk := conn.recv(65536):
            received += chunk
        assert received.startswith(b"HTTP/1.1 503")
        assert time.monotonic() - started < 10, "the connection was not closed after the answer"


def test_kill_9_of_the_server_takes_its_query_processes_and_frees_the_port(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    port = free_port()
    with server_process(real_kg.settings.build_dir, port=port) as (_, process):
        helpers = descendants(process.pid)
        assert helpers
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while any(alive(pid) for pid in helpers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in helpers if alive(pid)], "query processes outlived the server"
    with server_process(real_kg.settings.build_dir, port=port) as (again, _):
        status, _, body = fetch(f"{again}/sparql?query=ASK%7B%7D")
        assert status == 200 and json.loads(body)["boolean"] is True

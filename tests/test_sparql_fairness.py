"""Fair under abuse and bounded in memory: the client ledger on its own, then a real server
under two clients that send deadline-length queries beside eight cheap ones, clients that do not
read large answers, and queries whose answers or working memory pass the limits. Every load loop
is bounded in time and talks to 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzgraph.build import BuildResult
from kzgraph.core import KnowledgeGraph
from kzgraph.sparql.fairness import ClientLedger, FairnessPolicy, Throttled

from .server import fetch, server_process

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
LOOKUP = (
    "SELECT ?p ?o WHERE { <https://w3id.org/kzgraph/id/person/zhanbolat-mamay> ?p ?o } LIMIT 50"
)


def doubling(times: int, seed: int = 100) -> str:
    """A one-row SELECT whose value is ``seed`` characters doubled ``times`` times."""
    binds = [f'BIND("{"x" * seed}" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return f"SELECT ?v{times} WHERE {{ {' '.join(binds)} }}"


# --- the ledger ---------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_client_over_its_budget_waits_until_its_charges_leave_the_window() -> None:
    clock = Clock()
    ledger = ClientLedger(FairnessPolicy(budget_seconds=10, window_seconds=60), clock)

    async def scenario() -> None:
        for seconds in (4.0, 4.0, 4.0):
            await ledger.admit("a", 1)
            clock.now += seconds
            ledger.release("a", seconds)
        with pytest.raises(Throttled) as refused:
            await ledger.admit("a", 1)
        # 12 s spent; the first 4 s charge (ended at 1004) must leave: at 1064, 52 s from now
        assert refused.value.retry_after == 52
        await ledger.admit("b", 1)  # another client is not affected
        ledger.release("b", 0.1)
        clock.now += 52
        await ledger.admit("a", 1)

    asyncio.run(scenario())


def test_a_client_beyond_its_slots_waits_then_is_refused() -> None:
    ledger = ClientLedger(FairnessPolicy(max_in_flight=2))

    async def scenario() -> None:
        await ledger.admit("a", 1)
        await ledger.admit("a", 1)
        with pytest.raises(Throttled, match="too many queries at once"):
            await ledger.admit("a", 0.2)
        waiting = asyncio.create_task(ledger.admit("a", 5))
        await asyncio.sleep(0.05)
        assert not waiting.done()
        ledger.release("a", 0.01)
        await asyncio.wait_for(waiting, 1)

    asyncio.run(scenario())


# --- a server under load ------------------------------------------------------------------------


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Load:
    """Clients in threads, each with its own forwarded address, until ``stop`` is set."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.stop = threading.Event()
        self.cheap: list[tuple[float, int]] = []  # (seconds, status)
        self.abusive: list[int] = []
        self.threads: list[threading.Thread] = []

    def _cheap(self, n: int) -> None:
        paths = [
            ("/sparql?" + urllib.parse.urlencode({"query": LOOKUP}), "application/json"),
            ("/queries/officials-held-accountable.json", "*/*"),
            ("/id/person/zhanbolat-mamay", "text/turtle"),
        ]
        i = n
        while not self.stop.is_set():
            started = time.monotonic()
            path, accept = paths[i % 3]
            status, _, _ = fetch(
                self.url + path,
                headers={"X-Forwarded-For": f"10.0.0.{n}", "Accept": accept},
                timeout=30,
            )
            self.cheap.append((time.monotonic() - started, status))
            i += 1

    def _abusive(self, n: int) -> None:
        path = "/sparql?" + urllib.parse.urlencode({"query": HEAVY})
        while not self.stop.is_set():
            status, _, _ = fetch(
                self.url + path, headers={"X-Forwarded-For": f"10.9.9.{n}"}, timeout=30
            )
            self.abusive.append(status)
            if status == 429:
                time.sleep(0.2)

    def run(self, cheap: int, abusive: int, seconds: float) -> None:
        self.threads = [
            threading.Thread(target=self._cheap, args=(n,), daemon=True) for n in range(cheap)
        ] + [threading.Thread(target=self._abusive, args=(n,), daemon=True) for n in range(abusive)]
        for thread in self.threads:
            thread.start()
        time.sleep(seconds)
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=35)


@pytest.fixture(scope="module")
def loaded(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[tuple[str, int]]:
    with server_process(
        real_kg.settings.build_dir,
        query_timeout=10,
        workers=2,
        slow_after=0.5,
        slow_lane=4,
        client_header="X-Forwarded-For",
        max_answer_bytes=64 * 1024 * 1024,
        worker_memory=768,
        send_timeout=2,
    ) as (url, process):
        yield url, process.pid


@pytest.mark.slow
def test_cheap_clients_keep_their_throughput_beside_two_abusive_ones(
    loaded: tuple[str, int],
) -> None:
    url, _ = loaded
    Load(url).run(cheap=8, abusive=0, seconds=2)  # warm up
    before, beside, after = Load(url), Load(url), Load(url)
    before.run(cheap=8, abusive=0, seconds=5)
    beside.run(cheap=8, abusive=2, seconds=12)
    after.run(cheap=8, abusive=0, seconds=5)
    rate_alone = (len(before.cheap) + len(after.cheap)) / 10
    rate_beside = len(beside.cheap) / 12
    times = sorted(t for t, _ in beside.cheap)
    p99 = times[int(len(times) * 0.99) - 1]
    quiet = sorted(t for t, _ in before.cheap + after.cheap)
    p99_alone = quiet[int(len(quiet) * 0.99) - 1]
    failures = [s for _, s in beside.cheap if s != 200]
    report = (
        f"alone {rate_alone:.0f}/s, beside {rate_beside:.0f}/s "
        f"({rate_beside / rate_alone:.0%}), p50 {statistics.median(times) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms (alone {p99_alone * 1000:.0f} ms), "
        f"abusive statuses {sorted(set(beside.abusive))}"
    )
    print(report)
    assert not failures, report
    assert beside.abusive and set(beside.abusive) <= {503, 429}, report
    assert rate_beside >= 0.8 * rate_alone, report
    # the target is p99 < 1 s; on a machine so busy that the cheap clients alone pass 2/3 s,
    # the abusive ones may add no more than half again
    assert p99 < max(1.0, 1.5 * p99_alone), report


@pytest.mark.slow
def test_answers_over_the_byte_limit_are_an_error_that_says_so(loaded: tuple[str, int]) -> None:
    url, _ = loaded
    query = urllib.parse.urlencode({"query": doubling(20)})  # 100 MiB of one value
    status, _, body = fetch(f"{url}/sparql?{query}", headers={"X-Forwarded-For": "10.1.1.1"})
    message = json.loads(body)
    assert status == 400 and "bytes" in message["error"], message
    assert message["limit_bytes"] == 64 * 1024 * 1024


@pytest.mark.slow
def test_a_query_over_the_worker_memory_is_stopped_with_a_clear_error(
    loaded: tuple[str, int],
) -> None:
    url, _ = loaded
    query = urllib.parse.urlencode({"query": doubling(23)})  # 800 MiB, over the 768 MiB cap
    status, _, body = fetch(f"{url}/sparql?{query}", headers={"X-Forwarded-For": "10.1.1.2"})
    assert status == 400 and "memory" in json.loads(body)["error"], body
    assert fetch(f"{url}/sparql?query=ASK%7B%7D")[0] == 200


@pytest.mark.slow
def test_clients_that_do_not_read_large_answers_pin_no_memory(loaded: tuple[str, int]) -> None:
    url, pid = loaded
    host, port = url.removeprefix("http://").split(":")
    target = "/sparql?" + urllib.parse.urlencode({"query": doubling(19)})  # 50 MiB answers
    before = rss_mib(pid)
    sockets = []
    try:
        for n in range(8):
            conn = socket.create_connection((host, int(port)), timeout=30)
            request = f"GET {target} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.2.2.{n}\r\n\r\n"
            conn.sendall(request.encode())
            sockets.append(conn)
        peak = before
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline:
            peak = max(peak, rss_mib(pid))
            time.sleep(0.1)
        assert peak < 600, f"the server grew from {before:.0f} to {peak:.0f} MiB"
        # the send timeout (2 s) has ended each answer: what is left to read is what the
        # sockets buffered, far short of the 50 MiB answer, then the server closes
        for conn in sockets:
            received, ends = 0, time.monotonic() + 20
            while (chunk := conn.recv(1 << 20)) and time.monotonic() < ends:
                received += len(chunk)
            assert not chunk and received < 40 * 1024 * 1024, received
        print(f"main process: {before:.0f} MiB before, {peak:.0f} MiB peak")
    finally:
        for conn in sockets:
            conn.close()
    assert fetch(f"{url}/sparql?query=ASK%7B%7D")[0] == 200


@pytest.mark.slow
def test_a_large_answer_read_in_full_is_complete(loaded: tuple[str, int]) -> None:
    url, _ = loaded
    query = urllib.parse.urlencode({"query": doubling(15)})  # 3.2 MB: spooled and streamed
    status, headers, body = fetch(f"{url}/sparql?{query}", headers={"X-Forwarded-For": "10.3.3.3"})
    assert status == 200 and int(headers["content-length"]) == len(body)
    value = json.loads(body)["results"]["bindings"][0]["v15"]["value"]
    assert value == "x" * (100 * 2**15)

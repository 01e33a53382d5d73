"""Fair under abuse and bounded in memory: the client ledger on its own, then a real server
under two clients that send deadline-length queries beside eight cheap ones, clients that do not
read large answers, and queries whose answers or working memory pass the limits. Every load loop
is bounded in time and talks to 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import json
import select
import socket
import time
import urllib.parse
from collections.abc import Iterator

import pytest
from bench.abuse import HEAVY, LOOKUP, SITE_PATHS, Load, doubling, rss_mib

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.fairness import ClientLedger, FairnessPolicy, Throttled

from .server import fetch, server_process

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
    """The issue's target: eight clients doing cheap lookups keep 80% of their throughput and
    p99 < 1 s beside two clients sending deadline-length queries without pause. (The heavier
    mix of lookups, canned queries and entity pages is measured by bench.abuse.)"""
    url, _ = loaded
    heavy = "/sparql?" + urllib.parse.urlencode({"query": HEAVY})
    lookups = [("/sparql?" + urllib.parse.urlencode({"query": LOOKUP}), "application/json")]
    Load(url, lookups, heavy).run(8, 0, 2)  # warm up
    before = Load(url, lookups, heavy).run(8, 0, 6)
    beside = Load(url, lookups, heavy).run(8, 2, 12)
    after = Load(url, lookups, heavy).run(8, 0, 6)
    rate_alone = (len(before.cheap) + len(after.cheap)) / 12
    rate_beside = beside.rate(12)
    p99, p99_alone = beside.percentile(0.99), max(before.percentile(0.99), after.percentile(0.99))
    report = (
        f"alone {rate_alone:.0f}/s, beside {rate_beside:.0f}/s "
        f"({rate_beside / rate_alone:.0%}), p50 {beside.percentile(0.5) * 1000:.0f} ms, "
        f"p99 {p99 * 1000:.0f} ms (alone {p99_alone * 1000:.0f} ms), "
        f"abusive statuses {sorted(set(beside.abusive))}"
    )
    print(report)
    assert not beside.failures(), report
    assert beside.abusive and set(beside.abusive) <= {503, 429}, report
    assert rate_beside >= 0.8 * rate_alone, report
    # the target is p99 < 1 s; on a machine so busy that the cheap clients alone pass 2/3 s,
    # the abusive ones may add no more than half again
    assert p99 < max(1.0, 1.5 * p99_alone), report


@pytest.mark.slow
def test_site_pages_keep_working_beside_two_abusive_clients(loaded: tuple[str, int]) -> None:
    """Canned queries and entity pages are served, none fails, while the abusers wait."""
    url, _ = loaded
    heavy = "/sparql?" + urllib.parse.urlencode({"query": HEAVY})
    beside = Load(url, SITE_PATHS, heavy).run(4, 2, 6)
    assert beside.cheap and not beside.failures(), sorted({s for _, s in beside.cheap})


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
        # until every answer has started (two workers make them in turn), then past the send
        # timeout (2 s) with nothing read: the server must have given up on each
        peak, started = before, 0.0
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline and (not started or time.monotonic() < started + 3):
            peak = max(peak, rss_mib(pid))
            waiting = [c for c in sockets if not select.select([c], [], [], 0)[0]]
            if not waiting and not started:
                started = time.monotonic()
            time.sleep(0.1)
        assert started, "not every answer started within 40 s"
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

"""The worker pool's lanes, limits and spool, on a small store of its own (no server)."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.sparql.workers import (
    SPOOL_ABOVE,
    Job,
    QueryTimeout,
    SlowLaneFull,
    WorkerLimits,
    WorkerPool,
)

JSON = "application/sparql-results+json"
# 300 triples: a four-way product is 8 billion rows, far more than any deadline here
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHEAP = "ASK { ?s ?p ?o }"


@pytest.fixture
def pool() -> Iterator[WorkerPool]:
    store = ox.Store()
    p = ox.NamedNode("http://example.org/p")
    store.extend(
        ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, ox.Literal(i)) for i in range(300)
    )
    workers = WorkerPool(store, 1, WorkerLimits(512 * 2**20), slow_after=0.3, slow_lane=2)
    workers.start()
    yield workers
    workers.close()


def test_a_long_query_leaves_the_fast_lane_to_cheap_ones(pool: WorkerPool) -> None:
    with ThreadPoolExecutor(max_workers=1) as background:
        slow = background.submit(pool.run, Job(SLOW, JSON, 10), 4.0, "abuser")
        time.sleep(0.6)
        assert pool.slow_running == 1
        started = time.monotonic()
        assert pool.run(Job(CHEAP, JSON, 10), 4.0, "someone").rows == 1
        assert time.monotonic() - started < 0.5, "the only fast worker was still taken"
        with pytest.raises(QueryTimeout):
            slow.result()
    assert pool.slow_running == 0


def test_a_client_has_one_long_query_at_a_time(pool: WorkerPool) -> None:
    with ThreadPoolExecutor(max_workers=1) as background:
        first = background.submit(pool.run, Job(SLOW, JSON, 10), 3.0, "abuser")
        time.sleep(0.5)
        with pytest.raises(SlowLaneFull) as second:
            pool.run(Job(SLOW, JSON, 10), 3.0, "abuser")
        assert second.value.own
        with pytest.raises(QueryTimeout):
            first.result()


def test_the_slow_lane_is_bounded(pool: WorkerPool) -> None:
    with ThreadPoolExecutor(max_workers=2) as background:
        runs = [background.submit(pool.run, Job(SLOW, JSON, 10), 3.0, f"c{n}") for n in range(2)]
        time.sleep(0.8)
        with pytest.raises(SlowLaneFull) as third:
            pool.run(Job(SLOW, JSON, 10), 3.0, "c3")
        assert not third.value.own
        for run in runs:
            with pytest.raises(QueryTimeout):
                run.result()


def test_the_servers_own_queries_keep_their_worker(pool: WorkerPool) -> None:
    with pytest.raises(QueryTimeout):
        pool.run(Job(SLOW, JSON, 10), 1.0, None)
    assert pool.slow_running == 0 and pool.replaced == 1


def test_large_answers_are_spooled_and_over_the_limit_refused(pool: WorkerPool) -> None:
    big = "SELECT ?v WHERE { VALUES ?i { " + " ".join(str(i) for i in range(2000)) + " } "
    big += 'BIND(CONCAT("' + "x" * 1000 + '", STR(?i)) AS ?v) }'
    outcome = pool.run(Job(big, JSON, 10_000, spool_dir=pool.spool_dir), 5.0)
    assert outcome.spool and outcome.size > SPOOL_ABOVE and not outcome.body
    assert Path(outcome.spool).stat().st_size == outcome.size
    os.unlink(outcome.spool)
    refused = pool.run(Job(big, JSON, 10_000, max_bytes=100_000), 5.0)
    assert refused.error == "too-large" and "100,000" in refused.message

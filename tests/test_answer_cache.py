"""The answer cache (kzgraph.sparql.cache, docs/decisions/0027-faster-answers.md): on its own,
then in a real ``kzgraph serve`` on 127.0.0.1: a repeated query is answered from memory, a
different format or dataset is not, the cache stays within its bytes, a query over the deadline
is still stopped (and nothing is kept), and after an ingest the answer is the new build's."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.cache import ENTRY_OVERHEAD, AnswerCache, Cached, cache_key
from kzgraph.sparql.workers import Job

from .server import fetch, running_server
from .workspace import FOLLOWUP, FOLLOWUP_TEXT, make_workspace

JSON = "application/sparql-results+json"
TOKEN = "a token for the cache test"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SAM = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
ASK { <https://w3id.org/kzgraph/id/person/sam-sample> rdfs:label "Sam Sample"@en }"""
# far longer than a second on any graph: stopped at the deadline
SLOW = """SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i .
  FILTER(MD5(CONCAT(STR(?c), STR(?f), STR(?i))) != "") }"""


# --- on its own ---------------------------------------------------------------------------------


def _entry(size: int) -> Cached:
    return Cached(b"x" * size, JSON, 1, 0.01)


def test_keys_differ_by_build_format_dataset_and_parameters_not_by_outer_white_space() -> None:
    job = Job(COUNT, JSON, None)
    assert cache_key("v1", job) == cache_key("v1", Job(f"\r\n  {COUNT}\n\n", JSON, None))
    assert cache_key("v1", job) == cache_key("v1", Job(COUNT, JSON, None, spool_dir="/x"))
    different = [
        cache_key("v2", job),
        cache_key("v1", Job(COUNT, "text/csv", None)),
        cache_key("v1", Job(COUNT, JSON, None, default_graphs=("https://example.org/g",))),
        cache_key("v1", Job(COUNT, JSON, None, named_graphs=())),
        cache_key("v1", Job(COUNT, JSON, None, substitutions=(("s", "iri", "urn:a", ""),))),
        cache_key("v1", Job(COUNT, JSON, 10)),
        cache_key("v1", Job(COUNT.replace("{ ", "{\n# a comment\n"), JSON, None)),
    ]
    assert len({cache_key("v1", job), *different}) == len(different) + 1


def test_the_cache_stays_within_its_bytes_least_recently_used_out() -> None:
    cache = AnswerCache(8 * 1024)
    size = 1024 - ENTRY_OVERHEAD  # each entry costs 1 KiB
    for n in range(8):
        assert cache.put(("v", Job(f"q{n}", JSON, None)), _entry(size))
    assert cache.get(("v", Job("q0", JSON, None))) is not None  # q0 is now the most recent
    assert cache.put(("v", Job("q8", JSON, None)), _entry(size))
    stats = cache.stats()
    assert stats["bytes"] <= 8 * 1024 and stats["entries"] == 8 and stats["evictions"] == 1
    assert cache.get(("v", Job("q1", JSON, None))) is None  # the least recently used went
    assert cache.get(("v", Job("q0", JSON, None))) is not None
    assert not cache.put(("v", Job("big", JSON, None)), _entry(1024 + 1))  # over an eighth
    assert cache.get(("v", Job("big", JSON, None))) is None
    cache.clear()
    assert cache.stats()["entries"] == 0 and cache.stats()["bytes"] == 0
    assert not AnswerCache(0).put(("v", Job("q", JSON, None)), _entry(1))  # 0: no cache


# --- in a real server ---------------------------------------------------------------------------


def _build_dir(build: BuildResult) -> Path:
    return next(p for p in build.outputs if p.name == "kzgraph.nq").parent


def _get(url: str, query: str, accept: str = JSON, **params: str) -> httpx.Response:
    response = httpx.get(
        f"{url}/sparql", params={"query": query, **params}, headers={"Accept": accept}, timeout=60
    )
    return response


def _cache_stats(url: str) -> dict[str, int]:
    stats: dict[str, int] = httpx.get(f"{url}/health", timeout=60).json()["answer_cache"]
    return stats


@pytest.fixture(scope="module")
def server(mini_build: BuildResult) -> Iterator[str]:
    with running_server(
        _build_dir(mini_build), result_cache_bytes=256 * 1024, warm_answers=True
    ) as url:
        yield url


def test_canned_queries_without_parameters_are_answered_into_the_cache_at_start(
    server: str,
) -> None:
    listed = httpx.get(f"{server}/queries", headers={"Accept": "application/json"}).json()
    names = [q["name"] for q in listed if all(not p["required"] for p in q["parameters"])]
    assert "charges-by-article" in names and "person-dossier" in names  # it has a default
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _cache_stats(server)["entries"] < len(names):
        time.sleep(0.2)
    for name in names:
        first = httpx.get(f"{server}/queries/{name}.json", timeout=60)
        assert first.status_code == 200, first.text
        assert 'cache;desc="hit"' in first.headers["Server-Timing"], name


def test_a_repeated_query_is_answered_from_memory_with_the_same_body(server: str) -> None:
    query = COUNT + " # repeated"
    before = _cache_stats(server)
    first = _get(server, query)
    second = _get(server, "\n" + query + "\n")
    assert first.status_code == second.status_code == 200
    assert "eval;dur=" in first.headers["Server-Timing"]
    assert 'cache;desc="hit"' in second.headers["Server-Timing"]
    assert second.content == first.content
    assert second.headers["Content-Type"] == first.headers["Content-Type"]
    assert second.headers["ETag"] == first.headers["ETag"]
    after = _cache_stats(server)
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"] + 1
    # the ETag still answers a conditional request with 304, hit or not
    status, _, _ = fetch(
        f"{server}/sparql?{urlencode({'query': query})}",
        headers={"Accept": JSON, "If-None-Match": first.headers["ETag"]},
    )
    assert status == 304


def test_another_format_or_dataset_is_evaluated_not_taken_from_the_cache(server: str) -> None:
    query = COUNT + " # formats"
    assert _get(server, query).status_code == 200
    csv = _get(server, query, accept="text/csv")
    assert csv.status_code == 200 and "eval;dur=" in csv.headers["Server-Timing"]
    assert csv.text.splitlines()[0] == "n"
    graph = "https://w3id.org/kzgraph/graph/ontology"
    one = _get(server, query, **{"default-graph-uri": graph})
    assert one.status_code == 200 and "eval;dur=" in one.headers["Server-Timing"]
    merged = _get(server, query)
    assert 'cache;desc="hit"' in merged.headers["Server-Timing"]
    n = int(one.json()["results"]["bindings"][0]["n"]["value"])
    assert n < int(merged.json()["results"]["bindings"][0]["n"]["value"])


def test_the_cache_stays_within_its_bytes_under_many_distinct_queries(server: str) -> None:
    for offset in range(0, 60):
        query = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} ORDER BY ?s ?p ?o LIMIT 40 OFFSET {offset}"
        assert _get(server, query).status_code == 200
    stats = _cache_stats(server)
    assert stats["max_bytes"] == 256 * 1024
    assert 0 < stats["bytes"] <= stats["max_bytes"]
    assert stats["evictions"] > 0


def test_a_query_over_the_deadline_is_still_stopped_and_not_kept(mini_build: BuildResult) -> None:
    with running_server(_build_dir(mini_build), query_timeout=1, slow_after=30) as url:
        for _ in range(2):
            response = _get(url, SLOW)
            assert response.status_code == 503, response.text
            assert response.json()["timeout_seconds"] == 1
        assert _cache_stats(url)["hits"] == 0  # the second was evaluated again, and stopped
        assert _get(url, "ASK {}").status_code == 200  # and the server answers on


def test_with_no_cache_bytes_every_request_is_evaluated(mini_build: BuildResult) -> None:
    with running_server(_build_dir(mini_build), result_cache_bytes=0) as url:
        for _ in range(3):
            response = _get(url, COUNT)
            assert response.status_code == 200 and "eval;dur=" in response.headers["Server-Timing"]
        assert _cache_stats(url) == {
            "entries": 0,
            "bytes": 0,
            "max_bytes": 0,
            "hits": 0,
            "misses": 0,
            "evictions": 0,
        }


def test_after_an_ingest_the_answer_is_the_new_builds(
    mini_build: BuildResult, tmp_path: Path
) -> None:
    ws = make_workspace(mini_build, tmp_path)
    with running_server(ws.build, data_dir=ws.data, admin_token=TOKEN, query_timeout=60) as url:
        for _ in range(2):
            assert _get(url, SAM).json()["boolean"] is False
        assert _cache_stats(url)["hits"] >= 1  # the old answer was being served from memory
        files = {
            "annotation": (FOLLOWUP.name, FOLLOWUP.read_bytes()),
            "source": (FOLLOWUP_TEXT.name, FOLLOWUP_TEXT.read_bytes()),
        }
        response = httpx.post(
            f"{url}/admin/reports",
            files=files,
            headers={"Authorization": f"Bearer {TOKEN}"},
            timeout=300,
        )
        assert response.status_code == 200 and response.json()["committed"], response.text
        fresh = _get(url, SAM)
        assert fresh.json()["boolean"] is True
        assert "eval;dur=" in fresh.headers["Server-Timing"]
        assert 'cache;desc="hit"' in _get(url, SAM).headers["Server-Timing"]

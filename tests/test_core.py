"""kzgraph.core: the one core. It owns the store it answers from (in this process for one
command, worker processes when serving), builds every query job one way for the CLI and the
endpoint, and after a new build answers from it on ``reload``."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from kzgraph.core import IngestBusy, KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql import protocol
from kzgraph.sparql.guard import QueryRefused
from kzgraph.sparql.protocol import ProtocolRequest
from kzgraph.sparql.workers import WorkerPool
from kzgraph.store.live import InProcess

from .conftest import MINI, settings_for
from .workspace import FOLLOWUP, FOLLOWUP_TEXT, make_workspace

COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"
JSON = "application/sparql-results+json"


def _count(body: bytes) -> int:
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _children() -> set[int]:
    """This process's live children (the zygote of each open worker pool)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and fields[0] != "Z":
            found.add(int(stat.parent.name))
    return found


def _gone(pids: set[int], within: float = 10.0) -> bool:
    deadline = time.monotonic() + within
    while pids & _children() and time.monotonic() < deadline:
        time.sleep(0.1)
    return not pids & _children()


@pytest.fixture(scope="module")
def mini_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    kg = KnowledgeGraph(settings_for(MINI / "data", tmp_path_factory.mktemp("core-build")))
    kg.build()
    return kg


def test_one_command_answers_in_this_process_from_the_merge(mini_kg: KnowledgeGraph) -> None:
    outcome = mini_kg.run_sparql(COUNT, JSON)
    assert isinstance(mini_kg.live().backend, InProcess)
    assert outcome.error is None
    assert _count(outcome.body) == mini_kg.triples == mini_kg.open_store().merged_size()
    assert mini_kg.triples <= sum(mini_kg.graphs.values())


def test_the_cli_and_the_endpoint_make_the_same_job(mini_kg: KnowledgeGraph) -> None:
    query = "SELECT * WHERE { ?s a ?type ; ?p ?o } LIMIT 3"
    from urllib.parse import urlencode

    url = urlencode({"query": query}).encode()
    served = protocol.parse_request("GET", url, None, b"", JSON, mini_kg.limits)
    assert served is not None
    assert replace(served, base_iri=None) == mini_kg.sparql_job(query, JSON)
    assert served.columns == ("s", "type", "p", "o")


def test_a_query_is_checked_once(mini_kg: KnowledgeGraph, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = protocol.inspect_query

    def counted(query: str, max_depth: int = 64) -> object:
        calls.append(query)
        return original(query, max_depth)

    monkeypatch.setattr(protocol, "inspect_query", counted)
    assert mini_kg.run_sparql(COUNT, JSON).error is None
    assert calls == [COUNT]


def test_the_cli_refuses_what_the_endpoint_refuses(mini_kg: KnowledgeGraph) -> None:
    with pytest.raises(QueryRefused, match="SERVICE"):
        mini_kg.run_sparql("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", JSON)
    deep = "SELECT * {" + "{" * 80 + "?s ?p ?o" + "}" * 80 + "}"
    with pytest.raises(QueryRefused, match="nest"):
        mini_kg.run_sparql(deep, JSON)


def test_a_graph_answer_follows_accept(mini_kg: KnowledgeGraph) -> None:
    construct = "CONSTRUCT WHERE { ?s a ?t } LIMIT 2"
    outcome = mini_kg.run_sparql(construct, f"{JSON}, text/turtle;q=0.5")
    assert outcome.media == "text/turtle"
    assert mini_kg.run_sparql(COUNT, f"{JSON}, text/turtle;q=0.5").media == JSON


def test_the_site_data_comes_from_the_store_answered_from(mini_kg: KnowledgeGraph) -> None:
    overview = mini_kg.site.overview()
    assert overview is mini_kg.site.overview()  # computed once
    assert {r.slug for r in overview.reports}
    assert mini_kg.site.search_index() is mini_kg.site.search_index()


def test_serving_forks_workers_reload_swaps_and_close_stops_them(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    kg = KnowledgeGraph(settings_for(data, tmp_path / "build"))
    kg.build()
    existing = _children()
    kg.open()
    try:
        pool = kg.live().backend
        assert isinstance(pool, WorkerPool)
        first = _children() - existing
        assert first  # the pool's zygote
        before, version = kg.triples, kg.version
        query = b"query=" + COUNT.replace(" ", "+").encode()
        answer = asyncio.run(
            kg.answer(
                ProtocolRequest("GET", query, None, b"", JSON, None, "http://127.0.0.1/sparql")
            )
        )
        assert answer.status == 200 and _count(answer.content()) == before
        etag = answer.headers["ETag"]
        old_site = kg.site

        # a different build (without the inferred graph), then reloaded (what an ingest does)
        kg.build(reasoning=False)
        assert kg.version == version  # still answering from what it opened
        kg.reload()
        assert kg.version != version and kg.triples < before
        assert kg.site is not old_site
        job = kg.sparql_job(COUNT, JSON)
        fresh = asyncio.run(kg.execute(job, etag, time.perf_counter()))
        assert fresh.status == 200  # the old ETag no longer matches
        assert _count(fresh.content()) == kg.triples
        assert kg.live().backend is not pool
        assert _gone(first)  # the old pool, idle, is closed
        second = _children() - existing
        assert second
    finally:
        kg.close()
    assert _gone(second)


def test_a_second_ingest_while_one_runs_is_refused_and_changes_nothing(
    mini_build: BuildResult, tmp_path: Path
) -> None:
    ws = make_workspace(mini_build, tmp_path)
    kg = KnowledgeGraph(ws.settings)
    inside, release = threading.Event(), threading.Event()

    def hold(_: str) -> None:  # the first ingest's progress: it waits here, holding its turn
        inside.set()
        release.wait(30)

    first = threading.Thread(
        target=lambda: kg.ingest(FOLLOWUP, FOLLOWUP_TEXT, dry_run=True, progress=hold)
    )
    first.start()
    try:
        assert inside.wait(30)
        before = ws.files()  # (the store is held by the first)
        with pytest.raises(IngestBusy, match="another report is being ingested"):
            kg.ingest(FOLLOWUP, FOLLOWUP_TEXT)
        assert ws.files() == before
    finally:
        release.set()
        first.join(60)
    assert kg.ingest(FOLLOWUP, FOLLOWUP_TEXT).committed  # its turn is free again

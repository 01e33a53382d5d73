"""With KZGRAPH_STORE, a store that stops answering makes the home page and search a clear 503
(real `oxigraph serve`, stopped under a running kzgraph server), not a crash or a stale page."""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from kzgraph.pipeline.stages import BuildResult
from kzgraph.store.client import Endpoint, StoreError, post

from .server import fetch, free_port, running_server, stop
from .test_remote_store import _kzgraph, _oxigraph


def _get(url: str, accept: str) -> tuple[int, str, str]:
    status, headers, body = fetch(url, headers={"Accept": accept})
    return status, headers["Content-Type"], body.decode()


def test_a_store_that_stops_answering_gives_a_503_that_says_so(
    mini_build: BuildResult, tmp_path_factory: pytest.TempPathFactory
) -> None:
    build = mini_build.outputs[0].parent
    folder = tmp_path_factory.mktemp("oxigraph-down")
    base = f"http://127.0.0.1:{free_port()}"
    command = [_oxigraph(), "serve", "--location", str(folder / "db")]
    command += ["--bind", base.removeprefix("http://")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                post(Endpoint(f"{base}/query"), b"ASK {}", "application/sparql-query", "*/*", 2)
                break
            except StoreError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.1)
        store = f"{base}/query {base}/update"
        pushed = _kzgraph("push", store=store, build=build)
        assert pushed.returncode == 0, pushed.stderr
        with running_server(build, store=store) as server:
            stop(process)
            status, media, body = _get(f"{server}/", "text/html")
            assert status == 503 and media.startswith("text/html")
            assert "the overview of the dataset is not available" in body
            status, media, body = _get(f"{server}/search?q=anything", "application/json")
            assert status == 503
            assert json.loads(body)["error"].startswith("search is not available")
    finally:
        stop(process)

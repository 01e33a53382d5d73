"""Several stateless `kzgraph serve` processes over one remote store (docs/store.md): two real
servers on their own 127.0.0.1 ports answer from one `oxigraph serve`, and a `kzgraph push` made
while they run is seen by both at the next query, with no restart."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

from kzgraph.core import KnowledgeGraph
from kzgraph.namespaces import GRAPH
from kzgraph.pipeline.stages import BuildResult

from .conftest import ROOT
from .server import fetch, running_server
from .test_remote_store import oxigraph  # noqa: F401  (`oxigraph serve` on a free port)

KZ = "https://w3id.org/kzgraph/ontology#"
REPORT = "report/kibhr-us-state-dept-2023-summary"


def _push(settings: dict[str, str], build: Path) -> str:
    env = {
        **os.environ,
        **settings,
        "KZGRAPH_BUILD_DIR": str(build),
        "KZGRAPH_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KZGRAPH_QUERIES_DIR": str(ROOT / "queries"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "kzgraph.cli", "push"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _ask(url: str, query: str) -> bool:
    status, _, body = fetch(
        f"{url}/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert status == 200, body[:300]
    return bool(json.loads(body)["boolean"])


def test_two_servers_answer_from_one_store_and_both_see_a_push(
    oxigraph: str,  # noqa: F811
    real_kg: KnowledgeGraph,
    real_build: BuildResult,
    tmp_path: Path,
) -> None:
    settings = {
        "KZGRAPH_STORE": f"{oxigraph}/query {oxigraph}/update",
        "KZGRAPH_STORE_GRAPHS": f"{oxigraph}/store",
    }
    build = tmp_path / "build"
    build.mkdir()
    shutil.copy(real_kg.dump_path, build / "kzgraph.nq")
    _push(settings, build)
    served = {k.removeprefix("KZGRAPH_").lower(): v for k, v in settings.items()}
    note = f"ASK {{ <https://w3id.org/kzgraph/id/{REPORT}> <{KZ}note> ?n }}"
    with (
        running_server(real_kg.settings.build_dir, **served) as first,
        running_server(real_kg.settings.build_dir, **served) as second,
    ):
        assert first != second
        counts = [json.loads(fetch(f"{url}/health")[2])["triples"] for url in (first, second)]
        assert counts[0] == counts[1] > 30_000
        assert not _ask(first, note) and not _ask(second, note)
        with (build / "kzgraph.nq").open("a") as dump:
            dump.write(
                f'<https://w3id.org/kzgraph/id/{REPORT}> <{KZ}note> "pushed while serving" '
                f"<{GRAPH}{REPORT}> .\n"
            )
        output = _push(settings, build)
        assert f"{GRAPH}{REPORT}: replaced" in output
        assert output.count(": replaced") == 1 and output.count(": unchanged") >= 9
        assert _ask(first, note) and _ask(second, note)
        person = "/id/person/zhanbolat-mamay"
        pages = [fetch(url + person, headers={"Accept": "text/html"}) for url in (first, second)]
        assert all(status == 200 and b"Mamay" in body for status, _, body in pages)

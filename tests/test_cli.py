"""The kzgraph command, run as a real process on the mini fixture."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

from .conftest import MINI, ROOT

KZGRAPH = [sys.executable, "-m", "kzgraph.cli"]


def run(*args: str, build: Path, data: Path = MINI / "data") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "KZGRAPH_BUILD_DIR": str(build),
        "KZGRAPH_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KZGRAPH_QUERIES_DIR": str(ROOT / "queries"),
        "CI": "1",
    }
    return subprocess.run(
        [*KZGRAPH, "--data", str(data), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


def test_build_check_and_verify(tmp_path: Path) -> None:
    build = tmp_path / "build"
    done = run("build", build=build)
    assert done.returncode == 0, done.stderr
    manifest = json.loads((build / "manifest.json").read_text())
    assert manifest["triples"] > 1000
    assert run("check", build=build).returncode == 0
    verified = run("verify-evidence", "--sources", str(MINI / "sources"), build=build)
    assert verified.returncode == 0 and "all 18 phrases" in verified.stdout, verified.stdout


def test_verify_evidence_reports_a_changed_source(tmp_path: Path) -> None:
    sources = tmp_path / "sources"
    shutil.copytree(MINI / "sources", sources)
    text = (sources / "mini.txt").read_text(encoding="utf-8")
    (sources / "mini.txt").write_text(text.replace("Jane", "June"), encoding="utf-8")
    done = run("verify-evidence", "--sources", str(sources), build=tmp_path / "b")
    assert done.returncode == 1
    assert "has SHA-256" in done.stderr and "mini-report.yaml" in done.stderr


def test_verify_evidence_reports_a_moved_phrase(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    report = data / "reports" / "mini-report.yaml"
    report.write_text(report.read_text().replace("start: 291, end: 319", "start: 290, end: 318"))
    done = run(
        "verify-evidence", "--sources", str(MINI / "sources"), build=tmp_path / "b", data=data
    )
    assert done.returncode == 1
    assert (
        "statistics[0] (detained-over-40-2030-03)" in done.stderr
        and "the source has" in done.stderr
    )


def test_failed_build_keeps_the_previous_output(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert run("build", "--no-reasoning", build=build).returncode == 0
    before = (build / "kzgraph.nq").read_bytes()
    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    report = data / "reports" / "mini-report.yaml"
    report.write_text(report.read_text().replace("measure: detained", "measure: arrested"))
    done = run("build", build=build, data=data)
    assert done.returncode == 1
    assert "unknown measure key 'arrested'" in done.stderr and "mini-report.yaml:" in done.stderr
    assert (build / "kzgraph.nq").read_bytes() == before


def test_sparql_over_the_built_graph(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert run("build", "--no-reasoning", build=build).returncode == 0
    done = run(
        "sparql",
        "--format",
        "csv",
        "SELECT ?name WHERE { ?p a <https://w3id.org/kzgraph/ontology#Person> ; "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?name }",
        build=build,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["name", "Jane", "Example"] or "Jane Example" in done.stdout


def test_serve_get_runs_one_request_in_process(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert run("build", "--no-reasoning", build=build).returncode == 0
    done = run("serve", "--get", "/health", build=build)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["status"] == "ok"


def test_sparql_from_selects_one_graph_and_service_is_refused(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert run("build", "--no-reasoning", build=build).returncode == 0
    entities = "https://w3id.org/kzgraph/graph/entities"
    only = run(
        "sparql",
        "--format",
        "csv",
        f"SELECT (COUNT(*) AS ?n) FROM <{entities}> WHERE {{ ?s ?p ?o }}",
        build=build,
    )
    whole = run(
        "sparql", "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", build=build
    )
    assert 0 < int(only.stdout.split()[1]) < int(whole.stdout.split()[1])
    refused = run(
        "sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", build=build
    )
    assert refused.returncode == 1 and "SERVICE" in refused.stderr


def test_canned_query_from_the_command_line(tmp_path: Path) -> None:
    build = tmp_path / "build"
    assert run("build", "--no-reasoning", build=build).returncode == 0
    env_queries = ["--param", "event=https://w3id.org/kzgraph/id/event/none"]
    table = run("query", "event-timeline", *env_queries, build=build)
    assert table.returncode == 0 and "(0 row(s))" in table.stdout, table.stderr
    listing = run("queries", build=build)
    assert "event-timeline: Timeline of an event" in listing.stdout
    bad = run("query", "event-timeline", "--param", "event=not an iri", build=build)
    assert bad.returncode == 1 and "absolute IRI" in bad.stderr
    missing = run("query", "no-such-query", build=build)
    assert missing.returncode == 1 and "no canned query" in missing.stderr


def _elsewhere(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """The command run from a folder outside the checkout, with only ``env`` set."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KZGRAPH_")}
    return subprocess.run(
        [*KZGRAPH, *args],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_the_command_works_from_any_folder(tmp_path: Path) -> None:
    build = str(tmp_path / "build")
    listed = _elsewhere("queries", cwd=tmp_path)
    assert listed.returncode == 0 and "officials-held-accountable" in listed.stdout
    assert listed.stderr == ""
    checked = _elsewhere("check", cwd=tmp_path, KZGRAPH_BUILD_DIR=build)
    assert checked.returncode == 0, checked.stderr
    assert "INFO" not in checked.stdout + checked.stderr
    assert "DEBUG" not in checked.stdout + checked.stderr


def test_missing_files_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    missing = tmp_path / "nothing-here"
    for args, env in [
        (("sparql", "ASK {}"), {"KZGRAPH_BUILD_DIR": str(missing)}),
        (("check",), {"KZGRAPH_ONTOLOGY_DIR": str(missing)}),
        (("queries",), {"KZGRAPH_QUERIES_DIR": str(missing)}),
    ]:
        done = _elsewhere(*args, cwd=tmp_path, **env)
        assert done.returncode == 1, (args, done.stdout)
        assert "Traceback" not in done.stderr and str(missing) in done.stderr, (args, done.stderr)


def test_a_syntax_error_is_explained(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    done = run("sparql", "SELECT * { ?s foaf:name ?o }", build=real_kg.settings.build_dir)
    assert done.returncode == 1 and "undefined prefix 'foaf:'" in done.stderr, done.stderr

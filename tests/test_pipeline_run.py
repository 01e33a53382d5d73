"""The build's one run (kzgraph.pipeline.run): what each end stage writes, that the annotation
files are read and the ontology files parsed once per run, and that a failing run replaces
nothing in build/. Real runs on the small invented fixture; the spies only count calls."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph

from kzgraph.annotations import AnnotationError
from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri
from kzgraph.pipeline import stages
from kzgraph.pipeline.run import STAGES, run
from kzgraph.pipeline.stages import BuildResult
from kzgraph.settings import Settings

from .conftest import MINI, settings_for

ONTOLOGY_FILES = {"kzgraph.ttl", "vocabularies.ttl", "shapes.ttl"}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """A copy of the mini data, and a build folder that does not exist yet."""
    shutil.copytree(MINI / "data", tmp_path / "data")
    return settings_for(tmp_path / "data", tmp_path / "build")


@pytest.fixture
def loads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often the run read the annotation files (by data folder)."""
    calls: Counter[str] = Counter()
    real = stages.load_annotations

    def spy(data_dir: Path, *args: Any, **kwargs: Any) -> Any:
        calls[str(data_dir)] += 1
        return real(data_dir, *args, **kwargs)

    monkeypatch.setattr(stages, "load_annotations", spy)
    return calls


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How often an ontology file was parsed by rdflib (by file name), by anyone."""
    calls: Counter[str] = Counter()
    real: Callable[..., Graph] = Graph.parse

    def spy(self: Graph, source: Any = None, *args: Any, **kwargs: Any) -> Graph:
        name = Path(str(source or kwargs.get("location") or "")).name
        if name in ONTOLOGY_FILES:
            calls[name] += 1
        return real(self, source, *args, **kwargs)

    monkeypatch.setattr(Graph, "parse", spy)
    return calls


def test_check_writes_nothing(
    settings: Settings, loads: Counter[str], parses: Counter[str]
) -> None:
    result = KnowledgeGraph(settings).check()
    assert not settings.build_dir.exists()
    assert len(result.dataset.graph(graph_iri("report/mini-report"))) > 0
    assert len(result.dataset.graph(graph_iri("inferred"))) == 0, "check does not reason"
    assert loads == {str(settings.data_dir): 1}
    assert parses == dict.fromkeys(ONTOLOGY_FILES, 1)


def test_build_writes_the_outputs_reading_everything_once(
    settings: Settings, loads: Counter[str], parses: Counter[str]
) -> None:
    result = KnowledgeGraph(settings).build()
    names = {p.relative_to(settings.build_dir).as_posix() for p in result.outputs}
    assert {"kzgraph.nq", "kzgraph.trig", "kzgraph.ttl", "manifest.json"} <= names
    assert {"ontology/kzgraph.owl", "ontology/index.html"} <= names
    assert all(p.is_file() for p in result.outputs)
    assert settings.dump_path.is_file()
    assert len(result.dataset.graph(graph_iri("inferred"))) > 0
    assert loads == {str(settings.data_dir): 1}
    # the ontology once for the run, and once more by pyLODE for the HTML page it writes
    assert parses == {"kzgraph.ttl": 2, "vocabularies.ttl": 1, "shapes.ttl": 1}


def test_each_stage_can_end_a_run(settings: Settings) -> None:
    loaded = run(settings, until="load")
    assert "mini-report" in loaded.annotations.reports and len(loaded.dataset) == 0
    mapped = run(settings, until="map")
    assert len(mapped.dataset.graph(graph_iri("ontology"))) == 0, "joins once validated"
    reasoned = run(settings, until="reason")
    assert len(reasoned.dataset.graph(graph_iri("inferred"))) > 0
    assert not settings.build_dir.exists(), f"only {STAGES[-2]} and {STAGES[-1]} write"


def test_the_validated_hook_runs_between_validate_and_reason(settings: Settings) -> None:
    seen: list[int] = []

    def validated(result: BuildResult) -> None:
        seen.append(len(result.dataset.graph(graph_iri("inferred"))))

    result = run(settings, until="reason", validated=validated)
    assert seen == [0] and len(result.dataset.graph(graph_iri("inferred"))) > 0


def test_without_reasoning_the_build_has_no_inferred_graph(settings: Settings) -> None:
    result = run(settings, reasoning=False)
    assert len(result.dataset.graph(graph_iri("inferred"))) == 0
    assert settings.dump_path.is_file()


def test_a_broken_annotation_file_is_named_and_build_is_left_alone(settings: Settings) -> None:
    kg = KnowledgeGraph(settings)
    kg.build()
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in _files(settings.build_dir)}
    report = settings.data_dir / "reports" / "mini-report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8").replace(
            "victims: [person/jane-example]", "victims: [person/nobody]", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(AnnotationError) as info:
        kg.build()
    assert "mini-report.yaml" in str(info.value)
    assert "unknown reference 'person/nobody'" in str(info.value)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in _files(settings.build_dir)}
    assert after == before


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())

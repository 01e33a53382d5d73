"""The incremental build (docs/decisions/0026): each unit (a report, the entities, the
assessments) is mapped and validated again only when its inputs changed, and what an incremental
build makes equals what a cold build makes. Real runs of the pipeline on the invented fixtures
(the mini data, its follow-up report, a small synthetic corpus from bench/corpus.py)."""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench.corpus import generate

from kzgraph.annotations import AnnotationError
from kzgraph.pipeline.run import Inputs, Stage, run
from kzgraph.pipeline.stages import (
    BuildResult,
    OntologyFiles,
    ValidationFailed,
    load,
    map_data,
    reason,
    validate_data,
)

from .conftest import MINI, ROOT
from .rdf_keys import Key, rdflib_key

FOLLOWUP = Path(__file__).parent / "fixtures" / "ingest" / "reports" / "mini-followup.yaml"


class Workspace:
    """A data folder, an ontology folder and a build folder of our own."""

    def __init__(self, root: Path, data: Path):
        self.data = root / "data"
        shutil.copytree(data, self.data)
        self.ontology = root / "ontology"
        shutil.copytree(ROOT / "ontology", self.ontology)
        self.build_dir = root / "build"

    def inputs(self, build_dir: Path | None = None) -> Inputs:
        build = build_dir or self.build_dir
        return Inputs(self.data, OntologyFiles.in_dir(self.ontology), build, build / "store")

    def run(self, until: Stage = "validate") -> BuildResult:
        """The stages of a build up to ``until`` (``validate`` or ``reason``), keeping the cache
        as a build does (the stages after are global and unchanged)."""
        inputs = self.inputs()
        aset, onto = load(inputs.data_dir, inputs.ontology)
        cache = inputs.build_dir / "cache" / "units"
        result = map_data(aset, onto, _quiet, cache, keep=True)
        validate_data(result, _quiet)
        if until == "reason":
            reason(result, _quiet)
        assert result.units is not None
        result.units.keep()  # as the write stage does
        return result

    def cold(self, tmp: Path, until: Stage = "reason") -> BuildResult:
        """The same inputs built from nothing, in one process."""
        return run(self.inputs(tmp / "cold"), until=until, progress=_quiet)

    def edit(self, path: Path, old: str, new: str) -> None:
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _quiet(_: str) -> None:
    pass


def quads(result: BuildResult) -> Counter[tuple[Key, ...]]:
    """Every quad as comparable keys (blank-node labels masked)."""
    return Counter(
        tuple(rdflib_key(t) for t in (s, p, o, g)) for s, p, o, g in result.dataset.quads()
    )


def mapped(result: BuildResult) -> set[str]:
    assert result.units is not None
    return set(result.units.stats.mapped)


def validated(result: BuildResult) -> set[str]:
    assert result.units is not None
    return set(result.units.stats.validated)


def cache_files(ws: Workspace) -> dict[Path, int]:
    return {p: p.stat().st_mtime_ns for p in (ws.build_dir / "cache" / "units").iterdir()}


@pytest.fixture
def mini(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path, MINI / "data")


@pytest.fixture(scope="module")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("corpus")
    generate(root, 5_000)  # six reports, entities, assessments
    return root / "data"


@pytest.fixture
def corpus(
    tmp_path: Path, corpus_data: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Workspace]:
    monkeypatch.setenv("KZGRAPH_BUILD_WORKERS", "2")  # the pool, even on one core
    yield Workspace(tmp_path, corpus_data)


def test_a_second_build_takes_every_unit_from_the_cache(mini: Workspace) -> None:
    first = mini.run(until="reason")
    assert mapped(first) == validated(first) == {"entities", "assessments", "report/mini-report"}
    second = mini.run(until="reason")
    assert mapped(second) == validated(second) == set()
    assert quads(second) == quads(first)


def test_a_changed_report_alone_is_mapped_again_and_the_result_is_a_cold_builds(
    corpus: Workspace, tmp_path: Path
) -> None:
    first = corpus.run()
    assert len(mapped(first)) == 8  # six reports, entities, assessments: in the pool
    report = sorted((corpus.data / "reports").glob("*.yaml"))[2]
    corpus.edit(report, 'summary: "', 'summary: "Changed. ')
    second = corpus.run(until="reason")
    unit = f"report/{report.stem}"
    assert mapped(second) == {unit}
    assert unit in validated(second)
    assert quads(second) == quads(corpus.cold(tmp_path))


def test_an_added_report_is_mapped_alone_and_a_removed_one_leaves_no_triple(
    mini: Workspace, tmp_path: Path
) -> None:
    mini.run()
    shutil.copy(FOLLOWUP, mini.data / "reports" / FOLLOWUP.name)
    added = mini.run(until="reason")
    assert mapped(added) == {"report/mini-followup"}
    assert quads(added) == quads(mini.cold(tmp_path / "added"))
    graphs = {str(g.identifier) for g in added.dataset.graphs() if len(g)}
    assert "https://w3id.org/kzgraph/graph/report/mini-followup" in graphs

    (mini.data / "reports" / FOLLOWUP.name).unlink()
    removed = mini.run(until="reason")
    assert mapped(removed) == set()
    assert all("mini-followup" not in str(q[3]) for q in removed.dataset.quads())
    assert quads(removed) == quads(mini.cold(tmp_path / "removed"))
    assert removed.units is not None and removed.units.stats.pruned == 2  # its map and validation


def test_shapes_invalidate_every_validation_and_no_mapping(mini: Workspace) -> None:
    mini.run()
    shapes = mini.ontology / "shapes.ttl"
    shapes.write_text(shapes.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    again = mini.run()
    assert mapped(again) == set()
    assert validated(again) == {"entities", "assessments", "report/mini-report"}


def test_a_renamed_entity_remaps_the_units_that_name_it_and_no_other(
    corpus: Workspace, tmp_path: Path
) -> None:
    first = corpus.run()
    aset = first.annotations
    counts = Counter(m.record.entity for m in aset.mentions)
    # a person named in some reports but not all
    person = next(e for e, n in sorted(counts.items()) if e and e.startswith("person/") and n < 6)
    naming = {m.origin.graph for m in aset.mentions if m.record.entity == person}
    name = aset.entities[person].record.name
    corpus.edit(corpus.data / "entities.yaml", f'name: "{name}"', f'name: "{name} Renamed"')
    second = corpus.run(until="reason")
    assert mapped(second) == {"entities", *naming}
    assert len(mapped(second)) < len(first.units.stats.mapped if first.units else [])
    assert quads(second) == quads(corpus.cold(tmp_path))


def test_a_broken_report_fails_the_build_by_name_and_the_others_stay_cached(
    corpus: Workspace,
) -> None:
    corpus.run()
    before = cache_files(corpus)
    report = sorted((corpus.data / "reports").glob("*.yaml"))[1]
    good = report.read_text(encoding="utf-8")
    corpus.edit(report, "    summary: ", "    summry: ")
    with pytest.raises(AnnotationError) as info:
        corpus.run()
    message = str(info.value)
    assert f"{report.name}:" in message and "summry" in message and "unknown field" in message
    assert cache_files(corpus) == before  # nothing rebuilt, nothing deleted

    report.write_text(good, encoding="utf-8")
    fixed = corpus.run()
    assert mapped(fixed) == set()  # the file is as it was: its cached unit is good again


def test_a_report_that_stops_naming_an_entity_fails_the_entities_unit(mini: Workspace) -> None:
    """entities.yaml did not change, but what its shapes read from the reports did: a person
    or body must be mentioned somewhere. The violation names its file and is never cached."""
    mini.run()
    report = mini.data / "reports" / "mini-report.yaml"
    mention = '  - {entity: org/kz-prosecutor-general, exact: "Prosecutor General’s office", '
    mini.edit(report, mention, "  # " + mention[2:])
    for _ in range(2):
        with pytest.raises(ValidationFailed) as info:
            mini.run()
        assert "entities.yaml:7 entry organisations" in str(info.value)
        assert "kz-prosecutor-general" in str(info.value)

"""The benchmark's synthetic corpus (bench/corpus.py) is valid data: it loads, maps and passes the
shapes, and every evidence phrase stands at its offsets in the generated sources. The benchmarks
themselves are not run here (scripts/dev bench)."""

from __future__ import annotations

from pathlib import Path

from bench.corpus import generate

from kzgraph.core import KnowledgeGraph

from .conftest import settings_for


def test_the_smallest_corpus_passes_the_shapes_and_the_evidence_checks(tmp_path: Path) -> None:
    plan = generate(tmp_path, 10_000)
    assert plan.reports >= 6 and plan.countries >= 2
    kg = KnowledgeGraph(settings_for(tmp_path / "data", tmp_path / "out"))
    result = kg.check()  # load, vocabulary keys, mapping, SHACL: raises on any problem
    triples = sum(len(g) for g in result.dataset.graphs())
    assert 6_000 < triples < 12_000
    checked, problems = kg.verify_evidence(tmp_path / "sources")
    assert problems == []
    assert checked > 250


def test_the_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    generate(tmp_path / "a", 10_000, seed=3)
    generate(tmp_path / "b", 10_000, seed=3)
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*.*"))
    assert files
    for rel in files:
        assert (tmp_path / "a" / rel).read_bytes() == (tmp_path / "b" / rel).read_bytes(), rel

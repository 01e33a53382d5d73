"""The home page's overview by SPARQL agrees with kzgraph.stats over the same build."""

from __future__ import annotations

from kzgraph.build import BuildResult
from kzgraph.core import KnowledgeGraph
from kzgraph.stats import CLASSES, class_counts, data_graphs


def test_counts_equal_the_stats_table(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    overview = real_kg.overview()
    graphs = data_graphs(real_build.dataset)
    assert overview.graphs == graphs
    for graph in graphs:
        expected = class_counts(real_build.dataset, graph, CLASSES)
        assert {c: overview.counts[c].get(graph, 0) for c in CLASSES} == expected, graph


def test_reports_carry_their_metadata(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    reports = {r.slug: r for r in real_kg.overview().reports}
    assert set(reports) == set(real_build.annotations.reports)
    for slug, report in reports.items():
        meta = real_build.annotations.reports[slug].meta
        assert report.title == meta.title and report.issued == meta.issued
        assert report.sha256 == meta.sha256
        assert report.publishers and report.genre

"""The home page's overview by SPARQL agrees with kzgraph.pipeline.stats over the same build."""

from __future__ import annotations

from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri
from kzgraph.namespaces import KZ, RDF, RDFS
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.stats import CLASSES, class_counts, data_graphs


def test_counts_equal_the_stats_table(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    overview = real_kg.site.overview()
    graphs = data_graphs(real_build.dataset)
    assert overview.graphs == graphs
    for graph in graphs:
        expected = class_counts(real_build.dataset, graph, CLASSES)
        assert {c: overview.counts[c].get(graph, 0) for c in CLASSES} == expected, graph


def test_reports_carry_their_metadata(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    reports = {r.slug: r for r in real_kg.site.overview().reports}
    assert set(reports) == set(real_build.annotations.reports)
    for slug, report in reports.items():
        meta = real_build.annotations.reports[slug].meta
        assert report.title == meta.title and report.issued == meta.issued
        assert report.sha256 == meta.sha256
        assert report.publishers and report.genre


def test_totals_count_each_instance_once(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    """An entity asserted in several graphs (a person in many reports) is one instance in the
    total, not one per graph: the total is the distinct count over the data graphs."""
    ds = real_build.dataset
    ontology = ds.graph(graph_iri("ontology"))
    graphs = [ds.graph(graph_iri(g)) for g in data_graphs(ds)]
    overview = real_kg.site.overview()
    for cls in CLASSES:
        kinds = set(ontology.transitive_subjects(RDFS.subClassOf, KZ[cls]))
        instances = {s for g in graphs for kind in kinds for s in g.subjects(RDF.type, kind)}
        assert overview.total(cls) == len(instances), cls
    assert overview.total("Evidence") < sum(overview.counts["Evidence"].values())

"""The counts by SPARQL (kzgraph.pipeline.stats, behind the home page's overview, the README's
table and ``kzgraph stats``) agree with the same counts made by rdflib over the build's dataset."""

from __future__ import annotations

from rdflib import Dataset

from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri
from kzgraph.namespaces import GRAPH, KZ, RDF, RDFS
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.stats import CLASSES


def _instances(ds: Dataset, graphs: list[str], cls: str) -> set[object]:
    """The reference: instances of ``cls`` or a subclass (by the ontology graph) in ``graphs``."""
    kinds = set(ds.graph(graph_iri("ontology")).transitive_subjects(RDFS.subClassOf, KZ[cls]))
    found = (ds.graph(graph_iri(g)).subjects(RDF.type, kind) for g in graphs for kind in kinds)
    return {s for subjects in found for s in subjects}


def _data_graphs(ds: Dataset) -> list[str]:
    names = [str(g.identifier)[len(str(GRAPH)) :] for g in ds.graphs() if len(g)]
    reports = sorted(n for n in names if n.startswith("report/"))
    return [*reports, *(n for n in ("entities", "assessments") if n in names)]


def test_counts_equal_those_by_rdflib(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    overview = real_kg.site.overview()
    graphs = _data_graphs(real_build.dataset)
    assert overview.graphs == graphs
    for graph in graphs:
        expected = {c: len(_instances(real_build.dataset, [graph], c)) for c in CLASSES}
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
    overview = real_kg.site.overview()
    for cls in CLASSES:
        assert overview.total(cls) == len(_instances(ds, _data_graphs(ds), cls)), cls
    assert overview.total("Evidence") < sum(overview.counts["Evidence"].values())

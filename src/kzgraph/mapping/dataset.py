"""Map a whole :class:`AnnotationSet` into named graphs, one per report plus shared ones."""

from __future__ import annotations

from rdflib import Dataset, URIRef

from kzgraph.annotations import model as m
from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.load import AnnotationSet
from kzgraph.iris import graph_iri, ref_iri
from kzgraph.mapping.context import MapContext, Triple, evidence_triples
from kzgraph.mapping.entities import map_entity, map_mention
from kzgraph.mapping.facts import FACT_MAPPERS
from kzgraph.mapping.frames import map_statement
from kzgraph.mapping.reports import map_report, map_section, section_iri, snapshot_iri
from kzgraph.namespaces import PREFIXES


def new_dataset() -> Dataset:
    ds = Dataset()
    for prefix, ns in PREFIXES.items():
        ds.bind(prefix, ns)
    return ds


def map_annotations(aset: AnnotationSet) -> Dataset:
    """Every record into its named graph; an unmappable record is reported with its place."""
    base = MapContext(
        sections={
            rid: sorted((s.start or 0, section_iri(rid, s.id)) for s in rf.sections)
            for rid, rf in aset.reports.items()
        },
        snapshots={rid: snapshot_iri(rf.meta.sha256) for rid, rf in aset.reports.items()},
    )
    ds = new_dataset()
    problems: list[Problem] = []

    def ctx_for(graph: str) -> MapContext:
        report = graph.split("/", 1)[1] if graph.startswith("report/") else None
        return MapContext(report=report, sections=base.sections, snapshots=base.snapshots)

    def add(graph: str, triples: list[Triple]) -> None:
        g = ds.graph(graph_iri(graph))
        for t in triples:
            g.add(t)

    for rid, rf in aset.reports.items():
        ctx = ctx_for(f"report/{rid}")
        add(f"report/{rid}", map_report(rf.meta))
        for order, section in enumerate(rf.sections, start=1):
            add(f"report/{rid}", map_section(section, order, ctx))
    for loc in aset.entities.values():
        try:
            add(loc.origin.graph, map_entity(loc.record, ctx_for(loc.origin.graph)))
        except (ValueError, KeyError) as exc:
            problems.append(loc.origin.problem(None, str(exc)))
    for ref, fact in aset.facts.items():
        try:
            mapper = FACT_MAPPERS[type(fact.record)]
            add(fact.origin.graph, mapper(fact.record, ctx_for(fact.origin.graph)))
        except (ValueError, KeyError) as exc:
            problems.append(fact.origin.problem(None, f"{ref}: {exc}"))
    for mention in aset.mentions:
        rec = mention.record
        assert rec.entity is not None
        name = aset.entities[rec.entity].record.name
        try:
            add(
                mention.origin.graph,
                map_mention(rec, rec.entity, name, ctx_for(mention.origin.graph)),
            )
        except ValueError as exc:
            problems.append(mention.origin.problem("exact", str(exc)))
    framed: set[str] = set()
    for corr in aset.corroborations:
        try:
            ctx = ctx_for(corr.origin.graph)
            add(
                corr.origin.graph,
                evidence_triples(ref_iri(corr.record.fact), corr.record.evidence, ctx),
            )
            declared = aset.facts.get(corr.record.fact)
            if declared is not None and isinstance(declared.record, m.Statistic):
                add(
                    corr.origin.graph,
                    map_statement(
                        corr.record.fact, ctx.report or "", corr.record, corr.record.evidence, ctx
                    ),
                )
                if corr.record.fact not in framed:
                    framed.add(corr.record.fact)
                    own = ctx_for(declared.origin.graph)
                    add(
                        declared.origin.graph,
                        map_statement(
                            corr.record.fact,
                            own.report or "",
                            declared.record,
                            declared.record.evidence,
                            own,
                        ),
                    )
        except ValueError as exc:
            problems.append(corr.origin.problem("evidence", str(exc)))
    if problems:
        raise AnnotationError(problems)
    return ds


def graphs_of(ds: Dataset) -> list[URIRef]:
    return sorted(URIRef(str(g.identifier)) for g in ds.graphs() if len(g))

"""The units of the build: each named graph the annotations make (``entities``, ``assessments``,
``report/<id>``) is mapped on its own, from its own records, with what it reads from the others
recorded as its dependencies.

A unit's triples depend on its file(s) and on a few facts of other files, which
:func:`map_unit` records as ``dependencies`` (a key and a value each) so that a cached mapping
can be checked cheaply: the section starts and snapshot of each report its passages cite, the
name of each entity its mentions name, whether each fact it corroborates is a figure, and which
of its own figures others corroborate (each such figure gets its statement frame in its own
graph). :meth:`Units.dependency` gives the current value of any such key.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kzgraph.annotations import model as m
from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.load import AnnotationSet, Located
from kzgraph.iris import ref_iri
from kzgraph.mapping.context import MapContext, Triple, evidence_triples
from kzgraph.mapping.entities import map_entity, map_mention
from kzgraph.mapping.facts import FACT_MAPPERS
from kzgraph.mapping.frames import map_statement
from kzgraph.mapping.reports import map_report, map_section, section_iri, snapshot_iri

Dependencies = dict[str, str]


@dataclass
class _Records:
    entities: list[Located[m.Entity]] = field(default_factory=list)
    facts: list[tuple[str, Located[m.Fact]]] = field(default_factory=list)
    mentions: list[Located[m.Mention]] = field(default_factory=list)
    corroborations: list[Located[m.Corroboration]] = field(default_factory=list)


class Units:
    """An :class:`AnnotationSet` split by the graph each record belongs to."""

    def __init__(self, aset: AnnotationSet):
        self.aset = aset
        self.base = MapContext(
            sections={
                rid: sorted((s.start or 0, section_iri(rid, s.id)) for s in rf.sections)
                for rid, rf in aset.reports.items()
            },
            snapshots={rid: snapshot_iri(rf.meta.sha256) for rid, rf in aset.reports.items()},
        )
        self.records: dict[str, _Records] = defaultdict(_Records)
        for loc in aset.entities.values():
            self.records[loc.origin.graph].entities.append(loc)
        for ref, fact in aset.facts.items():
            self.records[fact.origin.graph].facts.append((ref, fact))
        for mention in aset.mentions:
            self.records[mention.origin.graph].mentions.append(mention)
        for corr in aset.corroborations:
            self.records[corr.origin.graph].corroborations.append(corr)
        self.corroborated = {c.record.fact for c in aset.corroborations}
        self.files: dict[str, list[Path]] = defaultdict(list)
        by_path = {rf.path: rid for rid, rf in aset.reports.items()}
        for path in aset.files:
            if path in by_path:
                self.files[f"report/{by_path[path]}"].append(path)
            elif path.name == "entities.yaml":
                self.files["entities"].append(path)
            elif path.parent.name == "assessments":
                self.files["assessments"].append(path)

    def names(self) -> list[str]:
        """Every unit, in build order: the shared graphs, then the reports by id."""
        reports = [f"report/{rid}" for rid in sorted(self.aset.reports)]
        return ["entities", "assessments", *reports]

    def context(self, graph: str) -> MapContext:
        report = graph.split("/", 1)[1] if graph.startswith("report/") else None
        return MapContext(report=report, sections=self.base.sections, snapshots=self.base.snapshots)

    def framed(self, graph: str) -> str:
        """The unit's own figures that some unit corroborates (each gets its statement frame)."""
        return " ".join(
            sorted(
                ref
                for ref, fact in self.records[graph].facts
                if ref in self.corroborated and isinstance(fact.record, m.Statistic)
            )
        )

    def dependency(self, key: str) -> str:
        """The current value of a dependency recorded by :func:`map_unit`."""
        kind, _, name = key.partition(":")
        if kind == "report":
            sections = self.base.sections.get(name)
            snapshot = self.base.snapshots.get(name)
            return _digest(repr((str(snapshot), [(s, str(i)) for s, i in sections or []])))
        if kind == "name":
            entity = self.aset.entities.get(name)
            return entity.record.name if entity is not None else ""
        if kind == "statistic":
            fact = self.aset.facts.get(name)
            return "yes" if fact is not None and isinstance(fact.record, m.Statistic) else "no"
        if kind == "framed":
            return self.framed(name)
        raise KeyError(key)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def map_unit(units: Units, graph: str) -> tuple[list[Triple], Dependencies]:
    """Every triple of one named graph, and what it read from other units; an unmappable record
    is reported with its place (one AnnotationError listing every problem)."""
    aset, records = units.aset, units.records[graph]
    ctx = units.context(graph)
    out: list[Triple] = []
    deps: Dependencies = {f"framed:{graph}": units.framed(graph)}
    problems: list[Problem] = []
    if ctx.report is not None:
        out += map_report(aset.reports[ctx.report].meta)
        for order, section in enumerate(aset.reports[ctx.report].sections, start=1):
            out += map_section(section, order, ctx)
    for loc in records.entities:
        try:
            out += map_entity(loc.record, ctx)
        except (ValueError, KeyError) as exc:
            problems.append(loc.origin.problem(None, str(exc)))
    for ref, fact in records.facts:
        try:
            out += FACT_MAPPERS[type(fact.record)](fact.record, ctx)
        except (ValueError, KeyError) as exc:
            problems.append(fact.origin.problem(None, f"{ref}: {exc}"))
        if ref in units.corroborated and isinstance(fact.record, m.Statistic):
            out += _frame(ref, fact, ctx, problems)
    for mention in records.mentions:
        rec = mention.record
        assert rec.entity is not None
        name = aset.entities[rec.entity].record.name
        deps[f"name:{rec.entity}"] = name
        try:
            out += map_mention(rec, rec.entity, name, ctx)
        except ValueError as exc:
            problems.append(mention.origin.problem("exact", str(exc)))
    for corr in records.corroborations:
        ref = corr.record.fact
        deps[f"statistic:{ref}"] = units.dependency(f"statistic:{ref}")
        try:
            out += evidence_triples(ref_iri(ref), corr.record.evidence, ctx)
            if deps[f"statistic:{ref}"] == "yes":
                out += map_statement(ref, ctx.report or "", corr.record, corr.record.evidence, ctx)
        except ValueError as exc:
            problems.append(corr.origin.problem("evidence", str(exc)))
    if problems:
        raise AnnotationError(problems)
    for report in ctx.used:
        deps[f"report:{report}"] = units.dependency(f"report:{report}")
    return out, deps


def _frame(
    ref: str, fact: Located[m.Fact], ctx: MapContext, problems: list[Problem]
) -> list[Triple]:
    """The statement frame of a figure stated in its own report, made when others corroborate
    it (as the figure's own triples, in its own graph)."""
    record = fact.record
    assert isinstance(record, m.Statistic)
    try:
        return map_statement(ref, ctx.report or "", record, record.evidence, ctx)
    except ValueError as exc:
        problems.append(fact.origin.problem("evidence", str(exc)))
        return []

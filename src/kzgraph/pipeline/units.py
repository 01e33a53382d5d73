"""The map and validate stages, unit by unit: each named graph of the annotations (a report, the
shared entities, the assessments) is mapped and validated on its own, from the cache when its
inputs did not change (:mod:`kzgraph.pipeline.cache`), otherwise in a pool of worker processes
across the cores (docs/decisions/0026-incremental-build.md).

Validation of a unit: SHACL and the data checks over its own triples, the vocabularies, and the
types of the nodes of other units it points at (what ``sh:class`` reads), with only the unit's
own nodes' results kept (those it types, and the subjects of a ``sh:targetSubjectsOf``
property). Units are validated in batches (pySHACL reads the shapes once per call); each
violation is put to the units whose focus node it names.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kzgraph.annotations import AnnotationError, AnnotationSet
from kzgraph.annotations.errors import Problem
from kzgraph.iris import graph_iri
from kzgraph.mapping.context import Triple
from kzgraph.mapping.dataset import new_dataset
from kzgraph.mapping.units import Units, map_unit
from kzgraph.namespaces import RDF, SH
from kzgraph.pipeline.cache import Mapped, UnitCache, code_version, digest, files_digest
from kzgraph.pipeline.validate import Violation, data_checks, validate

if TYPE_CHECKING:
    from kzgraph.pipeline.stages import Ontology

T = TypeVar("T")
R = TypeVar("R")


def workers() -> int:
    """Worker processes for the pool: one per core (``KZGRAPH_BUILD_WORKERS`` overrides)."""
    return max(1, int(os.environ.get("KZGRAPH_BUILD_WORKERS") or os.cpu_count() or 1))


@dataclass
class UnitStats:
    """How many units a run mapped and validated, and how many came from the cache."""

    units: int = 0
    mapped: list[str] = field(default_factory=list)
    validated: list[str] = field(default_factory=list)
    pruned: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "units": self.units,
            "mapped": len(self.mapped),
            "validated": len(self.validated),
            "pruned": self.pruned,
        }


# what the pool's workers read, set before the pool forks (never pickled)
_JOB: dict[str, Any] = {}


def _pool_map(fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """``fn`` over ``items``: in this process for one item, else in forked worker processes."""
    n = min(workers(), len(items))
    if n <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(fn, items)
        return
    with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(fn, items)


def _batches(names: list[str], sizes: dict[str, int], parts: int) -> list[list[str]]:
    """``names`` cut into about ``parts`` runs of similar total size, in order."""
    total = sum(sizes[n] for n in names) or 1
    target = max(1, total // max(1, parts))
    out: list[list[str]] = [[]]
    filled = 0
    for name in names:
        if out[-1] and filled >= target:
            out.append([])
            filled = 0
        out[-1].append(name)
        filled += sizes[name]
    return [b for b in out if b]


class UnitBuild:
    """One run's units: what to map and validate, and what the cache holds."""

    def __init__(
        self, aset: AnnotationSet, onto: Ontology, cache_dir: Path | None, *, writable: bool
    ):
        self.units = Units(aset)
        self.onto = onto
        self.cache = UnitCache(cache_dir, writable=writable)
        self.names = self.units.names()
        self.stats = UnitStats(units=len(self.names))
        self.mapped: dict[str, Mapped] = {}  # until the dataset is made
        self.identity: dict[str, str] = {}
        # each unit's triples, until validated: rdflib's dataset answers a pattern within one
        # graph by scanning that pattern in every graph (quadratic over 1,000 units)
        self.triples: dict[str, list[Triple]] = {}
        code = code_version()
        self.map_keys = {
            n: digest(code, n, files_digest(self.units.files.get(n, []))) for n in self.names
        }
        files = onto.files
        checks = sorted((files.shapes.parent / "qc").glob("*-violation.rq"))
        self.rules = digest(
            code, files_digest([files.ontology, files.vocabularies, files.shapes, *checks])
        )

    # -- map -------------------------------------------------------------------------------

    def validate_with_entities(self, triples: list[Triple]) -> None:
        """Triples made outside the annotations (the GeoNames reference graph: links and
        coordinates of the entities' places), validated with the entities unit, whose validation
        they then key too."""
        if not triples or "entities" not in self.triples:
            return
        self.triples["entities"] = [*self.triples["entities"], *triples]
        extra = digest(*sorted(repr(t) for t in triples))
        self.identity["entities"] = digest(self.identity["entities"], extra)

    def _cached(self, name: str) -> Mapped | None:
        entry = self.cache.mapped(name)
        if entry is None or entry.key != self.map_keys[name]:
            return None
        for key, value in entry.dependencies.items():
            if self.units.dependency(key) != value:
                return None
        return entry

    def map(self, progress: Callable[[str], None]) -> Dataset:
        """Every unit's triples into its named graph: from the cache, or mapped (in the pool when
        several changed). Problems of every unit are raised at once; the units that mapped are
        cached all the same."""
        todo = []
        for name in self.names:
            entry = self._cached(name)
            if entry is None:
                todo.append(name)
            else:
                self.mapped[name] = entry
        sizes = {n: len(self.units.records[n].facts) + 1 for n in todo}
        _JOB.update(build=self)
        problems: list[Problem] = []
        try:
            batches = _batches(todo, sizes, workers() * 4)
            # workers hand their triples back through the cache: without it, one process
            run = _pool_map if self.cache.writable else map
            for batch, done in zip(batches, run(_map_batch, batches), strict=True):
                for name, found in zip(batch, done, strict=True):
                    if found:
                        problems += found
                        continue
                    # mapped in this process, or by a worker (which wrote it to the cache)
                    entry = _MAPPED.pop(name, None) or self.cache.mapped(name)
                    assert entry is not None
                    self.mapped[name] = entry
                    self.stats.mapped.append(name)
        finally:
            _JOB.clear()
            _MAPPED.clear()
        if problems:
            raise AnnotationError(problems)
        progress(
            f"mapped {len(todo)} of {len(self.names)} units "
            f"({len(self.names) - len(todo)} from the cache)"
        )
        ds = new_dataset()
        for name in self.names:
            g = ds.graph(graph_iri(name))
            g.addN((s, p, o, g) for s, p, o in self.mapped[name].triples)
            self.identity[name] = self.mapped[name].identity
            self.triples[name] = self.mapped[name].triples
        self.mapped.clear()
        return ds

    def map_one(self, name: str) -> list[Problem]:
        try:
            triples, deps = map_unit(self.units, name)
        except AnnotationError as exc:
            return exc.problems
        entry = Mapped(self.map_keys[name], deps, triples)
        self.cache.put_mapped(name, entry)
        _MAPPED[name] = entry
        return []

    # -- validate --------------------------------------------------------------------------

    def validate(self, ds: Dataset, progress: Callable[[str], None]) -> list[Violation]:
        """Every unit validated, or its conforming result taken from the cache; returns every
        violation (the units that conform are cached all the same)."""
        for name in self.names:
            if name not in self.triples:  # validating a dataset this object did not map
                self.triples[name] = list(ds.graph(graph_iri(name)))
                self.identity[name] = digest(*sorted(repr(t) for t in self.triples[name]))
        jobs: dict[str, _Unit] = {}
        for name, unit in _contexts(self.triples, self.onto.shapes).items():
            key = digest(self.rules, self.identity[name], unit.context_digest())
            if not self.cache.conforms(name, key):
                jobs[name] = unit
                unit.key = key
        sizes = {n: len(u.triples) for n, u in jobs.items()}
        # the shared units first, each alone: the entities' claims (a SPARQL constraint per
        # role) are the longest single job; the reports share the other workers
        shared: list[list[str]] = [[n] for n in ("entities", "assessments") if n in jobs]
        reports = [n for n in jobs if n.startswith("report/")]
        batches = shared + _batches(reports, sizes, workers() * 2)
        _JOB.update(build=self, jobs=jobs)
        violations: list[Violation] = []
        # a build forks; a check or an ingest (in a server's threads) validates in its process
        run = _pool_map if self.cache.writable else map
        try:
            for batch, found in zip(batches, run(_validate_batch, batches), strict=True):
                failed = {u for _, units in found for u in units}
                for name in batch:
                    self.stats.validated.append(name)
                    if name not in failed:
                        self.cache.put_conforms(name, jobs[name].key)
                violations += [v for v, _ in found]
        finally:
            _JOB.clear()
            self.triples.clear()
        progress(
            f"validated {len(jobs)} of {len(self.names)} units "
            f"({len(self.names) - len(jobs)} from the cache)"
        )
        return sorted(set(violations), key=str)

    def keep(self) -> None:
        """The build succeeded: the new entries join the cache, those of units that are gone
        (a report removed) leave it."""
        self.cache.commit()
        self.stats.pruned = self.cache.prune(self.names)


_MAPPED: dict[str, Mapped] = {}


def _map_batch(batch: list[str]) -> list[list[Problem]]:
    build: UnitBuild = _JOB["build"]
    return [build.map_one(name) for name in batch]


@dataclass
class _Unit:
    """One unit's graph with what its validation reads from the others."""

    triples: list[Triple]
    focus: set[Node]
    context: list[Triple]
    key: str = ""

    def context_digest(self) -> str:
        return digest(*(f"{s} {p} {o}" for s, p, o in self.context))


Edge = tuple[str, Node, Node]  # the unit it is stated in, and a term (predicate, other node)


def _contexts(units: dict[str, list[Triple]], shapes: Graph) -> dict[str, _Unit]:
    """Each unit with its context: the types of the nodes of other units it points at or says
    something of; and of its own nodes, what other units state of them (a figure's corroborating
    evidence, an entity's labels) and the edges to them that the shapes follow backwards
    (``sh:inversePath``: mentions of an entity, the report an organisation publishes), at most
    two per node and property (the shapes count them up to one) with their nodes' types."""
    inverse = set(shapes.objects(None, SH.inversePath))
    subject_targets = set(shapes.objects(None, SH.targetSubjectsOf))
    types: dict[Node, set[Node]] = defaultdict(set)
    own: dict[str, set[Node]] = {}
    for name, triples in units.items():
        own[name] = set()
        for s, p, o in triples:
            if p == RDF.type:
                types[s].add(o)
                own[name].add(s)
    outside: dict[str, set[Node]] = {}
    said_of: dict[Node, list[Edge]] = defaultdict(list)  # s -> (unit, p, o), s not its own
    pointed: dict[Node, list[Edge]] = defaultdict(list)  # o -> (unit, p, s), p followed back
    targeted: dict[str, set[Node]] = defaultdict(set)
    for name, triples in units.items():
        mine, seen = own[name], outside.setdefault(name, set())
        for s, p, o in triples:
            if p in subject_targets:
                targeted[name].add(s)
            if s not in mine and s in types:
                seen.add(s)
                said_of[s].append((name, p, o))
            if isinstance(o, URIRef) and o not in mine and o in types:
                seen.add(o)
                if p in inverse:
                    pointed[o].append((name, p, s))
    out = {}
    for name, triples in units.items():
        mine, seen = own[name], outside[name]
        edges: set[Triple] = set()
        for node in mine:
            for table, forward in ((said_of, True), (pointed, False)):
                chosen: dict[Node, int] = defaultdict(int)
                for unit, p, other in sorted(table.get(node, ())):
                    if unit != name and chosen[p] < 2:
                        chosen[p] += 1
                        edges.add((node, p, other) if forward else (other, p, node))
                        if other in types:
                            seen.add(other)
        types_of = ((n, RDF.type, t) for n in seen - mine for t in types[n])
        out[name] = _Unit(triples, mine | targeted[name], sorted([*edges, *types_of]))
    return out


def _validate_batch(batch: list[str]) -> list[tuple[Violation, list[str]]]:
    """SHACL and the data checks over a batch of units; each violation with the units whose
    focus node it names."""
    build: UnitBuild = _JOB["build"]
    jobs: dict[str, _Unit] = _JOB["jobs"]
    onto, aset = build.onto, build.units.aset
    data = Graph()
    owner: dict[Node, list[str]] = defaultdict(list)
    for name in batch:
        unit = jobs[name]
        data.addN((s, p, o, data) for s, p, o in unit.triples)
        data.addN((s, p, o, data) for s, p, o in unit.context)
        for node in unit.focus:
            owner[node].append(name)
    if not owner:  # nothing of its own to validate
        return []
    data.addN((s, p, o, data) for s, p, o in onto.vocabularies)
    # the other units' nodes in the context are validated too, and their results dropped:
    # pySHACL's focus_nodes option looks each node up in a list (quadratic)
    found = validate(data, onto.shapes, onto.ontology, aset, inplace=True)
    found += data_checks(data, onto.files.shapes.parent / "qc", aset)
    return [(v, owner[v.focus]) for v in found if v.focus in owner]

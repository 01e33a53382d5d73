"""The build: load -> check keys -> map -> SHACL -> OWL 2 RL -> write dumps to build/.

Each stage is a function of its inputs; :class:`kzgraph.core.KnowledgeGraph` strings them together.
"""

from __future__ import annotations

import functools
import gc
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar, cast

from rdflib import Dataset, Graph
from rdflib.graph import ReadOnlyGraphAggregate

from kzgraph import __version__
from kzgraph.annotations import AnnotationError, AnnotationSet, load_annotations
from kzgraph.annotations.vocab import Vocabulary
from kzgraph.iris import graph_iri
from kzgraph.mapping.dataset import map_annotations, new_dataset
from kzgraph.pipeline import serialise
from kzgraph.pipeline.dumps import write_compressed
from kzgraph.pipeline.reason import inferred_triples
from kzgraph.pipeline.validate import Violation, data_checks, validate

Progress = Callable[[str], None]
F = TypeVar("F", bound=Callable[..., Any])


def _no_gc_pauses(stage: F) -> F:
    """Run a build stage with Python's cyclic garbage collector off (back on after): the stages
    make millions of long-lived rdflib objects, and every full collection walks them all (~25%
    of the build at 100k triples, more at 1M). Reference counting still frees everything else."""

    @functools.wraps(stage)
    def run(*args: Any, **kwargs: Any) -> Any:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return stage(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()

    return cast(F, run)


class ValidationFailed(Exception):
    """The mapped data does not conform to the shapes."""

    def __init__(self, violations: list[Violation]):
        self.violations = violations
        lines = [f"{len(violations)} SHACL violation(s):", *(f"  {v}" for v in violations)]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class OntologyFiles:
    ontology: Path
    vocabularies: Path
    shapes: Path

    @classmethod
    def in_dir(cls, directory: Path) -> OntologyFiles:
        return cls(
            directory / "kzgraph.ttl", directory / "vocabularies.ttl", directory / "shapes.ttl"
        )

    def load(self) -> tuple[Graph, Graph, Graph]:
        return (
            Graph().parse(self.ontology, format="turtle"),
            Graph().parse(self.vocabularies, format="turtle"),
            Graph().parse(self.shapes, format="turtle"),
        )


@dataclass
class BuildResult:
    dataset: Dataset
    annotations: AnnotationSet
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)

    def asserted(self) -> Graph:
        """Union of the report, entity and assessment graphs (what the annotations state)."""
        g = Graph()
        for name in _data_graph_names(self.annotations):
            for t in self.dataset.graph(graph_iri(name)):
                g.add(t)
        return g

    def asserted_view(self) -> Graph:
        """The same union as :meth:`asserted`, as a read-only view over the dataset's graphs
        (no copy; a triple stated in several graphs comes once per graph when iterated)."""
        return ReadOnlyGraphAggregate(
            [self.dataset.graph(graph_iri(n)) for n in _data_graph_names(self.annotations)]
        )


def _data_graph_names(aset: AnnotationSet) -> list[str]:
    return ["entities", "assessments", *(f"report/{rid}" for rid in sorted(aset.reports))]


@_no_gc_pauses
def map_and_check(data_dir: Path, files: OntologyFiles, progress: Progress) -> BuildResult:
    """Load, check vocabulary keys, map and validate; raise with every problem found."""
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    aset = load_annotations(data_dir)
    ontology, vocabularies, shapes = files.load()
    problems = Vocabulary.from_graph(vocabularies).check(aset)
    if problems:
        raise AnnotationError(problems)
    ds = map_annotations(aset)
    timings["map"] = time.perf_counter() - t0
    progress(f"mapped {len(aset.files)} files: {sum(len(g) for g in ds.graphs())} triples")
    result = BuildResult(ds, aset, timings)
    t0 = time.perf_counter()
    data = result.asserted()
    data.addN((s, p, o, data) for s, p, o in vocabularies)
    violations = validate(data, shapes, ontology, aset, inplace=True)  # data: a copy of our own
    violations += data_checks(data, files.shapes.parent / "qc", aset)
    timings["shacl"] = time.perf_counter() - t0
    if violations:
        raise ValidationFailed(violations)
    progress(f"SHACL: conforms ({timings['shacl']:.1f} s)")
    for name, graph in (("ontology", ontology), ("vocabularies", vocabularies)):
        target = ds.graph(graph_iri(name))
        for t in graph:
            target.add(t)
    return result


@_no_gc_pauses
def reason(result: BuildResult, files: OntologyFiles, progress: Progress) -> None:
    t0 = time.perf_counter()
    ontology, _, _ = files.load()
    inferred = inferred_triples(result.asserted_view(), ontology)  # no copy of the data
    target = result.dataset.graph(graph_iri("inferred"))
    target.addN((s, p, o, target) for s, p, o in inferred)
    result.timings["owlrl"] = time.perf_counter() - t0
    progress(f"OWL 2 RL: {len(inferred)} inferred triples ({result.timings['owlrl']:.1f} s)")


@_no_gc_pauses
def write_outputs(result: BuildResult, files: OntologyFiles, out: Path, progress: Progress) -> None:
    """N-Quads (the artefact everything else reads), TriG, Turtle (all graphs merged), JSON-LD,
    and the ontology copies."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    ds = result.dataset
    written = []
    for name, data in serialise.serialisations(ds, files.ontology):  # pyoxigraph's writers
        _atomic_write(out / name, data)
        written.append(out / name)
    written += write_compressed(out)  # kzgraph.nq.gz, .trig.gz, .ttl.gz for /dumps/
    ontology, _, _ = files.load()
    onto_dir = out / "ontology"
    onto_dir.mkdir(exist_ok=True)
    _atomic_write(onto_dir / "kzgraph.owl", ontology.serialize(format="xml", encoding="utf-8"))
    _atomic_write(onto_dir / "kzgraph.ttl", files.ontology.read_bytes())
    _atomic_write(onto_dir / "index.html", ontology_html(files.ontology).encode("utf-8"))
    written += [onto_dir / "kzgraph.owl", onto_dir / "kzgraph.ttl", onto_dir / "index.html"]
    manifest = {
        "version": __version__,
        "graphs": {str(g.identifier): len(g) for g in ds.graphs() if len(g)},
        "triples": sum(len(g) for g in ds.graphs()),
        "timings_seconds": {k: round(v, 3) for k, v in result.timings.items()},
    }
    _atomic_write(out / "manifest.json", json.dumps(manifest, indent=2, sort_keys=True).encode())
    written.append(out / "manifest.json")
    result.outputs = written
    result.timings["write"] = time.perf_counter() - t0
    progress(f"wrote {', '.join(p.name for p in written)} to {out}")


def ontology_html(path: Path) -> str:
    """Human-readable documentation of the ontology, made by pyLODE."""
    import logging

    from pylode import OntPub

    level = logging.getLogger().level
    try:
        html: str = OntPub(str(path)).make_html()
    finally:
        logging.getLogger().setLevel(level)
    return html


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def load_built(path: Path) -> Dataset:
    ds = new_dataset()
    ds.parse(path, format="nquads")
    return ds

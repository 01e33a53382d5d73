"""The build's stages, each a function of its inputs: load (annotation files, evidence offsets,
the ontology), map (vocabulary keys, RDF), validate (SHACL and the data checks), reason (OWL 2
RL) and write (the dumps to build/). :func:`kzgraph.pipeline.run.run` strings them together with
the store stage (:mod:`kzgraph.pipeline.sync`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
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
from kzgraph.annotations.evidence import missing_offsets
from kzgraph.annotations.vocab import Vocabulary
from kzgraph.iris import graph_iri
from kzgraph.mapping.dataset import new_dataset
from kzgraph.mapping.reference import GEONAMES_GRAPH, geonames_triples
from kzgraph.pipeline import serialise
from kzgraph.pipeline.dumps import write_compressed
from kzgraph.pipeline.reason import inferred_triples
from kzgraph.pipeline.units import UnitBuild
from kzgraph.pipeline.validate import Violation

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


@dataclass(frozen=True)
class Ontology:
    """The ontology, the vocabularies and the shapes, parsed once for a run: every stage reads
    these graphs, and none changes them."""

    files: OntologyFiles
    ontology: Graph
    vocabularies: Graph
    shapes: Graph

    @classmethod
    def parse(cls, files: OntologyFiles) -> Ontology:
        return cls(files, *files.load())


@dataclass
class BuildResult:
    """What a run made: the dataset, from the annotations and the ontology it was made with."""

    dataset: Dataset
    annotations: AnnotationSet
    ontology: Ontology
    timings: dict[str, float] = field(default_factory=dict)
    outputs: list[Path] = field(default_factory=list)
    units: UnitBuild | None = None  # what the map stage took from the cache and what it made

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


def checked_annotations(data_dir: Path) -> AnnotationSet:
    """Every annotation file of ``data_dir``, read and checked, evidence offsets included (raises
    one AnnotationError listing every problem)."""
    aset = load_annotations(data_dir)
    problems = missing_offsets(aset)
    if problems:
        raise AnnotationError(problems)
    return aset


@_no_gc_pauses
def load(data_dir: Path, files: OntologyFiles) -> tuple[AnnotationSet, Ontology]:
    """The load stage: the annotations (:func:`checked_annotations`) and the parsed ontology."""
    return checked_annotations(data_dir), Ontology.parse(files)


@_no_gc_pauses
def map_data(
    aset: AnnotationSet,
    onto: Ontology,
    progress: Progress,
    cache_dir: Path | None = None,
    *,
    keep: bool = True,
    data_dir: Path | None = None,
) -> BuildResult:
    """The map stage: check the vocabulary keys, then map every unit (a report, the entities,
    the assessments) into its named graph, from the cache in ``cache_dir`` when its inputs did
    not change, the others in a pool of processes (:mod:`kzgraph.pipeline.units`); with
    ``keep``, what was made is cached. The places' GeoNames matches (``data_dir``'s reference
    table) go into the reference graph, validated with the entities."""
    problems = Vocabulary.from_graph(onto.vocabularies).check(aset)
    if problems:
        raise AnnotationError(problems)
    units = UnitBuild(aset, onto, cache_dir, writable=keep)
    ds = units.map(progress)
    if data_dir is not None:
        triples = list(geonames_triples(aset, data_dir))
        reference = ds.graph(GEONAMES_GRAPH)
        reference.addN((s, p, o, reference) for s, p, o in triples)
        units.validate_with_entities(triples)
    progress(f"mapped {len(aset.files)} files: {sum(len(g) for g in ds.graphs())} triples")
    return BuildResult(ds, aset, onto, units=units)


@_no_gc_pauses
def validate_data(result: BuildResult, progress: Progress) -> None:
    """The validate stage: SHACL and the data quality checks, unit by unit (those whose inputs
    did not change are taken from the cache; raises ValidationFailed with every violation); then
    the ontology and vocabularies join the dataset as graphs of their own."""
    t0 = time.perf_counter()
    onto = result.ontology
    units = result.units or UnitBuild(result.annotations, onto, None, writable=False)
    violations = units.validate(result.dataset, progress)
    result.timings["shacl"] = time.perf_counter() - t0
    if violations:
        raise ValidationFailed(violations)
    progress(f"SHACL: conforms ({result.timings['shacl']:.1f} s)")
    for name, graph in (("ontology", onto.ontology), ("vocabularies", onto.vocabularies)):
        target = result.dataset.graph(graph_iri(name))
        for t in graph:
            target.add(t)


@_no_gc_pauses
def reason(result: BuildResult, progress: Progress) -> None:
    """The reason stage: the OWL 2 RL inferences into the ``inferred`` graph."""
    t0 = time.perf_counter()
    # no copy of the data
    inferred = inferred_triples(result.asserted_view(), result.ontology.ontology)
    target = result.dataset.graph(graph_iri("inferred"))
    target.addN((s, p, o, target) for s, p, o in inferred)
    result.timings["owlrl"] = time.perf_counter() - t0
    progress(f"OWL 2 RL: {len(inferred)} inferred triples ({result.timings['owlrl']:.1f} s)")


@_no_gc_pauses
def write_outputs(result: BuildResult, out: Path, progress: Progress) -> None:
    """The write stage: N-Quads (the artefact everything else reads), TriG, Turtle (all graphs
    merged), JSON-LD, and the ontology copies."""
    t0 = time.perf_counter()
    out.mkdir(parents=True, exist_ok=True)
    ds, onto = result.dataset, result.ontology
    files = onto.files
    written = []
    for name, data in serialise.serialisations(ds, files.ontology):  # pyoxigraph's writers
        _atomic_write(out / name, data)
        written.append(out / name)
    written += write_compressed(out)  # kzgraph.nq.gz, .trig.gz, .ttl.gz for /dumps/
    onto_dir = out / "ontology"
    onto_dir.mkdir(exist_ok=True)
    owl = onto.ontology.serialize(format="xml", encoding="utf-8")
    _atomic_write(onto_dir / "kzgraph.owl", owl)
    _atomic_write(onto_dir / "kzgraph.ttl", files.ontology.read_bytes())
    _atomic_write(onto_dir / "index.html", _ontology_page(files.ontology, out / "cache"))
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


def _ontology_page(path: Path, cache: Path) -> bytes:
    """The ontology's HTML page, made again only when the ontology file or pyLODE changed
    (~3 s of every build otherwise)."""
    from importlib.metadata import version

    key = hashlib.sha256(path.read_bytes() + version("pylode").encode()).hexdigest()[:32]
    kept = cache / "ontology" / f"{key}.html"
    if kept.exists():
        return kept.read_bytes()
    page = ontology_html(path).encode("utf-8")
    kept.parent.mkdir(parents=True, exist_ok=True)
    for old in kept.parent.glob("*.html"):
        old.unlink()
    _atomic_write(kept, page)
    return page


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

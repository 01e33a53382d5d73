"""One run of the build: load -> map -> validate -> reason -> store -> write.

:func:`run` is the only place the stages are put in order. ``kzgraph check`` runs it to
``validate`` (nothing written), ``kzgraph build`` to the end, and an ingest to ``reason`` over a
staged data folder before its own commit (:mod:`kzgraph.pipeline.ingest`). Within a run the
annotation files are read once and the ontology files parsed once; each stage hands on what it
made (:class:`~kzgraph.pipeline.stages.BuildResult`, :class:`~kzgraph.pipeline.stages.Ontology`).

The store stage comes before the write stage: a store that cannot be brought in line (another
process holds it) fails the build before anything in ``build/`` is replaced, and a store that
was brought in line and a ``build/`` that was not are told apart by the mark an interrupted
ingest leaves (:mod:`kzgraph.pipeline.pending`), which a run that writes finishes first and
forgets last.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from kzgraph.mapping.dataset import new_dataset
from kzgraph.pipeline.pending import finish_before_build, marker_path
from kzgraph.pipeline.stages import (
    BuildResult,
    OntologyFiles,
    Progress,
    load,
    map_data,
    reason,
    validate_data,
    write_outputs,
)
from kzgraph.pipeline.sync import sync_store
from kzgraph.settings import Settings

Stage = Literal["load", "map", "validate", "reason", "store", "write"]
STAGES: tuple[Stage, ...] = ("load", "map", "validate", "reason", "store", "write")


@dataclass(frozen=True)
class Inputs:
    """What a run reads (the annotation files, the ontology files) and where it writes."""

    data_dir: Path
    ontology: OntologyFiles
    build_dir: Path
    store_dir: Path  # the durable store, brought in line when it exists

    @classmethod
    def of(cls, settings: Settings) -> Inputs:
        return cls(
            settings.data_dir,
            OntologyFiles.in_dir(settings.ontology_dir),
            settings.build_dir,
            settings.durable_store_dir,
        )


def _quiet(_: str) -> None:
    pass


def run(
    inputs: Settings | Inputs,
    *,
    until: Stage = "write",
    reasoning: bool = True,
    validated: Callable[[BuildResult], None] | None = None,
    progress: Progress = _quiet,
) -> BuildResult:
    """Run the stages in order up to and including ``until``; on any error nothing in
    ``build/`` is replaced. ``reasoning=False`` skips the reason stage only. ``validated`` is
    called once the data validate, before the reason stage (an ingest checks the new report's
    evidence there). A run that stores or writes first finishes an ingest that was killed
    after its commit."""
    given = Inputs.of(inputs) if isinstance(inputs, Settings) else inputs
    last = STAGES.index(until)

    def reaches(stage: Stage) -> bool:
        return STAGES.index(stage) <= last

    if reaches("store"):
        finished = finish_before_build(given.build_dir, given.data_dir, given.store_dir)
        if finished:
            progress(finished)
    t0 = time.perf_counter()
    aset, onto = load(given.data_dir, given.ontology)
    if not reaches("map"):
        return BuildResult(new_dataset(), aset, onto)
    # the unit cache (build/cache/units) is read by every run, written by those that write
    cache = given.build_dir / "cache" / "units"
    result = map_data(aset, onto, progress, cache, keep=reaches("write"), data_dir=given.data_dir)
    result.timings["map"] = time.perf_counter() - t0  # load and map
    if not reaches("validate"):
        return result
    validate_data(result, progress)
    if validated is not None:
        validated(result)
    if reasoning and reaches("reason"):
        reason(result, progress)
    if reaches("store"):
        sync_store(given.store_dir, result)
    if reaches("write"):
        write_outputs(result, given.build_dir, progress)
        if result.units is not None:
            result.units.keep()  # the unit cache, build/cache/units
        marker_path(given.build_dir).unlink(missing_ok=True)
    return result

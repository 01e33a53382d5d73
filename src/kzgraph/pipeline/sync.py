"""The store stage: bring the durable store (when there is one) in line with a build, in one
transaction (:mod:`kzgraph.store.durable`, docs/decisions/0010-ingest.md).

A build that finds no store creates none: the store is made by the first ingest.
"""

from __future__ import annotations

from pathlib import Path

from kzgraph.pipeline.stages import BuildResult
from kzgraph.store.durable import Changeset, DurableStore, diff, memory_store


def sync_store(store_dir: Path, result: BuildResult) -> Changeset:
    """Make the store in ``store_dir`` hold a build's dataset, when that store exists; returns
    what changed (StoreBusy when another process holds it)."""
    if not store_dir.exists():
        return Changeset()
    new = memory_store(result.dataset.serialize(format="nquads", encoding="utf-8"))
    with DurableStore.open(store_dir) as store:
        changes = diff(store.oxigraph, new)
        store.apply(changes)
    return changes

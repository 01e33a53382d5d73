"""The durable store: an on-disk pyoxigraph (RocksDB) copy of the dataset, changed only in one
transaction at a time.

pyoxigraph 0.5 documents ``Store.update`` (a whole SPARQL Update request, every operation in it)
and ``Store.extend`` as transactional ("either the full operation succeeds, or nothing is written
to the database"), and ``bulk_load``/``bulk_extend`` as not. So every change to an existing store
is one update request: ``DROP GRAPH`` for graphs that go or are replaced whole, one ``DELETE
DATA`` and one ``INSERT DATA``. A process killed at any point leaves the store as it was before
the request or as it is after it (tests/test_ingest.py kills one with SIGKILL to check). A new
store is loaded in a directory of its own and renamed into place. See docs/decisions/0010-ingest.md.
"""

from __future__ import annotations

import contextlib
import gc
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.compare import isomorphic


class StoreBusy(Exception):
    """Another process (a running server's ingest, another ``kzgraph ingest``) holds the store."""


@dataclass(frozen=True)
class GraphChange:
    """What happens to one named graph: triples removed and added (``replaced``: the graph has
    blank nodes, which cannot be matched by value, and is dropped and written again whole)."""

    graph: str
    removed: int
    added: int
    replaced: bool = False


@dataclass
class Changeset:
    """The difference between two datasets, as one SPARQL Update request."""

    changes: list[GraphChange] = field(default_factory=list)
    update: str = ""

    @property
    def empty(self) -> bool:
        return not self.changes

    def as_dict(self) -> dict[str, dict[str, int]]:
        return {c.graph: {"removed": c.removed, "added": c.added} for c in self.changes}


def _has_blank(quads: set[ox.Quad]) -> bool:
    return any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) for q in quads
    )


def _triple_text(q: ox.Quad) -> str:
    return f"{q.subject} {q.predicate} {q.object} ."


def _rdflib_graph(quads: set[ox.Quad]) -> Graph:
    text = "\n".join(_triple_text(q) for q in quads)
    return Graph().parse(data=text, format="nt")


def graph_quads(store: ox.Store, graph: str) -> set[ox.Quad]:
    return set(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))


def named_graphs(store: ox.Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}


def diff(old: ox.Store, new: ox.Store) -> Changeset:
    """What turns ``old`` into ``new``, named graph by named graph."""
    changes: list[GraphChange] = []
    drops: list[str] = []
    deletes: list[str] = []
    inserts: list[str] = []
    for graph in sorted(named_graphs(old) | named_graphs(new)):
        before, after = graph_quads(old, graph), graph_quads(new, graph)
        if before == after:
            continue
        block = f"GRAPH <{graph}> {{\n"
        if _has_blank(before) or _has_blank(after):
            if before and after and isomorphic(_rdflib_graph(before), _rdflib_graph(after)):
                continue
            changes.append(GraphChange(graph, len(before), len(after), replaced=True))
            drops.append(f"DROP SILENT GRAPH <{graph}>")
            if after:
                inserts.append(block + "\n".join(_triple_text(q) for q in after) + "\n}")
            continue
        removed, added = before - after, after - before
        changes.append(GraphChange(graph, len(removed), len(added)))
        if not after:
            drops.append(f"DROP SILENT GRAPH <{graph}>")
        elif removed:
            deletes.append(block + "\n".join(_triple_text(q) for q in removed) + "\n}")
        if added:
            inserts.append(block + "\n".join(_triple_text(q) for q in added) + "\n}")
    operations = [*drops]
    if deletes:
        operations.append("DELETE DATA {\n" + "\n".join(deletes) + "\n}")
    if inserts:
        # one INSERT DATA: blank node labels must not be shared between operations
        operations.append("INSERT DATA {\n" + "\n".join(inserts) + "\n}")
    return Changeset(changes, " ;\n".join(operations))


def memory_store(nquads: bytes) -> ox.Store:
    store = ox.Store()
    if nquads:
        store.load(nquads, format=ox.RdfFormat.N_QUADS)
    return store


class DurableStore:
    """The store directory, opened read-write (RocksDB allows one writer process at a time)."""

    def __init__(self, path: Path, store: ox.Store):
        self.path = path
        self._store: ox.Store | None = store

    @property
    def oxigraph(self) -> ox.Store:
        if self._store is None:
            raise RuntimeError(f"the store at {self.path} is closed")
        return self._store

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path, seed: Path | None = None) -> Iterator[DurableStore]:
        """Open the store at ``path``; when it does not exist yet, create it from the N-Quads file
        ``seed`` (if given and present) in a directory of its own, renamed into place when loaded.
        The store is closed on leaving the block."""
        if not path.exists():
            _create(path, seed)
        try:
            store = ox.Store(str(path))
        except OSError as exc:
            raise StoreBusy(
                f"cannot open the store at {path}: {exc}. Another process (a running "
                "'kzgraph serve' ingesting a report, or another 'kzgraph ingest') may hold it: "
                "wait for it to finish, or send the report to the server's POST /admin/reports"
            ) from None
        durable = cls(path, store)
        try:
            yield durable
        finally:
            durable._store = None
            del store
            gc.collect()  # RocksDB's lock is released when the last reference goes

    def apply(self, changeset: Changeset) -> None:
        """Apply a changeset in one transaction and flush it to disk."""
        if changeset.empty:
            return
        self.oxigraph.update(changeset.update)
        self.oxigraph.flush()

    def graph_sizes(self) -> dict[str, int]:
        return {g: len(graph_quads(self.oxigraph, g)) for g in sorted(named_graphs(self.oxigraph))}


def _create(path: Path, seed: Path | None) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f"{path.name}.new-*"):
        shutil.rmtree(stale, ignore_errors=True)  # left by a process killed while creating
    staging = path.with_name(f"{path.name}.new-{os.getpid()}")
    store = ox.Store(str(staging))
    if seed is not None and seed.exists():
        # not transactional, but nobody sees this directory until it is renamed
        store.bulk_load(path=str(seed), format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    gc.collect()
    staging.rename(path)


def read_nquads(path: Path) -> ox.Store:
    """An N-Quads file (a build's ``kzgraph.nq``) in memory; empty when the file is missing."""
    return memory_store(path.read_bytes() if path.exists() else b"")

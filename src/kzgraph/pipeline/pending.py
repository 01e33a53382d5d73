"""The mark an ingest leaves while the durable store may be ahead of ``data/`` and ``build/``.

Before its commit an ingest writes ``build/ingest-pending``: the report's id, its file's content
and a digest of the report's graph as the commit makes it. It is removed once ``data/`` and
``build/`` are written. When a kill falls between the commit and the end, the store holds a
report that ``data/`` lacks; whatever runs next on the store (``kzgraph build``, another
``kzgraph ingest``) first calls :func:`finish_interrupted`, which lands the file in
``data/reports/`` when the store shows the commit happened, and forgets the mark when it did not.
Without that, the next build (made from ``data/``) would drop the committed report from the store.
See docs/decisions/0010-ingest.md.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kzgraph.iris import graph_iri
from kzgraph.store.durable import DurableStore, graph_quads

MARKER = "ingest-pending"


@dataclass(frozen=True)
class Pending:
    report: str
    content: bytes  # the report file, as checked
    digest: str  # graph_digest of report/<id> after the commit


def marker_path(build_dir: Path) -> Path:
    return build_dir / MARKER


def graph_digest(store: ox.Store, report: str) -> str:
    """SHA-256 over the sorted quads of the report's graph (report graphs have no blank node)."""
    quads = sorted(str(q) for q in graph_quads(store, str(graph_iri(f"report/{report}"))))
    return hashlib.sha256("\n".join(quads).encode()).hexdigest()


def write_pending(build_dir: Path, pending: Pending) -> None:
    text = json.dumps(
        {
            "report": pending.report,
            "digest": pending.digest,
            "content": pending.content.decode("utf-8"),
        }
    )
    write_atomically(marker_path(build_dir), text.encode())


def read_pending(build_dir: Path) -> Pending | None:
    """The mark, or None; a mark that cannot be read (written by an older version, or cut
    short) names no content, so it is an error that says what to do."""
    path = marker_path(build_dir)
    if not path.exists():
        return None
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Pending(raw["report"], raw["content"].encode("utf-8"), raw["digest"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise InterruptedIngest(
            f"{path}: an interrupted ingest left this mark, in a form this version cannot "
            "read: run 'kzgraph ingest' on that report again to finish it, then build"
        ) from None


class InterruptedIngest(Exception):
    """The mark of an interrupted ingest is there but cannot be acted on."""


def finish_interrupted(build_dir: Path, data_dir: Path, store: ox.Store | None) -> str | None:
    """Land the file of an ingest that committed to ``store`` and was then killed; forget the
    mark of one killed before its commit. Returns what was done, for the progress output."""
    pending = read_pending(build_dir)
    if pending is None:
        return None
    if store is not None and graph_digest(store, pending.report) == pending.digest:
        target = data_dir / "reports" / f"{pending.report}.yaml"
        write_atomically(target, pending.content)
        return (
            f"finished the interrupted ingest of {pending.report}: the store holds it, "
            f"{target} written"
        )
    marker_path(build_dir).unlink()
    return f"an ingest of {pending.report} was interrupted before its commit: nothing to finish"


def finish_before_build(build_dir: Path, data_dir: Path, store_dir: Path) -> str | None:
    """:func:`finish_interrupted` for ``kzgraph build``, which opens the store only if there
    is a mark; the build removes the mark once it has written ``build/``."""
    if not marker_path(build_dir).exists():
        return None
    if not store_dir.exists():
        return finish_interrupted(build_dir, data_dir, None)
    with DurableStore.open(store_dir) as store:
        return finish_interrupted(build_dir, data_dir, store.oxigraph)


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` by a temporary file, fsync and rename; unchanged: no write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_bytes() == data:
        return
    tmp = path.with_name(f".{path.name}.tmp")
    with tmp.open("wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    tmp.replace(path)

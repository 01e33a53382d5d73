"""The unit cache under ``build/cache/units/``: each unit's mapped triples and its validation,
keyed by content hashes (docs/decisions/0026-incremental-build.md).

- A mapping is kept under its **map key**: the code version, the unit's name and the bytes of its
  file(s); it is reused only while every dependency it recorded (the sections of the reports its
  passages cite, the names its mentions use...: :mod:`kzgraph.mapping.units`) still has the value
  it had.
- A validation is kept under its **validation key**: the mapping's identity, the ontology, the
  vocabularies, the shapes and the quality checks, and the types of the nodes of other units it
  points at (what the shapes' class checks read). Only a conforming result is kept: a violation is
  found again, with the file and line of this build.

The code version is the package version and a hash of the source of the modules that read,
map and validate, so a change of code invalidates everything it could change. Entries are
pickles written atomically; an entry that cannot be read counts as missing.
"""

from __future__ import annotations

import functools
import hashlib
import pickle
import shutil
import tempfile
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzgraph import __version__
from kzgraph.mapping.context import Triple
from kzgraph.mapping.units import Dependencies

PACKAGE = Path(__file__).resolve().parent.parent
CODE = ("annotations", "mapping", "pipeline/validate.py", "pipeline/units.py", "iris.py")


@functools.cache
def code_version() -> str:
    """The package version and a hash of the modules a unit's triples and validation come from."""
    h = hashlib.sha256(__version__.encode())
    for name in CODE:
        path = PACKAGE / name
        for source in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(source.relative_to(PACKAGE).as_posix().encode())
            h.update(source.read_bytes())
    h.update((PACKAGE / "namespaces.py").read_bytes())
    return h.hexdigest()


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def files_digest(paths: Iterable[Path]) -> str:
    return digest(*(b for p in sorted(paths) for b in (p.name.encode(), p.read_bytes())))


@dataclass(frozen=True)
class Mapped:
    """A unit's cached mapping: its key, the dependencies it read, its triples."""

    key: str
    dependencies: Dependencies
    triples: list[Triple]

    @property
    def identity(self) -> str:
        """What the triples are a function of (part of the validation key)."""
        return digest(self.key, *(f"{k}={v}" for k, v in sorted(self.dependencies.items())))


class UnitCache:
    """The entries of one build folder's cache (``None`` as the folder: no cache). A cache that
    is not ``writable`` is read but never written (``kzgraph check`` writes nothing).

    New entries are staged in a temporary folder outside ``build/`` and moved in by
    :meth:`commit` once the build succeeded: a failed build writes nothing, and leaves the
    entries it found as they were; the staging folder goes when the cache object does."""

    def __init__(self, directory: Path | None, *, writable: bool = True):
        self.directory = directory
        self.writable = writable and directory is not None
        self.staging: Path | None = None
        if self.writable:
            self.staging = Path(tempfile.mkdtemp(prefix="kzgraph-units-"))
            weakref.finalize(self, shutil.rmtree, self.staging, True)

    def commit(self) -> None:
        """Move the new entries into the cache folder."""
        if self.staging is None or self.directory is None:
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        for path in self.staging.iterdir():
            shutil.move(path, self.directory / path.name)

    def _path(self, unit: str, kind: str, *, new: bool = False) -> Path | None:
        folder = self.staging if new else self.directory
        if folder is None:
            return None
        name = f"{digest(unit)[:32]}.{kind}"
        if not new and self.staging is not None and (self.staging / name).exists():
            return self.staging / name
        return folder / name

    def mapped(self, unit: str) -> Mapped | None:
        entry = self._read(self._path(unit, "map"))
        return entry if isinstance(entry, Mapped) else None

    def put_mapped(self, unit: str, mapped: Mapped) -> None:
        self._write(self._path(unit, "map", new=True), mapped)

    def conforms(self, unit: str, key: str) -> bool:
        return bool(self._read(self._path(unit, "valid")) == key)

    def put_conforms(self, unit: str, key: str) -> None:
        self._write(self._path(unit, "valid", new=True), key)

    def prune(self, units: Iterable[str]) -> int:
        """Delete the entries of units that are no longer built (a report removed); returns how
        many files went."""
        if not self.writable or self.directory is None or not self.directory.exists():
            return 0
        keep = {f"{digest(u)[:32]}.{k}" for u in units for k in ("map", "valid")}
        gone = 0
        for path in self.directory.iterdir():
            if path.name not in keep:
                path.unlink(missing_ok=True)
                gone += 1
        return gone

    @staticmethod
    def _read(path: Path | None) -> Any:
        if path is None or not path.exists():
            return None
        try:
            with path.open("rb") as f:
                return pickle.load(f)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None

    def _write(self, path: Path | None, value: object) -> None:
        if path is None or not self.writable:
            return
        tmp = path.with_name(f"{path.name}.tmp")
        with tmp.open("wb") as f:
            pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
        tmp.replace(path)

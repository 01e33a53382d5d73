"""The downloadable dumps: gzip copies of the build's serialisations, with their sizes and
SHA-256 checksums (for the /dumps/ page and the DCAT distributions), and their decompressed
content (size, checksum, byte ranges) for clients that cannot gunzip."""

from __future__ import annotations

import functools
import gzip
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kzgraph.formats import Format, dumped


def file_name(fmt: Format) -> str:
    """The dump's file in build/, uncompressed (e.g. kzgraph.nq)."""
    return "kzgraph" + fmt.suffix


def title(fmt: Format) -> str:
    """What the dump holds, after its format's label."""
    assert fmt.rdf is not None
    held = "every named graph" if fmt.rdf.supports_datasets else "all graphs merged into one"
    return f"{fmt.label}: {held}"


@dataclass(frozen=True)
class Dump:
    name: str  # e.g. kzgraph.nq.gz
    title: str
    media_type: str  # of the content once gunzipped
    path: Path
    size: int
    sha256: str
    modified: float  # POSIX time

    @property
    def format_name(self) -> str:
        return self.title.split(":", 1)[0]

    @property
    def document_name(self) -> str:
        """The name without ``.gz`` (e.g. kzgraph.nq): the path of the RDF document itself."""
        return self.name.removesuffix(".gz")

    def decoded(self) -> Decoded:
        """The size and SHA-256 of the content once gunzipped (computed once per file)."""
        return _decoded(self.path, self.size, self.modified)

    def read_decoded(self, start: int = 0, length: int | None = None) -> Iterator[bytes]:
        """The gunzipped content from byte ``start``, ``length`` bytes (to the end if None), in
        parts of at most :data:`CHUNK` bytes; never the whole file in memory."""
        left = length
        with gzip.open(self.path, "rb") as f:
            f.seek(start)  # gzip seeks forward by decompressing and discarding
            while left is None or left > 0:
                part = f.read(CHUNK if left is None else min(CHUNK, left))
                if not part:
                    return
                if left is not None:
                    left -= len(part)
                yield part


@dataclass(frozen=True)
class Decoded:
    size: int
    sha256: str


CHUNK = 256 * 1024


@functools.lru_cache(maxsize=16)
def _decoded(path: Path, size: int, modified: float) -> Decoded:  # size, modified: cache keys
    digest, total = hashlib.sha256(), 0
    with gzip.open(path, "rb") as f:
        while part := f.read(CHUNK):
            digest.update(part)
            total += len(part)
    return Decoded(total, digest.hexdigest())


def write_compressed(out: Path) -> list[Path]:
    """Gzip copies of the uncompressed dumps in ``out`` (reproducible: no name or time in the
    header). The JSON-LD is only ever written compressed."""
    written = []
    for fmt in dumped():
        name = file_name(fmt)
        source = out / name
        if not source.exists():
            continue
        target = out / f"{name}.gz"
        tmp = target.with_name(target.name + ".tmp")
        tmp.write_bytes(gzip.compress(source.read_bytes(), compresslevel=6, mtime=0))
        tmp.replace(target)
        written.append(target)
    return written


def file_sha256(path: Path) -> str:
    """The SHA-256 of a file, read in parts (hex)."""
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def find_dumps(build_dir: Path) -> list[Dump]:
    """The compressed dumps present in ``build_dir``, in the order of :func:`dump_formats`."""
    dumps = []
    for fmt in dumped():
        path = build_dir / f"{file_name(fmt)}.gz"
        if path.is_file():
            stat = path.stat()
            size, sha256 = stat.st_size, file_sha256(path)
            dumps.append(Dump(path.name, title(fmt), fmt.media, path, size, sha256, stat.st_mtime))
    return dumps

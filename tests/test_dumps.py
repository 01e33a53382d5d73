"""The gzip dumps and their DCAT description."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

from rdflib import Graph, URIRef

from kzgraph.pipeline.dumps import find_dumps, write_compressed
from kzgraph.site.catalog import DATASET, DCAT, SPDX, add_catalog


def _build_dir(tmp_path: Path) -> Path:
    (tmp_path / "kzgraph.nq").write_text(
        '<https://ex.org/a> <https://ex.org/p> "x" <https://ex.org/g> .\n'
    )
    (tmp_path / "kzgraph.ttl").write_text('<https://ex.org/a> <https://ex.org/p> "x" .\n')
    return tmp_path


def test_compressed_copies_are_reproducible_and_decompress_to_the_source(tmp_path: Path) -> None:
    out = _build_dir(tmp_path)
    written = write_compressed(out)
    assert [p.name for p in written] == ["kzgraph.nq.gz", "kzgraph.ttl.gz"]
    first = (out / "kzgraph.nq.gz").read_bytes()
    assert gzip.decompress(first) == (out / "kzgraph.nq").read_bytes()
    write_compressed(out)
    assert (out / "kzgraph.nq.gz").read_bytes() == first  # no time or name in the header
    assert not list(out.glob("*.tmp"))


def test_found_dumps_have_sizes_checksums_and_media_types(tmp_path: Path) -> None:
    out = _build_dir(tmp_path)
    write_compressed(out)
    dumps = find_dumps(out)
    assert [(d.name, d.media_type) for d in dumps] == [
        ("kzgraph.nq.gz", "application/n-quads"),
        ("kzgraph.ttl.gz", "text/turtle"),
    ]
    for dump in dumps:
        data = dump.path.read_bytes()
        assert dump.size == len(data)
        assert dump.sha256 == hashlib.sha256(data).hexdigest()


def test_catalog_describes_each_dump_and_the_endpoint(tmp_path: Path) -> None:
    out = _build_dir(tmp_path)
    write_compressed(out)
    dumps = find_dumps(out)
    g = add_catalog(Graph(), "http://host:1/", "http://host:1/sparql", dumps)
    distributions = list(g.objects(DATASET, DCAT.distribution))
    assert len(distributions) == len(dumps)
    for dump in dumps:
        assert (None, DCAT.downloadURL, URIRef(f"http://host:1/dumps/{dump.name}")) in g
    for node in distributions:
        url = str(g.value(node, DCAT.downloadURL))
        dump = next(d for d in dumps if url.endswith("/" + d.name))
        assert int(g.value(node, DCAT.byteSize)) == dump.size
        checksum = g.value(node, SPDX.checksum)
        assert str(g.value(checksum, SPDX.checksumValue)) == dump.sha256
        assert str(g.value(node, DCAT.compressFormat)).endswith("/application/gzip")
    services = list(g.subjects(DCAT.servesDataset, DATASET))
    assert [str(g.value(s, DCAT.endpointURL)) for s in services] == ["http://host:1/sparql"]

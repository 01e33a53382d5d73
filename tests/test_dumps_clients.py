"""The dumps read by RDF clients over HTTP, from a real server: rdflib's ``Graph().parse(url)`` and
``Dataset().parse(url)``, and rapper; and each representation's HEAD, Range, ETag and
``Repr-Digest`` (the download, the gzip-encoded RDF document, the gunzipped RDF document)."""

from __future__ import annotations

import base64
import gzip
import hashlib
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.dumps import Dump, find_dumps
from kzgraph.pipeline.stages import BuildResult

from .rdf_keys import Key, ox_statements, rdflib_key
from .server import fetch
from .system_tools import require


@pytest.fixture(scope="module")
def dumps(real_kg: KnowledgeGraph, real_build: BuildResult) -> dict[str, Dump]:
    return {d.name: d for d in find_dumps(real_kg.settings.build_dir)}


def _local(dump: Dump) -> list[ox.Quad | ox.Triple]:
    """What the dump holds, read from the build folder by pyoxigraph (the reference)."""
    fmt = ox.RdfFormat.from_media_type(dump.media_type)
    assert fmt is not None, dump.media_type
    return list(ox.parse(gzip.decompress(dump.path.read_bytes()), format=fmt))


def _digest(data: bytes) -> str:
    return f"sha-256=:{base64.b64encode(hashlib.sha256(data).digest()).decode()}:"


def test_rdflib_graph_parse_reads_the_turtle_dump_by_its_gz_url(
    real_server: str, dumps: dict[str, Dump]
) -> None:
    dump = dumps["kzgraph.ttl.gz"]
    g = Graph().parse(f"{real_server}/dumps/{dump.name}")
    read = Counter(tuple(rdflib_key(t) for t in triple) for triple in g)
    assert read == ox_statements(_local(dump))


def test_rdflib_dataset_parse_reads_every_named_graph(
    real_server: str, dumps: dict[str, Dump]
) -> None:
    """(rdflib's TriG parser takes twice as long; rapper reads the TriG below.)"""
    path = "kzgraph.nq.gz"
    dump = dumps[path]
    ds = Dataset().parse(f"{real_server}/dumps/{path}")
    read: Counter[tuple[Key, ...]] = Counter()
    for s, p, o, g in ds.quads((None, None, None, None)):
        if g == DATASET_DEFAULT_GRAPH_ID:
            pytest.fail(f"{path}: a triple outside the named graphs: {s} {p} {o}")
        read[(rdflib_key(s), rdflib_key(p), rdflib_key(o), rdflib_key(g))] += 1
    assert read == ox_statements(_local(dump))


def test_each_representation_has_its_own_etag_digest_head_and_range(
    real_server: str, dumps: dict[str, Dump]
) -> None:
    dump = dumps["kzgraph.nq.gz"]
    encoded = dump.path.read_bytes()
    decoded = gzip.decompress(encoded)
    gz_url, doc_url = f"{real_server}/dumps/{dump.name}", f"{real_server}/dumps/kzgraph.nq"
    variants = {  # name: (url, request headers, content type, content encoding, bytes)
        "download": (gz_url, {}, "application/gzip", None, encoded),
        "rdf at .gz": (gz_url, {"Accept": "application/n-quads"}, dump.media_type, None, decoded),
        "encoded": (doc_url, {"Accept-Encoding": "gzip"}, dump.media_type, "gzip", encoded),
        "encoded at .gz": (
            gz_url,
            {"Accept": "application/n-quads", "Accept-Encoding": "br, gzip;q=0.5"},
            dump.media_type,
            "gzip",
            encoded,
        ),
        "gunzipped": (
            doc_url,
            {"Accept-Encoding": "gzip;q=0, identity"},
            dump.media_type,
            None,
            decoded,
        ),
    }
    etags = {}
    for name, (url, asked, media, coding, data) in variants.items():
        status, headers, body = fetch(url, headers=asked)
        where = f"{name} ({url}, {asked})"
        assert status == 200, where
        assert headers["content-type"].split(";")[0] == media, where
        assert headers.get("content-encoding") == coding, where
        assert body == data, where
        assert headers["repr-digest"] == _digest(data), where
        assert int(headers["content-length"]) == len(data), where
        assert "accept-encoding" in headers["vary"].lower(), where
        etags[name] = headers["etag"]
        status, head, body = fetch(url, headers=asked, method="HEAD")
        assert (status, body) == (200, b""), where
        for field in ("content-type", "content-length", "etag", "repr-digest"):
            assert head.get(field) == headers.get(field), f"{where}: HEAD {field}"
        status, part, body = fetch(url, headers=asked | {"Range": "bytes=10-29"})
        assert (status, body) == (206, data[10:30]), where  # Range is on the bytes as sent
        assert part["content-range"] == f"bytes 10-29/{len(data)}", where
        status, _, body = fetch(url, headers=asked | {"If-None-Match": headers["etag"]})
        assert (status, body) == (304, b""), where
    assert etags["download"] != etags["encoded"] != etags["gunzipped"] != etags["download"]
    assert etags["encoded"] == etags["encoded at .gz"]
    assert etags["gunzipped"] == etags["rdf at .gz"]
    status, headers, _ = fetch(doc_url, headers={"Range": f"bytes={len(decoded)}-"})
    assert status == 416 and headers["content-range"] == f"bytes */{len(decoded)}"
    status, _, body = fetch(doc_url, headers={"Range": "bytes=-5"})
    assert (status, body) == (206, decoded[-5:])
    status, _, body = fetch(f"{real_server}/dumps/kzgraph.owl")
    assert status == 404 and b"kzgraph.nq" in body and b"kzgraph.nq.gz" in body


def _rapper() -> str:
    path = shutil.which("rapper")
    require("rapper", [] if path else ["rapper (Debian: raptor2-utils)"], "raptor2-utils")
    assert path is not None
    return path


@pytest.mark.rapper
@pytest.mark.parametrize(
    ("path", "syntax"),
    [
        ("kzgraph.ttl", "turtle"),
        ("kzgraph.ttl.gz", "guess"),
        ("kzgraph.nq", "nquads"),
        ("kzgraph.trig.gz", "trig"),
    ],
)
def test_rapper_reads_the_dumps(
    real_server: str, dumps: dict[str, Dump], path: str, syntax: str, tmp_path: Path
) -> None:
    """rapper sends no Accept-Encoding and cannot gunzip: it gets the RDF document as is."""
    dump = dumps[path if path.endswith(".gz") else path + ".gz"]
    url = f"{real_server}/dumps/{path}"
    result = subprocess.run(
        [_rapper(), "-c", "-i", syntax, url], capture_output=True, text=True, timeout=60
    )
    match = re.search(r"returned (\d+) triples", result.stderr)
    assert result.returncode == 0 and match, f"rapper -i {syntax} {url}:\n{result.stderr}"
    assert int(match[1]) == len(set(_local(dump))), f"rapper -i {syntax} {url}"

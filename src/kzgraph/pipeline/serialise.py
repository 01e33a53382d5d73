"""The build's serialisations (the dumps of kzgraph.formats: N-Quads, TriG, Turtle of all graphs
merged, JSON-LD), written by
pyoxigraph's Rust writers from one sorted list of quads.

rdflib took 10-25 s for these at 100k triples (~6 min at 1M); here the dataset is serialised once
by rdflib as N-Quads (its fastest writer), parsed by pyoxigraph, and every format is written from
the parsed quads. They are sorted (graph, subject, ``rdf:type`` first, predicate, object) so that
the files come out in a stable order (blank node labels aside) and Turtle and TriG group each
subject's triples.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

from kzgraph.formats import JSON_LD, Format, dumped
from kzgraph.namespaces import PREFIXES, RDF, SLASHED
from kzgraph.pipeline.dumps import file_name

_TYPE = f"<{RDF.type}>"


def prefixes(ontology: Path | None = None) -> dict[str, str]:
    """The project's prefixes, plus those the ontology file declares, minus slashed namespaces."""
    out = {name: str(ns) for name, ns in PREFIXES.items() if name not in SLASHED}
    if ontology is not None:
        parser = ox.parse(path=ontology, format=ox.RdfFormat.TURTLE)
        for _ in parser:
            pass
        slashed = {str(PREFIXES[name]) for name in SLASHED}
        for name, iri in parser.prefixes.items():
            if name and name not in out and not any(iri.startswith(s) for s in slashed):
                out[name] = iri
    return out


def sorted_quads(ds: Dataset) -> list[ox.Quad]:
    """Every quad of ``ds`` as pyoxigraph terms, sorted by graph, subject, predicate (the type
    first) and object."""
    # parsed, not loaded into an ox.Store: the store (0.5) keeps xsd:nonNegativeInteger and
    # other derived integer types as xsd:integer
    parsed = ox.parse(ds.serialize(format="nquads", encoding="utf-8"), format=ox.RdfFormat.N_QUADS)
    return sorted(
        parsed,
        key=lambda q: (
            str(q.graph_name),
            str(q.subject),
            str(q.predicate) != _TYPE,
            str(q.predicate),
            str(q.object),
        ),
    )


def merged_triples(quads: Iterable[ox.Quad]) -> list[ox.Triple]:
    """The triples of every graph, once each, sorted by subject, predicate (type first), object."""
    return sorted(
        {q.triple for q in quads},
        key=lambda t: (str(t.subject), str(t.predicate) != _TYPE, str(t.predicate), str(t.object)),
    )


def nquads(quads: Sequence[ox.Quad]) -> bytes:
    return ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b""


def written(fmt: Format, quads: Sequence[ox.Quad], names: dict[str, str]) -> bytes:
    """The dump in ``fmt``: every named graph when the format carries them (N-Quads, TriG,
    JSON-LD), else every graph merged into one (Turtle); the project's prefixes where people
    read it."""
    assert fmt.rdf is not None
    data = quads if fmt.rdf.supports_datasets else merged_triples(quads)
    return ox.serialize(data, format=fmt.rdf, prefixes=names if fmt.prefixed else None) or b""


def serialisations(ds: Dataset, ontology: Path | None = None) -> Iterator[tuple[str, bytes]]:
    """(file name, content) of each dump (:func:`kzgraph.formats.dumped`), made one
    at a time: ``kzgraph.nq``, ``kzgraph.trig``, ``kzgraph.ttl`` (every graph merged) and
    ``kzgraph.jsonld.gz`` (JSON-LD is only ever written compressed)."""
    quads = sorted_quads(ds)
    names = prefixes(ontology)
    for fmt in dumped():
        if fmt is JSON_LD:
            yield f"{file_name(fmt)}.gz", gzip.compress(written(fmt, quads, names), mtime=0)
        else:
            yield file_name(fmt), written(fmt, quads, names)

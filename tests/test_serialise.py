"""The build's serialisations (written by pyoxigraph): every format holds the same graphs as the
N-Quads and the mapped dataset, with the project's prefixes."""

from __future__ import annotations

import gzip
from pathlib import Path

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kzgraph.namespaces import KZ, OA, RDF, RDFS, XSD
from kzgraph.pipeline import serialise
from kzgraph.pipeline.stages import BuildResult, load_built


def _output(build: BuildResult, name: str) -> Path:
    return next(p for p in build.outputs if p.name == name)


def _graphs(ds: Dataset) -> dict[str, Graph]:
    return {str(g.identifier): g for g in ds.graphs() if len(g)}


def _assert_same_graphs(got: Dataset, want: Dataset) -> None:
    got_graphs, want_graphs = _graphs(got), _graphs(want)
    assert sorted(got_graphs) == sorted(want_graphs)
    for name, graph in want_graphs.items():
        assert isomorphic(got_graphs[name], graph), name


def test_nquads_hold_the_mapped_dataset(mini_build: BuildResult) -> None:
    _assert_same_graphs(load_built(_output(mini_build, "kzgraph.nq")), mini_build.dataset)


def test_offsets_keep_their_datatype(mini_build: BuildResult) -> None:
    """pyoxigraph's Store turns xsd:nonNegativeInteger into xsd:integer; the writer must not."""
    nq = load_built(_output(mini_build, "kzgraph.nq"))
    starts = {o for _, _, o, _ in nq.quads((None, OA.start, None, None))}
    assert starts
    assert {o.datatype for o in starts if isinstance(o, Literal)} == {XSD.nonNegativeInteger}


def test_trig_and_jsonld_are_the_nquads(mini_build: BuildResult) -> None:
    nq = load_built(_output(mini_build, "kzgraph.nq"))
    trig = Dataset().parse(_output(mini_build, "kzgraph.trig"), format="trig")
    _assert_same_graphs(trig, nq)
    text = gzip.decompress(_output(mini_build, "kzgraph.jsonld.gz").read_bytes())
    _assert_same_graphs(Dataset().parse(data=text, format="json-ld"), nq)


def test_turtle_is_every_graph_merged(mini_build: BuildResult) -> None:
    merged = Graph()
    for graph in load_built(_output(mini_build, "kzgraph.nq")).graphs():
        merged += graph
    turtle = Graph().parse(_output(mini_build, "kzgraph.ttl"), format="turtle")
    assert len(turtle) == len(merged)
    assert isomorphic(turtle, merged)


def test_turtle_and_trig_use_the_project_prefixes(mini_build: BuildResult) -> None:
    for name in ("kzgraph.ttl", "kzgraph.trig"):
        text = _output(mini_build, name).read_text(encoding="utf-8")
        assert f"@prefix kz: <{KZ}> ." in text
        assert "@prefix time: <http://www.w3.org/2006/time#> ." in text  # the ontology's own
        assert " a kz:" in text and "rdfs:label" in text
        assert "\\/" not in text  # our slashed IRIs are written in full, not kzid:act\/…


def test_a_subjects_triples_are_grouped_type_first() -> None:
    ds = Dataset()
    g = ds.graph(URIRef("https://example.org/g"))
    me, other = URIRef("https://example.org/me"), URIRef("https://example.org/other")
    g.add((me, RDFS.label, Literal("me")))
    g.add((other, RDFS.label, Literal("other")))
    g.add((me, RDF.type, KZ.Person))
    written = dict(serialise.serialisations(ds))
    turtle = written["kzgraph.ttl"].decode()
    assert turtle.count("<https://example.org/me>") == 1
    assert turtle.index("<https://example.org/me> a kz:Person ;") < turtle.index('rdfs:label "me"')
    assert sorted(written) == ["kzgraph.jsonld.gz", "kzgraph.nq", "kzgraph.trig", "kzgraph.ttl"]
    assert written["kzgraph.nq"] == serialise.nquads(serialise.sorted_quads(ds))  # stable order

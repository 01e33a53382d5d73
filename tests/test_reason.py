"""OWL 2 RL: the reasoner the build uses (reasonable) gives exactly the closure owlrl gives, on the
real graph and on the mini fixture (docs/decisions/0012-reasoner-at-scale.md)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kzgraph import namespaces as ns
from kzgraph.iris import graph_iri
from kzgraph.pipeline.reason import _plain, infer, infer_owlrl, keep
from kzgraph.pipeline.stages import BuildResult, OntologyFiles

from .conftest import ROOT


def _ontology() -> Graph:
    ontology, _, _ = OntologyFiles.in_dir(ROOT / "ontology").load()
    return ontology


def test_the_built_inferences_are_owlrls_on_the_real_graph(real_build: BuildResult) -> None:
    built = real_build.dataset.graph(graph_iri("inferred"))
    reference = infer_owlrl(real_build.asserted(), _ontology())
    assert len(reference) > 5_000
    assert isomorphic(Graph() + built, reference)


def test_reasonable_and_owlrl_agree_on_the_mini_fixture(mini_build: BuildResult) -> None:
    data = mini_build.asserted()
    ours = infer(data, _ontology())
    assert len(ours) > 50
    assert isomorphic(ours, infer_owlrl(data, _ontology()))


def test_typed_strings_come_back_plain() -> None:
    assert _plain(Literal("x", datatype=ns.XSD.string)) == Literal("x")
    assert _plain(Literal("2023", datatype=ns.XSD.gYear)).datatype == ns.XSD.gYear
    assert _plain(Literal("x", lang="en")).language == "en"


def test_trivial_and_foreign_triples_are_dropped() -> None:
    me = URIRef(f"{ns.ID}person/x")
    assert not keep(me, ns.OWL.sameAs, me)
    assert not keep(me, ns.RDF.type, ns.OWL.Thing)
    assert not keep(URIRef("http://example.org/x"), ns.RDF.type, URIRef(f"{ns.ID}y"))
    assert keep(me, ns.RDF.type, URIRef("https://w3id.org/kzgraph/ontology#Agent"))

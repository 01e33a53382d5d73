"""The ontology file: version stamping, QC queries, serialisations (ontology/)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kzgraph import __version__
from kzgraph.namespaces import ONTOLOGY_IRI, OWL, RDF
from kzgraph.pipeline.stages import BuildResult

from .conftest import ROOT

ONTOLOGY = ROOT / "ontology"
QC = sorted((ONTOLOGY / "qc").glob("*-violation.rq"))


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "kzgraph.ttl")


@pytest.fixture(scope="module")
def everything(ontology: Graph) -> Graph:
    g = Graph()
    g += ontology
    g.parse(ONTOLOGY / "vocabularies.ttl")
    g.parse(ONTOLOGY / "shapes.ttl")
    return g


def test_version_info_is_the_package_version(ontology: Graph) -> None:
    onto = URIRef(ONTOLOGY_IRI)
    assert (onto, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(onto, OWL.versionInfo) == Literal(__version__)
    assert ontology.value(onto, OWL.versionIRI) == URIRef(f"{ONTOLOGY_IRI}/{__version__}")


def test_catalog_resolves_the_version_iri() -> None:
    catalog = (ONTOLOGY / "catalog-v001.xml").read_text(encoding="utf-8")
    assert f'name="{ONTOLOGY_IRI}/{__version__}"' in catalog
    assert f'name="{ONTOLOGY_IRI}"' in catalog


def test_shapes_carry_the_same_version() -> None:
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    assert shapes.value(URIRef("https://w3id.org/kzgraph/shapes"), OWL.versionInfo) == Literal(
        __version__
    )


def test_no_instance_data_in_the_ontology(ontology: Graph) -> None:
    ids = {s for s in ontology.subjects() if str(s).startswith("https://w3id.org/kzgraph/id/")}
    assert not ids


@pytest.mark.parametrize("query", QC, ids=[q.stem for q in QC])
def test_qc_query_returns_no_rows(query: Path, everything: Graph) -> None:
    rows = list(everything.query(query.read_text(encoding="utf-8")))
    assert not rows, f"{query.name}:\n" + "\n".join(" ".join(map(str, r)) for r in rows)  # type: ignore[arg-type]


def test_qc_queries_can_fail(everything: Graph) -> None:
    broken = Graph()
    broken += everything
    broken.add((URIRef(ONTOLOGY_IRI + "#Unlabelled"), RDF.type, OWL.Class))
    query = (ONTOLOGY / "qc" / "term-without-label-violation.rq").read_text(encoding="utf-8")
    assert len(list(broken.query(query))) == 1


def test_rdfxml_copy_is_the_same_graph(mini_build: BuildResult, ontology: Graph) -> None:
    owl = next(p for p in mini_build.outputs if p.name == "kzgraph.owl")
    assert isomorphic(Graph().parse(owl, format="xml"), ontology)


def test_html_documentation_is_generated(mini_build: BuildResult) -> None:
    html = next(p for p in mini_build.outputs if p.name == "index.html").read_text(encoding="utf-8")
    assert "Charge or prosecution" in html and "Implementation assessment" in html

"""What a fact class needs besides its model (data/README.md, "Adding a fact class"): a mapper,
and a counted class its nodes fall under. A class added without them fails here, by name."""

from __future__ import annotations

from rdflib import URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import graph_iri, ref_iri
from kzgraph.mapping.facts import FACT_MAPPERS
from kzgraph.namespaces import KZ, RDF, RDFS
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.stats import CLASSES


def test_every_fact_model_has_a_mapper() -> None:
    models = {model for model, _ in m.FACT_LISTS.values()}
    assert set(FACT_MAPPERS) == models


def test_every_fact_is_counted_under_a_class_of_the_tables(real_build: BuildResult) -> None:
    ds = real_build.dataset
    ontology = ds.graph(graph_iri("ontology"))
    counted = {URIRef(KZ[c]) for c in CLASSES}
    uncounted = set()
    for ref, fact in real_build.annotations.facts.items():
        graph = ds.graph(graph_iri(fact.origin.graph))
        types = set(graph.objects(ref_iri(ref), RDF.type))
        supers = {s for t in types for s in ontology.transitive_objects(t, RDFS.subClassOf)}
        if not supers & counted:
            uncounted.add(type(fact.record).__name__)
    assert not uncounted, f"add their classes to kzgraph.pipeline.stats.CLASSES: {uncounted}"

"""The SPARQL service description (at the endpoint) and the VoID description of the dataset."""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from kzgraph import __version__
from kzgraph.answer import Answer, error
from kzgraph.formats import (
    DATASET,
    GRAPH,
    N_TRIPLES,
    RDF_XML,
    SOLUTIONS,
    TURTLE,
    Format,
    NotAcceptable,
    by_media,
    negotiate,
    of_kind,
    offer,
)
from kzgraph.namespaces import BASE, DCTERMS, RDF, XSD

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
VOID = Namespace("http://rdfs.org/ns/void#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ENTAILMENT = Namespace("http://www.w3.org/ns/entailment/")


def rdf_formats() -> list[Format]:
    """The formats rdflib writes these descriptions in, best first (*/* gets Turtle)."""
    return [f for f in of_kind(GRAPH, first=(TURTLE, N_TRIPLES, RDF_XML)) if f.rdflib]


def _dataset(g: Graph, node: BNode | URIRef, graphs: dict[str, int], triples: int) -> None:
    g.add((node, RDF.type, SD.Dataset))
    default = BNode()
    g.add((node, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(triples, datatype=XSD.integer)))
    g.add(
        (
            default,
            DCTERMS.description,
            Literal(
                "The default graph is the RDF merge of all named graphs below: each triple "
                "once, however many graphs hold it.",
                lang="en",
            ),
        )
    )
    for name, triples in sorted(graphs.items()):
        named, graph = BNode(), BNode()
        g.add((node, SD.namedGraph, named))
        g.add((named, RDF.type, SD.NamedGraph))
        g.add((named, SD.name, URIRef(name)))
        g.add((named, SD.graph, graph))
        g.add((graph, RDF.type, SD.Graph))
        g.add((graph, VOID.triples, Literal(triples, datatype=XSD.integer)))
        if name.endswith("/graph/inferred"):
            g.add((named, SD.entailmentRegime, ENTAILMENT["OWL-RDF-Based"]))
            g.add(
                (
                    named,
                    SD.supportedEntailmentProfile,
                    URIRef("http://www.w3.org/ns/owl-profile/RL"),
                )
            )


def service_description(endpoint: str, graphs: dict[str, int], triples: int) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("formats", FORMATS)
    service = URIRef(endpoint)
    g.add((service, RDF.type, SD.Service))
    g.add((service, SD.endpoint, service))
    g.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((service, SD.feature, SD.UnionDefaultGraph))
    g.add((service, SD.defaultEntailmentRegime, ENTAILMENT.Simple))
    for fmt in of_kind(SOLUTIONS, GRAPH, DATASET):
        if fmt.w3c:
            g.add((service, SD.resultFormat, FORMATS[fmt.w3c]))
    dataset = BNode()
    g.add((service, SD.defaultDataset, dataset))
    _dataset(g, dataset, graphs, triples)
    return g


def void_description(endpoint: str, graphs: dict[str, int], triples: int) -> Graph:
    """The dataset with its SPARQL endpoint and its named graphs as subsets; ``void:triples`` of
    the whole is ``triples``, the size of the merge (a triple in several graphs counts once)."""
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    dataset = URIRef(BASE + "dataset")
    g.add((dataset, RDF.type, VOID.Dataset))
    g.add((dataset, DCTERMS.title, Literal("kzgraph", lang="en")))
    g.add(
        (
            dataset,
            DCTERMS.description,
            Literal("A cited knowledge graph of human-rights reporting on Kazakhstan.", lang="en"),
        )
    )
    g.add((dataset, DCTERMS.hasVersion, Literal(__version__)))
    g.add((dataset, VOID.sparqlEndpoint, URIRef(endpoint)))
    g.add((dataset, VOID.uriSpace, Literal(BASE + "id/")))
    g.add((dataset, VOID.vocabulary, URIRef(BASE + "ontology#")))
    g.add((dataset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    for name, triples in sorted(graphs.items()):
        subset = URIRef(name)
        g.add((dataset, VOID.subset, subset))
        g.add((subset, RDF.type, VOID.Dataset))
        g.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return g


def rdf_answer(graph: Graph, accept: str | None) -> Answer:
    try:
        media = negotiate(accept, offer(rdf_formats()), TURTLE.media)
    except NotAcceptable as exc:
        return error(406, str(exc), offered=exc.offered)
    fmt = by_media(media, GRAPH)
    assert fmt is not None
    body = graph.serialize(format=fmt.rdflib, encoding="utf-8")
    if media.startswith("text/") or fmt is RDF_XML:  # N-Triples has no charset here (as ever)
        media += "; charset=utf-8"
    return Answer(200, body, media, {"Cache-Control": "public, max-age=300"})

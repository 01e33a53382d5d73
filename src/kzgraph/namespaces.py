"""The namespaces kzgraph mints in and the standard ones it reuses."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

BASE = "https://w3id.org/kzgraph/"
ONTOLOGY_IRI = BASE + "ontology"
SHAPES_IRI = BASE + "shapes"
KZ = Namespace(ONTOLOGY_IRI + "#")
ID = Namespace(BASE + "id/")
VOCAB = Namespace(BASE + "vocab/")
GRAPH = Namespace(BASE + "graph/")
OA = Namespace("http://www.w3.org/ns/oa#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")

PREFIXES = {
    "kz": KZ,
    "kzid": ID,
    "kzv": VOCAB,
    "kzg": GRAPH,
    "oa": OA,
    "org": ORG,
    "schema": SCHEMA,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "foaf": FOAF,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sh": SH,
    "geo": GEO,
}
# Our instance, concept and graph IRIs have slashes after these namespaces, which Turtle would
# have to escape (kzid:act\/…): the writers leave these prefixes out and write such IRIs in full.
SLASHED = frozenset({"kzid", "kzv", "kzg"})


def prefix_block(*names: str) -> str:
    """SPARQL ``PREFIX`` declarations, one a line, for these names of :data:`PREFIXES`.

    >>> prefix_block("rdfs")
    'PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\\n'
    """
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


__all__ = [
    "BASE",
    "DCTERMS",
    "FOAF",
    "GEO",
    "GRAPH",
    "ID",
    "KZ",
    "OA",
    "ONTOLOGY_IRI",
    "ORG",
    "OWL",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SCHEMA",
    "SH",
    "SHAPES_IRI",
    "SKOS",
    "SLASHED",
    "VOCAB",
    "XSD",
    "prefix_block",
]

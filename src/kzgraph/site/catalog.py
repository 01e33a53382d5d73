"""The DCAT description of the dataset, added to its VoID description: the dataset, one
``dcat:Distribution`` per dump (download URL, media type, gzip, size, SPDX checksum) and the SPARQL
endpoint as a ``dcat:DataService``."""

from __future__ import annotations

from datetime import UTC, datetime

from rdflib import BNode, Graph, Literal, Namespace, URIRef

from kzgraph.formats import GZIP, by_media
from kzgraph.namespaces import BASE, DCTERMS, FOAF, RDF, XSD
from kzgraph.pipeline.dumps import Dump
from kzgraph.sparql.description import VOID

DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
MEDIA = "https://www.iana.org/assignments/media-types/"
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")
DATASET = URIRef(BASE + "dataset")


def _when(timestamp: float) -> Literal:
    moment = datetime.fromtimestamp(int(timestamp), UTC)
    return Literal(moment.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime)


def add_catalog(g: Graph, site: str, endpoint: str, dumps: list[Dump]) -> Graph:
    """Add DCAT to a VoID graph about :data:`DATASET`; ``site`` is the server's base URL."""
    g.bind("dcat", DCAT)
    g.bind("spdx", SPDX)
    g.bind("foaf", FOAF)
    site = site.rstrip("/")
    g.add((DATASET, RDF.type, DCAT.Dataset))
    g.add((DATASET, DCTERMS.license, LICENSE))
    g.add((DATASET, DCAT.landingPage, URIRef(site + "/")))
    publisher = BNode()
    g.add((DATASET, DCTERMS.publisher, publisher))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal("The kzgraph developers")))
    if dumps:
        # the build's time: the dumps are what was issued
        g.add((DATASET, DCTERMS.issued, _when(min(d.modified for d in dumps))))
        g.add((DATASET, DCTERMS.modified, _when(max(d.modified for d in dumps))))
    for dump in dumps:
        node = URIRef(f"{BASE}dataset/distribution/{dump.name}")
        g.add((DATASET, DCAT.distribution, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCTERMS.title, Literal(dump.title, lang="en")))
        g.add((node, DCAT.downloadURL, URIRef(f"{site}/dumps/{dump.name}")))
        g.add((DATASET, VOID.dataDump, URIRef(f"{site}/dumps/{dump.name}")))
        g.add((node, DCAT.accessURL, URIRef(f"{site}/dumps/")))
        g.add((node, DCAT.mediaType, URIRef(MEDIA + dump.media_type)))
        g.add((node, DCAT.compressFormat, URIRef(MEDIA + GZIP.media)))
        fmt = by_media(dump.media_type)
        assert fmt is not None and fmt.w3c
        g.add((node, DCTERMS["format"], URIRef(f"http://www.w3.org/ns/formats/{fmt.w3c}")))
        g.add((node, DCAT.byteSize, Literal(dump.size, datatype=XSD.nonNegativeInteger)))
        g.add((node, DCTERMS.modified, _when(dump.modified)))
        g.add((node, DCTERMS.license, LICENSE))
        checksum = BNode()
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary)))
    service = URIRef(BASE + "dataset/sparql-service")
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal("kzgraph SPARQL 1.1 endpoint", lang="en")))
    g.add((service, DCAT.endpointURL, URIRef(endpoint)))
    g.add((service, DCAT.endpointDescription, URIRef(endpoint)))
    g.add((service, DCAT.servesDataset, DATASET))
    g.add((service, DCTERMS.conformsTo, URIRef("https://www.w3.org/TR/sparql11-protocol/")))
    g.add((service, DCTERMS.license, LICENSE))
    return g

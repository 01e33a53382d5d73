"""A figure keeps its own report's frame: when several reports state one statistic, each report's
statement is a ``kz:FigureStatement`` with that report's evidence, as-of date, qualifier,
attribution and note, beside the merged ``kz:StatisticalClaim``."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import concept, mint, ref_iri
from kzgraph.mapping.context import MapContext, Triple, date_literal, evidence_triples, links
from kzgraph.namespaces import KZ, RDF, RDFS, SKOS


def statement_iri(stat: URIRef, report: str) -> URIRef:
    return URIRef(f"{stat}/statement/{report}")


def map_statement(
    stat_ref: str,
    report: str,
    frame: m.Statistic | m.Corroboration,
    evidence: list[m.Evidence],
    ctx: MapContext,
) -> list[Triple]:
    """One report's statement of a figure, in that report's own frame."""
    stat = ref_iri(stat_ref)
    node = statement_iri(stat, report)
    out: list[Triple] = [
        (node, RDF.type, KZ.FigureStatement),
        (
            node,
            RDFS.label,
            Literal(f"{stat_ref.split('/', 1)[1]} as stated by {report}", lang="en"),
        ),
        (node, KZ.statementOf, stat),
        (node, KZ.inReport, mint("report", report)),
    ]
    if frame.as_of:
        out.append((node, KZ.asOf, date_literal(frame.as_of)))
    if frame.qualifier:
        out.append((node, KZ.numericQualifier, concept("numeric-qualifier", frame.qualifier)))
    out += links(node, KZ.attributedTo, frame.attributed_to)
    if frame.note:
        out.append((node, SKOS.note, Literal(frame.note, lang="en")))
    out += evidence_triples(node, evidence, ctx)
    return out

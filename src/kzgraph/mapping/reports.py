"""A report's metadata, its source snapshot and its sections."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.formats import PLAIN
from kzgraph.iris import concept, mint, ref_iri
from kzgraph.mapping.context import MapContext, Triple, date_literal, evidence_triples
from kzgraph.namespaces import DCTERMS, KZ, RDF, RDFS, SCHEMA, SKOS, XSD


def snapshot_iri(sha256: str) -> URIRef:
    return mint("snapshot", f"sha256-{sha256}")


def map_report(meta: m.ReportMeta) -> list[Triple]:
    node = mint("report", meta.id)
    snap = snapshot_iri(meta.sha256)
    out: list[Triple] = [
        (node, RDF.type, KZ.Report),
        (node, RDFS.label, Literal(meta.title, lang="en")),
        (node, DCTERMS.title, Literal(meta.title, lang="en")),
        (node, DCTERMS.issued, date_literal(meta.issued)),
        (node, DCTERMS.language, Literal(meta.language, datatype=XSD.language)),
        (node, KZ.reportGenre, concept("report-genre", meta.genre)),
        (node, KZ.hasSnapshot, snap),
        (snap, RDF.type, KZ.SourceSnapshot),
        (snap, RDFS.label, Literal(f"text of {meta.source}")),
        (snap, KZ.sha256, Literal(meta.sha256)),
        (snap, KZ.fileName, Literal(meta.source)),
        (snap, DCTERMS.format, Literal(PLAIN.labelled)),
        (snap, KZ.snapshotOf, node),
    ]
    out += [(node, DCTERMS.publisher, ref_iri(p)) for p in meta.publisher]
    if meta.about:
        out.append((node, KZ.aboutPlace, ref_iri(meta.about)))
    if meta.period.start:
        out.append((node, KZ.periodStart, date_literal(meta.period.start)))
    if meta.period.end:
        out.append((node, KZ.periodEnd, date_literal(meta.period.end)))
    if meta.url:
        out.append((node, SCHEMA.url, Literal(meta.url, datatype=XSD.anyURI)))
    if meta.summary_of:
        target = meta.summary_of
        out.append(
            (node, KZ.summaryOf, URIRef(target) if ":" in target else mint("report", target))
        )
    if meta.notes:
        out.append((node, SKOS.note, Literal(meta.notes, lang="en")))
    return out


def section_iri(report: str, section: str) -> URIRef:
    return mint("section", report, section)


def map_section(section: m.Section, order: int, ctx: MapContext) -> list[Triple]:
    assert ctx.report is not None
    node = section_iri(ctx.report, section.id)
    out: list[Triple] = [
        (node, RDF.type, KZ.ReportSection),
        (node, RDFS.label, Literal(section.title, lang="en")),
        (node, DCTERMS.title, Literal(section.title, lang="en")),
        (node, KZ.inReport, mint("report", ctx.report)),
        (node, SCHEMA.position, Literal(order, datatype=XSD.integer)),
    ]
    out += evidence_triples(node, [section], ctx)
    return out

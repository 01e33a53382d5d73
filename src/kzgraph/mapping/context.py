"""What a mapping function may know besides its record: nothing global, all passed in."""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef
from rdflib.term import Node

from kzgraph.annotations import model as m
from kzgraph.iris import mint, ref_iri
from kzgraph.namespaces import KZ, OA, RDF, RDFS, SKOS, XSD

Triple = tuple[Node, Node, Node]


@dataclass(frozen=True)
class MapContext:
    """The report a record is read in (None for shared files) and every report's section starts;
    ``used`` collects the reports whose sections and snapshot were read (a unit's dependencies,
    :mod:`kzgraph.mapping.units`)."""

    report: str | None = None
    sections: dict[str, list[tuple[int, URIRef]]] = field(default_factory=dict)
    snapshots: dict[str, URIRef] = field(default_factory=dict)
    used: set[str] = field(default_factory=set, compare=False)

    def section_at(self, report: str, offset: int) -> URIRef | None:
        self.used.add(report)
        starts = self.sections.get(report, [])
        i = bisect_right([s for s, _ in starts], offset)
        return starts[i - 1][1] if i else None


def links(node: URIRef, prop: URIRef, refs: str | list[str] | None) -> list[Triple]:
    """``node prop target`` for each annotation reference (one, a list, or none)."""
    if refs is None:
        return []
    return [(node, prop, ref_iri(r)) for r in ([refs] if isinstance(refs, str) else refs)]


def date_literal(text: str) -> Literal:
    """``2023`` -> xsd:gYear, ``2023-04`` -> xsd:gYearMonth, ``2023-04-10`` -> xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}[len(text)]
    return Literal(text, datatype=datatype)


def fold(text: str) -> str:
    """Lower-case ASCII folding for accent- and case-insensitive search ("Türk" -> "turk")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def label_triples(node: URIRef, name: str, *, pref: bool = True) -> list[Triple]:
    out: list[Triple] = [(node, RDFS.label, Literal(name, lang="en"))]
    if pref:
        out.append((node, SKOS.prefLabel, Literal(name, lang="en")))
    folded = fold(name)
    if folded != name:
        out.append((node, SKOS.hiddenLabel, Literal(folded)))
    return out


def evidence_triples(
    subject: URIRef, items: Iterable[m.Evidence | m.Mention | m.Section], ctx: MapContext
) -> list[Triple]:
    """``subject kz:hasEvidence`` each passage, with its Web Annotation selectors."""
    out: list[Triple] = []
    for item in items:
        report = getattr(item, "source", None) or ctx.report
        if report is None or item.start is None or item.end is None:
            raise ValueError(f"evidence {item.exact!r} of {subject} has no report or offsets")
        out += [
            (subject, KZ.hasEvidence, ev) for ev in [evidence_iri(report, item.start, item.end)]
        ]
        out += passage_triples(report, item.start, item.end, item.exact, ctx)
    return out


def evidence_iri(report: str, start: int, end: int) -> URIRef:
    return mint("evidence", report, f"{start}-{end}")


def passage_triples(report: str, start: int, end: int, exact: str, ctx: MapContext) -> list[Triple]:
    ev = evidence_iri(report, start, end)
    position = URIRef(f"{ev}/position")
    quote = URIRef(f"{ev}/quote")
    out: list[Triple] = [
        (ev, RDF.type, KZ.Evidence),
        (ev, RDFS.label, Literal(f"{report} [{start}:{end}]")),
        (ev, KZ.inReport, mint("report", report)),
        (ev, OA.hasSelector, position),
        (ev, OA.hasSelector, quote),
        (position, RDF.type, OA.TextPositionSelector),
        (position, OA.start, Literal(start, datatype=XSD.nonNegativeInteger)),
        (position, OA.end, Literal(end, datatype=XSD.nonNegativeInteger)),
        (quote, RDF.type, OA.TextQuoteSelector),
        (quote, OA.exact, Literal(exact)),
    ]
    ctx.used.add(report)
    if report in ctx.snapshots:
        out.append((ev, OA.hasSource, ctx.snapshots[report]))
    section = ctx.section_at(report, start)
    if section is not None:
        out.append((ev, KZ.inSection, section))
    return out


def humanise(slug: str) -> str:
    return slug.replace("-", " ")

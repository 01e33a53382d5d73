"""What a resource's page shows, read from the neighbourhood the PAGE query returns: names and
every spelling, types, roles, the facts about it on a timeline (each with its evidence and the
reports that state it, its charges and sentences, the interventions about it), its other
properties and what links to it. Pure: N-Triples in, a :class:`ResourcePage` out."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node as Term

from kzgraph.namespaces import DCTERMS, GEO, KZ, OA, RDF, RDFS, SKOS

NAME_PROPERTIES = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)
TEXT_PROPERTIES = (DCTERMS.description, SKOS.definition, SKOS.note, RDFS.comment)
PART_PROPERTIES = (KZ.hasCharge, KZ.hasSentence)
SKIPPED = {
    RDF.type,
    *NAME_PROPERTIES,
    SKOS.hiddenLabel,
    *TEXT_PROPERTIES,
    KZ.hasRole,
    KZ.hasEvidence,
    KZ.hasInference,
    KZ.hasClaim,
    *PART_PROPERTIES,
    SKOS.closeMatch,  # reference data, shown apart (close_matches, coordinates)
    GEO.lat,
    GEO.long,
}
# How the resource takes part in a fact that points at it.
RELATIONS = {
    KZ.hasVictim: "against them",
    KZ.hasPerpetrator: "by them",
    KZ.hasActor: "by them",
    KZ.hasParticipant: "with them taking part",
    KZ.concerns: "concerning this",
    KZ.place: "here",
    KZ.partOfEvent: "part of this",
    KZ.court: "by this court",
    KZ.follows: "after this",
    KZ.concernsEvent: "concerning this",
    KZ.attributedTo: "according to them",
}
GENERIC_KINDS = {"Act", "Event", "Agent", "Entity", "Fact"}
MAX_INBOUND = 300


@dataclass(frozen=True)
class Node:
    iri: str
    label: str


@dataclass(frozen=True)
class Evidence:
    iri: str
    report: Node | None
    section: str | None
    start: int | None
    end: int | None
    exact: str | None


@dataclass
class Fact:
    node: Node
    kind: str
    relation: str
    date: str | None
    evidence: list[Evidence]
    related: list[tuple[str, Node]] = field(default_factory=list)
    parts: list[Fact] = field(default_factory=list)
    about: list[Fact] = field(default_factory=list)
    inferred: list[str] = field(default_factory=list)  # "inferred by the curators (…): why"

    @property
    def reports(self) -> list[Node]:
        seen: dict[str, Node] = {}
        for ev in self.evidence:
            if ev.report is not None:
                seen.setdefault(ev.report.iri, ev.report)
        return list(seen.values())


Value = Node | str


@dataclass(frozen=True)
class Claim:
    """A role, membership, headship, parent body, seat or nationality: the passages that state it,
    or the curators' reason when it is their inference."""

    iri: str
    property: str
    value: Node
    evidence: list[Evidence]
    inferred: str | None


@dataclass
class ResourcePage:
    iri: str
    label: str
    types: list[Node]
    names: list[str]
    spellings: list[tuple[str, Evidence]]
    roles: list[Node]
    claims: list[Claim]
    inferences: list[str]  # the curators' reasons for what is inferred about the resource itself
    texts: list[str]
    evidence: list[Evidence]
    parts: list[Fact]
    facts: list[Fact]
    properties: list[tuple[Node, list[Value]]]
    passages: list[tuple[Node, Evidence]]  # for a report, section or snapshot: what it states
    inbound: list[tuple[Node, Node]]
    inbound_total: int
    # reference data (the graph reference/geonames, docs/decisions/0024): outside features the
    # resource is matched to, and their coordinates (latitude, longitude)
    close_matches: list[str] = field(default_factory=list)
    coordinates: tuple[float, float] | None = None

    @property
    def reports(self) -> list[Node]:
        """Every report that states something shown on the page."""
        seen: dict[str, Node] = {}
        for ev in self.evidence + [e for _, e in self.spellings]:
            if ev.report is not None:
                seen.setdefault(ev.report.iri, ev.report)
        for fact in self.facts:
            for report in fact.reports:
                seen.setdefault(report.iri, report)
        return list(seen.values())


def words(iri: str) -> str:
    """A readable name from an IRI's last segment: ``hasVictim`` -> ``has victim``."""
    tail = re.split(r"[#/]", iri.rstrip("/#"))[-1]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", tail).replace("-", " ").replace("_", " ")
    return spaced[:1].upper() + spaced[1:].lower() if spaced else iri


class _Reader:
    def __init__(self, graph: Graph):
        self.g = graph

    def text(self, node: Term, *props: URIRef) -> str | None:
        for prop in props:
            for value in sorted(self.g.objects(node, prop), key=str):
                return str(value)
        return None

    def label(self, node: Term) -> str:
        return self.text(node, SKOS.prefLabel, RDFS.label, KZ.surfaceForm, DCTERMS.title) or words(
            str(node)
        )

    def node(self, term: Term) -> Node:
        return Node(str(term), self.label(term))

    def kind(self, node: Term) -> str:
        ours = sorted(
            str(t)[len(str(KZ)) :]
            for t in self.g.objects(node, RDF.type)
            if str(t).startswith(str(KZ))
        )
        specific = [t for t in ours if t not in GENERIC_KINDS] or ours
        # the class's own label from the ontology (e.g. "Trial and conviction"), else its name
        return self.label(KZ[specific[0]]) if specific else ""

    def date(self, node: Term) -> str | None:
        return self.text(node, KZ.date, KZ.startDate, DCTERMS.issued)

    def passage(self, ev: Term) -> Evidence:
        """One evidence node: report, section, offsets and phrase."""
        start = end = exact = None
        for selector in self.g.objects(ev, OA.hasSelector):
            start = start or self.text(selector, OA.start)
            end = end or self.text(selector, OA.end)
            exact = exact or self.text(selector, OA.exact)
        report = self.g.value(ev, KZ.inReport)
        section = self.g.value(ev, KZ.inSection)
        return Evidence(
            str(ev),
            self.node(report) if report is not None else None,
            self.label(section) if section is not None else None,
            int(start) if start and start.isdigit() else None,
            int(end) if end and end.isdigit() else None,
            exact,
        )

    def evidence(self, node: Term) -> list[Evidence]:
        out = [self.passage(ev) for ev in self.g.objects(node, KZ.hasEvidence)]
        return sorted(out, key=lambda e: (e.report.label if e.report else "", e.start or 0))

    def fact(self, node: Term, relation: str, exclude: Term) -> Fact:
        related = sorted(
            (
                (words(str(p)), self.node(o))
                for p, o in self.g.predicate_objects(node)
                if isinstance(o, URIRef) and o != exclude and p not in SKIPPED
            ),
            key=lambda item: (item[0], item[1].label),
        )
        return Fact(
            self.node(node),
            self.kind(node),
            relation,
            self.date(node),
            self.evidence(node),
            related,
            parts=[
                self.fact(p, "", node)
                for prop in PART_PROPERTIES
                for p in self.g.objects(node, prop)
            ],
            inferred=sorted(self.label(i) for i in self.g.objects(node, KZ.hasInference)),
        )


def _sort_key(fact: Fact) -> tuple[bool, str, str]:
    return (fact.date is None, fact.date or "", fact.node.label)


def resource_page(iri: str, ntriples: bytes) -> ResourcePage | None:
    """The page's content, or None when the graph says nothing about the IRI."""
    graph = Graph()
    graph.parse(data=ntriples, format="nt")
    r = URIRef(iri)
    if (r, None, None) not in graph and (None, None, r) not in graph:
        return None
    read = _Reader(graph)
    names: list[str] = []
    for prop in NAME_PROPERTIES:
        for value in sorted(graph.objects(r, prop), key=str):
            if str(value) not in names:
                names.append(str(value))
    spellings: list[tuple[str, Evidence]] = []
    claims: list[Claim] = []
    facts: list[Fact] = []
    inbound: list[tuple[Node, Node]] = []
    passages: list[tuple[Node, Evidence]] = []
    for subject, link in sorted(
        graph.subject_predicates(r), key=lambda sp: (str(sp[0]), str(sp[1]))
    ):
        types = set(graph.objects(subject, RDF.type))
        if link == KZ.claimSubject:
            claimed = graph.value(subject, KZ.claimValue)
            asserted = graph.value(subject, KZ.claimProperty)
            claims.append(
                Claim(
                    str(subject),
                    words(str(asserted)).lower() if asserted is not None else "",
                    read.node(claimed) if claimed is not None else Node("", ""),
                    read.evidence(subject),
                    read.text(subject, KZ.basisNote),
                )
            )
        elif KZ.Mention in types:
            if link == KZ.refersTo:
                spellings += [(read.label(subject), ev) for ev in read.evidence(subject)]
        elif KZ.Evidence in types:
            # a passage of this report, section or snapshot, and the facts it supports (a
            # spelling's evidence is left out: names are not facts)
            for fact_node in graph.subjects(KZ.hasEvidence, subject):
                if (fact_node, RDF.type, KZ.Mention) not in graph:
                    passages.append((read.node(fact_node), read.passage(subject)))
        elif (subject, KZ.hasEvidence, None) in graph and KZ.ReportSection not in types:
            fact = read.fact(
                subject, RELATIONS.get(URIRef(str(link)), words(str(link)).lower() + " this"), r
            )
            fact.about = [
                read.fact(x, "about this", subject) for x in graph.subjects(KZ.concerns, subject)
            ]
            facts.append(fact)
        else:
            inbound.append((read.node(subject), Node(str(link), words(str(link)).lower())))
    properties: list[tuple[Node, list[Value]]] = []
    for predicate in sorted(set(graph.predicates(r)) - SKIPPED, key=str):
        values: list[Value] = [
            read.node(o) if isinstance(o, URIRef) else str(o)
            for o in sorted(graph.objects(r, predicate), key=str)
            if isinstance(o, URIRef | Literal)
        ]
        properties.append((Node(str(predicate), words(str(predicate)).lower()), values))
    return ResourcePage(
        iri=iri,
        label=read.label(r),
        types=sorted((read.node(t) for t in graph.objects(r, RDF.type)), key=lambda n: n.label),
        names=names,
        spellings=sorted(spellings, key=lambda s: (s[1].report.label if s[1].report else "", s[0])),
        roles=sorted((read.node(t) for t in graph.objects(r, KZ.hasRole)), key=lambda n: n.label),
        claims=sorted(claims, key=lambda c: (c.property, c.value.label)),
        inferences=sorted(
            str(note)
            for inference in graph.objects(r, KZ.hasInference)
            for note in graph.objects(inference, KZ.basisNote)
        ),
        texts=[str(t) for prop in TEXT_PROPERTIES for t in sorted(graph.objects(r, prop), key=str)],
        evidence=read.evidence(r),
        parts=[read.fact(p, "", r) for prop in PART_PROPERTIES for p in graph.objects(r, prop)],
        facts=sorted(facts, key=_sort_key),
        properties=properties,
        passages=sorted(passages, key=lambda p: (p[1].start or 0, p[0].label)),
        inbound=sorted(inbound, key=lambda i: (i[1].label, i[0].label))[:MAX_INBOUND],
        inbound_total=len(inbound),
        close_matches=sorted(str(o) for o in graph.objects(r, SKOS.closeMatch)),
        coordinates=_coordinates(graph, r),
    )


def _coordinates(graph: Graph, r: URIRef) -> tuple[float, float] | None:
    lat, long = graph.value(r, GEO.lat), graph.value(r, GEO.long)
    if not isinstance(lat, Literal) or not isinstance(long, Literal):
        return None
    try:
        return float(lat), float(long)
    except ValueError:
        return None


__all__ = ["Claim", "Evidence", "Fact", "Node", "ResourcePage", "resource_page", "words"]

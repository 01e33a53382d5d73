"""Entities (people, organisations, groups, places, laws, provisions) and their mentions."""

from __future__ import annotations

from rdflib import Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import concept, mint, ref_iri
from kzgraph.mapping.claims import map_claims, map_inferences
from kzgraph.mapping.context import MapContext, Triple, evidence_triples, fold, label_triples
from kzgraph.namespaces import DCTERMS, KZ, ORG, RDF, RDFS, SKOS

ENTITY_CLASSES = {
    "person": KZ.Person,
    "group": KZ.Group,
    "court": KZ.Court,
    "state-body": KZ.StateBody,
    "law-enforcement": KZ.LawEnforcementAgency,
    "ngo": KZ.NonGovernmentalOrganization,
    "political-party": KZ.PoliticalParty,
    "trade-union": KZ.TradeUnion,
    "media-outlet": KZ.MediaOutlet,
    "intergovernmental-body": KZ.IntergovernmentalBody,
    "foreign-government": KZ.ForeignGovernment,
    "company": KZ.Company,
    "religious-group": KZ.ReligiousGroup,
    "other": KZ.Organization,
    "country": KZ.Country,
    "region": KZ.Region,
    "city": KZ.City,
    "site": KZ.Site,
    "law": KZ.Law,
    "provision": KZ.LegalProvision,
}
DEFAULT_KINDS = {"person": "person", "group": "group", "law": "law", "provision": "provision"}


def entity_kind(entity: m.Entity) -> str:
    return entity.kind or DEFAULT_KINDS[entity.id.split("/", 1)[0]]


def map_entity(entity: m.Entity, ctx: MapContext) -> list[Triple]:
    """One entity record in, its triples out (mentions included)."""
    node = ref_iri(entity.id)
    prefix = entity.id.split("/", 1)[0]
    out: list[Triple] = [(node, RDF.type, ENTITY_CLASSES[entity_kind(entity)])]
    out += label_triples(node, entity.name)
    out += map_claims(entity, ctx)
    if entity.part_of:
        target = ref_iri(entity.part_of)
        if prefix == "place":
            out.append((node, KZ.withinPlace, target))
        elif prefix == "provision":
            out.append((node, KZ.partOfLaw, target))
        elif prefix == "law":
            out.append((node, KZ.jurisdiction, target))
        elif entity.part_of.startswith("org/"):
            out.append((node, ORG.subOrganizationOf, target))
        else:
            out.append((node, KZ.basedIn, target))
    if entity.number:
        out.append((node, KZ.articleNumber, Literal(entity.number)))
    if entity.description:
        out.append((node, DCTERMS.description, Literal(entity.description, lang="en")))
    if entity.same_as_basis:
        out.append((node, KZ.mergeBasis, concept("link-basis", entity.same_as_basis)))
    if entity.merge_note:
        out.append((node, SKOS.note, Literal(entity.merge_note, lang="en")))
        if entity.same_as_basis == "inferred":
            out += map_inferences(node, {"identity": entity.merge_note}, {})
    for former in entity.former_names:
        out.append((node, KZ.formerName, Literal(former, lang="en")))
        out += [t for t in label_triples(node, former, pref=False) if t[1] == SKOS.hiddenLabel]
    for mention in entity.mentions:
        out += map_mention(mention, entity.id, entity.name, ctx)
    return out


def mention_iri(report: str, start: int, end: int) -> URIRef:
    return mint("mention", report, f"{start}-{end}")


def map_mention(
    mention: m.Mention, entity_ref: str, canonical: str, ctx: MapContext
) -> list[Triple]:
    """A mention in one report: a Mention node; when it is a name (``form: name``, the default
    except for groups, whose mentions are descriptions) that differs from the canonical name, also
    an altLabel. A reference ("a man", "four others") stays a Mention only."""
    report = mention.source or ctx.report
    if report is None or mention.start is None or mention.end is None:
        raise ValueError(f"mention {mention.exact!r} of {entity_ref} has no report or offsets")
    node = mention_iri(report, mention.start, mention.end)
    entity = ref_iri(entity_ref)
    spelling = " ".join(mention.exact.split())
    out: list[Triple] = [
        (node, RDF.type, KZ.Mention),
        (node, KZ.refersTo, entity),
        (node, KZ.surfaceForm, Literal(spelling)),
        (node, KZ.inReport, mint("report", report)),
        (node, RDFS.label, Literal(spelling, lang="en")),
    ]
    out += evidence_triples(node, [mention], ctx)
    form = mention.form or ("reference" if entity_ref.startswith("group/") else "name")
    out.append((node, KZ.mentionForm, concept("mention-form", form)))
    if form == "name" and spelling != canonical:
        out.append((entity, SKOS.altLabel, Literal(spelling, lang="en")))
        if fold(spelling) != spelling:
            out.append((entity, SKOS.hiddenLabel, Literal(fold(spelling))))
    return out

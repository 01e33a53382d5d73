"""Entity-level claims (roles, memberships, headships, seats, nationality) as qualified nodes,
and the curators' inferences, each with its basis and reason.

A claim is a reification-like node (``kz:EntityClaim``: ``kz:claimSubject``,
``kz:claimProperty``, ``kz:claimValue``) with ``kz:hasEvidence`` the passages that state it, or
``kz:basis`` inferred and a one-line ``kz:basisNote``. The direct triple (``kz:hasRole``,
``org:memberOf``, ...) is derived from the claim, so a query can use either. Memberships are
also W3C ORG ``org:Membership`` nodes.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import concept, ref_iri
from kzgraph.mapping.context import MapContext, Triple, evidence_triples
from kzgraph.namespaces import KZ, ORG, RDF, RDFS

# entity field -> (the direct property, the claim's class)
CLAIM_PROPERTIES: dict[str, tuple[URIRef, URIRef]] = {
    "roles": (KZ.hasRole, KZ.RoleAssignment),
    "member_of": (ORG.memberOf, KZ.MembershipClaim),
    "head_of": (ORG.headOf, KZ.HeadshipClaim),
    "sub_organization_of": (ORG.subOrganizationOf, KZ.ParentBodyClaim),
    "located_in": (KZ.basedIn, KZ.SeatClaim),
    "nationality": (KZ.nationality, KZ.NationalityClaim),
}
PHRASES = {
    "roles": "role",
    "member_of": "member of",
    "head_of": "head of",
    "sub_organization_of": "part of",
    "located_in": "based in",
    "nationality": "nationality",
}


def claim_iri(entity: URIRef, name: str, target: str) -> URIRef:
    """``…/id/person/x/claim/role/journalist``, ``…/id/org/y/claim/based-in/place/almaty``."""
    return URIRef(f"{entity}/claim/{PHRASES[name].replace(' ', '-')}/{target}")


def basis_triples(node: URIRef, reason: str) -> list[Triple]:
    """``node`` is the curators' inference: ``kz:basis`` inferred and the reason in one line."""
    return [
        (node, KZ.basis, concept("link-basis", "inferred")),
        (node, KZ.basisNote, Literal(" ".join(reason.split()), lang="en")),
    ]


def map_claims(entity: m.Entity, ctx: MapContext) -> list[Triple]:
    """Each claim of one entity: its qualified node, evidence or basis, and the direct triple."""
    node = ref_iri(entity.id)
    out: list[Triple] = []
    for name, (prop, cls) in CLAIM_PROPERTIES.items():
        for claim in getattr(entity, name):
            if isinstance(claim, m.RoleClaim):
                target, key = concept("role", claim.role), claim.role
            else:
                target, key = ref_iri(claim.ref), claim.ref
            c = claim_iri(node, name, key)
            out += [
                (node, prop, target),
                (node, KZ.hasClaim, c),
                (c, RDF.type, cls),
                (c, KZ.claimSubject, node),
                (c, KZ.claimProperty, prop),
                (c, KZ.claimValue, target),
                (c, RDFS.label, Literal(f"{entity.name}: {PHRASES[name]} {key}", lang="en")),
            ]
            if name in ("member_of", "head_of"):
                out += [(c, RDF.type, ORG.Membership), (c, ORG.member, node)]
                out.append((c, ORG.organization, target))
            elif name == "roles":
                out.append((c, ORG.role, target))
            if claim.evidence:
                out += evidence_triples(c, claim.evidence, ctx)
            if claim.basis == "inferred" and claim.reason:
                out += basis_triples(c, claim.reason)
            if claim.note:
                out.append((c, RDFS.comment, Literal(claim.note, lang="en")))
    return out


def map_inferences(
    subject: URIRef, inferred: dict[str, str], props: dict[str, URIRef]
) -> list[Triple]:
    """A fact's fields that are ours (``inferred: {perpetrators: reason}``): one
    ``kz:CuratorInference`` per field, naming the property it qualifies."""
    out: list[Triple] = []
    for field, reason in sorted(inferred.items()):
        why = " ".join(reason.split())
        node = URIRef(f"{subject}/inference/{field.replace('_', '-')}")
        out += [
            (subject, KZ.hasInference, node),
            (node, RDF.type, KZ.CuratorInference),
            (
                node,
                RDFS.label,
                Literal(f"inferred by the curators ({field.replace('_', ' ')}): {why}", lang="en"),
            ),
        ]
        if field in props:
            out.append((node, KZ.inferredProperty, props[field]))
        out += basis_triples(node, reason)
    return out

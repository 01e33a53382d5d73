"""Facts: events, acts (with charges and sentences), statistics, accountability outcomes,
recommendations, interventions and implementation assessments. One record in, triples out."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import concept, mint, ref_iri
from kzgraph.mapping.claims import map_inferences
from kzgraph.mapping.context import (
    MapContext,
    Triple,
    date_literal,
    evidence_triples,
    humanise,
    links,
)
from kzgraph.namespaces import DCTERMS, KZ, RDF, RDFS, SKOS, XSD

ACT_CLASSES = {
    "detention": KZ.Detention,
    "arrest": KZ.Arrest,
    "administrative-arrest": KZ.AdministrativeArrest,
    "house-arrest": KZ.HouseArrest,
    "psychiatric-detention": KZ.PsychiatricDetention,
    "extradition": KZ.Extradition,
    "deportation": KZ.Deportation,
    "charge": KZ.Prosecution,
    "investigation-opened": KZ.InvestigationOpened,
    "investigation-closed": KZ.InvestigationClosed,
    "case-dropped": KZ.ChargesDropped,
    "conviction": KZ.Conviction,
    "appeal-decision": KZ.AppealDecision,
    "court-decision": KZ.CourtDecision,
    "release": KZ.Release,
    "parole": KZ.ParoleRelease,
    "parole-denied": KZ.ParoleDenial,
    "transfer": KZ.PrisonTransfer,
    "attack": KZ.Attack,
    "torture": KZ.TortureOrIllTreatment,
    "killing": KZ.Killing,
    "death": KZ.Death,
    "death-in-custody": KZ.DeathInCustody,
    "ban": KZ.Ban,
    "suspension": KZ.Suspension,
    "registration-refused": KZ.RegistrationRefusal,
    "registration": KZ.Registration,
    "blocking": KZ.Blocking,
    "fine": KZ.Fine,
    "entry-ban": KZ.EntryBan,
    "asylum-denied": KZ.AsylumDenial,
    "surveillance": KZ.Surveillance,
    "harassment": KZ.Harassment,
    "use-of-force": KZ.UseOfForce,
    "state-measure": KZ.StateMeasure,
    "legislation-adopted": KZ.LegislationAdopted,
    "legislation-withdrawn": KZ.LegislationWithdrawn,
    "legislative-step": KZ.LegislativeStep,
    "treaty-action": KZ.TreatyAction,
    "protest": KZ.Protest,
    "strike": KZ.Strike,
    "assembly-permitted": KZ.AssemblyPermitted,
    "assembly-refused": KZ.AssemblyRefused,
}


# the fact fields an ``inferred:`` entry may name, and the property each maps to
FIELD_PROPERTIES = {
    "date": KZ.date,
    "start": KZ.startDate,
    "end": KZ.endDate,
    "place": KZ.place,
    "event": KZ.concernsEvent,
    "victims": KZ.hasVictim,
    "perpetrators": KZ.hasPerpetrator,
    "participants": KZ.hasParticipant,
    "court": KZ.court,
    "concerns": KZ.concerns,
    "rights": KZ.concernsRight,
    "provision": KZ.underProvision,
    "subjects": KZ.subjectGroup,
    "actors": KZ.hasActor,
    "addressed_to": KZ.addressedTo,
    "attributed_to": KZ.attributedTo,
    "as_of": KZ.asOf,
    "status": KZ.implementationStatus,
    "based_on": KZ.basedOn,
    "follows": KZ.follows,
}


def _dates(
    node: URIRef, rec: m.Dated, start: str | None = None, end: str | None = None
) -> list[Triple]:
    out: list[Triple] = []
    if rec.date:
        out.append((node, KZ.date, date_literal(rec.date)))
    if start:
        out.append((node, KZ.startDate, date_literal(start)))
    if end:
        out.append((node, KZ.endDate, date_literal(end)))
    if rec.year_inferred:
        out.append((node, KZ.yearInferred, Literal(True)))
    if rec.date_qualifier:
        out.append((node, KZ.dateQualifier, Literal(rec.date_qualifier)))
    return out


def _common(
    node: URIRef,
    cls: URIRef,
    fact: m.Fact,
    ctx: MapContext,
    label: str,
    *,
    event_property: URIRef = KZ.concernsEvent,
    start: str | None = None,
    end: str | None = None,
) -> list[Triple]:
    """What every fact has: type, label, summary, note, rights, place, event, dates, evidence."""
    out: list[Triple] = [(node, RDF.type, cls), (node, RDFS.label, Literal(label, lang="en"))]
    if fact.summary:
        out.append((node, DCTERMS.description, Literal(fact.summary, lang="en")))
    if fact.note:
        out.append((node, SKOS.note, Literal(fact.note, lang="en")))
    out += [(node, KZ.concernsRight, concept("right", r)) for r in fact.rights]
    out += links(node, KZ.place, fact.place)
    out += links(node, event_property, fact.event)
    out += _dates(node, fact, start, end)
    inferred = dict(fact.inferred)
    if fact.year_inferred:
        inferred.setdefault("date", "the report gives no year here; it is taken from its period")
    out += map_inferences(node, inferred, FIELD_PROPERTIES)
    as_of = getattr(fact, "as_of", None)
    if as_of:
        out.append((node, KZ.asOf, date_literal(as_of)))
    out += evidence_triples(node, fact.evidence, ctx)
    return out


def map_event(ev: m.Event, ctx: MapContext) -> list[Triple]:
    node = mint("event", ev.id)
    out = _common(
        node, KZ.Event, ev, ctx, ev.name, event_property=KZ.partOfEvent, start=ev.start, end=ev.end
    )
    out.append((node, SKOS.prefLabel, Literal(ev.name, lang="en")))
    for alias in ev.aliases:
        out.append((node, SKOS.altLabel, Literal(alias, lang="en")))
    out.append((node, KZ.eventType, concept("event-type", ev.type)))
    out += links(node, KZ.partOfEvent, ev.part_of)
    out += links(node, KZ.hasParticipant, ev.participants)
    return out


def map_act(act: m.Act, ctx: MapContext) -> list[Triple]:
    node = mint("act", act.id)
    out = _common(
        node,
        ACT_CLASSES[act.type],
        act,
        ctx,
        act.summary or humanise(act.id),
        event_property=KZ.partOfEvent,
        start=act.start,
        end=act.end,
    )
    out += links(node, KZ.hasVictim, act.victims)
    out += links(node, KZ.hasPerpetrator, act.perpetrators)
    out += links(node, KZ.hasParticipant, act.participants)
    out += links(node, KZ.concerns, act.concerns)
    out += links(node, KZ.court, act.court)
    out += links(node, KZ.hasCount, act.count)
    out += links(node, KZ.follows, act.follows)
    for i, charge in enumerate(act.charges, start=1):
        out += map_charge(charge, mint("charge", act.id, i), act, ctx)
        out.append((node, KZ.hasCharge, mint("charge", act.id, i)))
    if act.sentence is not None:
        out += map_sentence(act.sentence, mint("sentence", act.id), act, ctx)
        out.append((node, KZ.hasSentence, mint("sentence", act.id)))
    return out


def map_charge(charge: m.Charge, node: URIRef, act: m.Act, ctx: MapContext) -> list[Triple]:
    out: list[Triple] = [
        (node, RDF.type, KZ.Charge),
        (node, RDFS.label, Literal(charge.label, lang="en")),
    ]
    if charge.provision:
        out.append((node, KZ.underProvision, ref_iri(charge.provision)))
        basis = charge.provision_basis or "inferred"
        out.append((node, KZ.provisionBasis, concept("link-basis", basis)))
        if basis == "inferred":
            why = "the report does not cite the article; matched to the charge's wording"
            out += map_inferences(node, {"provision": why}, FIELD_PROPERTIES)
    out += evidence_triples(node, charge.evidence or act.evidence, ctx)
    return out


def map_sentence(sentence: m.Sentence, node: URIRef, act: m.Act, ctx: MapContext) -> list[Triple]:
    label = sentence.penalty.replace("-", " ")
    if sentence.term:
        label = f"{label}, {sentence.term}"
    if sentence.suspended:
        label += ", suspended"
    out: list[Triple] = [
        (node, RDF.type, KZ.Sentence),
        (node, RDFS.label, Literal(label, lang="en")),
        (node, KZ.penaltyType, concept("penalty", sentence.penalty)),
        (node, KZ.suspended, Literal(sentence.suspended)),
    ]
    if sentence.term:
        out.append((node, KZ["term"], Literal(sentence.term, datatype=XSD.duration)))
    court = sentence.court or act.court
    out += links(node, KZ.court, court)
    date = sentence.date or act.date
    if date:
        out.append((node, KZ.date, date_literal(date)))
    out += evidence_triples(node, sentence.evidence or act.evidence, ctx)
    return out


def map_statistic(stat: m.Statistic, ctx: MapContext) -> list[Triple]:
    node = mint("statistic", stat.id)
    amount = stat.qualifier.replace("-", " ")
    if stat.value is not None:
        amount = f"{amount} {_number(stat.value)}"
        if stat.max is not None:
            amount += f" to {_number(stat.max)}"
    out = _common(node, KZ.StatisticalClaim, stat, ctx, f"{amount}: {stat.counts}")
    out += [
        (node, KZ.numericQualifier, concept("numeric-qualifier", stat.qualifier)),
        (node, KZ.measure, concept("measure", stat.measure)),
        (node, KZ.unit, Literal(stat.unit)),
    ]
    if not stat.summary:
        out.append((node, DCTERMS.description, Literal(stat.counts, lang="en")))
    if stat.value is not None:
        out.append((node, KZ.value, _decimal(stat.value)))
    if stat.max is not None:
        out.append((node, KZ.maxValue, _decimal(stat.max)))
    if stat.period and stat.period.start:
        out.append((node, KZ.periodStart, date_literal(stat.period.start)))
    if stat.period and stat.period.end:
        out.append((node, KZ.periodEnd, date_literal(stat.period.end)))
    out += links(node, KZ.attributedTo, stat.attributed_to)
    return out


def _decimal(value: float) -> Literal:
    """An xsd:decimal in canonical form ("40.0"), so dumps round-trip unchanged."""
    return Literal(repr(float(value)), datatype=XSD.decimal)


def _number(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def map_outcome(out_rec: m.Outcome, ctx: MapContext) -> list[Triple]:
    node = mint("outcome", out_rec.id)
    out = _common(
        node, KZ.AccountabilityOutcome, out_rec, ctx, out_rec.summary or humanise(out_rec.id)
    )
    out.append((node, KZ.outcomeType, concept("outcome-type", out_rec.kind)))
    for subject in out_rec.subjects:
        if "/" in subject:
            out.append((node, KZ.subjectGroup, ref_iri(subject)))
        else:
            out.append((node, KZ.subjectRole, concept("role", subject)))
    out += links(node, KZ.hasCount, out_rec.count)
    out += links(node, KZ.attributedTo, out_rec.attributed_to)
    return out


def map_recommendation(rec: m.Recommendation, ctx: MapContext) -> list[Triple]:
    node = mint("recommendation", rec.id)
    out = _common(node, KZ.Recommendation, rec, ctx, rec.summary or humanise(rec.id))
    out += links(node, KZ.recommendedBy, rec.by)
    out.append((node, KZ.addressedTo, ref_iri(rec.to)))
    out.append((node, KZ.reviewCycle, Literal(rec.cycle, datatype=XSD.positiveInteger)))
    if rec.section and ctx.report:
        out.append((node, KZ.inReportSection, mint("section", ctx.report, rec.section)))
    if rec.response:
        out.append((node, KZ.stateResponse, concept("upr-response", rec.response)))
    out += links(node, KZ.concerns, rec.concerns)
    return out


def map_intervention(iv: m.Intervention, ctx: MapContext) -> list[Triple]:
    node = mint("intervention", iv.id)
    out = _common(node, KZ.Intervention, iv, ctx, iv.summary or humanise(iv.id))
    out.append((node, KZ.interventionType, concept("intervention-type", iv.type)))
    out += links(node, KZ.hasActor, iv.actors)
    out += links(node, KZ.addressedTo, iv.addressed_to)
    out += links(node, KZ.concerns, iv.concerns)
    return out


def map_assessment(a: m.Assessment, ctx: MapContext) -> list[Triple]:
    node = mint("assessment", a.id)
    out = _common(node, KZ.ImplementationAssessment, a, ctx, a.summary or humanise(a.id))
    out.append((node, KZ.assesses, ref_iri(a.recommendation)))
    out.append((node, KZ.implementationStatus, concept("implementation-status", a.status)))
    out += links(node, KZ.basedOn, a.based_on)
    return out


# The one mapper of each fact model (kzgraph.mapping.dataset maps every fact by it).
FACT_MAPPERS: dict[type[m.Fact], Callable[[Any, MapContext], list[Triple]]] = {
    m.Event: map_event,
    m.Act: map_act,
    m.Statistic: map_statistic,
    m.Outcome: map_outcome,
    m.Recommendation: map_recommendation,
    m.Intervention: map_intervention,
    m.Assessment: map_assessment,
}

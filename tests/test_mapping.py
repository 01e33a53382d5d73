"""Pure mapping functions: one record in, triples out (mapping/*.py)."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from kzgraph.annotations import model as m
from kzgraph.iris import concept, mint
from kzgraph.mapping.context import MapContext, date_literal, fold
from kzgraph.mapping.entities import map_entity, map_mention
from kzgraph.mapping.facts import map_act, map_statistic
from kzgraph.namespaces import KZ, OA, RDF, SKOS, XSD

CTX = MapContext(
    report="r1",
    sections={"r1": [(0, mint("section", "r1", "intro"))]},
    snapshots={"r1": mint("snapshot", "sha256-" + "0" * 64)},
)
EV = {"exact": "convicted the activist", "start": 10, "end": 32}


def _graph(triples: list) -> Graph:
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_dates_keep_their_precision() -> None:
    assert date_literal("2023").datatype == XSD.gYear
    assert date_literal("2023-04").datatype == XSD.gYearMonth
    assert date_literal("2023-04-10").datatype == XSD.date


def test_fold_removes_accents_and_case() -> None:
    assert fold("Volker Türk") == "volker turk"


def test_act_has_type_roles_and_evidence() -> None:
    act = m.Act.model_validate(
        {
            "id": "x-conviction-2023",
            "type": "conviction",
            "date": "2023-04-10",
            "year_inferred": True,
            "victims": ["person/x"],
            "court": "org/c",
            "evidence": [EV],
        }
    )
    g = _graph(map_act(act, CTX))
    node = mint("act", "x-conviction-2023")
    assert (node, RDF.type, KZ.Conviction) in g
    assert (node, KZ.hasVictim, mint("person", "x")) in g
    assert (node, KZ.court, mint("org", "c")) in g
    assert (node, KZ.yearInferred, Literal(True)) in g
    ev = mint("evidence", "r1", "10-32")
    assert (node, KZ.hasEvidence, ev) in g
    assert (ev, OA.hasSource, CTX.snapshots["r1"]) in g
    assert (ev, KZ.inSection, mint("section", "r1", "intro")) in g
    assert (URIRef(f"{ev}/quote"), OA.exact, Literal("convicted the activist")) in g


def test_charge_links_provision_with_its_basis() -> None:
    act = m.Act.model_validate(
        {
            "id": "y",
            "type": "charge",
            "victims": ["person/y"],
            "evidence": [EV],
            "charges": [
                {
                    "label": "false information",
                    "provision": "provision/p-274",
                    "provision_basis": "stated",
                }
            ],
        }
    )
    g = _graph(map_act(act, CTX))
    charge = mint("charge", "y", 1)
    assert (mint("act", "y"), KZ.hasCharge, charge) in g
    assert (charge, KZ.underProvision, mint("provision", "p-274")) in g
    assert (charge, KZ.provisionBasis, concept("link-basis", "stated")) in g
    assert (charge, KZ.hasEvidence, mint("evidence", "r1", "10-32")) in g, "falls back to the act's"


def test_sentence_term_is_a_duration_and_suspension_is_explicit() -> None:
    act = m.Act.model_validate(
        {
            "id": "z",
            "type": "conviction",
            "victims": ["person/z"],
            "evidence": [EV],
            "sentence": {"penalty": "imprisonment", "term": "P6Y", "suspended": True},
        }
    )
    g = _graph(map_act(act, CTX))
    sentence = mint("sentence", "z")
    assert (sentence, KZ["term"], Literal("P6Y", datatype=XSD.duration)) in g
    assert (sentence, KZ.suspended, Literal(True)) in g
    assert (sentence, KZ.penaltyType, concept("penalty", "imprisonment")) in g


def test_vague_statistic_keeps_its_qualifier_and_source() -> None:
    stat = m.Statistic.model_validate(
        {
            "id": "s",
            "qualifier": "a-few-dozen",
            "unit": "officer",
            "measure": "prosecuted",
            "counts": "officers prosecuted",
            "attributed_to": "org/pg",
            "as_of": 2023,
            "evidence": [EV],
        }
    )
    g = _graph(map_statistic(stat, CTX))
    node = mint("statistic", "s")
    assert (node, KZ.numericQualifier, concept("numeric-qualifier", "a-few-dozen")) in g
    assert (node, KZ.attributedTo, mint("org", "pg")) in g
    assert (node, KZ.asOf, Literal("2023", datatype=XSD.gYear)) in g
    assert not list(g.objects(node, KZ.value))


def test_mention_records_spelling_and_alt_label() -> None:
    mention = m.Mention(exact="Maks Bokaev", start=5, end=16)
    g = _graph(map_mention(mention, "person/max-bokaev", "Max Bokaev", CTX))
    node = mint("mention", "r1", "5-16")
    assert (node, KZ.refersTo, mint("person", "max-bokaev")) in g
    assert (mint("person", "max-bokaev"), SKOS.altLabel, Literal("Maks Bokaev", lang="en")) in g


def test_place_containment_and_former_names() -> None:
    ent = m.Entity.model_validate(
        {
            "id": "place/astana",
            "name": "Astana",
            "kind": "city",
            "part_of": "place/kazakhstan",
            "former_names": ["Nursultan"],
        }
    )
    g = _graph(map_entity(ent, CTX))
    node = mint("place", "astana")
    assert (node, RDF.type, KZ.City) in g
    assert (node, KZ.withinPlace, mint("place", "kazakhstan")) in g
    assert (node, KZ.formerName, Literal("Nursultan", lang="en")) in g

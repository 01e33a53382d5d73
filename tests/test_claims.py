"""Entity claims, the curators' inferences, figure frames and mention forms (issue 17): the load
errors, the mapping, the checks that keep them so, and the real build."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as shacl
from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kzgraph.annotations import AnnotationSet
from kzgraph.annotations import model as m
from kzgraph.core import KnowledgeGraph
from kzgraph.iris import concept, mint
from kzgraph.mapping.context import MapContext
from kzgraph.mapping.entities import map_entity, map_mention
from kzgraph.mapping.facts import map_act
from kzgraph.namespaces import KZ, ORG, SH, SKOS
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.validate import _short, data_checks

from .conftest import ROOT
from .minidata import load_error as _error
from .minidata import mini_copy
from .minidata import replace_once as _replace
from .test_query_files_people import rows_of

CTX = MapContext(report="r1")
EV = {"exact": "the activist Jane", "start": 10, "end": 27}
PERSON = mint("person", "jane")


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return mini_copy(tmp_path)


# --- load errors ------------------------------------------------------------------------------


def test_a_role_without_evidence_or_basis_names_file_line_entry_and_field(data: Path) -> None:
    report = data / "reports" / "mini-report.yaml"
    role = "      - {role: activist, evidence: [{exact: the activist Jane Example, start: 82, "
    role += "end: 107}]}"
    _replace(report, role, role + "\n      - protester")
    message = _error(data)
    assert "mini-report.yaml:20 entry entities[0] (person/jane-example) field 'roles.1'" in message
    assert "'protester' has neither evidence nor a basis" in message


def test_an_inferred_claim_needs_a_reason(data: Path) -> None:
    report = data / "reports" / "mini-report.yaml"
    seat = "located_in: {ref: place/almaty, evidence: [{exact: An Almaty court, start: 136, "
    _replace(report, seat + "end: 151}]}", "located_in: {ref: place/almaty, basis: inferred}")
    message = _error(data)
    assert "(org/almaty-court) field 'located_in.0'" in message and "give the reason" in message


def test_an_organisation_may_not_use_part_of_for_its_parent(data: Path) -> None:
    _replace(
        data / "entities.yaml",
        "{id: org/kz-prosecutor-general, name: Prosecutor General's Office of Kazakhstan, kind: "
        "state-body}",
        "{id: org/kz-prosecutor-general, name: Prosecutor General's Office of Kazakhstan, kind: "
        "state-body, part_of: org/government-of-kazakhstan}",
    )
    message = _error(data)
    assert "field 'part_of'" in message and "sub_organization_of" in message


def test_inferred_names_a_field_of_the_record(data: Path) -> None:
    report = data / "reports" / "mini-report.yaml"
    _replace(
        report,
        "    perpetrators: [org/government-of-kazakhstan]\n",
        "    perpetrators: [org/government-of-kazakhstan]\n    inferred: {culprit: because}\n",
    )
    assert "field 'inferred.culprit'" in _error(data)


# --- mapping ----------------------------------------------------------------------------------


def _rows(kg: KnowledgeGraph, query: str) -> list[dict[str, str]]:
    outcome = kg.run_sparql(query, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    return rows_of(outcome.body)


def _graph(triples: list) -> Graph:  # type: ignore[type-arg]
    g = Graph()
    for t in triples:
        g.add(t)
    return g


def test_a_claim_is_a_qualified_node_with_evidence_and_the_direct_triple() -> None:
    entity = m.Entity.model_validate(
        {
            "id": "person/jane",
            "name": "Jane",
            "roles": [{"role": "activist", "evidence": [EV]}],
            "member_of": [{"ref": "org/monitor", "basis": "inferred", "reason": "named beside"}],
        }
    )
    g = _graph(map_entity(entity, CTX))
    role = URIRef(f"{PERSON}/claim/role/activist")
    assert (PERSON, KZ.hasRole, concept("role", "activist")) in g
    assert (role, KZ.claimSubject, PERSON) in g and (role, KZ.claimProperty, KZ.hasRole) in g
    assert (role, KZ.hasEvidence, mint("evidence", "r1", "10-27")) in g
    member = URIRef(f"{PERSON}/claim/member-of/org/monitor")
    assert (PERSON, ORG.memberOf, mint("org", "monitor")) in g
    assert (member, KZ.basis, concept("link-basis", "inferred")) in g
    assert (member, KZ.basisNote, Literal("named beside", lang="en")) in g
    assert (member, ORG.organization, mint("org", "monitor")) in g


def test_an_implied_actor_and_an_inferred_year_are_marked_as_ours() -> None:
    act = m.Act.model_validate(
        {
            "id": "x-fine",
            "type": "fine",
            "date": "2023",
            "year_inferred": True,
            "perpetrators": ["org/government"],
            "inferred": {"perpetrators": "passive in the report"},
            "evidence": [EV],
        }
    )
    g = _graph(map_act(act, CTX))
    node = mint("act", "x-fine")
    notes = {
        str(g.value(i, KZ.inferredProperty)): str(g.value(i, KZ.basisNote))
        for i in g.objects(node, KZ.hasInference)
    }
    assert notes[str(KZ.hasPerpetrator)] == "passive in the report"
    assert "period" in notes[str(KZ.date)]


def test_only_names_become_alternative_labels() -> None:
    name = m.Mention.model_validate({"exact": "Jayne", "start": 1, "end": 6})
    ref = m.Mention.model_validate({"exact": "a man", "start": 7, "end": 12, "form": "reference"})
    group = m.Mention.model_validate({"exact": "four others", "start": 13, "end": 24})
    g = _graph(
        map_mention(name, "person/jane", "Jane", CTX)
        + map_mention(ref, "person/jane", "Jane", CTX)
        + map_mention(group, "group/co-defendants", "Co-defendants", CTX)
    )
    assert set(g.objects(PERSON, SKOS.altLabel)) == {Literal("Jayne", lang="en")}
    assert not set(g.objects(mint("group", "co-defendants"), SKOS.altLabel))
    assert (
        mint("mention", "r1", "7-12"),
        KZ.mentionForm,
        concept("mention-form", "reference"),
    ) in g


# --- the checks and the real build ------------------------------------------------------------


def test_the_quality_check_finds_a_role_with_neither_evidence_nor_basis() -> None:
    g = Graph()
    g.add((PERSON, KZ.hasRole, concept("role", "journalist")))
    violations = data_checks(g, ROOT / "ontology" / "qc", AnnotationSet())
    assert [v.path for v in violations] == ["entity-claim-without-basis-violation"]
    assert "role/journalist" in violations[0].value


def test_every_entity_claim_of_the_real_build_has_evidence_or_a_basis(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    rows = _rows(
        real_kg,
        """PREFIX kz: <https://w3id.org/kzgraph/ontology#>
        SELECT ?c ?ev ?why WHERE { ?c kz:claimSubject ?e .
          OPTIONAL { ?c kz:hasEvidence ?ev } OPTIONAL { ?c kz:basisNote ?why } }""",
    )
    evidenced = {r["c"] for r in rows if r.get("ev")}
    inferred = {r["c"] for r in rows if r.get("why")}
    claims = {r["c"] for r in rows}
    assert len(claims) > 150 and claims == evidenced | inferred  # none with neither
    assert len(evidenced) > len(inferred)


def test_fragments_are_not_names_in_the_real_build(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    rows = _rows(
        real_kg,
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?label WHERE { ?s skos:altLabel ?label }""",
    )
    labels = {r["label"] for r in rows}
    for fragment in ("ISSN 2330-717X", "bureau.kz", "another to 10 days", "four others", "a man"):
        assert fragment not in labels
    assert "Zhanbolat Mamai" in labels and "Maks Bokaev" in labels


def test_pages_say_what_the_curators_inferred(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    from .test_linked_entity import page_for

    biden = page_for(real_kg, str(mint("person", "joe-biden")))
    assert biden is not None
    claims = {(c.property, c.value.label): c for c in biden.claims}
    head = claims[("head of", "Government of the United States")]
    assert not head.evidence and head.inferred and "our reading" in head.inferred
    assert claims[("has role", "head of state")].evidence
    astana = page_for(real_kg, str(mint("place", "astana")))
    assert astana is not None and any("Nursultan" in why for why in astana.inferences)


def test_timeline_facts_say_what_the_curators_inferred(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    from .test_linked_entity import MAMAY, page_for

    page = page_for(real_kg, MAMAY)
    assert page is not None
    notes = [why for fact in page.facts for why in fact.inferred]
    assert any(why.startswith("inferred by the curators (date):") for why in notes)
    charges = [why for fact in page.facts for part in fact.parts for why in part.inferred]
    assert any("charge's wording" in why for why in charges)


def test_the_claim_shape_and_the_quality_check_catch_the_same_assertions() -> None:
    """The SPARQL constraint of kzsh:ClaimedAssertionShape and the data-scope quality check
    (both rewritten to look each claim up from its subject: docs/decisions/0026) report the same
    assertions: those whose claim lacks evidence, lacks a reason, or is about another subject,
    property or value."""
    bob = mint("person", "bob")
    org_a, org_b, org_c = (mint("org", n) for n in ("a", "b", "c"))
    place = mint("place", "x")
    inferred = concept("link-basis", "inferred")
    g = Graph()

    def claim(
        name: str, subject: URIRef, prop: URIRef, value: URIRef, *extra: tuple[URIRef, Node]
    ) -> None:
        node = URIRef(f"{PERSON}/claim/{name}")
        g.add((node, KZ.claimSubject, subject))
        g.add((node, KZ.claimProperty, prop))
        g.add((node, KZ.claimValue, value))
        for p, o in extra:
            g.add((node, p, o))

    evidence = (KZ.hasEvidence, URIRef(f"{PERSON}/passage"))
    asserted = [
        (PERSON, KZ.hasRole, concept("role", "journalist")),  # evidenced: fine
        (PERSON, KZ.nationality, org_c),  # inferred with a reason: fine
        (PERSON, ORG.memberOf, org_a),  # inferred without a reason
        (PERSON, ORG.headOf, org_b),  # the evidenced claim names another value
        (bob, KZ.hasRole, concept("role", "blogger")),  # no claim at all
        (bob, KZ.basedIn, place),  # the evidenced claim is about another subject
        (bob, ORG.subOrganizationOf, org_a),  # the evidenced claim names another property
    ]
    for t in asserted:
        g.add(t)
    claim("1", PERSON, KZ.hasRole, concept("role", "journalist"), evidence)
    claim("2", PERSON, KZ.nationality, org_c, (KZ.basis, inferred), (KZ.basisNote, Literal("r")))
    claim("3", PERSON, ORG.memberOf, org_a, (KZ.basis, inferred))
    claim("4", PERSON, ORG.headOf, org_c, evidence)
    claim("5", PERSON, KZ.basedIn, place, evidence)
    claim("6", bob, ORG.memberOf, org_a, evidence)
    expected = set(asserted[2:])

    checked = data_checks(g, ROOT / "ontology" / "qc", AnnotationSet())
    assert {(v.focus, v.value) for v in checked} == {
        (s, f"{_short(p)} {_short(o)}") for s, p, o in expected
    }
    shapes = Graph().parse(ROOT / "ontology" / "shapes.ttl")
    _, results, _ = shacl(g, shacl_graph=shapes, advanced=True)
    assert isinstance(results, Graph)
    found = set()
    for r in results.subjects(
        SH.sourceShape, URIRef("https://w3id.org/kzgraph/shapes#ClaimedAssertionShape")
    ):
        focus, path, value = (results.value(r, SH[k]) for k in ("focusNode", "resultPath", "value"))
        found.add((focus, path, value))
    assert found == expected

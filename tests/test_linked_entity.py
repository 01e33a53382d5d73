"""A resource page's content, from the real build's store (kzgraph.linked.entity), and the
mapping between request paths, IRIs and local links (kzgraph.linked.resolve)."""

from __future__ import annotations

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.linked.entity import ResourcePage, words
from kzgraph.linked.resolve import Links, is_reserved, requested
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.workers import evaluate

BASE = "https://w3id.org/kzgraph/"
MAMAY = BASE + "id/person/zhanbolat-mamay"
CONVICTION = BASE + "id/act/mamay-conviction-2023"


def page_for(kg: KnowledgeGraph, iri: str) -> ResourcePage | None:
    outcome = evaluate(kg.open_store().oxigraph, kg.page_job(iri))
    assert outcome.error is None
    return kg.resource_page(iri, outcome.body)


def test_a_person_page_has_names_spellings_roles_and_a_dated_timeline(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    page = page_for(real_kg, MAMAY)
    assert page is not None
    assert page.label == "Zhanbolat Mamay" and "Zhanbolat Mamai" in page.names
    assert {form for form, _ in page.spellings} == {"Zhanbolat Mamay", "Zhanbolat Mamai"}
    assert {r.label for r in page.roles} == {"opposition politician"}  # audit 2026-12
    claims = {(c.property, c.value.label): c for c in page.claims}
    role = claims[("has role", "opposition politician")]
    assert role.evidence and role.inferred is None, "the role cites the passage that states it"
    assert any("party leader" in (ev.exact or "") for ev in role.evidence)
    dates = [f.date for f in page.facts if f.date]
    assert dates == sorted(dates), "the timeline is in date order"
    conviction = next(f for f in page.facts if f.node.iri == CONVICTION)
    assert conviction.date == "2023-04-10" and conviction.relation == "against them"
    assert conviction.kind == "Trial and conviction"  # the class label from the ontology
    (evidence,) = conviction.evidence
    assert evidence.exact == "On April 10, an Almaty court convicted Zhanbolat Mamay"
    assert evidence.report is not None and evidence.report.label == "World Report 2024: Kazakhstan"
    assert (evidence.start, evidence.end) == (3522, 3576)
    assert evidence.section == "Government Opponents and Other Critics"
    kinds = sorted(p.kind for p in conviction.parts)
    assert kinds == ["Charge", "Charge", "Charge", "Sentence"]
    assert all(p.evidence for p in conviction.parts), "each charge and sentence has its passage"


def test_a_fact_stated_by_several_reports_lists_each(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    page = page_for(real_kg, BASE + "id/person/erzhan-elshibaev")
    assert page is not None
    fact = next(f for f in page.facts if f.node.iri.endswith("/act/elshibaev-imprisonment-2019"))
    assert len(fact.reports) == 3


def test_an_unknown_iri_has_no_page(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    assert page_for(real_kg, BASE + "id/person/nobody") is None


def test_an_act_page_shows_its_own_evidence_and_charges(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    page = page_for(real_kg, CONVICTION)
    assert page is not None and page.evidence and len(page.parts) == 4
    assert any(f.node.iri.endswith("/act/mamay-appeal-2023") for f in page.facts)


@pytest.mark.parametrize(
    ("path", "iri", "media"),
    [
        ("id/person/x", BASE + "id/person/x", None),
        ("id/person/x.ttl", BASE + "id/person/x", "text/turtle"),
        ("id/person/x.jsonld", BASE + "id/person/x", "application/ld+json"),
        ("id/person/x.html", BASE + "id/person/x", "text/html"),
        ("vocab/role/journalist.rdf", BASE + "vocab/role/journalist", "application/rdf+xml"),
        (".ttl", BASE + ".ttl", None),
    ],
)
def test_requested_splits_a_format_suffix(path: str, iri: str, media: str | None) -> None:
    got = requested(BASE, path)
    assert (got.iri, got.media) == (iri, media)


def test_reserved_paths_belong_to_other_routes() -> None:
    assert is_reserved("sparql/x") and is_reserved(".well-known/void") and is_reserved("dumps/")
    assert not is_reserved("id/person/x")


def test_links_are_local_under_the_public_urls_path() -> None:
    links = Links.for_request(BASE, "https://kz.example.org/graph/", "http://127.0.0.1:8000/")
    assert links.local(MAMAY) == "/graph/id/person/zhanbolat-mamay"
    assert links.local(BASE + "ontology#Person") == "/graph/ontology#Person"
    assert links.local("https://schema.org/Person") == "https://schema.org/Person"
    assert links.absolute("/graph/x.ttl") == "https://kz.example.org/graph/x.ttl"
    plain = Links.for_request(BASE, None, "http://127.0.0.1:8000/")
    assert plain.local(MAMAY) == "/id/person/zhanbolat-mamay"
    assert plain.representation("id/person/x", "text/turtle") == "/id/person/x.ttl"


def test_words() -> None:
    assert words("https://w3id.org/kzgraph/ontology#hasVictim") == "Has victim"
    assert (
        words("https://w3id.org/kzgraph/ontology#AdministrativeArrest") == "Administrative arrest"
    )


def test_a_report_page_lists_what_it_states_in_text_order(
    real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    page = page_for(real_kg, BASE + "id/report/hrw-world-report-2024")
    assert page is not None and len(page.passages) > 100
    starts = [ev.start or 0 for _, ev in page.passages]
    assert starts == sorted(starts)
    facts = {fact.iri: ev for fact, ev in page.passages}
    assert facts[CONVICTION].exact == "On April 10, an Almaty court convicted Zhanbolat Mamay"
    assert not any("/mention/" in iri for iri in facts), "spellings are not facts"
    assert not page.spellings, "mentions in a report are not the report's spellings"

"""Expected results, on the real graph, of the canned queries on places, interventions,
organisations, cases without conviction, rights, people, evidence and event timelines; and the
quality query on a small store where it must find what is missing."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.canned import parse_query_file
from kzgraph.sparql.workers import Job, evaluate

from .conftest import ROOT, SEEDS, needs_seeds

ID = "https://w3id.org/kzgraph/id/"
KZ = "https://w3id.org/kzgraph/ontology#"
VOCAB = "https://w3id.org/kzgraph/vocab/"
JSON = "application/sparql-results+json"
Row = dict[str, str]


def rows_of(body: bytes) -> list[Row]:
    bindings = json.loads(body)["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def run(kg: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[Row]:
    """Run a canned query; each row maps a variable to its value (unbound ones left out)."""
    outcome = kg.run_canned(name, params or {}, JSON)
    assert outcome.error is None, outcome.message
    assert outcome.timings["eval"] < 1.0, f"{name} took {outcome.timings['eval']:.2f} s"
    return rows_of(outcome.body)


def short(iri: str) -> str:
    return iri.removeprefix(ID)


def by(rows: list[Row], column: str, value: str) -> list[Row]:
    return [r for r in rows if r.get(column) == value]


def evidence_of_report(evidence: str, report: str) -> bool:
    """Evidence IRIs are minted as evidence/<report-id>/<start>-<end>."""
    return evidence.startswith(f"{ID}evidence/{report.rsplit('/', 1)[-1]}/")


def assert_cited(rows: list[Row]) -> None:
    """Every row carries its report and an evidence node of that report."""
    for row in rows:
        assert evidence_of_report(row["evidence"], row["report"]), row
        assert row.get("quote", "x"), row


def assert_cited_aggregate(rows: list[Row]) -> None:
    """Every count row lists evidence nodes, each of one of the reports it lists."""
    for row in rows:
        reports = row["reports"].split()
        evidence = row["evidence"].split()
        assert reports and evidence, row
        assert all(any(evidence_of_report(e, r) for r in reports) for e in evidence), row


@pytest.fixture(scope="module")
def kg(real_kg: KnowledgeGraph, real_build: BuildResult) -> KnowledgeGraph:
    return real_kg


# --- acts-by-city-and-year ------------------------------------------------------------------


def test_acts_by_city_and_year_counts_acts_per_city_year_and_kind(kg: KnowledgeGraph) -> None:
    rows = run(kg, "acts-by-city-and-year")
    assert_cited_aggregate(rows)
    assert {r["city_label"] for r in rows} == {
        "Aktobe", "Almaty", "Astana", "Karaganda", "Kyzylorda", "Pavlodar", "Shymkent",
        "Taldykorgan", "Taraz", "Uralsk", "Zhanaozen",
    }  # fmt: skip
    # only cities: acts placed in a region or the whole country are left out
    assert all(short(r["city"]).startswith("place/") for r in rows)
    assert not {r["city_label"] for r in rows} & {"Kazakhstan", "Zhetysu Region", "Xinjiang"}
    cell = {(r["city_label"], r.get("year"), r["kind_iri"].removeprefix(KZ)): r for r in rows}
    convictions = cell[("Almaty", "2023", "Conviction")]
    assert convictions["kind"] == "Trial and conviction"
    assert convictions["acts"] == "2"
    assert {short(a) for a in convictions["act_iris"].split()} == {
        "act/mamay-conviction-2023",
        "act/tleuzhanova-conviction-2023",
    }
    # a detention at the Chinese consulate (a site in Almaty) counts for Almaty
    detentions = cell[("Almaty", "2021", "Detention")]
    assert "act/khalida-akytkhan-detention-2021" in {
        short(a) for a in detentions["act_iris"].split()
    }
    assert detentions["acts"] == "2"
    # one act placed in three cities counts once in each
    for city in ("Taraz", "Kyzylorda", "Shymkent"):
        killing = cell[(city, "2022", "Killing")]
        assert short(killing["act_iris"]) == "act/jan2022-killings-taraz-kyzylorda-shymkent"
    assert cell[("Shymkent", "2023", "AdministrativeArrest")]["acts"] == "2"
    # the 2011 torture allegations have no place: the report does not say where (audit 2026-12)
    assert ("Zhanaozen", "2011", "TortureOrIllTreatment") not in cell
    per_city: Counter[str] = Counter()
    for r in rows:
        per_city[r["city_label"]] += int(r["acts"])
    assert per_city["Almaty"] == 18
    assert per_city["Shymkent"] == 9
    assert len(rows) == 43  # no Zhanaozen 2011 torture cell (audit 2026-12)


# --- interventions-by-actor -----------------------------------------------------------------


def test_interventions_by_actor_lists_every_intervention_under_each_actor(
    kg: KnowledgeGraph,
) -> None:
    rows = run(kg, "interventions-by-actor")
    assert_cited(rows)
    assert len({r["intervention"] for r in rows}) == 64
    assert len(rows) == 142
    wgad = by(rows, "intervention", ID + "intervention/wgad-yerimbetov-2018")
    assert {r["actor_label"] for r in wgad} == {"UN Working Group on Arbitrary Detention"}
    assert {r["type"] for r in wgad} == {"finding"}
    assert {r["date"] for r in wgad} == {"2018-12"}
    assert {r["addressed_to"] for r in wgad} == {"Government of Kazakhstan"}
    assert set(wgad[0]["concerns_iris"].split()) == {
        ID + "person/iskander-yerimbetov",
        ID + "act/yerimbetov-detention",
    }
    assert "Iskander Yerimbetov" in wgad[0]["concerns"].split("; ")
    joint = by(
        rows, "intervention", ID + "intervention/embassies-statement-journalist-attacks-2023"
    )
    assert {short(r["actor"]) for r in joint} == {
        "org/european-union", "org/uk-government", "org/us-government",
    }  # fmt: skip
    assert ID + "act/media-offices-vandalized-2023" in joint[0]["concerns_iris"].split()
    # events are among what an intervention concerns (kz:concernsEvent)
    michel = by(rows, "intervention", ID + "intervention/michel-tokayev-meeting-2023")
    assert ID + "event/eu-central-asia-summit-2023" in michel[0]["concerns_iris"].split()


def test_interventions_by_actor_flags_international_actors_first(kg: KnowledgeGraph) -> None:
    rows = run(kg, "interventions-by-actor")
    international = {short(r["actor"]): r["international"] for r in rows}
    assert international["org/un-wgad"] == "true"  # an intergovernmental body
    assert international["org/us-bureau-drl"] == "true"  # a foreign government
    assert international["person/michelle-bachelet"] == "true"  # member of OHCHR
    assert international["person/frank-walter-steinmeier"] == "true"  # a foreign national
    assert international["person/kassym-jomart-tokayev"] == "false"
    assert international["org/kz-npm"] == "false"
    assert international["org/kibhr"] == "false"
    flags = [r["international"] for r in rows]
    assert flags == sorted(flags, reverse=True)
    assert by(rows, "actor", ID + "org/un-wgad")[0]["actor_kind"] == "Intergovernmental body"


# --- organisations-restricted ---------------------------------------------------------------


def test_organisations_restricted_with_what_happened_to_members(kg: KnowledgeGraph) -> None:
    rows = run(kg, "organisations-restricted")
    assert_cited(rows)
    assert {short(r["organisation"]) for r in rows} == {
        "org/knprk",
        "org/congress-of-free-trade-unions",
        "org/democratic-choice-of-kazakhstan",
        "org/fuel-energy-workers-union",
    }
    links = {(short(r["organisation"]), short(r["act"])): r["link"] for r in rows}
    assert links == {
        ("org/knprk", "act/knprk-closure-2017"): "restriction",
        ("org/knprk", "act/kharkova-conviction"): "member or leader",
        (
            "org/congress-of-free-trade-unions",
            "act/congress-independent-unions-registration-refused-2018",
        ): "restriction",
        (
            "org/congress-of-free-trade-unions",
            "act/congress-free-trade-unions-unregistered-2021",
        ): "follows the restriction",  # a situation in 2021, not a new refusal (audit 2026-12)
        ("org/democratic-choice-of-kazakhstan", "act/dvk-ban-2018"): "restriction",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/dvk-supporters-harassment-2018",
        ): "follows the restriction",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/dvk-supporters-prosecutions-2018",
        ): "follows the restriction",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/abishev-conviction-2018",
        ): "charge names the organisation",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/tungishbaev-charge-2018",
        ): "charge names the organisation",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/abishev-parole-2021",
        ): "follows an act whose charge names the organisation",
        (
            "org/democratic-choice-of-kazakhstan",
            "act/tungishbaev-extradition-2018",
        ): "follows an act whose charge names the organisation",
        ("org/fuel-energy-workers-union", "act/fuel-energy-union-suspension-2021"): "restriction",
    }
    abishev = by(rows, "act", ID + "act/abishev-conviction-2018")[0]
    assert abishev["victims"] == "Aset Abishev"
    assert abishev["charges"] == "participation in the banned Democratic Choice of Kazakhstan"
    assert by(rows, "act", ID + "act/dvk-ban-2018")[0]["kind"] == "Ban"
    # each organisation's rows open with its restriction
    first: dict[str, str] = {}
    for r in rows:
        first.setdefault(r["organisation"], r["link"])
    assert set(first.values()) == {"restriction"}
    # restrictions on unnamed groups and on persons are not organisations
    acts = {short(r["act"]) for r in rows}
    assert "act/ngo-tax-suspensions-2020" not in acts
    assert "act/kushakbaev-eleusinov-union-activity-ban" not in acts


# --- cases-without-conviction ---------------------------------------------------------------


def test_cases_without_conviction(kg: KnowledgeGraph) -> None:
    rows = run(kg, "cases-without-conviction")
    assert_cited(rows)
    acts = {short(r["act"]): r for r in rows}
    assert len(acts) == 18
    assert Counter(r["outcome"] for r in acts.values()) == {
        "Charges dropped": 5,
        "Investigation closed": 5,
        "Release on parole": 4,
        "Release": 4,
    }
    assert {a for a, r in acts.items() if r["after_conviction"] == "true"} == {
        "act/ayan-parole-2018",
        "act/kushakbaev-eleusinov-parole-2018",
        "act/bokaev-release-2021",
        "act/abishev-parole-2021",
        "act/atabek-parole-2021",
    }
    semenova = acts["act/semenova-case-dropped-2018"]
    assert semenova["subject_label"] == "Elena Semenova"
    assert semenova["subject_kind"] == "Person"
    assert semenova["date"] == "2018-12"
    assert short(semenova["earlier_act"]) == "act/semenova-investigation-2018"
    assert semenova["charges"] == "disseminating knowingly false information"
    assert acts["act/yerimbetov-torture-investigation-closed-2018"]["earlier_kind"] == (
        "Investigation opened"
    )
    assert acts["act/karakalpak-activists-release-2023"]["subject_kind"] == "Group"
    # a release of several people gives one row per person
    released = by(rows, "act", ID + "act/activists-released-pending-trial-2022")
    assert {r["subject_label"] for r in released} == {
        "Karima Khaidarbekova", "Raigul Sadyrbayeva", "Kuat Shamuratov",
    }  # fmt: skip
    assert not {short(r["act"]) for r in rows} & {"act/mamay-conviction-2023"}
    dates = [r["date"] for r in rows if "date" in r]
    assert dates == sorted(dates)
    assert len(rows) == 28


# --- acts-per-right-per-year ----------------------------------------------------------------


def test_acts_per_right_per_year(kg: KnowledgeGraph) -> None:
    rows = run(kg, "acts-per-right-per-year")
    assert_cited_aggregate(rows)
    cell = {(r["right"].removeprefix(VOCAB), r.get("year")): r for r in rows}
    assert cell[("right/expression", "2023")]["acts"] == "13"
    assert cell[("right/expression", "2023")]["right_label"] == "freedom of expression"
    assert cell[("right/assembly", "2021")]["acts"] == "12"
    assert [(k[1], r["acts"]) for k, r in cell.items() if k[0] == "right/movement"] == [
        ("2021", "3")
    ]
    zhanaozen = cell[("right/freedom-from-torture", "2011")]
    assert zhanaozen["act_iris"] == ID + "act/zhanaozen-detainees-torture-allegations"
    totals: Counter[str] = Counter()
    for r in rows:
        totals[r["right"].removeprefix(VOCAB)] += int(r["acts"])
    assert totals["right/expression"] == 50
    assert totals["right/liberty"] == 45
    assert totals["right/assembly"] == 43  # the 2024 report corroborates the IPHR use of force
    assert len(totals) == 23
    # undated acts are counted under an empty year, sorted after the dated ones
    expression = [
        r.get("year") for r in rows if r["right"].removeprefix(VOCAB) == "right/expression"
    ]
    assert expression[-1] is None and cell[("right/expression", None)]["acts"] == "5"


# --- person-dossier -------------------------------------------------------------------------


def test_person_dossier_default_is_zhanbolat_mamay(kg: KnowledgeGraph) -> None:
    rows = run(kg, "person-dossier")
    assert {r["_person_iri"] for r in rows} == {ID + "person/zhanbolat-mamay"}
    assert {r["person_label"] for r in rows} == {"Zhanbolat Mamay"}
    aspects: dict[str, set[str]] = {}
    for r in rows:
        aspects.setdefault(r["aspect"], set()).add(short(r["item"]))
    assert aspects == {
        "victim of": {
            "act/mamay-administrative-arrest-2022",
            "act/mamay-criminal-charges-2022",
            "act/mamay-pretrial-detention-2022",
            "act/mamay-conviction-2023",
            "act/mamay-appeal-2023",
        },
        "charge": {
            "charge/mamay-administrative-arrest-2022/1",
            "charge/mamay-criminal-charges-2022/1",
            "charge/mamay-criminal-charges-2022/2",
            "charge/mamay-conviction-2023/1",
            "charge/mamay-conviction-2023/2",
            "charge/mamay-conviction-2023/3",
        },
        "sentence": {"sentence/mamay-administrative-arrest-2022", "sentence/mamay-conviction-2023"},
        "spelling": {
            "mention/hrw-world-report-2024/3561-3576",
            "mention/iphr-kibhr-civic-space-2022/4579-4594",
        },
        "role": {VOCAB + "role/opposition-politician"},  # not journalist: audit 2026-12
        "head of": {"org/democratic-party-of-kazakhstan"},
    }
    sentence = by(rows, "item", ID + "sentence/mamay-conviction-2023")[0]
    assert sentence["detail"] == "imprisonment P6Y suspended"
    assert sentence["date"] == "2023-04-10"
    charge = by(rows, "item", ID + "charge/mamay-conviction-2023/3")[0]
    assert charge["item_label"] == "disseminating knowingly false information"
    assert "Article 274" in charge["detail"]
    spellings = {r["item_label"]: short(r["report"]) for r in by(rows, "aspect", "spelling")}
    assert spellings == {
        "Zhanbolat Mamay": "report/hrw-world-report-2024",
        "Zhanbolat Mamai": "report/iphr-kibhr-civic-space-2022",
    }
    # every item a report states carries its passage; roles and memberships are curated
    cited = [r for r in rows if r["aspect"] not in {"role", "head of", "member of"}]
    assert_cited(cited)
    assert all("evidence" not in r for r in rows if r not in cited)
    dated = [r["date"] for r in rows if "date" in r]
    assert dated == sorted(dated) and rows[-1].get("date") is None
    assert len(rows) == 18  # one role fewer: not a journalist (audit 2026-12)


def test_person_dossier_for_other_people(kg: KnowledgeGraph) -> None:
    bokaev = run(kg, "person-dossier", {"person": ID + "person/max-bokaev"})
    assert {r["_person_iri"] for r in bokaev} == {ID + "person/max-bokaev"}
    assert {r["item_label"] for r in by(bokaev, "aspect", "spelling")} == {
        "Maks Bokaev", "Max Bokayev", "Max Bokaev", "Bokaev",
    }  # fmt: skip
    assert {short(r["item"]) for r in by(bokaev, "aspect", "recommendation about them")} == {
        "recommendation/upr3-release-bokaev-ayan"
    }
    assert {short(r["item"]) for r in by(bokaev, "aspect", "participant in")} == {
        "event/land-reform-protests-2016"
    }
    conviction = by(bokaev, "item", ID + "act/bokaev-ayan-conviction-2016")
    assert {short(r["report"]) for r in conviction} == {
        "report/hrw-upr-submission-2019",
        "report/hrw-world-report-2022",
    }
    assert "act/bokaev-release-2021" in {
        short(r["item"]) for r in by(bokaev, "aspect", "victim of")
    }

    tokayev = run(kg, "person-dossier", {"person": ID + "person/kassym-jomart-tokayev"})
    perpetrated = {short(r["item"]) for r in by(tokayev, "aspect", "perpetrator of")}
    assert "act/jan2022-shoot-to-kill-order" in perpetrated
    assert {short(r["item"]) for r in by(tokayev, "aspect", "actor in")} == {
        "intervention/tokayev-address-2022-03-16"
    }
    assert "intervention/biden-tokayev-meeting-2023" in {
        short(r["item"]) for r in by(tokayev, "aspect", "intervention about them")
    }

    # a person declared in one report's file: the curated rows name that report
    kharkova = run(kg, "person-dossier", {"person": ID + "person/larisa-kharkova"})
    role = by(kharkova, "aspect", "role")[0]
    assert role["item"] == VOCAB + "role/trade-unionist"
    assert short(role["report"]) == "report/hrw-upr-submission-2019"
    assert {short(r["item"]) for r in by(kharkova, "aspect", "head of")} == {"org/knprk"}

    assert run(kg, "person-dossier", {"person": ID + "person/no-such-person"}) == []


# --- facts-without-evidence -----------------------------------------------------------------


def test_no_fact_lacks_evidence_in_the_real_graph(kg: KnowledgeGraph) -> None:
    assert run(kg, "facts-without-evidence") == []


SMALL = """
@base <https://w3id.org/kzgraph/id/> .
@prefix kz: <https://w3id.org/kzgraph/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .

<https://w3id.org/kzgraph/graph/report/r> {
  <report/r> a kz:Report .
  <act/cited> a kz:Detention ; rdfs:label "a cited detention" ; kz:hasEvidence <evidence/r/0-5> .
  <evidence/r/0-5> a kz:Evidence ; kz:inReport <report/r> ; oa:hasSource <snapshot/s> ;
      oa:hasSelector <evidence/r/0-5/quote> , <evidence/r/0-5/position> .
  <evidence/r/0-5/quote> a oa:TextQuoteSelector ; oa:exact "Cited" .
  <evidence/r/0-5/position> a oa:TextPositionSelector ; oa:start 0 ; oa:end 5 .

  <act/uncited> a kz:Detention ; rdfs:label "a detention without evidence" ;
      kz:hasCharge <charge/uncited/1> .
  <charge/uncited/1> a kz:Charge ; rdfs:label "a charge" ; kz:hasEvidence <evidence/r/9-12> .
  <evidence/r/9-12> a kz:Evidence ; kz:inReport <report/r> ; oa:hasSource <snapshot/s> .

  <person/p> a kz:Person ; rdfs:label "not a fact, needs no evidence" .
}
"""


def test_facts_without_evidence_finds_what_is_missing() -> None:
    """On a small store (the ontology and a made-up report) the query does find the act without
    evidence (typed only by a subclass of kz:Act) and the charge whose evidence has no quote."""
    store = ox.Store()
    store.load(
        path=str(ROOT / "ontology" / "kzgraph.ttl"),
        format=ox.RdfFormat.TURTLE,
        to_graph=ox.NamedNode("https://w3id.org/kzgraph/graph/ontology"),
    )
    store.load(input=SMALL.encode(), format=ox.RdfFormat.TRIG)
    query = parse_query_file(ROOT / "queries" / "facts-without-evidence.rq")
    outcome = evaluate(store, Job(query=query.text, media=JSON, max_rows=100))
    assert outcome.error is None, outcome.message
    found = {
        (short(r["node"]), r["class"].removeprefix(KZ), r["problem"], short(r.get("evidence", "")))
        for r in rows_of(outcome.body)
    }
    assert found == {
        ("act/uncited", "Act", "no evidence", ""),
        ("charge/uncited/1", "Charge", "incomplete evidence", "evidence/r/9-12"),
    }
    row = next(r for r in rows_of(outcome.body) if r["node"].endswith("act/uncited"))
    assert row["label"] == "a detention without evidence"
    assert row["graphs"] == "https://w3id.org/kzgraph/graph/report/r"


# --- evidence-for-a-fact --------------------------------------------------------------------


def test_evidence_for_the_default_fact(kg: KnowledgeGraph) -> None:
    rows = run(kg, "evidence-for-a-fact")
    assert_cited(rows)
    assert {r["_fact_iri"] for r in rows} == {ID + "act/bokaev-ayan-conviction-2016"}
    assert {r["reports_stating"] for r in rows} == {"2"}
    itself = by(rows, "part_label", "the fact itself")
    assert {(short(r["report"]), int(r["start"]), int(r["end"])) for r in itself} == {
        ("report/hrw-upr-submission-2019", 212, 240),
        ("report/hrw-upr-submission-2019", 2790, 2842),
        ("report/hrw-world-report-2022", 4418, 4451),
        ("report/hrw-world-report-2022", 4452, 4507),
    }
    wr = by(itself, "start", "4418")[0]
    assert wr["quote"] == "imprisoned for five years in 2016"
    assert wr["report_label"] == "World Report 2022: Kazakhstan"
    assert wr["section_title"] == "Civil Society"
    assert short(wr["evidence"]) == "evidence/hrw-world-report-2022/4418-4451"
    # the fact's charge and sentence follow, with their own passages
    assert [r["part_label"] for r in rows[len(itself) :]] == [
        "inciting social discord",
        "imprisonment, P5Y",
    ]
    assert rows[: len(itself)] == itself
    assert len(rows) == 6


def test_evidence_for_another_fact(kg: KnowledgeGraph) -> None:
    rows = run(kg, "evidence-for-a-fact", {"fact": ID + "event/january-2022-events"})
    assert {r["reports_stating"] for r in rows} == {"4"}
    assert Counter(short(r["report"]) for r in rows) == {
        "report/hrw-world-report-2022": 5,
        "report/hrw-world-report-2024": 1,
        "report/iphr-kibhr-civic-space-2022": 2,
        "report/kibhr-us-state-dept-2023-summary": 2,
    }
    assert {r["part_label"] for r in rows} == {"the fact itself"}
    finding = ID + "intervention/wgad-elshibaev-2021"
    rows = run(kg, "evidence-for-a-fact", {"fact": finding})
    assert rows and {r["part"] for r in rows} == {finding}
    # a finding both World Reports state: corroborated by two reports, in different sections
    assert {r["reports_stating"] for r in rows} == {"2"}
    assert {(short(r["report"]), r["section_title"]) for r in rows} == {
        ("report/hrw-world-report-2022", "Civil Society"),
        ("report/hrw-world-report-2024", "Labor Rights"),
    }
    assert run(kg, "evidence-for-a-fact", {"fact": ID + "act/no-such-act"}) == []


@needs_seeds()
def test_evidence_for_a_fact_points_at_the_exact_characters(kg: KnowledgeGraph) -> None:
    """Each quote is the source text between its offsets, in the snapshot the row names."""
    texts = {
        ID + "snapshot/sha256-" + hashlib.sha256(p.read_bytes()).hexdigest(): p
        for p in Path(SEEDS).glob("*.txt")
    }
    for fact in ("act/bokaev-ayan-conviction-2016", "event/january-2022-events"):
        for r in run(kg, "evidence-for-a-fact", {"fact": ID + fact}):
            text = texts[r["source"]].read_text(encoding="utf-8")
            assert text[int(r["start"]) : int(r["end"])] == r["quote"], r


# --- event-timeline -------------------------------------------------------------------------


def test_event_timeline_default_is_january_2022_undated_last(kg: KnowledgeGraph) -> None:
    rows = run(kg, "event-timeline")
    assert_cited(rows)
    assert {r["_event_iri"] for r in rows} == {ID + "event/january-2022-events"}
    acts = {short(r["act"]) for r in rows}
    assert len(acts) == 31
    assert {
        "act/jan2022-shoot-to-kill-order",
        "act/jan2022-killings",
        "act/tleuzhanova-conviction-2023",
    } <= acts
    dated = [r["date"] for r in rows if "date" in r]
    assert dated == sorted(dated)
    undated = {short(r["act"]) for r in rows if "date" not in r}
    assert undated == {
        "act/jan2022-activists-charged-retaliation",
        "act/jan2022-activists-kept-in-detention",
        "act/jan2022-activists-torture-due-process",
        "act/jan2022-deaths-in-custody",
        "act/jan2022-detainee-torture",
    }
    assert all("date" not in r for r in rows[len(dated) :])
    shoot = by(rows, "act", ID + "act/jan2022-shoot-to-kill-order")[0]
    assert (shoot["date"], shoot["kind"]) == ("2022-01-07", "State measure")
    assert len(rows) == 50


def test_event_timeline_of_another_event(kg: KnowledgeGraph) -> None:
    rows = run(kg, "event-timeline", {"event": ID + "event/zhanaozen-2011"})
    assert [
        (short(r["act"]), r["date"], r["kind"], r["victims"], short(r["evidence"])) for r in rows
    ] == [
        (
            "act/zhanaozen-detainees-torture-allegations",
            "2011",
            "Torture or ill-treatment",
            "People detained and prosecuted after the 2011 Zhanaozen events",
            "evidence/hrw-upr-submission-2019/10069-10131",
        )
    ]
    shymkent = run(kg, "event-timeline", {"event": ID + "event/shymkent-relatives-protest-2023"})
    assert {short(r["act"]) for r in shymkent} == {
        "act/shymkent-relatives-detention-2023",
        "act/shymkent-protester-arrest-5-days-2023",
        "act/shymkent-protester-arrest-10-days-2023",
    }

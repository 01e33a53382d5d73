"""Expected results, on the real graph, of the canned queries on accountability, charges,
sentences, journalists, figures, UPR recommendations and entities across reports."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult

ID = "https://w3id.org/kzgraph/id/"
JAN = ID + "event/january-2022-events"
Row = dict[str, str]


def run(kg: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> list[Row]:
    """Run a canned query; each row maps a variable to its value (unbound ones left out)."""
    outcome = kg.run_canned(name, params or {}, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    assert outcome.timings["eval"] < 1.0, f"{name} took {outcome.timings['eval']:.2f} s"
    bindings = json.loads(outcome.body)["results"]["bindings"]
    return [{k: v["value"] for k, v in b.items()} for b in bindings]


def short(iri: str) -> str:
    return iri.removeprefix(ID)


def by(rows: list[Row], column: str, value: str) -> list[Row]:
    return [r for r in rows if r.get(column) == value]


def assert_cited(rows: list[Row]) -> None:
    """Every row carries its report and at least one evidence node of that report."""
    for row in rows:
        report_id = row["report"].rsplit("/", 1)[-1]
        evidence = row["evidence"].split()
        assert evidence, row
        assert all(e.startswith(f"{ID}evidence/{report_id}/") for e in evidence), row


@pytest.fixture(scope="module")
def kg(real_kg: KnowledgeGraph, real_build: BuildResult) -> KnowledgeGraph:
    return real_kg


# --- officials-held-accountable -------------------------------------------------------------


def test_officials_held_accountable_lists_the_outcomes_about_officials(kg: KnowledgeGraph) -> None:
    rows = run(kg, "officials-held-accountable")
    assert {short(r["outcome"]) for r in rows} == {
        "outcome/jan2022-outcome-police-torture-convictions",
        "outcome/jan2022-outcome-officers-prosecuted",
        "outcome/jan2022-outcome-few-officials-accountable",
        "outcome/jan2022-outcome-death-investigations-closed",
        "outcome/jan2022-outcome-torture-investigations-closed",
        "outcome/jan2022-officials-punished-2023",
        "outcome/zhanaozen-torture-not-investigated",
        "outcome/prison-torture-allegations-no-prosecution-2021",
    }
    # Protesters convicted and people prosecuted after death are not officials held to account.
    assert len(rows) == 8  # one report states each outcome
    assert_cited(rows)


def test_officials_held_accountable_sets_officials_beside_others_convicted(
    kg: KnowledgeGraph,
) -> None:
    rows = run(kg, "officials-held-accountable")
    (police,) = by(rows, "outcome", ID + "outcome/jan2022-outcome-police-torture-convictions")
    assert police["event"] == JAN and police["outcome_type_label"] == "convicted"
    assert float(police["officials_value"]) == 23 and police["officials_qualifier"] == "at least"
    assert police["as_of"] == "2023" and police["official_role_stated"] == "true"
    assert short(police["report"]) == "report/hrw-world-report-2024"
    assert police["evidence"] == ID + "evidence/hrw-world-report-2024/2802-2870"
    # The gap: over 1,200 people convicted over the same events, per the Prosecutor General.
    assert float(police["others_convicted"]) == 1200
    assert set(police["others_convicted_statistics"].split()) == {
        ID + "statistic/jan2022-convictions-over-1200",
        ID + "statistic/jan2022-convictions-several-dozen-cases",
    }
    assert "Prosecutor General's Office of Kazakhstan" in police["others_convicted_figures"]
    assert "[as of 2023]" in police["others_convicted_figures"]
    # Every January 2022 row carries the same comparison.
    for row in by(rows, "event", JAN):
        assert float(row["others_convicted"]) == 1200

    (officers,) = by(rows, "outcome", ID + "outcome/jan2022-outcome-officers-prosecuted")
    assert officers["officials_qualifier"] == "a few dozen" and "officials_value" not in officers
    assert short(officers["attributed_to"]) == "org/kz-prosecutor-general"
    assert officers["attributed_to_label"] == "Prosecutor General's Office of Kazakhstan"

    (kibhr,) = by(rows, "outcome", ID + "outcome/jan2022-officials-punished-2023")
    assert kibhr["official_role_stated"] == "true"  # the group has the role official
    assert short(kibhr["report"]) == "report/kibhr-us-state-dept-2023-summary"
    assert len(kibhr["evidence"].split()) == 3
    assert "attributed_to" not in kibhr


def test_officials_held_accountable_other_events_and_no_event(kg: KnowledgeGraph) -> None:
    rows = run(kg, "officials-held-accountable")
    (zhanaozen,) = by(rows, "outcome", ID + "outcome/zhanaozen-torture-not-investigated")
    assert short(zhanaozen["event"]) == "event/zhanaozen-2011"
    assert zhanaozen["outcome_type_label"] == "no prosecution" and zhanaozen["as_of"] == "2018"
    assert "others_convicted" not in zhanaozen and "others_convicted_figures" not in zhanaozen
    (prison,) = by(rows, "outcome", ID + "outcome/prison-torture-allegations-no-prosecution-2021")
    assert "event" not in prison and "others_convicted_figures" not in prison
    assert float(prison["officials_value"]) == 0
    assert short(prison["attributed_to"]) == "org/radio-azattyk"
    assert "subjects" not in prison  # who was accused is not stated (audit 2026-12)
    # Rows with an event come first; the one without comes last.
    assert rows[-1] is prison


# --- charges-by-article ---------------------------------------------------------------------


def test_charges_by_article_article_274_stated_and_inferred(kg: KnowledgeGraph) -> None:
    rows = by(run(kg, "charges-by-article"), "provision", ID + "provision/kz-criminal-code-274")
    assert {r["article"] for r in rows} == {"274"}
    assert {r["law_label"] for r in rows} == {"Criminal Code of Kazakhstan"}
    stated = {(short(r["person"]), short(r["act"])) for r in rows if r["basis_label"] == "stated"}
    assert stated == {
        ("person/elena-semenova", "act/semenova-investigation-2018"),
        ("person/elena-semenova", "act/semenova-case-dropped-2018"),
        ("group/government-critics-kz-2019", "act/critics-overbroad-criminal-charges"),
    }
    inferred = {(short(r["person"]), r.get("year")) for r in rows if r["basis_label"] == "inferred"}
    assert {
        ("person/zhanbolat-mamay", "2022"),
        ("person/zhanbolat-mamay", "2023"),
        ("person/makhambet-abzhan", "2023"),
        ("person/temirlan-ensebek", "2021"),
        ("org/forbes-kazakhstan", "2018"),
        ("org/ratel-kz", "2018"),
    } <= inferred
    (semenova,) = by(rows, "act", ID + "act/semenova-investigation-2018")
    assert semenova["act_kind"] == "Investigation opened" and semenova["year"] == "2018"
    assert len(semenova["evidence"].split()) == 2
    assert_cited(rows)


def test_charges_by_article_one_row_per_person_and_year(kg: KnowledgeGraph) -> None:
    rows = run(kg, "charges-by-article")
    mamay_2023 = by(by(rows, "person", ID + "person/zhanbolat-mamay"), "year", "2023")
    assert {r["article"]: r["charge_label"] for r in mamay_2023} == {
        "272": "organizing mass riots",
        "274": "disseminating knowingly false information",
        "378": "insulting law enforcement officers",
    }
    assert {r["act_kind"] for r in mamay_2023} == {"Trial and conviction"}
    art405_2021 = by(by(rows, "provision", ID + "provision/kz-criminal-code-405"), "year", "2021")
    # Seven imprisoned over banned groups, Okhasov, and the group of those convicted.
    assert Counter(r["person_kind"] for r in art405_2021) == {"Person": 8, "Group": 1}
    admin = {
        r["article"]
        for r in rows
        if r.get("law_label") == "Code of Administrative Offences of Kazakhstan"
    }
    assert admin == {"73-3", "488", "490"}
    # Charges tied to no article come last, with the article columns blank.
    unlinked = [r for r in rows if "provision" not in r]
    assert {short(r["person"]) for r in unlinked} == {
        "person/aron-atabek",
        "person/amin-eleusinov",
        "person/nurbek-kushakbaev",
        "person/aigerim-tleuzhanova",
    }
    assert rows[-len(unlinked) :] == unlinked
    assert all("basis_label" not in r for r in unlinked)
    assert_cited(rows)


# --- sentences -------------------------------------------------------------------------------


def test_sentences_terms_courts_and_charges(kg: KnowledgeGraph) -> None:
    rows = run(kg, "sentences")
    assert len({r["sentence"] for r in rows}) == 25  # every sentence in the graph
    (mamay,) = by(rows, "sentence", ID + "sentence/mamay-conviction-2023")
    assert mamay["term"] == "P6Y" and mamay["term_days"] == "2190"
    assert mamay["suspended"] == "true" and mamay["penalty_label"] == "imprisonment"
    assert short(mamay["court"]) == "org/almaty-court" and mamay["year"] == "2023"
    assert set(mamay["charges"].split("; ")) == {
        "organizing mass riots",
        "disseminating knowingly false information",
        "insulting law enforcement officers",
    }
    (batyrbaev,) = by(rows, "person", ID + "person/amangeldy-batyrbaev")
    assert batyrbaev["penalty_label"] == "administrative arrest" and batyrbaev["term"] == "P20D"
    assert batyrbaev["term_days"] == "20" and batyrbaev["suspended"] == "false"
    assert short(batyrbaev["court"]) == "org/turkestan-regional-court"
    (atabek,) = by(rows, "person", ID + "person/aron-atabek")
    assert (atabek["year"], atabek["term"], atabek["term_days"]) == ("2006", "P18Y", "6570")
    # Seven men imprisoned in 2021 over banned groups: one row each.
    assert len(by(rows, "sentence", ID + "sentence/banned-groups-imprisonments-2021")) == 7
    assert_cited(rows)


def test_sentences_ordered_by_year_then_longest_term(kg: KnowledgeGraph) -> None:
    rows = run(kg, "sentences")
    years = [r.get("year", "9999") for r in rows]
    assert years == sorted(years) and years[0] == "2006"
    in_2023 = [short(r["sentence"]) for r in by(rows, "year", "2023") if "term_days" in r]
    assert in_2023[:3] == [
        "sentence/abzhan-conviction-2023",  # nine years
        "sentence/mamay-conviction-2023",  # six years, suspended
        "sentence/tleuzhanova-conviction-2023",  # four years
    ]
    # Without a date (Yerimbetov, Kharkova): last.
    assert {short(r["person"]) for r in rows if "year" not in r} == {
        "person/iskander-yerimbetov",
        "person/larisa-kharkova",
    }


# --- journalists-and-bloggers ----------------------------------------------------------------


def test_journalists_and_bloggers_acts_against_them(kg: KnowledgeGraph) -> None:
    rows = run(kg, "journalists-and-bloggers")
    assert {short(r["person"]) for r in rows} == {
        "person/aigerim-tleuzhanova",
        "person/amangeldy-batyrbaev",
        "person/aset-mataev",
        "person/bigeldy-gabdullin",
        "person/diana-saparkyzy",
        "person/dmitry-tikhonov",
        "person/ermek-taichibekov",
        "person/lukpan-akhmedyarov",
        "person/makhambet-abzhan",
        "person/sandugash-duysenova",
        "person/serikzhan-mauletbay",
        "person/temirlan-ensebek",
        # (Zhanbolat Mamay is not here: no report calls him a journalist; audit 2026-12)
        # unnamed journalists, as groups with the role journalist (or blogger)
        "group/forbes-ratel-case-journalists-2018",  # the interrogated journalists (audit)
        "group/independent-journalists",
        "group/journalist-blogger-fake-news-2022",
        "group/journalist-russian-outlet-interview-2022",
        "group/journalists-kazakhstan-2021",
        "group/kz-journalists-attacked-2023",
    }
    acts = {(short(r["person"]), r["act_kind"], r.get("year")) for r in rows}
    assert {
        ("person/diana-saparkyzy", "Attack", "2023"),
        ("person/sandugash-duysenova", "Detention", "2023"),
        ("person/sandugash-duysenova", "Harassment", "2023"),
        ("person/sandugash-duysenova", "Charge or prosecution", "2023"),
        ("person/makhambet-abzhan", "Trial and conviction", "2023"),
        ("person/ermek-taichibekov", "Trial and conviction", "2021"),
        ("person/temirlan-ensebek", "Investigation opened", "2021"),
        ("person/bigeldy-gabdullin", "Surveillance", "2021"),
        ("person/dmitry-tikhonov", "Detention", "2014"),
    } <= acts
    # The case against Duysenova was dropped: not an act against her.
    assert not by(rows, "act", ID + "act/duysenova-case-dropped-2023")
    roles = {short(r["person"]): r["role_label"] for r in rows}
    assert roles["person/makhambet-abzhan"] == "blogger"
    assert roles["person/diana-saparkyzy"] == "journalist"
    assert Counter(r.get("year") for r in rows) == {
        "2014": 1,
        "2018": 3,  # + the interrogation, now against the journalists (audit)
        "2021": 6,
        "2022": 1,  # Mamay's three 2022 and two 2023 acts left with his journalist role (audit)
        "2023": 9,
        None: 2,  # undated acts against unnamed journalists
    }
    assert_cited(rows)


# --- figures-side-by-side ---------------------------------------------------------------------


def test_figures_side_by_side_for_january_2022(kg: KnowledgeGraph) -> None:
    rows = run(kg, "figures-side-by-side")
    assert {r["_event_iri"] for r in rows} == {JAN}
    assert Counter(r["measure_label"] for r in {r["statistic"]: r for r in rows}.values()) == {
        "killed": 4,
        "injured": 1,
        "detained": 1,
        "prosecuted": 4,
        "convicted": 3,
        "criminal cases": 1,
        "deaths in custody": 1,
        "torture cases": 1,
        "complaints": 1,
    }
    # Administrative cases and closed investigations are not among the figures asked for.
    assert not by(
        rows, "statistic", ID + "statistic/jan2022-administrative-penalties-most-detainees"
    )
    (convicted,) = by(rows, "statistic", ID + "statistic/jan2022-convictions-over-1200")
    assert (convicted["value"], convicted["qualifier"], convicted["as_of"]) == (
        "1200",
        "more than",
        "2023",
    )
    assert convicted["source_label"] == "Prosecutor General's Office of Kazakhstan"
    assert convicted["source_basis"] == "attributed"
    # The same figure from two reports: two rows, each with its report's publisher(s) as source.
    detained = by(rows, "statistic", ID + "statistic/jan2022-detained-approx-10000")
    assert {
        (short(r["report"]), frozenset(r["source_label"].split("; ")), r["source_basis"])
        for r in detained
    } == {
        ("report/hrw-world-report-2022", frozenset({"Human Rights Watch"}), "report publisher"),
        (
            "report/iphr-kibhr-civic-space-2022",
            frozenset(
                {
                    "International Partnership for Human Rights",
                    "Kazakhstan International Bureau for Human Rights and Rule of Law",
                }
            ),
            "report publisher",
        ),
    }
    (custody,) = by(rows, "statistic", ID + "statistic/jan2022-deaths-in-custody-eight")
    assert custody["source_label"] == "Government of Kazakhstan" and custody["value"] == "8"
    killed = [r["as_of"] for r in by(rows, "measure_label", "killed") if "as_of" in r]
    assert killed == sorted(killed)
    assert_cited(rows)


@pytest.mark.parametrize(
    "event, statistic, qualifier",
    [
        ("may-10-2018-protests", "may-10-2018-detained-dozens", "dozens"),
        (
            "nur-otan-conference-protests-2019",
            "nur-otan-protests-2019-detained-hundreds",
            "hundreds",
        ),
    ],
)
def test_figures_side_by_side_for_another_event(
    kg: KnowledgeGraph, event: str, statistic: str, qualifier: str
) -> None:
    rows = run(kg, "figures-side-by-side", {"event": ID + "event/" + event})
    assert [(short(r["statistic"]), r["measure_label"], r["qualifier"]) for r in rows] == [
        ("statistic/" + statistic, "detained", qualifier)
    ]
    assert rows[0]["_event_iri"] == ID + "event/" + event
    assert rows[0]["source_label"] == "Human Rights Watch"
    assert_cited(rows)


# --- upr-recommendations-tracked --------------------------------------------------------------


def test_upr_recommendations_of_2019_with_later_assessments(kg: KnowledgeGraph) -> None:
    rows = run(kg, "upr-recommendations-tracked")
    assert {r["_cycle_xsd_integer"] for r in rows} == {"3"}
    assert len({r["recommendation"] for r in rows}) == 23
    assert len({r["assessment"] for r in rows if "assessment" in r}) == 44
    assert {short(r["recommendation"]) for r in rows if "assessment" not in r} == {
        "recommendation/upr3-release-tungishbaev-bilash",
        "recommendation/upr3-review-yerimbetov-case",
    }
    art274 = by(rows, "recommendation", ID + "recommendation/upr3-repeal-article-274")
    assert {(short(r["report"]), r["status_label"], r["as_of"]) for r in art274} == {
        ("report/hrw-world-report-2022", "not implemented", "2021-05"),
        ("report/iphr-kibhr-civic-space-2022", "not implemented", "2022-03"),
        ("report/hrw-world-report-2024", "contrary action", "2023"),
    }
    (wr2024,) = by(art274, "assessment", ID + "assessment/upr3-repeal-article-274-wr2024")
    assert set(wr2024["based_on"].split()) == {
        ID + "act/mamay-conviction-2023",
        ID + "act/abzhan-conviction-2023",
        ID + "act/media-law-adopted-2023",
    }
    assert wr2024["section_label"] == "Civil Society"
    assert wr2024["recommended_by"] == "Human Rights Watch"
    assert wr2024["recommendation_evidence"].startswith(ID + "evidence/hrw-upr-submission-2019/")
    torture = by(
        rows, "recommendation", ID + "recommendation/upr3-zero-tolerance-torture-zhanaozen"
    )
    assert Counter(r["status_label"] for r in torture) == {
        "not implemented": 2,
        "partially implemented": 2,
    }
    assert_cited([r for r in rows if "assessment" in r])


def test_upr_recommendations_of_2014_judged_in_2019(kg: KnowledgeGraph) -> None:
    rows = run(kg, "upr-recommendations-tracked", {"cycle": "2"})
    assert {r["_cycle_xsd_integer"] for r in rows} == {"2"}
    assert len({r["recommendation"] for r in rows}) == 16
    assessed = [r for r in rows if "assessment" in r]
    assert {short(r["report"]) for r in assessed} == {"report/hrw-upr-submission-2019"}
    status = {short(r["recommendation"]): r["status_label"] for r in assessed}
    assert status["recommendation/upr2-ratify-crpd"] == "implemented"
    assert status["recommendation/upr2-education-children-disabilities"] == "under way"
    assert Counter(status.values())["not implemented"] == 13
    # The 2019 submission gives no verdict on decriminalising defamation.
    unassessed = [short(r["recommendation"]) for r in rows if "assessment" not in r]
    assert unassessed == ["recommendation/upr2-decriminalise-defamation"]
    (crpd,) = by(rows, "recommendation", ID + "recommendation/upr2-ratify-crpd")
    assert crpd["state_response"] == "accepted"
    assert crpd["recommended_by"] == "States recommending in Kazakhstan's UPR"
    assert_cited(assessed)


# --- entities-in-several-reports ---------------------------------------------------------------


def test_entities_in_several_reports_with_every_spelling(kg: KnowledgeGraph) -> None:
    rows = run(kg, "entities-in-several-reports")
    entities = {short(r["entity"]): r for r in rows}
    assert len(rows) == len(entities) == 24
    assert all(int(r["report_count"]) >= 2 for r in rows)
    assert all(r["entity"].startswith((ID + "person/", ID + "org/")) for r in rows)
    mamay = entities["person/zhanbolat-mamay"]
    assert set(mamay["spellings"].split("; ")) == {"Zhanbolat Mamay", "Zhanbolat Mamai"}
    assert set(mamay["spellings_by_report"].split("; ")) == {
        "Zhanbolat Mamay (hrw-world-report-2024)",
        "Zhanbolat Mamai (iphr-kibhr-civic-space-2022)",
    }
    assert set(mamay["reports"].split()) == {
        ID + "report/hrw-world-report-2024",
        ID + "report/iphr-kibhr-civic-space-2022",
    }
    assert set(mamay["evidence"].split()) == {
        ID + "evidence/hrw-world-report-2024/3561-3576",
        ID + "evidence/iphr-kibhr-civic-space-2022/4579-4594",
    }
    bokaev = entities["person/max-bokaev"]
    assert set(bokaev["spellings"].split("; ")) == {
        "Max Bokaev",
        "Maks Bokaev",
        "Max Bokayev",
        "Bokaev",
    }
    assert bokaev["kind"] == "Person"
    tokayev = entities["person/kassym-jomart-tokayev"]
    assert tokayev["report_count"] == "3"
    assert {"Tokayev", "Tokaev", "Kasym-Jomart Tokaev"} <= set(tokayev["spellings"].split("; "))
    assert entities["org/kibhr"]["kind"] == "Non-governmental organization"
    assert "bureau.kz" in entities["org/kibhr"]["spellings"].split("; ")
    # Most widely reported first: the government is named in all five reports.
    assert (
        short(rows[0]["entity"]) == "org/government-of-kazakhstan"
        and rows[0]["report_count"] == "5"
    )
    counts = [int(r["report_count"]) for r in rows]
    assert counts == sorted(counts, reverse=True)

"""kzgraph.draft.score: precision and recall per kind, the curated (gold) sets of a report file,
entity matching by id or spelling, one-to-one fact matching by overlapping evidence in text order,
and date agreement on matched acts."""

from __future__ import annotations

import pytest

from kzgraph.annotations import load_annotations
from kzgraph.annotations.load import AnnotationSet
from kzgraph.draft.acts import DraftAct
from kzgraph.draft.candidates import Anchor, Fact, KnownMention, NewEntity
from kzgraph.draft.extract import Extraction
from kzgraph.draft.score import KINDS, Gold, Score, gold_for, score, spellings
from kzgraph.draft.source import Span

from .conftest import MINI

WHOLE = Span(0, 1000)


def _anchor(start: int, end: int) -> Anchor:
    return Anchor(start, end, WHOLE)


def _gold(**facts: list[list[tuple[int, int]]]) -> Gold:
    gold = Gold({"person": set(), "organisation": set(), "place": set(), "law article": set()})
    gold.facts = {k: facts.get(k.replace("/", "_"), []) for k in KINDS[4:]}
    gold.act_dates = [None] * len(gold.facts["date/act"])
    return gold


@pytest.fixture(scope="module")
def mini() -> AnnotationSet:
    return load_annotations(MINI / "data")


# -- Score --------------------------------------------------------------------------------------


def test_precision_and_recall_with_nothing_to_divide_by_are_one() -> None:
    assert (Score("person").precision, Score("person").recall) == (1.0, 1.0)
    s = Score("person", predicted=4, gold=5, true_pred=3, found=2)
    assert (s.precision, s.recall) == (0.75, 0.4)


def test_scores_add_up() -> None:
    total = Score("charge", 1, 2, 1, 1, 1, 0)
    total.add(Score("charge", 3, 4, 2, 2, 2, 2))
    assert total == Score("charge", 4, 6, 3, 3, 3, 2)


# -- gold_for and spellings ---------------------------------------------------------------------


def test_gold_for_a_report(mini: AnnotationSet) -> None:
    gold = gold_for(mini, "mini-report")
    assert gold.entities == {
        "person": {"person/jane-example"},
        "organisation": {
            "org/almaty-court",
            "org/kz-prosecutor-general",
            "org/government-of-kazakhstan",
        },
        "place": {"place/almaty"},
        "law article": {"provision/kz-administrative-code-488"},  # a charge's provision
    }
    assert gold.facts == {
        "charge": [[(211, 243)]],
        "sentence": [[(178, 210)]],
        "statistic": [[(291, 319)]],
        "date/act": [[(56, 94)], [(136, 161)]],
    }
    assert gold.act_dates == ["2030-03-03", "2030-03"]


def test_gold_for_a_report_the_set_does_not_hold_is_empty(mini: AnnotationSet) -> None:
    gold = gold_for(mini, "no-such-report")
    assert all(not refs for refs in gold.entities.values())
    assert all(not spans for spans in gold.facts.values())


def test_spellings_are_folded_names_and_mentions_of_every_file(mini: AnnotationSet) -> None:
    table = spellings(mini)
    assert table["jane example"] == "person/jane-example"
    assert table["jane exampel"] == "person/jane-example"  # a mention in the report file
    assert table["prosecutor general's office"] == "org/kz-prosecutor-general"  # curly quote
    assert table["police in almaty"] == "place/almaty"
    assert all(key == key.lower() for key in table)


# -- score: entities ----------------------------------------------------------------------------


def test_entities_match_by_id_or_by_a_curated_spelling() -> None:
    text = "Jane Exampel met the Steppe Foundation and Dana Nobody in Almaty."
    found = Extraction(text)
    found.mentions = [KnownMention("place/almaty", _anchor(59, 65))]
    found.new = [
        NewEntity("person/jane-exampel", "Jane Exampel", "person", "", [_anchor(0, 12)]),
        NewEntity("person/dana-nobody", "Dana Nobody", "person", "", [_anchor(43, 54)]),
        # a curated spelling, but of an entity of another kind: no match
        NewEntity("org/almaty", "Almaty", "other", "", [_anchor(59, 65)]),
        NewEntity("event/x", "X", "event", "", []),  # not a scored kind
    ]
    gold = _gold()
    gold.entities["person"] = {"person/jane-example", "person/someone-else"}
    gold.entities["place"] = {"place/almaty"}
    names = {"jane exampel": "person/jane-example", "almaty": "place/almaty"}
    scores = score(found, gold, names)
    person, place, org = scores["person"], scores["place"], scores["organisation"]
    assert (person.predicted, person.gold, person.true_pred, person.found) == (2, 2, 1, 1)
    assert (place.predicted, place.true_pred) == (1, 1)
    assert (org.predicted, org.gold, org.true_pred) == (1, 0, 0)


def test_law_articles_come_from_provision_mentions_and_charges() -> None:
    found = Extraction("x" * 100)
    found.mentions = [KnownMention("provision/code-1", _anchor(0, 5))]
    act = DraftAct("charge", _anchor(10, 20))
    act.charges = [
        Fact("charge", _anchor(10, 20), Span(10, 20), {"provision": "provision/code-2"}),
        Fact("charge", _anchor(21, 30), Span(21, 30), {"provision": None}),
    ]
    found.acts = [act]
    gold = _gold(charge=[[(12, 14)]], date_act=[[(0, 3)]])
    gold.entities["law article"] = {"provision/code-2", "provision/code-3"}
    s = score(found, gold, {})
    assert (s["law article"].predicted, s["law article"].true_pred, s["law article"].gold) == (
        2,
        1,
        2,
    )
    assert (s["charge"].predicted, s["charge"].true_pred, s["charge"].found) == (2, 1, 1)
    assert (s["date/act"].predicted, s["date/act"].true_pred) == (1, 0)  # 10-20 vs 0-3


# -- score: facts -------------------------------------------------------------------------------


def _stats(*spans: tuple[int, int]) -> Extraction:
    found = Extraction("x" * 100)
    found.statistics = [Fact("statistic", _anchor(s, e), Span(s, e)) for s, e in spans]
    return found


def test_facts_match_when_evidence_overlaps_and_only_once() -> None:
    gold = _gold(statistic=[[(10, 20)], [(30, 40), (50, 60)]])
    s = score(_stats((15, 25), (18, 19), (55, 70), (80, 90)), gold, {})["statistic"]
    # (15, 25) takes the first curated fact; (18, 19) overlaps it too but it is taken;
    # (55, 70) overlaps the second fact's second phrase; (80, 90) overlaps nothing
    assert (s.predicted, s.gold, s.true_pred, s.found) == (4, 2, 2, 2)


def test_touching_spans_do_not_overlap() -> None:
    s = score(_stats((20, 30)), _gold(statistic=[[(10, 20)], [(30, 40)]]), {})["statistic"]
    assert (s.true_pred, s.found) == (0, 0)


def test_drafted_facts_are_matched_in_text_order_to_the_first_curated_fact() -> None:
    # both drafted spans overlap both curated facts: the earlier drafted span takes the first
    gold = _gold(statistic=[[(0, 50)], [(10, 60)]])
    s = score(_stats((20, 30), (5, 15)), gold, {})["statistic"]
    assert (s.true_pred, s.found) == (2, 2)
    gold = _gold(statistic=[[(0, 50)]])
    s = score(_stats((20, 30), (5, 15)), gold, {})["statistic"]
    assert (s.predicted, s.true_pred, s.found) == (2, 1, 1)


@pytest.mark.parametrize(
    ("drafted", "curated", "dated", "agree"),
    [
        ("2030-03-03", "2030-03", 1, 1),  # same year and month
        ("2030-03", "2030-03-20", 1, 1),
        ("2030", "2030-05-01", 1, 1),  # a year only: the year decides
        ("2030-04-01", "2030-03-01", 1, 0),
        ("2029-03", "2030-03", 1, 0),
        (None, "2030-03", 0, 0),  # undated in the draft: not compared
        ("2030-03", None, 0, 0),
    ],
)
def test_dates_of_matched_acts(
    drafted: str | None, curated: str | None, dated: int, agree: int
) -> None:
    found = Extraction("x" * 100)
    act = DraftAct("detention", _anchor(10, 20))
    act.date = (drafted, False) if drafted else None  # type: ignore[assignment]
    found.acts = [act]
    gold = _gold(date_act=[[(15, 25)]])
    gold.act_dates = [curated]
    s = score(found, gold, {})["date/act"]
    assert (s.true_pred, s.dated, s.dates_agree) == (1, dated, agree)


def test_penalties_are_scored_as_sentences() -> None:
    found = Extraction("x" * 100)
    act = DraftAct("conviction", _anchor(0, 10))
    act.sentence = Fact("sentence", _anchor(40, 50), Span(40, 50), {})
    found.acts = [act]
    s = score(found, _gold(sentence=[[(45, 48)]], date_act=[[(0, 2)]]), {})
    assert (s["sentence"].true_pred, s["date/act"].true_pred) == (1, 1)


def test_an_empty_draft_against_an_empty_gold_is_perfect() -> None:
    scores = score(Extraction(""), _gold(), {})
    assert list(scores) == KINDS
    assert all((s.precision, s.recall, s.predicted) == (1.0, 1.0, 0) for s in scores.values())


def test_two_acts_with_the_same_phrase_keep_their_own_dates() -> None:
    # a short sentence: the release and the detention quote the same phrase
    found = Extraction("x" * 100)
    release = DraftAct("release", _anchor(10, 20))
    release.date = ("2019", False)
    detention = DraftAct("detention", _anchor(10, 20))
    detention.date = ("2021-03", False)
    found.acts = [release, detention]
    gold = _gold(date_act=[[(10, 12)], [(18, 20)]])
    gold.act_dates = ["2019", "2021-03"]
    s = score(found, gold, {})["date/act"]
    assert (s.true_pred, s.dated, s.dates_agree) == (2, 2, 2)

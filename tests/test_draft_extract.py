"""kzgraph.draft.extract: one pass over a text against a known graph: known mentions (first use
of each spelling), new entities and provisions, statistics that are not penalties or article
numbers, and acts with their people, places, dates, charges and penalties."""

from __future__ import annotations

import pytest

from kzgraph.draft.extract import Extraction, extract
from kzgraph.draft.gazetteer import KnownGraph

from .draftkit import known_graph

TEXT = (
    "On March 3, police in Almaty detained the activist Aigul Testova and blogger Serikbol "
    "Nurtazin. An Almaty court sentenced Testova to 15 days of administrative arrest under "
    "Article 488 of the Code of Administrative Offences. In 2030 Nurtazin was charged with "
    "spreading false information under Article 274 and Article 999 of the Criminal Code. "
    "More than 40 people were detained in Almaty that month."
)


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownGraph:
    return known_graph(tmp_path_factory.mktemp("known"))


@pytest.fixture(scope="module")
def found(known: KnownGraph) -> Extraction:
    return extract(TEXT, known)


def test_every_anchor_quotes_the_text(found: Extraction) -> None:
    anchors = [m.anchor for m in found.mentions] + [a for e in found.new for a in e.anchors]
    for act in found.acts:
        anchors += [act.anchor, *(c.anchor for c in act.charges)]
        if act.sentence is not None:
            anchors.append(act.sentence.anchor)
    anchors += [s.anchor for s in found.statistics]
    assert len(anchors) > 15
    for anchor in anchors:
        exact = anchor.exact(TEXT)
        assert exact and exact == exact.strip()
        assert anchor.sentence.start <= anchor.start < anchor.end <= anchor.sentence.end
        assert len(exact.split()) <= 12


def test_known_mentions_first_use_of_each_spelling(found: Extraction) -> None:
    assert found.text == TEXT
    assert [(m.entity, m.anchor.exact(TEXT)) for m in found.mentions] == [
        ("place/almaty", "Almaty"),  # three times in the text, once here
        ("person/aigul-testova", "Aigul Testova"),
        ("person/aigul-testova", "Testova"),
        ("law/kz-administrative-code", "Code of Administrative Offences"),
        ("law/kz-criminal-code", "Criminal Code"),
        ("provision/kz-administrative-code-488", "Article 488"),
        ("provision/kz-criminal-code-274", "Article 274"),
    ]
    assert found.mentions[0].anchor.start == TEXT.index("Almaty")


def test_new_people_bodies_and_provisions(found: Extraction) -> None:
    assert [(e.id, e.kind, [a.exact(TEXT) for a in e.anchors]) for e in found.new] == [
        ("person/serikbol-nurtazin", "person", ["Serikbol Nurtazin"]),
        ("org/almaty-court-2", "court", ["Almaty court"]),
        ("provision/kz-criminal-code-999", "provision", ["Article 999"]),
    ]
    provision = found.new[2]
    assert provision.name == "Criminal Code of Kazakhstan, Article 999"
    assert provision.fields == {"part_of": "law/kz-criminal-code", "number": "999"}
    assert provision.why == "an article number with its law"


def test_entity_ids_are_the_known_and_the_new(found: Extraction) -> None:
    assert found.entity_ids() == {
        "place/almaty",
        "person/aigul-testova",
        "law/kz-administrative-code",
        "law/kz-criminal-code",
        "provision/kz-administrative-code-488",
        "provision/kz-criminal-code-274",
        "person/serikbol-nurtazin",
        "org/almaty-court-2",
        "provision/kz-criminal-code-999",
    }


def test_acts_with_what_their_sentence_says(found: Extraction) -> None:
    summary = [
        (a.kind, a.date, a.victims, a.places, a.sentence is not None, len(a.charges))
        for a in found.acts
    ]
    assert summary == [
        (
            "detention",
            ("2030-03-03", True),  # "On March 3": the year the text names most often
            ["person/aigul-testova", "person/serikbol-nurtazin"],
            ["place/almaty"],
            False,
            0,
        ),
        ("conviction", None, ["person/aigul-testova"], ["place/almaty"], True, 0),
        ("administrative-arrest", None, ["person/aigul-testova"], ["place/almaty"], False, 0),
        ("charge", ("2030", False), [], [], False, 1),
        ("detention", None, [], ["place/almaty"], False, 0),
    ]
    conviction = found.acts[1]
    assert conviction.sentence is not None
    assert conviction.sentence.attrs == {
        "penalty": "administrative-arrest",
        "term": "P15D",
        "suspended": False,
    }
    (charge,) = found.acts[3].charges
    assert charge.attrs == {
        "label": "spreading false information",
        "provision": "provision/kz-criminal-code-274",
        "provision_basis": "stated",
    }


def test_statistics_leave_out_penalties_and_article_numbers(found: Extraction) -> None:
    # "15 days" is the penalty and "Article 488" an article: only the count of people is left
    assert [(s.anchor.exact(TEXT), s.attrs) for s in found.statistics] == [
        (
            "More than 40 people were detained in Almaty that month",
            {"value": 40.0, "qualifier": "more-than", "unit": "person", "measure": "detained"},
        )
    ]
    assert found.reference_year == 2030


def test_a_known_provision_cited_twice_is_one_mention_per_spelling(known: KnownGraph) -> None:
    text = "Article 274 of the Criminal Code was cited. Article 274 of the Criminal Code again."
    found = extract(text, known)
    provisions = [m for m in found.mentions if m.entity.startswith("provision/")]
    assert [(m.entity, m.anchor.start) for m in provisions] == [
        ("provision/kz-criminal-code-274", 0)
    ]


def test_a_new_person_named_twice_is_a_victim_at_each_place(known: KnownGraph) -> None:
    text = "Police detained Serikbol Nurtazin. Later police detained Serikbol Nurtazin again."
    found = extract(text, known)
    assert [e.id for e in found.new] == ["person/serikbol-nurtazin"]
    assert [a.victims for a in found.acts] == [["person/serikbol-nurtazin"]] * 2


def test_an_empty_or_plain_text_yields_nothing(known: KnownGraph) -> None:
    assert extract("", known) == Extraction("")
    plain = extract("nothing of note happened here.", known)
    assert (plain.mentions, plain.new, plain.acts, plain.statistics) == ([], [], [], [])
    assert plain.reference_year is None


def test_an_empty_known_graph_still_drafts_new_entities_and_acts() -> None:
    text = "In 2030 police detained Serikbol Nurtazin in Zhanaozen, and 12 workers went on strike."
    found = extract(text, KnownGraph())
    assert found.mentions == []
    assert [e.id for e in found.new] == ["person/serikbol-nurtazin", "place/zhanaozen"]
    assert [(a.kind, a.date, a.victims) for a in found.acts] == [
        ("detention", ("2030", False), ["person/serikbol-nurtazin"]),
        ("strike", ("2030", False), ["person/serikbol-nurtazin"]),
    ]
    assert [s.attrs["value"] for s in found.statistics] == [12.0]

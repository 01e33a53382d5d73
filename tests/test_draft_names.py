"""kzgraph.draft.names: new people, organisations, places and laws from runs of capitalised words,
classified by generic cues, with ids minted as slugs and anchors at the text's own offsets."""

from __future__ import annotations

import pytest

from kzgraph.draft import names
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.source import SentenceIndex

from .draftkit import known_graph


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownGraph:
    return known_graph(tmp_path_factory.mktemp("known"))


def _new(text: str, known: KnownGraph) -> list[tuple[str, str, str]]:
    """(id, kind, first anchor's exact text) of each new entity; every anchor is checked."""
    found = names.new_entities(text, SentenceIndex(text), known, list(known.find(text)))
    for ent in found:
        assert ent.anchors
        for anchor in ent.anchors:
            assert anchor.sentence.start <= anchor.start < anchor.end <= anchor.sentence.end
        assert ent.name == " ".join(ent.anchors[0].exact(text).split())
    return [(e.id, e.kind, e.anchors[0].exact(text)) for e in found]


def test_two_capitalised_words_never_used_in_lower_case_are_a_person(known: KnownGraph) -> None:
    text = "Police detained Serikbol Nurtazin and Gulmira Bekova in Almaty."
    assert _new(text, known) == [
        ("person/serikbol-nurtazin", "person", "Serikbol Nurtazin"),
        ("person/gulmira-bekova", "person", "Gulmira Bekova"),
    ]


def test_a_role_word_before_a_name_is_the_cue_and_not_part_of_it(known: KnownGraph) -> None:
    text = "Journalist Lukpan Examplov was beaten. Police questioned the activist Nurlan Freedom."
    found = names.new_entities(text, SentenceIndex(text), known, [])
    assert [(e.id, e.why) for e in found] == [
        ("person/lukpan-examplov", "capitalised words after a role word"),
        ("person/nurlan-freedom", "capitalised words after a role word"),
    ]


def test_titles_are_cut_off_a_name(known: KnownGraph) -> None:
    text = (
        "Secretary of State Antony Examplin met Minister Roman Testyar and Commissioner for "
        "Human Rights Volker Exampler."
    )
    assert _new(text, known) == [
        ("person/antony-examplin", "person", "Antony Examplin"),
        ("person/roman-testyar", "person", "Roman Testyar"),
        ("person/volker-exampler", "person", "Volker Exampler"),
    ]


def test_a_hyphenated_name_with_two_capitals_is_a_person(known: KnownGraph) -> None:
    assert _new("Activist Kassym-Jomart Examplov was detained.", known) == [
        ("person/kassym-jomart-examplov", "person", "Kassym-Jomart Examplov")
    ]


def test_a_cyrillic_name_is_a_person_with_a_placeholder_slug(known: KnownGraph) -> None:
    text = "Police detained Гүлнар Сейітова and Ерлан Бекұлы."
    assert _new(text, known) == [
        ("person/unnamed", "person", "Гүлнар Сейітова"),
        ("person/unnamed-2", "person", "Ерлан Бекұлы"),
    ]


def test_a_known_name_is_not_proposed_again(known: KnownGraph) -> None:
    text = "Police detained Aigul Testova and Жанар Ахметова; Testova was fined."
    assert _new(text, known) == []


def test_the_same_name_twice_is_one_entity_with_each_spelling_anchored(
    known: KnownGraph,
) -> None:
    text = "Serikbol Nurtazin was detained. SERIKBOL NURTAZIN is a poet. Serikbol Nurtazin left."
    found = names.new_entities(text, SentenceIndex(text), known, [])
    assert len(found) == 1
    # a credit-line form in capitals is refused; the second plain use adds no anchor
    assert [a.exact(text) for a in found[0].anchors] == ["Serikbol Nurtazin"]
    assert found[0].anchors[0].start == 0


def test_words_the_text_uses_in_lower_case_are_not_a_name(known: KnownGraph) -> None:
    text = "Freedom House said. Peaceful Assembly matters; peaceful assembly is a right."
    assert ("person/peaceful-assembly", "person", "Peaceful Assembly") not in _new(text, known)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Ministry of Digital Development blocked the site.",
            (
                "org/ministry-of-digital-development",
                "state-body",
                "Ministry of Digital Development",
            ),
        ),
        (
            "The Democratic Choice Party was banned.",
            ("org/democratic-choice-party", "political-party", "Democratic Choice Party"),
        ),
        (
            "The Steppe Workers Union went on strike.",
            ("org/steppe-workers-union", "trade-union", "Steppe Workers Union"),
        ),
        (
            "The Bureau for Human Rights said so.",
            ("org/bureau-for-human-rights", "ngo", "Bureau for Human Rights"),
        ),
        (
            "Activists from Zhetysu Region were fined.",
            ("place/zhetysu-region", "region", "Zhetysu Region"),
        ),
        (
            "Kazakhstan ratified the Istanbul Convention.",
            ("law/istanbul-convention", "law", "Istanbul Convention"),
        ),
    ],
)
def test_cue_words_classify_a_name(
    known: KnownGraph, text: str, expected: tuple[str, str, str]
) -> None:
    assert _new(text, known) == [expected]


def test_an_acronym_defined_or_used_twice_is_an_organisation(known: KnownGraph) -> None:
    text = "The Steppe Foundation (SFD) wrote. The CPJ said so. The ABC said so. The ABC repeated."
    assert _new(text, known) == [
        ("org/steppe-foundation", "ngo", "Steppe Foundation"),
        ("org/sfd", "other", "SFD"),
        ("org/abc", "other", "ABC"),
    ]


def test_a_known_place_and_a_body_noun_is_a_local_body(known: KnownGraph) -> None:
    text = "An Almaty court fined him and the Oral city administration refused a permit."
    assert _new(text, known) == [
        # the known "Almaty court (unnamed)" is never reused: a new id beside it
        ("org/almaty-court-2", "court", "Almaty court"),
        ("org/oral-city-administration", "state-body", "Oral city administration"),
    ]


def test_one_word_after_a_preposition_of_place_is_a_place(known: KnownGraph) -> None:
    text = "Protests took place in Zhanaozen, near Taraz and outside Kyzylorda."
    assert _new(text, known) == [
        ("place/zhanaozen", "city", "Zhanaozen"),
        ("place/taraz", "city", "Taraz"),
        ("place/kyzylorda", "city", "Kyzylorda"),
    ]


def test_a_word_the_text_also_uses_in_lower_case_is_no_place(known: KnownGraph) -> None:
    assert _new("They met in Steppe, and crossed the steppe on foot.", known) == []
    assert _new("It happened in March, and again in May.", known) == []


def test_headings_menus_and_run_together_words_are_not_names(known: KnownGraph) -> None:
    text = "Freedom of Expression\n\nSerikbol Nurtazin\n\nThe MembersKazakh Party said so."
    assert _new(text, known) == []


def test_a_capitalised_credit_line_is_not_a_person(known: KnownGraph) -> None:
    assert _new("Photo by ANTON EXAMPLER for the report.", known) == []


def test_an_empty_text_has_no_names(known: KnownGraph) -> None:
    assert _new("", known) == []
    assert _new("   \n\n ", known) == []


def test_a_new_id_never_reuses_a_known_one(tmp_path_factory: pytest.TempPathFactory) -> None:
    known = known_graph(
        tmp_path_factory.mktemp("taken"),
        "acts:\n  - {id: serikbol-nurtazin-detention-2030}\n"
        "entities:\n  - {id: person/serikbol-nurtazin, name: Serikbol Nurtazin (unnamed)}\n",
    )
    assert _new("Police detained Serikbol Nurtazin.", known) == [
        ("person/serikbol-nurtazin-2", "person", "Serikbol Nurtazin")
    ]


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("Kassym-Jomart Tokayev", "kassym-jomart-tokayev"),
        ("Zhovtís", "zhovtis"),
        ("Prosecutor General’s Office (PGO)", "prosecutor-generals-office-pgo"),
        ("  Article 174  ", "article-174"),
        ("Жанар Ахметова", ""),
        ("", ""),
    ],
)
def test_slugify(name: str, slug: str) -> None:
    assert names.slugify(name) == slug

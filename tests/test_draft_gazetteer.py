"""kzgraph.draft.gazetteer: the known graph read from annotation files, every spelling of every
entity, the rules that keep shared and anonymous spellings honest, and matching on a folded copy
of the text whose offsets are the text's own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kzgraph.draft.gazetteer import KnownGraph, Match

from .draftkit import known_graph

REPORT_A = """\
report: {id: report-a, source: a.txt}
entities:
  - id: person/aidos-examplov
    name: Aidos Examplov
    mentions:
      - {exact: Aidos Ekzamplov, start: 10, end: 25}
  - {id: org/almaty-police, name: Almaty police (unspecified), kind: law-enforcement}
  - {id: group/protesters, name: Protesters, kind: protesters}
  - {id: not-a-ref, name: Broken}
mentions:
  - {entity: org/example-watch, exact: ERW, start: 0, end: 3}
  - {entity: place/almaty, exact: Southern Capital, start: 40, end: 56}
acts:
  - id: aidos-examplov-detention-2030
    charges:
      - {label: inciting social discord, provision: provision/kz-criminal-code-174}
      - {label: no provision here}
statistics:
  - {id: detained-40}
"""
REPORT_B = """\
report: {id: report-b, source: b.txt}
entities:
  - {id: person/aidos-examplov-2, name: Aidos Examplov}
  - {id: person/serik-testov, name: Serik Testov}
  - {id: person/dana-testov, name: Dana Testov}
"""


@pytest.fixture(scope="module")
def known(tmp_path_factory: pytest.TempPathFactory) -> KnownGraph:
    return known_graph(tmp_path_factory.mktemp("known"), REPORT_A, REPORT_B)


def _found(known: KnownGraph, text: str) -> list[tuple[str, str]]:
    out = []
    for m in known.find(text):
        assert isinstance(m, Match)
        out.append((m.entity, text[m.start : m.end]))
    return out


def test_entities_ids_reports_and_charge_labels_are_read(known: KnownGraph) -> None:
    assert known.report_ids == {"report-a", "report-b"}
    assert {"person/aidos-examplov", "org/almaty-police", "group/protesters"} <= set(known.entities)
    assert "not-a-ref" not in known.entities  # an entity the model refuses is skipped
    assert {"act/aidos-examplov-detention-2030", "statistic/detained-40"} <= known.ids
    assert "person/serik-testov" in known.ids
    assert known.charge_labels == [("inciting social discord", "provision/kz-criminal-code-174")]
    entity = known.entities["provision/kz-criminal-code-174"]
    assert (entity.prefix, entity.part_of, entity.number) == (
        "provision",
        "law/kz-criminal-code",
        "174",
    )
    assert known.entities["place/almaty"].kind == "city"


def test_names_plain_forms_former_names_and_mentions_are_spellings(known: KnownGraph) -> None:
    text = (
        "The Ministry of Internal Affairs, Example Rights Watch (ERW), the Criminal Code, "
        "Uralsk, the Southern Capital and Aidos Ekzamplov."
    )
    assert _found(known, text) == [
        ("org/kz-interior", "Ministry of Internal Affairs"),  # "of Kazakhstan" dropped
        ("org/example-watch", "Example Rights Watch"),
        ("org/example-watch", "ERW"),  # a top-level mention
        ("law/kz-criminal-code", "Criminal Code"),
        ("place/oral", "Uralsk"),  # a former name
        ("place/almaty", "Southern Capital"),
        ("person/aidos-examplov", "Aidos Ekzamplov"),  # an entity mention
    ]


def test_a_parenthesis_is_dropped_from_a_name(known: KnownGraph) -> None:
    assert _found(known, "the Commissioner for Human Rights said") == [
        ("org/kz-ombudsman", "Commissioner for Human Rights")
    ]
    assert _found(known, "Commissioner for Human Rights (Ombudsman)") == [
        ("org/kz-ombudsman", "Commissioner for Human Rights (Ombudsman)")
    ]


def test_matching_ignores_case_accents_quotes_hyphens_and_line_breaks(known: KnownGraph) -> None:
    text = "EXAMPLE-RIGHTS  Watch, the criminal code, Aigul\nTestova and Áigul Téstova"
    assert _found(known, text) == [
        ("org/example-watch", "EXAMPLE-RIGHTS  Watch"),
        ("law/kz-criminal-code", "criminal code"),
        ("person/aigul-testova", "Aigul\nTestova"),
        ("person/aigul-testova", "Áigul Téstova"),
    ]


def test_cyrillic_names_match_in_any_case(known: KnownGraph) -> None:
    text = "Police detained ЖАНАР АХМЕТОВА; жанар ахметова; Ахметова later."
    found = list(known.find(text))
    assert [(m.entity, text[m.start : m.end]) for m in found] == [
        ("person/zhanar-akhmetova", "ЖАНАР АХМЕТОВА"),
        ("person/zhanar-akhmetova", "жанар ахметова"),
        ("person/zhanar-akhmetova", "Ахметова"),
    ]
    assert found[0].start == text.index("ЖАНАР")


def test_the_longest_spelling_wins_and_matches_do_not_overlap(known: KnownGraph) -> None:
    text = "the Criminal Code of Kazakhstan and Criminal Code, Article 174 (inciting discord)"
    assert _found(known, text) == [
        ("law/kz-criminal-code", "Criminal Code of Kazakhstan"),
        ("provision/kz-criminal-code-174", "Criminal Code, Article 174 (inciting discord)"),
    ]


def test_a_one_word_spelling_of_a_person_or_place_must_be_capitalised(known: KnownGraph) -> None:
    assert _found(known, "an oral statement in almaty; Oral and Almaty") == [
        ("place/oral", "Oral"),
        ("place/almaty", "Almaty"),
    ]
    assert _found(known, "the erw said") == [("org/example-watch", "erw")]  # organisations may


def test_words_inside_longer_words_are_not_matched(known: KnownGraph) -> None:
    assert _found(known, "Almatyskaya Oralsk Kazakhstani") == []


def test_a_surname_alone_names_the_one_person_who_has_it(known: KnownGraph) -> None:
    assert _found(known, "Testova spoke; Zhaksybekov did not.") == [
        ("person/aigul-testova", "Testova"),
        ("person/marat-zhaksybekov", "Zhaksybekov"),
    ]
    # two known people are called Testov: the surname alone names neither
    assert _found(known, "Testov spoke; Serik Testov did too.") == [
        ("person/serik-testov", "Serik Testov")
    ]


def test_an_unnamed_actor_and_a_group_are_never_reused(known: KnownGraph) -> None:
    assert _found(known, "Almaty police (unspecified) and Protesters gathered.") == [
        ("place/almaty", "Almaty")
    ]


def test_a_spelling_two_entities_share_goes_to_the_one_it_names(known: KnownGraph) -> None:
    # "Aidos Examplov" is the name of two entities in two reports: both canonical, so neither
    # wins on the name; neither is spelled so more often, so the spelling goes to neither
    assert _found(known, "Aidos Examplov was detained.") == []


def test_a_shared_spelling_goes_to_the_canonical_owner_then_the_most_spelled(
    tmp_path: Path,
) -> None:
    entities = """\
organisations:
  - {id: org/kz-senate, name: Senate}
  - {id: org/kz-parliament, name: Parliament of Kazakhstan, mentions: [{exact: Senate}]}
  - {id: org/anti-corruption, name: Anti-Corruption Agency}
  - {id: org/afm, name: Financial Monitoring Agency, mentions: [{exact: The Agency}]}
  - {id: org/other-agency, name: Other Agency, mentions: [{exact: The Agency}]}
"""
    spelled = "mentions:\n  - {entity: org/afm, exact: The Agency}\n"
    known = known_graph(tmp_path, spelled, entities=entities)
    assert _found(known, "The Senate and The Agency met.") == [
        ("org/kz-senate", "Senate"),
        ("org/afm", "The Agency"),
    ]


def test_leave_out_drops_a_report_and_the_entities_only_it_refers_to(tmp_path: Path) -> None:
    entities = """\
people:
  - {id: person/only-in-a, name: Nurlan Onlyina}
  - {id: person/in-both, name: Bota Bothova}
"""
    report_a = """\
report: {id: report-a}
mentions:
  - {entity: person/only-in-a, exact: Nurlan Onlyina}
  - {entity: person/in-both, exact: Bota Bothova}
"""
    report_b = "report: {id: report-b}\nmentions:\n  - {entity: person/in-both, exact: Bota}\n"
    paths = []
    for name, body in [("entities", entities), ("a", report_a), ("b", report_b)]:
        path = tmp_path / f"{name}.yaml"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    whole = KnownGraph.from_files(paths)
    held_out = KnownGraph.from_files(paths, leave_out="report-a")
    assert whole.report_ids == {"report-a", "report-b"}
    assert held_out.report_ids == {"report-b"}
    assert set(whole.entities) == {"person/only-in-a", "person/in-both"}
    assert set(held_out.entities) == {"person/in-both"}


def test_from_data_reads_a_data_folder(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "entities.yaml").write_text(
        "places:\n  - {id: place/taldykorgan, name: Taldykorgan, kind: city}\n", encoding="utf-8"
    )
    (tmp_path / "reports" / "r.yaml").write_text("report: {id: r}\n", encoding="utf-8")
    known = KnownGraph.from_data(tmp_path)
    assert set(known.entities) == {"place/taldykorgan"}
    assert known.report_ids == {"r"}


def test_provision_and_laws(known: KnownGraph) -> None:
    assert known.provision("law/kz-criminal-code", "174") == "provision/kz-criminal-code-174"
    assert known.provision("law/kz-criminal-code", "488") is None
    assert known.provision("law/kz-administrative-code", "488") == (
        "provision/kz-administrative-code-488"
    )
    assert sorted(e.id for e in known.laws()) == [
        "law/kz-administrative-code",
        "law/kz-criminal-code",
    ]


def test_an_empty_known_graph_finds_nothing() -> None:
    known = KnownGraph()
    assert list(known.find("Aigul Testova in Almaty")) == []
    assert list(known.find("")) == []
    assert known.laws() == []
    assert known.provision("law/x", "1") is None


def test_an_unnamed_actors_surname_is_not_reused_either(tmp_path: Path) -> None:
    entities = """\
people:
  - {id: person/kz-detainee, name: Serikbol Nurtazin (unnamed)}
  - {id: person/dana-nurtazina, name: Dana Nurtazina}
"""
    known = known_graph(tmp_path, entities=entities)
    assert _found(known, "Serikbol Nurtazin and Nurtazina spoke.") == [
        ("person/dana-nurtazina", "Nurtazina")
    ]


def test_a_surname_spelled_with_and_without_an_accent_is_one_surname(tmp_path: Path) -> None:
    entities = """\
people:
  - {id: person/evgeniy-zhovtis, name: Evgeniy Zhovtis}
  - {id: person/dana-zhovtis, name: Dana Zhovtís}
"""
    known = known_graph(tmp_path, entities=entities)
    # two known people share the surname: alone, it names neither
    assert _found(known, "Zhovtis and Zhovtís spoke; Dana Zhovtís too.") == [
        ("person/dana-zhovtis", "Dana Zhovtís")
    ]

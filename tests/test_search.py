"""Search: the matching keys, and the index built from the real graph."""

from __future__ import annotations

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.search import SearchError, SearchIndex, keys

BOKAEV = "https://w3id.org/kzgraph/id/person/max-bokaev"
TOKAYEV = "https://w3id.org/kzgraph/id/person/kassym-jomart-tokayev"
MAMAY = "https://w3id.org/kzgraph/id/person/zhanbolat-mamay"
ZHANAOZEN = "https://w3id.org/kzgraph/id/place/zhanaozen"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Bokayev", "Bokaev"),
        ("Бокаев", "Bokaev"),
        ("Tokayev", "tokaev"),
        ("Kassym-Jomart", "Kasym Zhomart"),
        ("Mamai", "Mamay"),
        ("MAMÁY", "mamay"),
        ("Zhanaozen", "Janaozen"),
        ("Khalyk", "Halik"),
        ("Yerlan", "Erlan"),
        ("Maks", "Max"),
        ("Жанаөзен", "Zhanaozen"),
        ("Nazarbayev", "Nazarbaev"),
    ],
)
def test_transliteration_variants_have_the_same_key(one: str, other: str) -> None:
    assert keys(one) == keys(other)


@pytest.mark.parametrize(("one", "other"), [("Bokaev", "Tokaev"), ("Almaty", "Astana")])
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert keys(one) != keys(other)


def _index() -> SearchIndex:
    """A small index from plain rows, as the three queries would return them."""
    rows = {
        "types": [
            {"s": "ex:a", "typeLabel": "Person", "g": "https://w3id.org/kzgraph/graph/entities"},
            {"s": "ex:b", "typeLabel": "Person", "g": "https://w3id.org/kzgraph/graph/entities"},
        ],
        "names": [
            {"s": "ex:a", "p": "http://www.w3.org/2004/02/skos/core#prefLabel", "text": "Ana Bek"},
            {"s": "ex:b", "p": "http://www.w3.org/2004/02/skos/core#prefLabel", "text": "Bekzat"},
            {"s": "ex:b", "p": "http://www.w3.org/2004/02/skos/core#altLabel", "text": "Bekzhat"},
        ],
        "reports": [{"s": "ex:a", "g": "https://w3id.org/kzgraph/graph/report/r1"}],
    }
    return SearchIndex.from_rows(rows)


def test_exact_word_ranks_above_a_prefix_of_a_longer_word() -> None:
    hits = _index().search("bek")
    assert [h.entity.iri for h in hits] == ["ex:a", "ex:b"]
    assert [h.match for h in hits] == ["exact", "prefix"]
    assert hits[0].score > hits[1].score
    assert hits[0].entity.reports == ["https://w3id.org/kzgraph/id/report/r1"]


def test_a_typo_is_found_by_the_fuzzy_fallback_with_a_lower_score() -> None:
    hits = _index().search("Bekzot")
    assert hits and hits[0].entity.iri == "ex:b" and hits[0].match == "fuzzy"
    assert hits[0].score < 0.7


def test_the_spelling_as_typed_is_the_one_shown() -> None:
    assert _index().search("Bekzhat")[0].spelling == "Bekzhat"


@pytest.mark.parametrize(
    ("text", "limit", "status"),
    [
        ("", 20, 400),
        ("   ", 20, 400),
        ("!!!", 20, 400),
        ("x" * 101, 20, 422),
        ("a b c d e f g h i", 20, 422),
        ("Bek", 0, 422),
        ("Bek", 101, 422),
    ],
)
def test_bad_queries_are_refused_with_a_status(text: str, limit: int, status: int) -> None:
    with pytest.raises(SearchError) as caught:
        _index().search(text, limit)
    assert caught.value.status == status and caught.value.message


@pytest.fixture(scope="module")
def index(real_kg: KnowledgeGraph, real_build: BuildResult) -> SearchIndex:
    return real_kg.site.search_index()


@pytest.mark.parametrize(
    ("query", "first"),
    [
        ("Bokayev", BOKAEV),
        ("Bokaiev", BOKAEV),
        ("maks bokaev", BOKAEV),
        ("Бокаев", BOKAEV),
        ("tokaev", TOKAYEV),
        ("Kasym-Zhomart Tokaev", TOKAYEV),
        ("Mamai", MAMAY),
        ("Janbolat Mamaj", MAMAY),
        ("zhanaoz", ZHANAOZEN),
        ("Zhanaozen", ZHANAOZEN),
    ],
)
def test_real_names_under_other_spellings(index: SearchIndex, query: str, first: str) -> None:
    hits = index.search(query)
    assert hits, query
    assert hits[0].entity.iri == first


def test_a_hit_carries_type_spelling_and_reports(index: SearchIndex) -> None:
    hit = index.search("Mamai")[0]
    assert hit.entity.label == "Zhanbolat Mamay"
    assert hit.entity.types == ["Person"]
    assert hit.spelling == "Zhanbolat Mamai"
    assert "https://w3id.org/kzgraph/id/report/hrw-world-report-2024" in hit.entity.reports


def test_the_spelling_shown_is_the_one_typed_when_the_reports_use_it(index: SearchIndex) -> None:
    assert index.search("Bokayev")[0].spelling == "Max Bokayev"
    assert index.search("Bokaiev")[0].spelling == "Bokaev"  # nobody wrote it so: the best key


def test_nonsense_finds_nothing_and_limits_hold(index: SearchIndex) -> None:
    assert index.search("qwxzv") == []
    assert len(index.search("a", limit=3)) <= 3

"""kzgraph.draft.figures: number words, counted quantities with their qualifier, unit and measure,
vague quantities, dates with an explicit or inferred year, and the text's reference year."""

from __future__ import annotations

import pytest

from kzgraph.draft import figures
from kzgraph.draft.source import SentenceIndex, Span


def _stats(text: str, exclude: list[Span] | None = None) -> list[tuple[str, dict[str, object]]]:
    facts = figures.statistics(text, SentenceIndex(text), exclude or [])
    for fact in facts:
        assert fact.kind == "statistic"
        # the evidence phrase holds the figure and stays inside its sentence
        assert fact.anchor.start <= fact.trigger.start and fact.trigger.end <= fact.anchor.end
        assert fact.anchor.sentence.start <= fact.anchor.start
        assert fact.anchor.end <= fact.anchor.sentence.end
    return [(text[f.trigger.start : f.trigger.end], f.attrs) for f in facts]


def _stat(value: float | None, qualifier: str, unit: str, measure: str) -> dict[str, object]:
    return {"value": value, "qualifier": qualifier, "unit": unit, "measure": measure}


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("12", 12.0),
        ("1,200", 1200.0),
        ("3.5", 3.5),
        ("six", 6.0),
        ("Twenty-five", 25.0),
        ("twenty five", 25.0),
        ("hundred", 100.0),
        ("two hundred", 200.0),
        ("two thousand", 2000.0),
        ("a", 1.0),
        ("dozen", None),
        ("", None),
        ("six-ish", None),
    ],
)
def test_number_value(words: str, value: float | None) -> None:
    assert figures.number_value(words) == value


def test_the_number_pattern_takes_a_whole_number_word() -> None:
    import re

    pattern = re.compile(rf"\b{figures.NUMBER}\b", re.IGNORECASE)
    found = [m.group(0) for m in pattern.finditer("twenty-five, two hundred, 10,500 and 7.25")]
    assert found == ["twenty-five", "two hundred", "10,500", "7.25"]


@pytest.mark.parametrize(
    ("text", "phrase", "attrs"),
    [
        (
            "More than 1,200 people were detained after the protests.",
            "More than 1,200 people",
            _stat(1200.0, "more-than", "person", "detained"),
        ),
        (
            "At least twenty-five activists were sentenced.",
            "At least twenty-five activists",
            _stat(25.0, "at-least", "person", "convicted"),
        ),
        (
            "About 30 percent of detainees said they were tortured.",
            "About 30 percent of detainees",
            _stat(30.0, "approximately", "percent", "detained"),
        ),
        (
            "Some 3.5% of voters stayed home.",
            "Some 3.5% of voters",
            _stat(3.5, "approximately", "percent", "participants"),
        ),
        (
            "Fewer than 10 complaints were examined.",
            "Fewer than 10 complaints",
            _stat(10.0, "fewer-than", "complaint", "complaints"),
        ),
        (
            "Over 40 people were injured.",
            "Over 40 people",
            _stat(40.0, "more-than", "person", "injured"),
        ),
        (
            "Up to 50 people were released under an amnesty.",
            "Up to 50 people",
            _stat(50.0, "up-to", "person", "released"),
        ),
        (
            "Police detained two hundred people in the square.",
            "two hundred people",
            _stat(200.0, "exact", "person", "detained"),
        ),
        ("He spent 40 days in a cell.", "40 days", _stat(40.0, "exact", "day", "duration")),
        (
            "The camp is 300 kilometres from the city.",
            "300 kilometres",
            _stat(300.0, "exact", "kilometre", "distance"),
        ),
        (
            "The ministry closed 5 organisations.",
            "5 organisations",
            _stat(5.0, "exact", "organisation", "organisations"),
        ),
    ],
)
def test_a_number_with_a_unit(text: str, phrase: str, attrs: dict[str, object]) -> None:
    assert _stats(text) == [(phrase, attrs)]


@pytest.mark.parametrize(
    ("text", "phrase", "qualifier", "measure"),
    [
        ("Dozens of people were detained.", "Dozens of people", "dozens", "detained"),
        (
            "Hundreds of activists gathered in the square.",
            "Hundreds of activists",
            "hundreds",
            "participants",
        ),
        (
            "Thousands of workers went on strike.",
            "Thousands of workers",
            "thousands",
            "participants",
        ),
        (
            "Several dozen journalists were summoned.",
            "Several dozen journalists",
            "several-dozen",
            "participants",
        ),
        (
            "A few dozen protesters were detained.",
            "A few dozen protesters",
            "a-few-dozen",
            "detained",
        ),
        ("Numerous women were beaten.", "Numerous women", "several", "participants"),
    ],
)
def test_a_vague_quantity(text: str, phrase: str, qualifier: str, measure: str) -> None:
    assert _stats(text) == [(phrase, _stat(None, qualifier, "person", measure))]


def test_a_vague_count_of_cases_is_counted_in_cases() -> None:
    assert _stats("Dozens of criminal cases were opened.") == [
        ("Dozens of criminal cases", _stat(None, "dozens", "case", "criminal-cases"))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "In 2030 protests spread.",  # a year, not a count
        "In the 1990s people were freer.",
        "One person died.",  # "one" alone is too weak a figure
        "Article 174 of the Criminal Code.",  # no unit noun
        "Police detained him on 12 March.",
    ],
)
def test_no_statistic(text: str) -> None:
    assert _stats(text) == []


def test_a_year_with_a_qualifier_is_a_count() -> None:
    assert _stats("More than 2000 people signed.") == [
        ("More than 2000 people", _stat(2000.0, "more-than", "person", "participants"))
    ]


def test_a_figure_overlapping_an_excluded_span_is_skipped() -> None:
    text = "He got 6 years in prison; 20 people protested."
    assert [p for p, _ in _stats(text)] == ["6 years", "20 people"]
    assert [p for p, _ in _stats(text, [Span(7, 14)])] == ["20 people"]


def test_the_measure_comes_from_the_figures_own_sentence() -> None:
    text = "Police detained 12 activists. Later 30 people gathered outside."
    assert [(p, a["measure"]) for p, a in _stats(text)] == [
        ("12 activists", "detained"),
        ("30 people", "participants"),
    ]


# -- dates --------------------------------------------------------------------------------------


def _dates(text: str, year: int | None) -> list[tuple[str, str, bool]]:
    return [(text[s.start : s.end], v, inferred) for s, v, inferred in figures.dates(text, year)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On April 10, police detained him.", [("April 10", "2030-04-10", True)]),
        ("It began on 10 January 2022.", [("10 January 2022", "2022-01-10", False)]),
        ("It began on March 3, 2029.", [("March 3, 2029", "2029-03-03", False)]),
        (
            "In March 2028 and in March of 2027.",
            [("March 2028", "2028-03", False), ("March of 2027", "2027-03", False)],
        ),
        ("in 2021, since 2019", [("in 2021", "2021", False), ("since 2019", "2019", False)]),
        ("by May the court ruled", [("by May", "2030-05", True)]),
        ("In early March the court ruled.", [("In early March", "2030-03", True)]),
        ("during late-June", [("during late-June", "2030-06", True)]),
        ("In May 2031, they may leave.", [("May 2031", "2031-05", False)]),
        ("On March 45 nothing happened.", [("March 45", "2030-03", True)]),
        ("Nothing happened.", []),
        ("", []),
    ],
)
def test_dates(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert _dates(text, 2030) == expected


def test_a_date_with_no_year_is_dropped_when_the_text_names_no_year() -> None:
    assert _dates("On April 10 and in 2021, police detained him.", None) == [
        ("in 2021", "2021", False)
    ]


def test_a_day_the_month_does_not_have_is_left_out() -> None:
    assert _dates("On February 30, 2030 and on 31 April 2030.", None) == [
        ("February 30, 2030", "2030-02", False),
        ("31 April 2030", "2030-04", False),
    ]
    assert _dates("On February 29, 2028.", None) == [("February 29, 2028", "2028-02-29", False)]


def test_reference_year_is_the_year_named_most_often() -> None:
    assert figures.reference_year("In 2029, and in 2030, 2030 and 2028.") == 2030
    assert figures.reference_year("In 2029 and 2030; then 2030 and 2029.") == 2029  # tie: first
    assert figures.reference_year("The 2030s, 20301 and 1999.") == 1999
    assert figures.reference_year("No year at all.") is None
    assert figures.reference_year("") is None

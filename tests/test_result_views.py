"""The canned queries' results as people read them (kzgraph.site.results): label-first tables,
sorting, filters and facets, the views of the ``#+ view:`` headers, and the CSV without the
parameter columns and with durations in words. Run on the real graph's real results."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.formats import CSV, SPARQL_JSON
from kzgraph.linked.resolve import Links
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.results import facets, table
from kzgraph.site.results.cells import Cells, page_iris
from kzgraph.site.results.facets import Options
from kzgraph.site.results.page import query_page
from kzgraph.site.results.views import VIEWS, draw
from kzgraph.sparql.canned import QueryError, load_queries, parse_query_file, split_options
from kzgraph.sparql.durations import in_words, words_in_text
from kzgraph.sparql.views import GRAMMAR, projection

from .conftest import ROOT

BASE = "https://w3id.org/kzgraph/"
JAN = "https://w3id.org/kzgraph/id/event/january-2022-events"
IRI_TEXT = re.compile(r"https?://|urn:|w3id\.org")


def _results(kg: KnowledgeGraph, name: str, params: dict[str, str] | None = None) -> Any:
    outcome = kg.run_canned(name, params or {}, SPARQL_JSON.media)
    assert not outcome.error, outcome.message
    return json.loads(outcome.body)


@pytest.fixture(scope="module")
def kg(real_kg: KnowledgeGraph, real_build: BuildResult) -> KnowledgeGraph:
    return real_kg


def _cells(kg: KnowledgeGraph, results: Any, columns: list[table.Column]) -> Cells:
    rows = results["results"]["bindings"]
    labels = kg.labels(page_iris(rows, [c.value for c in columns]))
    return Cells(Links(kg.settings.base_iri).local, labels, table.labelled(columns))


@pytest.mark.parametrize(
    "lexical, words",
    [
        ("P15D", "15 days"),
        ("P2Y6M", "2 years 6 months"),
        ("P1Y", "1 year"),
        ("P1M1D", "1 month 1 day"),
        ("PT36H", "36 hours"),
        ("P3W", "3 weeks"),
        ("not a duration", None),
        ("P", None),
    ],
)
def test_durations_in_words(lexical: str, words: str | None) -> None:
    assert in_words(lexical) == words


def test_durations_written_in_labels_read_in_words() -> None:
    assert words_in_text("imprisonment, P6Y, suspended") == "imprisonment, 6 years, suspended"
    assert words_in_text("UPR cycle 3, paragraph P5") == "UPR cycle 3, paragraph P5"


def test_every_view_in_the_grammar_has_a_drawing() -> None:
    assert set(VIEWS) == set(GRAMMAR)


def test_the_projection_is_the_select_clause_in_order() -> None:
    query = (ROOT / "queries" / "acts-per-right-per-year.rq").read_text()
    assert projection(query) == (
        "right_label", "year", "right", "act_iris", "reports", "evidence", "acts",
    )  # fmt: skip
    assert projection("SELECT * WHERE { ?s ?p ?o }") is None


@pytest.mark.parametrize(
    "header, message",
    [
        ("#+ view: pie right_label acts", "unknown view 'pie'"),
        (
            "#+ view: heatmap right_label nowhere acts",
            r"column\(s\) nowhere that the query does not",
        ),
        ("#+ view: bar right_label", "takes 2 column"),
        ("#+ view: timeline year right_label colour=acts", "has no option colour"),
    ],
)
def test_a_wrong_view_is_refused_naming_the_file_and_line(
    tmp_path: Path, header: str, message: str
) -> None:
    text = (ROOT / "queries" / "acts-per-right-per-year.rq").read_text()
    text = re.sub(r"#\+ view:\n(#\+   - .*\n)+", "", text)
    lines = text.splitlines()
    lines.insert(0, header)
    path = tmp_path / "broken.rq"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(QueryError, match=message) as info:
        parse_query_file(path)
    assert info.value.message.startswith(f"{path}:1: ")


def test_every_query_loads_with_its_views_and_no_parameter_starts_with_an_underscore() -> None:
    queries = load_queries(ROOT / "queries")
    declared = {v.name for q in queries.values() for v in q.views}
    assert declared == set(GRAMMAR)  # each view is used by at least one query
    for query in queries.values():
        assert all(re.match(r"[A-Za-z]", p.name) for p in query.parameters), query.name


def test_options_are_split_from_parameters_and_unknown_ones_refused() -> None:
    params, options = split_options({"event": JAN, "_sort": "date", "_eq_kind": "Arrest"})
    assert params == {"event": JAN} and options == {"_sort": "date", "_eq_kind": "Arrest"}
    with pytest.raises(QueryError, match="unknown option '_colour'") as info:
        split_options({"_colour": "red"})
    assert info.value.status == 422


def test_label_columns_merge_into_the_iri_columns_they_label(kg: KnowledgeGraph) -> None:
    results = _results(kg, "acts-by-city-and-year")
    columns = table.plan(results["head"]["vars"], results["results"]["bindings"])
    by_name = {c.name: c for c in columns}
    assert [c.name for c in columns][:3] == ["city", "year", "kind"]
    assert by_name["city"] == table.Column("city", "city", "city_label")
    assert by_name["kind"] == table.Column("kind", "kind_iri", "kind")
    assert "city_label" not in by_name and "kind_iri" not in by_name
    assert by_name["act_iris"].label is None  # a list, labelled by the page's lookup


def test_cells_show_labels_link_locally_and_list_iris(kg: KnowledgeGraph) -> None:
    results = _results(kg, "event-timeline")
    rows = results["results"]["bindings"]
    columns = table.plan(results["head"]["vars"], rows, ("_event_iri",))
    assert "_event_iri" not in {c.value for c in columns}
    cells = _cells(kg, results, columns)
    for row in rows:
        (act,) = cells.items(row, "act")
        assert act.text == row["act_label"]["value"] and act.iri == row["act"]["value"]
        assert act.href == "/" + row["act"]["value"].removeprefix(BASE)
        (report,) = cells.items(row, "report")
        assert report.text and not IRI_TEXT.search(report.text)  # looked up: the report's title
    html = table.table_html(columns, rows, cells, lambda c: c.name)
    visible = re.sub(r"<title>.*?</title>|<details class=iri>.*?</details>|<[^>]+>", " ", html)
    assert not IRI_TEXT.search(visible)
    listed = _results(kg, "acts-per-right-per-year")
    lrows = listed["results"]["bindings"]
    lcolumns = table.plan(listed["head"]["vars"], lrows)
    lcells = _cells(kg, listed, lcolumns)
    items = lcells.items(lrows[0], "act_iris")
    assert len(items) == int(lrows[0]["acts"]["value"])
    assert all(i.href and i.href.startswith("/id/act/") and i.text for i in items)


def test_durations_show_in_words_in_the_table(kg: KnowledgeGraph) -> None:
    results = _results(kg, "sentences")
    rows = results["results"]["bindings"]
    cells = Cells(lambda iri: iri)
    terms = [cells.items(r, "term")[0] for r in rows if "term" in r]
    assert terms and all(re.fullmatch(r"(\d+ \w+ ?)+", t.text) for t in terms)
    assert all(t.raw.startswith("P") for t in terms)


def _shown(kg: KnowledgeGraph, name: str, options: dict[str, str]) -> facets.Shown:
    results = _results(kg, name)
    rows = results["results"]["bindings"]
    columns = table.plan(results["head"]["vars"], rows)
    cells = _cells(kg, results, columns)
    return facets.apply(rows, columns, cells, Options(f"/queries/{name}", {}, options))


def test_sort_by_a_count_and_by_a_label(kg: KnowledgeGraph) -> None:
    up = _shown(kg, "acts-per-right-per-year", {"_sort": "acts"})
    counts = [int(r["acts"]["value"]) for r in up.rows]
    assert counts == sorted(counts) and len(set(counts)) > 3
    down = _shown(kg, "acts-per-right-per-year", {"_sort_desc": "acts"})
    assert [int(r["acts"]["value"]) for r in down.rows] == sorted(counts, reverse=True)
    names = _shown(kg, "acts-by-city-and-year", {"_sort_desc": "city"})
    labels = [r["city_label"]["value"].casefold() for r in names.rows]
    assert labels == sorted(labels, reverse=True)


def test_filters_and_facets(kg: KnowledgeGraph) -> None:
    whole = _shown(kg, "acts-per-right-per-year", {"_facet": "right"})
    (facet,) = whole.facets
    assert sum(v.count for v in facet.values) == whole.total
    top = facet.values[0]
    assert not IRI_TEXT.search(top.text) and "_eq_right=" in top.href
    only = _shown(kg, "acts-per-right-per-year", {"_eq_right": top.value})
    assert len(only.rows) == top.count < whole.total
    assert {r["right"]["value"] for r in only.rows} == {top.value}
    found = _shown(kg, "acts-per-right-per-year", {"_contains_right": "MEDIA"})
    assert found.rows and {r["right_label"]["value"] for r in found.rows} == {"media freedom"}
    listed = _shown(
        kg,
        "acts-per-right-per-year",
        {"_eq_act_iris": only.rows[0]["act_iris"]["value"].split()[0]},
    )
    assert listed.rows and len(listed.rows) < whole.total
    searched = _shown(kg, "event-timeline", {"_search": "detained"})
    assert 0 < len(searched.rows) < searched.total
    wrong = _shown(kg, "event-timeline", {"_sort": "colour"})
    assert wrong.problems and "no column 'colour' to sort by" in wrong.problems[0]
    assert "right" in whole.suggested or whole.facets


@pytest.mark.parametrize(
    "name, view",
    [
        ("acts-per-right-per-year", "heatmap"),
        ("acts-per-right-per-year", "bar"),
        ("acts-by-city-and-year", "line"),
        ("event-timeline", "timeline"),
        ("interventions-by-actor", "network"),
    ],
)
def test_each_view_draws_readable_svg(kg: KnowledgeGraph, name: str, view: str) -> None:
    query = kg.queries()[name]
    results = _results(kg, name)
    rows = results["results"]["bindings"]
    columns = table.plan(results["head"]["vars"], rows, query.parameter_columns)
    cells = _cells(kg, results, columns)
    (declared,) = [v for v in query.views if v.name == view]
    figure = draw(declared, rows, cells)
    svg = ET.fromstring(figure[figure.index("<svg") : figure.index("</svg>") + 6])
    # what a person sees of each <text>: its own text and its children's tails, not the tooltip
    texts = [
        (t.text or "") + "".join(child.tail or "" for child in t)
        for t in svg.iter("{http://www.w3.org/2000/svg}text")
    ]
    assert len(texts) > 5
    assert not [t for t in texts if IRI_TEXT.search(t)]
    assert all(len(t) <= 60 for t in texts)  # cut with an ellipsis, whole in the tooltip
    assert svg.iter("{http://www.w3.org/2000/svg}title")


def test_the_timeline_spreads_dozens_of_acts_over_a_real_time_axis(kg: KnowledgeGraph) -> None:
    query = kg.queries()["event-timeline"]
    results = _results(kg, "event-timeline")
    rows = results["results"]["bindings"]
    cells = _cells(kg, results, table.plan(results["head"]["vars"], rows))
    figure = draw(query.views[0], rows, cells)
    acts = {r["act"]["value"] for r in rows if "date" in r}
    ys = set(re.findall(r"<(?:rect|circle) [^>]*?(?:y|cy)='([\d.]+)'[^>]*><title>", figure))
    assert len(ys) >= len(acts) * 0.9  # one line per act, not a few dots
    assert "Jan 2022" in figure or "2022" in figure


def test_the_csv_leaves_out_parameter_columns_and_gives_durations_in_words(
    kg: KnowledgeGraph,
) -> None:
    def table_of(name: str, params: dict[str, str]) -> list[dict[str, str]]:
        outcome = kg.run_canned(name, params, CSV.media)
        return list(csv.DictReader(io.StringIO(outcome.body.decode())))

    plain = table_of("event-timeline", {})
    assert plain and not [c for c in plain[0] if c.startswith("_")]
    asked = table_of("event-timeline", {"_params": "1"})
    assert {r["_event_iri"] for r in asked} == {JAN}
    terms = [r["term"] for r in table_of("sentences", {}) if r["term"]]
    assert terms and all(re.fullmatch(r"(\d+ (year|month|week|day|hour)s? ?)+", t) for t in terms)
    raw = _results(kg, "sentences")["results"]["bindings"]
    assert any(re.fullmatch(r"P\d+[YMD]", r["term"]["value"]) for r in raw if "term" in r)


def test_the_whole_page_shows_no_iri_as_text(kg: KnowledgeGraph) -> None:
    for name in ("interventions-by-actor", "acts-per-right-per-year", "charges-by-article"):
        query = kg.queries()[name]
        results = _results(kg, name)
        columns = table.plan(results["head"]["vars"], results["results"]["bindings"])
        page = query_page(query, {}, {}, results, None, cells=_cells(kg, results, columns))
        body = page[page.index("<figure") if "<figure" in page else page.index("<p id=count") :]
        visible = re.sub(
            r"<title>.*?</title>|<details class=iri>.*?</details>|<[^>]+>", " ", body, flags=re.S
        )
        assert not IRI_TEXT.search(visible), (name, IRI_TEXT.search(visible))

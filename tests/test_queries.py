"""Canned queries: the files, their headers and parameters (queries.py), and their front doors:
`/queries` over HTTP and `kzgraph query`."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.canned import QueryError, load_queries, parse_query_file

from .conftest import ROOT
from .server import running_server
from .test_sparql_protocol import request

QUERIES = sorted((ROOT / "queries").glob("*.rq"))
JAN = "https://w3id.org/kzgraph/id/event/january-2022-events"


def test_there_are_at_least_fifteen_queries() -> None:
    assert len(QUERIES) >= 15, [q.name for q in QUERIES]


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_header_is_complete_and_matches_the_parameters(path: Path) -> None:
    query = parse_query_file(path)
    assert query.summary and query.description and query.tags, path.name
    header = "\n".join(line for line in path.read_text().splitlines() if line.startswith("#+"))
    declared = set(re.findall(r"^#\+\s+-\s+([A-Za-z_][\w-]*):", header, re.M))
    assert declared == {p.name for p in query.parameters}, (
        f"{path.name}: defaults name {sorted(declared)}, the query uses "
        f"{sorted(p.name for p in query.parameters)}"
    )
    for p in query.parameters:
        assert p.default is not None, f"{path.name}: parameter {p.name} needs a default"
        assert (
            f"?{p.variable}" in re.sub(r"(?s)WHERE.*", "", query.text.split("SELECT", 1)[-1])
            or "SELECT" not in query.text
        ), f"{path.name}: project ?{p.variable} (see queries.py)"


@pytest.mark.parametrize("path", QUERIES, ids=[p.stem for p in QUERIES])
def test_every_query_runs_with_its_defaults(
    path: Path, real_kg: KnowledgeGraph, real_build: BuildResult
) -> None:
    outcome = real_kg.run_canned(path.stem, {}, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    assert outcome.timings["eval"] < 2.0, f"{path.stem} took {outcome.timings['eval']:.2f} s"


def test_parameters_are_typed_and_checked(tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text(
        "#+ summary: test\n#+ defaults:\n#+   - who: https://example.org/x\n#+   - year: 2023\n"
        "SELECT ?_who_iri ?_year_xsd_integer ?_text WHERE {}\n"
    )
    query = load_queries(tmp_path)["q"]
    kinds = {p.name: (p.kind, p.datatype, p.default) for p in query.parameters}
    assert kinds == {
        "who": ("iri", "", "https://example.org/x"),
        "year": ("literal", "integer", "2023"),
        "text": ("literal", "", None),
    }
    assert query.bindings({"text": "a"}) == (
        ("_who_iri", "iri", "https://example.org/x", ""),
        ("_year_xsd_integer", "literal", "2023", "http://www.w3.org/2001/XMLSchema#integer"),
        ("_text", "literal", "a", ""),
    )
    for bad, message in [
        ({"text": "a", "year": "twenty"}, "must be an xsd:integer"),
        ({"text": "a", "who": "javascript:alert(1)"}, "absolute IRI"),
        ({"text": "a", "colour": "red"}, "unknown parameter"),
        ({}, "needs parameter 'text'"),
    ]:
        with pytest.raises(QueryError, match=message) as info:
            query.bindings(bad)
        assert info.value.status == 422


def test_a_value_is_bound_not_pasted(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    """An IRI that would break out of the query text if pasted is refused; a string is data."""
    with pytest.raises(QueryError):
        real_kg.run_canned("event-timeline", {"event": "http://x> } DROP ALL #"}, "text/csv")


@pytest.fixture(scope="module")
def server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    with running_server(real_kg.settings.build_dir) as url:
        yield url


def test_list_as_json(server: str) -> None:
    status, headers, body = request(f"{server}/queries")
    listing = {q["name"]: q for q in json.loads(body)}
    assert status == 200 and headers["content-type"] == "application/json"
    timeline = listing["event-timeline"]
    assert timeline["summary"] and timeline["parameters"] == [
        {"name": "event", "type": "iri", "default": JAN, "required": False}
    ]


def test_list_as_html(server: str) -> None:
    status, headers, body = request(f"{server}/queries", headers={"Accept": "text/html"})
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert b"/queries/event-timeline" in body


@pytest.mark.parametrize(
    "suffix, accept, media",
    [
        (".json", None, "application/sparql-results+json"),
        (".csv", None, "text/csv"),
        ("", "text/tab-separated-values", "text/tab-separated-values"),
        ("", None, "application/sparql-results+json"),
    ],
)
def test_run_by_suffix_or_accept(server: str, suffix: str, accept: str | None, media: str) -> None:
    status, headers, body = request(
        f"{server}/queries/event-timeline{suffix}", headers={"Accept": accept} if accept else {}
    )
    assert status == 200 and headers["content-type"].split(";")[0] == media
    assert len(body) > 1000


def test_parameter_changes_the_answer_and_bad_values_are_422(server: str) -> None:
    zhanaozen = "https://w3id.org/kzgraph/id/event/zhanaozen-2011"
    _, _, body = request(
        f"{server}/queries/event-timeline.csv?" + urllib.parse.urlencode({"event": zhanaozen})
    )
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and "_event_iri" not in rows[0]  # the parameter columns only when asked for
    _, _, body = request(
        f"{server}/queries/event-timeline.csv?"
        + urllib.parse.urlencode({"event": zhanaozen, "_params": "1"})
    )
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and {r["_event_iri"] for r in rows} == {zhanaozen}
    status, _, body = request(f"{server}/queries/event-timeline.json?event=not-an-iri")
    assert status == 422 and "absolute IRI" in json.loads(body)["error"]
    status, _, body = request(f"{server}/queries/event-timeline.json?colour=red")
    assert status == 422 and "unknown parameter" in json.loads(body)["error"]
    assert request(f"{server}/queries/no-such-query")[0] == 404


def test_html_page_has_form_table_chart_and_links(server: str) -> None:
    status, headers, body = request(f"{server}/queries/event-timeline.html")
    page = body.decode()
    assert status == 200 and headers["content-type"].startswith("text/html")
    assert "<form" in page and "name='event'" in page and "<table id=results" in page
    assert "data-view='timeline'" in page and "/queries/event-timeline.csv" in page
    assert "Open in the SPARQL editor" in page and "href='/editor?query=" in page
    status, _, body = request(f"{server}/queries/event-timeline.html?event=bad")
    assert status == 422 and b"role=alert" in body


def test_query_text_is_served(server: str) -> None:
    status, _, body = request(f"{server}/queries/event-timeline.rq")
    assert status == 200 and body.startswith(b"#+ summary:")

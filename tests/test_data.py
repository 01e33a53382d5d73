"""The real data: it builds and conforms, every phrase stands at its offsets, nothing is copied,
and the coverage expectations hold (data/expectations.yaml)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from ruamel.yaml import YAML

from kzgraph.annotations.load import annotation_files
from kzgraph.core import KnowledgeGraph
from kzgraph.iris import graph_iri
from kzgraph.namespaces import KZ, RDF
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.stats import class_counts

from .conftest import ROOT, SEEDS, needs_seeds

# Our own prose must not reuse a run of this many words from a report; names, charge labels and
# titles are exempt (they are names), and so is the evidence phrase (it is the citation).
MAX_SHARED_RUN = 8
PROSE_FIELDS = {"summary", "description", "note", "notes", "counts", "merge_note"}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "'"))


def _prose(node: Any, path: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key in PROSE_FIELDS and isinstance(value, str):
                yield f"{path}.{key}", value
            yield from _prose(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _prose(value, f"{path}[{i}]")


@needs_seeds()
def test_no_prose_field_copies_a_run_of_the_reports() -> None:
    runs: set[tuple[str, ...]] = set()
    for source in SEEDS.glob("*.txt"):
        words = _words(source.read_text(encoding="utf-8"))
        runs |= {
            tuple(words[i : i + MAX_SHARED_RUN]) for i in range(len(words) - MAX_SHARED_RUN + 1)
        }
    copied = []
    for path in annotation_files(ROOT / "data"):
        doc = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
        for where, text in _prose(doc):
            words = _words(text)
            for i in range(len(words) - MAX_SHARED_RUN + 1):
                if tuple(words[i : i + MAX_SHARED_RUN]) in runs:
                    copied.append(
                        f"{path.name} {where}: {' '.join(words[i : i + MAX_SHARED_RUN])!r}"
                    )
                    break
    assert not copied, "write these in your own words:\n" + "\n".join(copied)


@needs_seeds()
def test_every_phrase_stands_at_its_offsets(real_kg: KnowledgeGraph) -> None:
    checked, problems = real_kg.verify_evidence(SEEDS)
    assert checked > 1000
    assert not problems, "\n".join(str(p) for p in problems)


def test_real_data_builds_and_conforms(real_build: BuildResult) -> None:
    assert len(real_build.annotations.reports) == 5
    for rid in real_build.annotations.reports:
        assert len(real_build.dataset.graph(graph_iri(f"report/{rid}"))) > 100


def test_coverage_expectations(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    expected = YAML(typ="safe").load((ROOT / "data" / "expectations.yaml").read_text())
    short = []
    for graph, classes in expected["minimum_counts"].items():
        got_counts = class_counts(real_kg.select, list(classes))
        for cls, minimum in classes.items():
            got = got_counts[cls].get(graph, 0)
            if got < minimum:
                short.append(f"{graph} {cls}: {got} < {minimum}")
    assert not short, "coverage dropped:\n" + "\n".join(short)


def test_twenty_three_upr_recommendations_each_a_node(real_build: BuildResult) -> None:
    g = real_build.dataset.graph(graph_iri("report/hrw-upr-submission-2019"))
    cycle3 = [
        r
        for r in g.subjects(RDF.type, KZ.Recommendation)
        if str(r).rsplit("/", 1)[1].startswith("upr3-")
    ]
    assert len(cycle3) == 23


@pytest.mark.parametrize(
    "spelling",
    [
        "Maks Bokaev",
        "Max Bokayev",
        "Zhanbolat Mamai",
        "Kasym-Jomart Tokaev",
        "Michele Bachelet",
        "OSCE/ODHIR",
        "Nursultan",
    ],
)
def test_each_spelling_is_a_mention_of_one_canonical_entity(
    real_build: BuildResult, spelling: str
) -> None:
    ds = real_build.dataset
    mentions = {q[0] for q in ds.quads((None, KZ.surfaceForm, None, None)) if str(q[2]) == spelling}
    entities = {str(q[2]) for q in ds.quads((None, KZ.refersTo, None, None)) if q[0] in mentions}
    assert len(entities) == 1, f"{spelling!r} refers to {entities}"


def _ask(kg: KnowledgeGraph, query: str) -> bool:
    prefixes = (
        "".join(
            f"PREFIX {p}: <https://w3id.org/kzgraph/{ns}>\n"
            for p, ns in [
                ("kz", "ontology#"),
                ("person", "id/person/"),
                ("org", "id/org/"),
                ("place", "id/place/"),
                ("event", "id/event/"),
                ("rec", "id/recommendation/"),
                ("report", "id/report/"),
                ("q", "vocab/numeric-qualifier/"),
                ("m", "vocab/measure/"),
                ("status", "vocab/implementation-status/"),
            ]
        )
        + "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
    )
    outcome = kg.run_sparql(prefixes + query, "application/sparql-results+json")
    assert outcome.error is None, outcome.message
    return bool(json.loads(outcome.body)["boolean"])


JAN = "event:january-2022-events"
KEY_FACTS = {
    "over 1,200 convictions, per the Prosecutor General": f"""ASK {{
        ?s kz:value 1200.0 ; kz:numericQualifier q:more-than ; kz:measure m:convicted ;
           kz:attributedTo org:kz-prosecutor-general ; kz:concernsEvent {JAN} }}""",
    "a few dozen officers prosecuted, as an outcome per event": f"""ASK {{
        ?o a kz:AccountabilityOutcome ; kz:concernsEvent {JAN} ; kz:hasCount ?s .
        ?s kz:numericQualifier q:a-few-dozen }}""",
    "at least 23 police convicted of torture": f"""ASK {{
        ?s kz:value 23.0 ; kz:numericQualifier q:at-least ; kz:concernsEvent {JAN} }}""",
    "Mamay: Almaty court, 10 April 2023, six years suspended, upheld": """ASK {
        ?c a kz:Conviction ; kz:hasVictim person:zhanbolat-mamay ;
           kz:date "2023-04-10"^^xsd:date ; kz:court ?court ; kz:hasSentence ?s .
        ?court a kz:Court ; kz:basedIn|kz:place place:almaty .
        ?s kz:term "P6Y"^^xsd:duration ; kz:suspended true .
        ?a a kz:AppealDecision ; kz:follows ?c }""",
    "IPHR/KIBHR figures": """ASK {
        ?a kz:value 200.0 ; kz:measure m:killed . ?b kz:value 8.0 ; kz:measure m:deaths-in-custody .
        ?c kz:value 300.0 ; kz:measure m:complaints .
        ?d kz:value 2000.0 ; kz:measure m:criminal-cases }""",
    "the 274 recommendation tracked into 2023": """ASK {
        ?x kz:assesses rec:upr3-repeal-article-274 ;
           kz:implementationStatus status:contrary-action ;
           kz:hasEvidence/kz:inReport report:hrw-world-report-2024 }""",
}


@pytest.mark.parametrize("name", list(KEY_FACTS))
def test_key_facts_are_in_the_graph(
    real_kg: KnowledgeGraph, real_build: BuildResult, name: str
) -> None:
    assert _ask(real_kg, KEY_FACTS[name]), name

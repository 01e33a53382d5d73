"""Values bound as a VALUES block with LATERAL answer exactly as SEP-0007 substitutions do, for
every canned query that takes parameters and for the linked-data queries, on the real build."""

from __future__ import annotations

import json
from collections.abc import Callable

import pyoxigraph as ox
import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.linked.describe import describe_job, page_job
from kzgraph.pipeline.stages import BuildResult
from kzgraph.sparql.binding import CannotBind, bind_inline, bind_values
from kzgraph.sparql.workers import Job, evaluate

JSON = "application/sparql-results+json"
Binder = Callable[[str, tuple[tuple[str, str, str, str], ...]], str]


@pytest.fixture(scope="module")
def store(real_kg: KnowledgeGraph, real_build: BuildResult) -> ox.Store:
    return real_kg.open_store().oxigraph


def _rows(body: bytes) -> list[str]:
    return sorted(json.dumps(b, sort_keys=True) for b in json.loads(body)["results"]["bindings"])


BINDERS = [bind_values, bind_inline]  # with LATERAL (Oxigraph), without (Virtuoso, SPARQL 1.1)


@pytest.mark.parametrize("bind", BINDERS)
def test_every_parameterised_canned_query_answers_the_same(
    store: ox.Store, real_kg: KnowledgeGraph, bind: Binder
) -> None:
    checked = 0
    for query in real_kg.queries().values():
        values = query.bindings({})
        if not values:
            continue
        native = evaluate(store, Job(query.text, JSON, None, substitutions=values))
        bound = evaluate(store, Job(bind(query.text, values), JSON, None))
        assert native.error is None and bound.error is None, (query.name, bound.message)
        assert _rows(bound.body) == _rows(native.body), query.name
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize("bind", BINDERS)
@pytest.mark.parametrize("iri", ["person/zhanbolat-mamay", "place/kazakhstan"])
def test_descriptions_and_pages_are_the_same(store: ox.Store, iri: str, bind: Binder) -> None:
    full = f"https://w3id.org/kzgraph/id/{iri}"
    for job in (describe_job(full, "application/n-triples", None), page_job(full)):
        native = evaluate(store, job)
        text = bind(job.query, job.substitutions)
        assert bind is bind_values or "LATERAL" not in text  # Virtuoso has no LATERAL
        bound = evaluate(store, Job(text, job.media, None))
        assert set(bound.body.splitlines()) == set(native.body.splitlines()) != set()


def test_values_are_terms_never_text() -> None:
    query = "SELECT ?x WHERE { ?x ?p ?_v }"
    hostile = 'a" } ; DROP ALL ; SELECT * { "'
    bound = bind_values(query, (("_v", "literal", hostile, ""),))
    literal = str(ox.Literal(hostile))
    assert f"VALUES (?_v) {{ ({literal}) }}" in bound
    with pytest.raises(ValueError):
        bind_values(query, (("_v", "iri", "http://x/> } DROP ALL { <y", ""),))
    with pytest.raises(CannotBind):
        bind_values("CONSTRUCT WHERE { ?s ?p ?_v }", (("_v", "iri", "http://x/", ""),))


def test_inline_values_are_terms_outside_sub_selects() -> None:
    query = "SELECT ?_v ?x WHERE { ?x ?p ?_v { SELECT ?_v WHERE { ?_v ?q ?o } } } ORDER BY ?_v"
    hostile = 'a" } ; DROP ALL ; SELECT * { "'
    bound = bind_inline(query, (("_v", "literal", hostile, ""),))
    literal = str(ox.Literal(hostile))
    assert bound.startswith("SELECT ?_v ?x WHERE {") and bound.endswith("ORDER BY ?_v")
    assert f"VALUES (?_v) {{ ({literal}) }}" in bound and f"?x ?p  {literal} " in bound
    assert "{ SELECT ?_v WHERE { ?_v ?q ?o } }" in bound  # a sub-select keeps its variable
    with pytest.raises(ValueError):
        bind_inline(query, (("_v", "iri", "http://x/> } DROP ALL { <y", ""),))

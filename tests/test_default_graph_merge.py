"""The default graph is the RDF merge of the named graphs, a set: a triple stored in two graphs
counts once, with no dataset, with several ``default-graph-uri`` and with several ``FROM``
(docs/decisions/0017-default-graph-merge.md). First the W3C way on a two-graph store, then on the
real build against rdflib's merge of its N-Quads, then through a real server."""

from __future__ import annotations

import json
import urllib.parse

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.site.catalog import DCAT
from kzgraph.sparql.description import VOID
from kzgraph.sparql.guard import dataset_clause
from kzgraph.sparql.merge import HELPER, KEEP_HELPERS
from kzgraph.sparql.workers import Job, evaluate

from .server import fetch

JSON = "application/sparql-results+json"
G1, G2, G3 = "http://example.org/g1", "http://example.org/g2", "http://example.org/g3"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
KZ = "PREFIX kz: <https://w3id.org/kzgraph/ontology#>\n"
EVIDENCE = KZ + "SELECT (COUNT(*) AS ?n) WHERE { ?e a kz:Evidence }"


def two_graphs() -> ox.Store:
    """One triple in g1 and g2, another in g2 only, a third in g3 only."""
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    store = ox.Store()
    store.extend(
        [
            ox.Quad(s, p, ox.Literal("shared"), ox.NamedNode(G1)),
            ox.Quad(s, p, ox.Literal("shared"), ox.NamedNode(G2)),
            ox.Quad(s, p, ox.Literal("second"), ox.NamedNode(G2)),
            ox.Quad(s, p, ox.Literal("third"), ox.NamedNode(G3)),
        ]
    )
    return store


def job(query: str, **dataset: tuple[str, ...] | None) -> Job:
    clause = dataset_clause(query)
    return Job(
        query,
        JSON,
        None,
        query_names_dataset="FROM" in query,
        from_graphs=clause[0] if clause else None,
        from_named_graphs=clause[1] if clause else None,
        **dataset,  # type: ignore[arg-type]
    )


def values(store: ox.Store, j: Job) -> list[str]:
    outcome = evaluate(store, j)
    assert outcome.error is None, outcome.message
    rows = json.loads(outcome.body)["results"]["bindings"]
    return [next(iter(row.values()))["value"] for row in rows]


def count(store: ox.Store, j: Job) -> int:
    return int(values(store, j)[0])


def test_with_no_dataset_a_shared_triple_counts_once() -> None:
    assert count(two_graphs(), job(COUNT)) == 3


def test_several_default_graph_uris_are_merged() -> None:
    store = two_graphs()
    assert count(store, job(COUNT, default_graphs=(G1, G2), named_graphs=())) == 2
    assert count(store, job(COUNT, default_graphs=(G1,), named_graphs=())) == 1
    assert count(store, job(COUNT, default_graphs=(G1, G2, G3), named_graphs=())) == 3


def test_several_from_clauses_are_merged() -> None:
    store = two_graphs()
    assert count(store, job(f"SELECT (COUNT(*) AS ?n) FROM <{G1}> FROM <{G2}> {{ ?s ?p ?o }}")) == 2
    prefixed = "PREFIX ex: <http://example.org/>\nSELECT (COUNT(*) AS ?n) FROM ex:g1 FROM ex:g3 "
    assert count(store, job(prefixed + "WHERE { ?s ?p ?o }")) == 2


def test_graph_patterns_see_exactly_the_named_graphs() -> None:
    """After a merge helper has been made, GRAPH ?g still sees g1, g2, g3 and nothing else, and
    FROM without FROM NAMED leaves no named graph at all (SPARQL 1.1, 13.2)."""
    store = two_graphs()
    graphs = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    count(store, job(COUNT, default_graphs=(G1, G2), named_graphs=()))
    assert any(g.value.startswith(HELPER) for g in store.named_graphs())
    assert sorted(values(store, job(graphs))) == [G1, G2, G3]
    from_both = f"SELECT DISTINCT ?g FROM <{G1}> FROM <{G2}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    assert values(store, job(from_both)) == []
    named = f"SELECT DISTINCT ?g FROM <{G1}> FROM <{G2}> FROM NAMED <{G3}> "
    assert values(store, job(named + "WHERE { GRAPH ?g { ?s ?p ?o } }")) == [G3]
    assert values(store, job(graphs, default_graphs=(G1, G2), named_graphs=(G2,))) == [G2]


def test_the_guard_reads_from_clauses() -> None:
    query = (
        "PREFIX g: <urn:x:>\nCONSTRUCT { ?s <urn:p> 'FROM <urn:no>' } FROM g:a FROM NAMED <urn:b>"
    )
    assert dataset_clause(query + " WHERE { ?s ?p ?o }") == (("urn:x:a",), ("urn:b",))
    assert dataset_clause("SELECT * WHERE { ?s ?p ?o }") is None
    # what it cannot read for certain it leaves to the store: a relative IRI, an unknown prefix
    assert dataset_clause("BASE <http://e/> SELECT * FROM <a> { ?s ?p ?o }") is None
    assert dataset_clause("SELECT * FROM u:a { ?s ?p ?o }") is None


# --- the real build -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def merge_size(real_kg: KnowledgeGraph, real_build: BuildResult) -> int:
    """The size of rdflib's merge of the dump: the union of its graphs as a set of triples."""
    ds = Dataset()
    ds.parse(real_kg.dump_path, format="nquads")
    return len({triple for graph in ds.graphs() for triple in graph})


def distinct_evidence(kg: KnowledgeGraph) -> int:
    query = KZ + "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { GRAPH ?g { ?e a kz:Evidence } }"
    return count(kg.open_store().oxigraph, job(query))


def test_the_default_graph_is_the_merge_of_the_dump(
    real_kg: KnowledgeGraph, merge_size: int
) -> None:
    store = real_kg.open_store()
    quads = sum(store.graph_sizes().values())
    assert count(store.oxigraph, job(COUNT)) == store.merged_size() == merge_size < quads
    assert count(store.oxigraph, job(EVIDENCE)) == distinct_evidence(real_kg) > 1000


def test_from_every_graph_is_the_merge_too(real_kg: KnowledgeGraph, merge_size: int) -> None:
    store = real_kg.open_store()
    graphs = store.named_graphs()
    froms = " ".join(f"FROM <{g}>" for g in graphs)
    every = f"SELECT (COUNT(*) AS ?n) {froms} WHERE {{ ?s ?p ?o }}"
    assert count(store.oxigraph, job(every)) == merge_size
    assert store.named_graphs() == graphs  # the helper graph is not one of the dataset's


# --- a real server ------------------------------------------------------------------------------


def ask(server: str, query: str, *params: tuple[str, str]) -> int:
    url = f"{server}/sparql?" + urllib.parse.urlencode([("query", query), *params])
    status, _, body = fetch(url, headers={"Accept": JSON})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_the_server_counts_on_the_merge(
    real_server: str, real_kg: KnowledgeGraph, merge_size: int
) -> None:
    graphs = real_kg.open_store().named_graphs()
    assert ask(real_server, COUNT) == merge_size
    assert ask(real_server, EVIDENCE) == distinct_evidence(real_kg)
    assert ask(real_server, COUNT, *(("default-graph-uri", g) for g in graphs)) == merge_size
    froms = " ".join(f"FROM <{g}>" for g in graphs)
    assert ask(real_server, f"SELECT (COUNT(*) AS ?n) {froms} WHERE {{ ?s ?p ?o }}") == merge_size
    # the helper graphs made for those two never show: not in GRAPH ?g, /health or the description
    status, _, body = fetch(f"{real_server}/health")
    assert status == 200 and sorted(json.loads(body)["graphs"]) == graphs
    listed = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert ask(real_server, listed) == len(graphs)
    status, _, description = fetch(f"{real_server}/sparql", headers={"Accept": "text/turtle"})
    assert status == 200 and HELPER.encode() not in description


def test_void_and_the_home_page_count_the_merge(
    real_server: str, real_kg: KnowledgeGraph, merge_size: int
) -> None:
    """void:triples is the merge; a void:dataDump per dump; class partitions (void:entities,
    void:triples) and property partitions whose triples add up to the merge; the home page says
    the merge's size."""
    status, _, body = fetch(f"{real_server}/.well-known/void", headers={"Accept": "text/turtle"})
    assert status == 200, body
    g = Graph().parse(data=body, format="turtle")
    dataset = URIRef("https://w3id.org/kzgraph/dataset")
    assert g.value(dataset, VOID.triples).toPython() == merge_size
    dumps = {str(u) for u in g.objects(None, DCAT.downloadURL)}
    assert {str(u) for u in g.objects(dataset, VOID.dataDump)} == dumps and len(dumps) == 4
    by_class = {g.value(p, VOID["class"]): p for p in g.objects(dataset, VOID.classPartition)}
    evidence = by_class[URIRef("https://w3id.org/kzgraph/ontology#Evidence")]
    assert g.value(evidence, VOID.entities).toPython() == distinct_evidence(real_kg)
    assert g.value(evidence, VOID.triples).toPython() > distinct_evidence(real_kg)
    properties = list(g.objects(dataset, VOID.propertyPartition))
    assert sum(g.value(p, VOID.triples).toPython() for p in properties) == merge_size
    status, _, page = fetch(f"{real_server}/", headers={"Accept": "text/html"})
    assert status == 200 and f"{merge_size:,} triples" in page.decode()


def test_a_process_keeps_few_merge_helpers() -> None:
    """Queries naming ever new sets of graphs do not pile helper graphs up in a worker."""
    store = two_graphs()
    pairs = [(G1, G2), (G1, G3), (G2, G3), (G1, G2, G3), (G1, "http://example.org/g4"), (G1, G2)]
    for pair in pairs * 2:
        assert count(store, job(COUNT, default_graphs=pair, named_graphs=())) >= 1
    helpers = [g for g in store.named_graphs() if g.value.startswith(HELPER)]
    assert 1 <= len(helpers) <= KEEP_HELPERS
    assert count(store, job(COUNT, default_graphs=(G1, G2), named_graphs=())) == 2

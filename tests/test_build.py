"""The build on the small invented fixture: a golden comparison of the mapped graphs."""

from __future__ import annotations

from rdflib import Dataset, Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from kzgraph.iris import graph_iri
from kzgraph.pipeline.stages import BuildResult, load_built

from .conftest import MINI

GOLDEN = MINI / "expected.trig"
DATA_GRAPHS = ["entities", "assessments", "report/mini-report"]


def _dump(g: Graph) -> str:
    return "\n".join(sorted(g.serialize(format="nt").splitlines()))


def test_mapped_graphs_match_the_golden_file(mini_build: BuildResult) -> None:
    expected = Dataset()
    expected.parse(GOLDEN, format="trig")
    for name in DATA_GRAPHS:
        got = mini_build.dataset.graph(graph_iri(name))
        want = expected.graph(graph_iri(name))
        if not isomorphic(got, want):
            _, only_got, only_want = graph_diff(to_isomorphic(got), to_isomorphic(want))
            raise AssertionError(
                f"graph {name} differs from {GOLDEN.name}\n"
                f"only in the build:\n{_dump(only_got)}\n"
                f"only in the golden file:\n{_dump(only_want)}"
            )


def test_dump_holds_every_graph(mini_build: BuildResult) -> None:
    nq = next(p for p in mini_build.outputs if p.name == "kzgraph.nq")
    ds = load_built(nq)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    for name in [*DATA_GRAPHS, "ontology", "vocabularies", "inferred"]:
        assert str(graph_iri(name)) in names


def test_inferred_graph_has_no_trivial_triples(mini_build: BuildResult) -> None:
    inferred = mini_build.dataset.graph(graph_iri("inferred"))
    from kzgraph.namespaces import KZ, OWL, RDF

    assert len(inferred) > 0
    assert not [t for t in inferred if t[1] == OWL.sameAs and t[0] == t[2]]
    assert not list(inferred.triples((None, RDF.type, OWL.Thing)))
    act = "https://w3id.org/kzgraph/id/act/jane-example-detention-2030"
    from rdflib import URIRef

    assert (URIRef(act), RDF.type, KZ.DeprivationOfLiberty) in inferred


def test_outputs_exist(mini_build: BuildResult) -> None:
    names = {p.name for p in mini_build.outputs}
    assert {
        "kzgraph.nq",
        "kzgraph.trig",
        "kzgraph.jsonld.gz",
        "kzgraph.owl",
        "manifest.json",
    } <= names


def test_shape_violation_names_file_and_entry(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    import pytest

    from kzgraph.core import KnowledgeGraph
    from kzgraph.pipeline.stages import ValidationFailed

    from .conftest import settings_for

    data = tmp_path / "data"
    shutil.copytree(MINI / "data", data)
    report = data / "reports" / "mini-report.yaml"
    text = report.read_text(encoding="utf-8")
    report.write_text(
        text.replace("    victims: [person/jane-example]\n    perpetrators", "    perpetrators", 1),
        encoding="utf-8",
    )
    build_dir = tmp_path / "build"
    kg = KnowledgeGraph(settings_for(data, build_dir))
    with pytest.raises(ValidationFailed) as info:
        kg.build()
    message = str(info.value)
    assert "mini-report.yaml" in message and "acts[0] (jane-example-detention-2030)" in message
    assert "kz:hasVictim" in message and "names whom it was directed against" in message
    assert not build_dir.exists(), "a failed build writes nothing"

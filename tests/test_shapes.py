"""SHACL shapes: valid examples conform; each invalid example fails for exactly the reason its
name states (tests/shapes/invalid/<Shape>--<reason>.ttl, with '# expect: SHAPE PATH')."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.term import Node

from kzgraph.namespaces import PREFIXES, SH

from .conftest import ROOT

SHAPES_DIR = Path(__file__).parent / "shapes"
VALID = sorted((SHAPES_DIR / "valid").glob("*.ttl"))
INVALID = sorted((SHAPES_DIR / "invalid").glob("*.ttl"))
KZSH = "https://w3id.org/kzgraph/shapes#"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ROOT / "ontology" / "shapes.ttl")


@pytest.fixture(scope="module")
def context() -> Graph:
    g = Graph().parse(ROOT / "ontology" / "kzgraph.ttl")
    g.parse(ROOT / "ontology" / "vocabularies.ttl")
    return g


def _results(data: Graph, shapes: Graph, context: Graph) -> tuple[bool, Graph]:
    data += context
    conforms, results, _ = validate(data, shacl_graph=shapes, advanced=True)
    assert isinstance(results, Graph)
    return bool(conforms), results


def _name(node: Node | None, shapes: Graph) -> str:
    if node is None:
        return "-"
    text = str(node)
    if text.startswith(KZSH):
        return "kzsh:" + text[len(KZSH) :]
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)) :]}"
    return text


def _owners(shape: Node, shapes: Graph) -> set[str]:
    """The shape itself and the node shapes that use it as a property shape."""
    names = {_name(shape, shapes)}
    names |= {_name(owner, shapes) for owner in shapes.subjects(SH.property, shape)}
    return names


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_valid_example_conforms(path: Path, shapes: Graph, context: Graph) -> None:
    conforms, results = _results(Graph().parse(path), shapes, context)
    assert conforms, results.serialize(format="turtle")


@pytest.mark.parametrize("path", INVALID, ids=[p.stem for p in INVALID])
def test_invalid_example_fails_for_the_stated_reason(
    path: Path, shapes: Graph, context: Graph
) -> None:
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith("# expect: "), f"{path.name} needs a '# expect: SHAPE PATH' header"
    want_shape, want_path = header.removeprefix("# expect: ").split()
    assert path.stem.split("--")[0] in want_shape or want_shape.startswith("kzsh:"), path.name
    data = Graph().parse(VALID[0])
    data.parse(path)
    conforms, results = _results(data, shapes, context)
    assert not conforms, f"{path.name} should not conform"
    found = []
    for result in results.objects(None, SH.result):
        source = results.value(result, SH.sourceShape)
        assert isinstance(source, (URIRef, Node))
        result_path = results.value(result, SH.resultPath)
        found.append(
            (
                _owners(source, shapes),
                _name(result_path, shapes),
                str(results.value(result, SH.resultMessage)),
            )
        )
    wrong = [f for f in found if want_shape not in f[0] or f[1] != want_path]
    assert not wrong, f"{path.name} fails for other reasons too: {wrong}"
    assert all(message and message != "None" for _, _, message in found), (
        "every violation has a message"
    )

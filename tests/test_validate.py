"""kzgraph.pipeline.validate: validating a graph in place (the build's own copy, with the quick
namespace writer) finds exactly what validating a copy finds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from kzgraph.namespaces import ID, KZ
from kzgraph.pipeline.stages import BuildResult, OntologyFiles
from kzgraph.pipeline.validate import _PlainNames, validate

from .conftest import ROOT

INVALID = sorted((Path(__file__).parent / "shapes" / "invalid").glob("*.ttl"))


@pytest.fixture(scope="module")
def ontology_files() -> tuple[Graph, Graph, Graph]:
    return OntologyFiles.in_dir(ROOT / "ontology").load()


@pytest.mark.parametrize("example", INVALID, ids=[p.stem for p in INVALID])
def test_in_place_finds_what_a_copy_finds(
    example: Path, ontology_files: tuple[Graph, Graph, Graph], mini_build: BuildResult
) -> None:
    ontology, vocabularies, shapes = ontology_files

    def data() -> Graph:
        return Graph().parse(example, format="turtle") + vocabularies

    copied = validate(data(), shapes, ontology, mini_build.annotations)
    in_place = validate(data(), shapes, ontology, mini_build.annotations, inplace=True)
    assert copied, f"{example.name} should not conform"
    assert [str(v) for v in in_place] == [str(v) for v in copied]


def test_plain_names_use_the_prefixes_or_write_iris_in_full() -> None:
    names = _PlainNames(Graph())
    assert names.normalizeUri(str(KZ.Act)) == "kz:Act"
    assert names.normalizeUri(f"{ID}act/x") == f"<{ID}act/x>"
    assert names.normalizeUri("https://example.org/x") == "<https://example.org/x>"

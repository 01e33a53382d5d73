"""Shared fixtures: the real graph is built once per session, into a temporary build folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
MINI = Path(__file__).parent / "fixtures" / "mini"


def settings_for(data: Path, build: Path) -> Settings:
    return Settings(
        data_dir=data, ontology_dir=ROOT / "ontology", build_dir=build, queries_dir=ROOT / "queries"
    )


@pytest.fixture(scope="session")
def real_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    return KnowledgeGraph(settings_for(ROOT / "data", tmp_path_factory.mktemp("build")))


@pytest.fixture(scope="session")
def real_build(real_kg: KnowledgeGraph) -> BuildResult:
    """The real graph, built once: mapping, SHACL, OWL 2 RL and the dumps."""
    return real_kg.build()


@pytest.fixture(scope="session")
def mini_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    kg = KnowledgeGraph(settings_for(MINI / "data", tmp_path_factory.mktemp("mini-build")))
    return kg.build()


def needs_seeds() -> pytest.MarkDecorator:
    return pytest.mark.skipif(not SEEDS.exists(), reason=f"{SEEDS} not present")


@pytest.fixture(scope="session")
def real_server(real_kg: KnowledgeGraph, real_build: BuildResult) -> Iterator[str]:
    """A server over the real build, shared by the tests that only read from it."""
    from .server import running_server

    with running_server(real_kg.settings.build_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One headless Chromium for every page test."""
    from .browser import chromium

    with chromium() as chrome:
        yield chrome


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One Virtuoso 7 server for the session, on free 127.0.0.1 ports, stopped by its process id
    at the end (tests/virtuoso.py)."""
    from .virtuoso import running_virtuoso

    with running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server

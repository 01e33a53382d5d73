"""A private copy of the mini data and its build (from the session's ``mini_build``), with a
durable store, for tests that change them: each test ingests into its own copy."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kzgraph.pipeline.stages import BuildResult
from kzgraph.settings import Settings
from kzgraph.store.durable import DurableStore

from .conftest import MINI, settings_for

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
FOLLOWUP = FIXTURES / "reports" / "mini-followup.yaml"
FOLLOWUP_TEXT = FIXTURES / "sources" / "mini-followup.txt"


@dataclass(frozen=True)
class Workspace:
    settings: Settings

    @property
    def data(self) -> Path:
        return self.settings.data_dir

    @property
    def build(self) -> Path:
        return self.settings.build_dir

    def store_quads(self) -> set[ox.Quad]:
        with DurableStore.open(self.settings.durable_store_dir) as store:
            return set(store.oxigraph)

    def files(self) -> dict[str, bytes]:
        """Every file of data/ and build/ but the store, by relative path."""
        out = {}
        for root in (self.data, self.build):
            for path in sorted(root.rglob("*")):
                if path.is_file() and self.settings.durable_store_dir not in path.parents:
                    out[str(path.relative_to(root.parent))] = path.read_bytes()
        return out

    def snapshot(self) -> tuple[set[ox.Quad], dict[str, bytes]]:
        return self.store_quads(), self.files()


def make_workspace(mini_build: BuildResult, target: Path) -> Workspace:
    nq = next(p for p in mini_build.outputs if p.name == "kzgraph.nq")
    shutil.copytree(MINI / "data", target / "data")
    shutil.copytree(nq.parent, target / "build")
    settings = settings_for(target / "data", target / "build")
    with DurableStore.open(settings.durable_store_dir, seed=settings.dump_path):
        pass
    return Workspace(settings)

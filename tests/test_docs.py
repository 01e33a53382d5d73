"""Documentation that cannot drift: the README's counts and data/README.md's fields."""

from __future__ import annotations

import re

from pydantic import BaseModel

from kzgraph.annotations import model as m
from kzgraph.core import KnowledgeGraph
from kzgraph.pipeline.stages import BuildResult
from kzgraph.pipeline.stats import markdown_table
from kzgraph.settings import Settings

from .conftest import ROOT


def test_readme_counts_are_the_build(real_kg: KnowledgeGraph, real_build: BuildResult) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = re.search(r"<!-- stats:begin -->\n(.*?)\n<!-- stats:end -->", readme, re.S)
    assert table, "README.md lost its stats markers"
    assert table.group(1).strip() == markdown_table(real_kg.select).strip(), (
        "README.md's table is stale: paste the output of 'kzgraph stats' between the markers"
    )


def test_readme_starts_with_the_two_commands() -> None:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines[2:4]]
    assert commands[0].startswith("scripts/dev serve") and commands[1].startswith(
        "scripts/dev test"
    )
    assert "scripts/dev test" in (ROOT / ".ci" / "run").read_text()


def test_every_setting_is_documented() -> None:
    docs = "".join(
        path.read_text(encoding="utf-8") for path in [ROOT / "README.md", *ROOT.glob("docs/*.md")]
    )
    missing = [
        f"KZGRAPH_{name.upper()}"
        for name in Settings.model_fields
        if f"KZGRAPH_{name.upper()}" not in docs
    ]
    assert not missing, f"document these settings in README.md or docs/: {missing}"


def test_every_annotation_field_is_documented() -> None:
    doc = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    models: list[type[BaseModel]] = [
        m.Evidence,
        m.Mention,
        m.Entity,
        *(model for model, _ in m.FACT_LISTS.values()),  # every fact class, a new one too
        m.Charge,
        m.Sentence,
        m.Corroboration,
        m.Section,
        m.ReportMeta,
    ]
    missing = sorted(
        {
            f"{model.__name__}.{name}"
            for model in models
            for name in model.model_fields
            if not re.search(rf"\b{name}\b", doc)
        }
    )
    assert not missing, f"document these fields in data/README.md: {missing}"


def test_every_setting_is_documented_in_the_readme() -> None:
    from kzgraph.settings import Settings

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"KZGRAPH_{name.upper()}" not in readme]
    assert not missing, f"README.md does not mention these settings: {missing}"

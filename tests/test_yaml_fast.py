"""The build's libyaml reader gives what the round-trip reader gives: the same values (YAML 1.2
typing: ``yes`` stays a string, ``010`` is ten) and the same line for every key and item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kzgraph.annotations.load import annotation_files
from kzgraph.annotations.yamlfile import line_of, read, read_fast

ROOT = Path(__file__).resolve().parent.parent


def _plain(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return ("int", int(node))
    if isinstance(node, float):
        return ("float", float(node))
    if isinstance(node, str):
        return str(node)
    return node


def _lines(fast: Any, slow: Any) -> list[tuple[Any, ...]]:
    """Every key path whose line differs."""
    out: list[tuple[Any, ...]] = []
    keys = list(fast) if isinstance(fast, dict) else range(len(fast))
    for key in keys:
        if line_of(fast, key) != line_of(slow, key):
            out.append((key, line_of(fast, key), line_of(slow, key)))
        if isinstance(fast[key], (dict, list)):
            out += _lines(fast[key], slow[key])
    return out


FILES = [
    *annotation_files(ROOT / "data"),
    *annotation_files(ROOT / "tests" / "fixtures" / "mini" / "data"),
]


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_libyaml_reads_what_ruamel_reads(path: Path) -> None:
    fast, slow = read_fast(path), read(path)
    assert _plain(fast) == _plain(slow)
    assert _lines(fast, slow) == []


def test_yaml_1_2_scalars(tmp_path: Path) -> None:
    path = tmp_path / "scalars.yaml"
    path.write_text(
        "a: yes\nb: 010\nc: 1_000\nd: 0o10\ne: ~\nf: 1.5\ng: 2023-04\nh: 2023-04-10\n"
        "i: 'no'\nj: 0x1F\nk: True\nl: [on, off]\n",
        encoding="utf-8",
    )
    assert _plain(read_fast(path)) == _plain(read(path))
    assert read_fast(path)["a"] == "yes"

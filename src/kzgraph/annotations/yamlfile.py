"""YAML files read with their line numbers, and written back with comments kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError

from kzgraph.annotations.errors import AnnotationError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def read(path: Path) -> CommentedMap:
    """Read one annotation file; any syntax or encoding problem is an AnnotationError."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise AnnotationError(
            [
                Problem(
                    path, None, None, None, f"file is {size} bytes; the limit is {MAX_FILE_BYTES}"
                )
            ]
        )
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line: int | None = raw[: exc.start].count(b"\n") + 1
        raise AnnotationError(
            [Problem(path, line, None, None, f"not UTF-8 (byte {exc.start}): save it as UTF-8")]
        ) from None
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise AnnotationError(
            [Problem(path, line, None, None, f"YAML syntax: {exc.problem or exc.context}")]
        ) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise AnnotationError([Problem(path, 1, None, None, "expected a mapping at the top level")])
    return data


def write(path: Path, data: CommentedMap) -> None:
    """Write a file read by :func:`read`, atomically (a crash leaves the old file)."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", encoding="utf-8") as out:
        _yaml().dump(data, out)
    tmp.replace(path)


def line_of(node: Any, *path: Any) -> int | None:
    """1-based line of ``node[path[0]][path[1]]…``, as deep as the path can be followed."""
    line: int | None = None
    for key in path:
        if isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    if line is None and hasattr(node, "lc"):
        line = node.lc.line + 1
    return line

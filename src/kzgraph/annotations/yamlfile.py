"""YAML files read with their line numbers, and written back with comments kept.

Reading is bounded, because reports arrive over HTTP (``POST /admin/reports``): at most
:data:`MAX_FILE_BYTES`, nesting at most :data:`MAX_DEPTH` deep, and aliases that would expand to
at most :data:`MAX_EXPANDED_NODES` values (an "alias bomb" of 9 levels of 9 aliases is 12 kB of
text and 387 million values once expanded by whoever walks it). The round-trip loader never
calls Python constructors for tags such as ``!!python/object``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer, MaxDepthExceededError
from ruamel.yaml.error import MarkedYAMLError
from ruamel.yaml.events import AliasEvent

from kzgraph.annotations.errors import AnnotationError, Problem

MAX_FILE_BYTES = 5 * 1024 * 1024
# The real files nest at most 8 levels and hold at most 6,400 values (keys counted), no alias.
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 100_000


class TooLarge(MarkedYAMLError):
    """Aliases that would expand to more nodes than :data:`MAX_EXPANDED_NODES`."""


class BoundedComposer(Composer):
    """Ruamel's composer, counting the nodes the document would have with every alias expanded.

    An alias adds the expanded size of the node it names (remembered when the anchored node was
    composed), so the count costs one pass over the events: the bomb is refused after reading
    its first lines, before anything walks it."""

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.expanded = 0
        self.sizes: dict[int, int] = {}

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.parser.check_event(AliasEvent):
            mark = self.parser.peek_event().start_mark
            node = super().compose_node(parent, index)
            self._count(self.sizes.get(id(node), 1), mark)
            return node
        before = self.expanded
        mark = self.parser.peek_event().start_mark
        node = super().compose_node(parent, index)
        self._count(1, mark)
        if node.anchor is not None:
            self.sizes[id(node)] = self.expanded - before
        return node

    def _count(self, nodes: int, mark: Any) -> None:
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            raise TooLarge(
                None,
                None,
                f"more than {MAX_EXPANDED_NODES:,} values, counting each alias (*name) as the "
                "values it repeats: split the file, or write out fewer aliases",
                mark,
            )


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.Composer = BoundedComposer
    yaml.max_depth = MAX_DEPTH
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
    except MaxDepthExceededError as exc:
        raise AnnotationError(
            [
                Problem(
                    path,
                    _line(exc),
                    None,
                    None,
                    f"nested more than {MAX_DEPTH} levels deep: a report nests at most a few "
                    "levels (data/README.md)",
                )
            ]
        ) from None
    except TooLarge as exc:
        raise AnnotationError([Problem(path, _line(exc), None, None, str(exc.problem))]) from None
    except MarkedYAMLError as exc:
        raise AnnotationError(
            [Problem(path, _line(exc), None, None, f"YAML syntax: {exc.problem or exc.context}")]
        ) from None
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        raise AnnotationError([Problem(path, 1, None, None, "expected a mapping at the top level")])
    return data


def _line(exc: MarkedYAMLError) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return mark.line + 1 if mark is not None else None


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

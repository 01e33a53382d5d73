"""YAML files read with their line numbers, and written back with comments kept.

Reading is bounded, because reports arrive over HTTP (``POST /admin/reports``): at most
:data:`MAX_FILE_BYTES`, nesting at most :data:`MAX_DEPTH` deep, and aliases that would expand to
at most :data:`MAX_EXPANDED_NODES` values (an "alias bomb" of 9 levels of 9 aliases is 12 kB of
text and 387 million values once expanded by whoever walks it). The round-trip loader never
calls Python constructors for tags such as ``!!python/object``.

The build reads with :func:`read_fast`: libyaml (PyYAML's ``CSafeLoader``) composes the node tree
in C, with the line of every key and item, into :class:`LineMap` and :class:`LineSeq` (a dict and
a list that know their lines), with the same bounds; a file it cannot read is read again by the
round-trip loader for the error message, worded as it always was. ~15x faster than the
round-trip loader, which is kept for the files the tools write back (:func:`read`, :func:`write`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, ClassVar

import yaml as pyyaml
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


def _text(path: Path) -> str:
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
    return text


def read(path: Path) -> CommentedMap:
    """Read one annotation file; any syntax or encoding problem is an AnnotationError."""
    text = _text(path)
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


class LineMap(dict[Any, Any]):
    """A YAML mapping read by :func:`read_fast`: a dict with the 1-based line of itself and of
    each key."""

    line: int
    lines: dict[Any, int]


class LineSeq(list[Any]):
    """A YAML sequence read by :func:`read_fast`: a list with the line of itself and each item."""

    line: int
    lines: list[int]


class _Loader(pyyaml.CSafeLoader):
    """libyaml, with no implicit types: plain scalars are typed by :func:`_plain_scalar` the way
    the round-trip loader types them (YAML 1.2 and timestamps: ``yes`` stays a string)."""

    yaml_implicit_resolvers: ClassVar[dict[Any, Any]] = {}  # type: ignore[misc]


_CONSTRUCT = pyyaml.constructor.SafeConstructor.yaml_constructors
_STR = "tag:yaml.org,2002:str"
_INT = re.compile(r"[-+]?[0-9][0-9_]*")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?")
_SPECIAL: dict[str, Any] = {
    "": None,
    "~": None,
    **dict.fromkeys(("null", "Null", "NULL"), None),
    **dict.fromkeys(("true", "True", "TRUE"), True),
    **dict.fromkeys(("false", "False", "FALSE"), False),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), float("inf")),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), float("-inf")),
    **dict.fromkeys((".nan", ".NaN", ".NAN"), float("nan")),
}


def _plain_scalar(loader: Any, node: Any) -> Any:
    text: str = node.value
    if text in _SPECIAL:
        return _SPECIAL[text]
    first = text[0]
    if first.isdigit() or first in "+-.":
        if _INT.fullmatch(text):
            return int(text.replace("_", ""))
        if text.startswith(("0o", "0x")):
            try:
                return int(text[2:], 8 if text[1] == "o" else 16)
            except ValueError:
                return text
        if _FLOAT.fullmatch(text):
            return float(text.replace("_", ""))
        if _TIMESTAMP.fullmatch(text):
            try:
                return loader.construct_yaml_timestamp(node)
            except ValueError:
                return text
    return text


class _Walk:
    """Node tree -> LineMap / LineSeq / scalars, counting depth and expanded nodes (aliases
    are the same node object met again: each adds the size it had when first built)."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.expanded = 0
        self.sizes: dict[int, tuple[Any, int]] = {}

    def build(self, node: Any, depth: int, parent: Any = None) -> Any:
        seen = self.sizes.get(id(node))
        if seen is not None:  # an alias: libyaml gives the anchored node, so the parent's line
            self._count(seen[1], parent or node)
            return seen[0]
        if depth > MAX_DEPTH:
            raise _Bound(f"nested more than {MAX_DEPTH} levels deep", node)
        before = self.expanded
        value: Any
        if isinstance(node, pyyaml.MappingNode):
            value = LineMap()
            value.line = node.start_mark.line + 1
            value.lines = {}
            for knode, vnode in node.value:
                key = self.build(knode, depth + 1, node)
                if not isinstance(key, (str, int, float, bool)) and key is not None:
                    raise _Bound("a mapping key must be a plain value", knode)
                value[key] = self.build(vnode, depth + 1, node)
                value.lines[key] = knode.start_mark.line + 1
        elif isinstance(node, pyyaml.SequenceNode):
            value = LineSeq()
            value.line = node.start_mark.line + 1
            value.lines = []
            for item in node.value:
                value.append(self.build(item, depth + 1, node))
                value.lines.append(item.start_mark.line + 1)
        elif node.tag == _STR and not node.style:
            value = _plain_scalar(self.loader, node)
        else:
            construct = _CONSTRUCT.get(node.tag)
            if construct is None:
                raise _Bound(f"unknown tag {node.tag}", node)
            value = construct(self.loader, node)
        self._count(1, node)
        self.sizes[id(node)] = (value, self.expanded - before)
        return value

    def _count(self, nodes: int, node: Any) -> None:
        self.expanded += nodes
        if self.expanded > MAX_EXPANDED_NODES:
            raise _Bound(
                f"more than {MAX_EXPANDED_NODES:,} values, counting each alias (*name) as the "
                "values it repeats: split the file, or write out fewer aliases",
                node,
            )


class _Bound(Exception):
    def __init__(self, message: str, node: Any) -> None:
        super().__init__(message)
        self.line = node.start_mark.line + 1


def read_fast(path: Path) -> LineMap:
    """Read one annotation file as :func:`read` does (same bounds, same errors), with libyaml."""
    text = _text(path)
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
        data = _Walk(loader).build(root, 1) if root is not None else LineMap()
    except (pyyaml.YAMLError, _Bound) as exc:
        # a broken file: the round-trip reader words the error (and its line) as it always has
        read(path)
        line = exc.line if isinstance(exc, _Bound) else _pyyaml_line(exc)
        raise AnnotationError([Problem(path, line, None, None, f"YAML: {exc}")]) from None
    finally:
        loader.dispose()
    if not isinstance(data, LineMap):
        raise AnnotationError([Problem(path, 1, None, None, "expected a mapping at the top level")])
    if not hasattr(data, "line"):
        data.line, data.lines = 1, {}
    return data


def _pyyaml_line(exc: pyyaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return mark.line + 1 if mark is not None else None


def line_of(node: Any, *path: Any) -> int | None:
    """1-based line of ``node[path[0]][path[1]]…``, as deep as the path can be followed."""
    line: int | None = None
    for key in path:
        in_seq = isinstance(node, LineSeq) and isinstance(key, int) and 0 <= key < len(node)
        if in_seq or (isinstance(node, LineMap) and key in node):
            line = node.lines[key]
            node = node[key]
        elif isinstance(node, CommentedMap) and key in node:
            line = node.lc.key(key)[0] + 1
            node = node[key]
        elif isinstance(node, CommentedSeq) and isinstance(key, int) and 0 <= key < len(node):
            line = node.lc.item(key)[0] + 1
            node = node[key]
        else:
            break
    if line is None and hasattr(node, "lc"):
        line = node.lc.line + 1
    if line is None and isinstance(node, (LineMap, LineSeq)):
        line = node.line
    return line

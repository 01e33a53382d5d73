"""A source text written piece by piece, recording where each cited phrase stands; and a small
YAML writer for annotation files (block lists, flow maps, JSON-quoted strings, which YAML reads)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any


class SourceText:
    """Append prose; :meth:`cite` appends a phrase and returns its evidence entry."""

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0

    def add(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)

    def cite(self, phrase: str) -> dict[str, Any]:
        start = self._length
        self.add(phrase)
        return {"exact": phrase, "start": start, "end": self._length}

    def text(self) -> str:
        return "".join(self._parts)

    def sha256(self) -> str:
        return hashlib.sha256(self.text().encode("utf-8")).hexdigest()


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def _flow(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    return _scalar(value)


def _block(value: Mapping[str, Any], indent: int) -> list[str]:
    """A mapping as block lines; lists of mappings nest as block lists, the rest is flow."""
    pad = " " * indent
    lines = []
    for key, item in value.items():
        if item is None or item == [] or item == {}:
            continue
        if isinstance(item, list) and item and isinstance(item[0], Mapping):
            lines.append(f"{pad}{key}:")
            for entry in item:
                lines.append(f"{pad}  - {_flow(entry)}")
        elif isinstance(item, Mapping) and any(isinstance(v, list) for v in item.values()):
            lines.append(f"{pad}{key}:")
            lines += _block(item, indent + 2)
        else:
            lines.append(f"{pad}{key}: {_flow(item)}")
    return lines


def yaml_document(doc: Mapping[str, Any], header: str) -> str:
    """Top-level keys in order; each list entry a block mapping like the hand-written files."""
    lines = [f"# {header}"]
    for key, value in doc.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            for entry in value:
                if not any(isinstance(v, (list, Mapping)) for v in entry.values()):
                    lines.append(f"  - {_flow(entry)}")
                    continue
                block = _block(entry, 4)
                lines.append("  - " + block[0].lstrip())
                lines += block[1:]
        else:
            lines.append(f"{key}:")
            lines += _block(value, 2)
    return "\n".join(lines) + "\n"

"""Find evidence phrases in a source text and fill in their character offsets.

Phrases are matched loosely, so an annotator can type them: any run of white space (line breaks
and no-break spaces included) matches any other, a hyphen may be followed by a line break, and
straight quotes match curly ones. What is written back is the source's exact characters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzgraph.annotations.errors import AnnotationError, Problem
from kzgraph.annotations.yamlfile import line_of, read, write

QUOTES = {"'": "['‘’]", "‘": "['‘’]", "’": "['‘’]", '"': '["“”]', "“": '["“”]', "”": '["“”]'}


class PhraseNotFound(ValueError):
    pass


def phrase_pattern(phrase: str) -> re.Pattern[str]:
    parts = []
    for word in phrase.split():
        token = "".join(QUOTES.get(ch, re.escape(ch)) for ch in word)
        parts.append(token.replace(r"\-", r"-\s*"))
    return re.compile(r"\s+".join(parts))


def find_phrase(
    text: str, phrase: str, occurrence: int | None = None, near: int | None = None
) -> tuple[int, int]:
    """Offsets of ``phrase`` in ``text``; ambiguity is resolved by ``occurrence`` or ``near``."""
    matches = list(phrase_pattern(phrase).finditer(text))
    if not matches:
        raise PhraseNotFound(f"phrase {phrase!r} does not occur in the source")
    if occurrence is not None:
        if not 1 <= occurrence <= len(matches):
            raise PhraseNotFound(
                f"phrase {phrase!r} occurs {len(matches)} time(s); "
                f"occurrence {occurrence} is out of range"
            )
        match = matches[occurrence - 1]
    elif len(matches) == 1:
        match = matches[0]
    elif near is not None:
        match = min(matches, key=lambda mt: abs(mt.start() - near))
    else:
        starts = ", ".join(str(mt.start()) for mt in matches[:10])
        raise PhraseNotFound(
            f"phrase {phrase!r} occurs {len(matches)} times (at {starts}); "
            "add 'occurrence: N' or a longer phrase"
        )
    return match.start(), match.end()


@dataclass
class Sources:
    """Report ids and the source texts they were read from."""

    directory: Path
    files: dict[str, str]  # report id -> file name
    _texts: dict[str, str]

    @classmethod
    def for_data(cls, data_dir: Path, directory: Path) -> Sources:
        files = {}
        for path in sorted((data_dir / "reports").glob("*.yaml")):
            meta = read(path).get("report") or {}
            if "id" in meta and "source" in meta:
                files[str(meta["id"])] = str(meta["source"])
        return cls(directory, files, {})

    def text(self, report_id: str) -> str:
        if report_id not in self._texts:
            if report_id not in self.files:
                raise PhraseNotFound(f"unknown report id {report_id!r} in 'source'")
            path = self.directory / self.files[report_id]
            self._texts[report_id] = path.read_bytes().decode("utf-8")
        return self._texts[report_id]


def _anchors(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """Every mapping with an ``exact`` phrase (evidence, mentions, sections), with its path."""
    if isinstance(node, dict):
        if "exact" in node and isinstance(node.get("exact"), str):
            yield node, path
        for key, value in node.items():
            yield from _anchors(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _anchors(value, (*path, i))


def locate_file(path: Path, sources: Sources) -> int:
    """Fill offsets in one annotation file; returns how many anchors changed. All or nothing."""
    data = read(path)
    own = None
    if isinstance(data.get("report"), dict):
        own = str(data["report"].get("id"))
    problems: list[Problem] = []
    changed = 0
    for anchor, where in _anchors(data):
        report_id = str(anchor.get("source") or own or "")
        line = line_of(data, *where)
        entry = ".".join(str(p) for p in where)
        try:
            if not report_id:
                raise PhraseNotFound("no 'source' given and the file is not a report file")
            text = sources.text(report_id)
            start, end = anchor.get("start"), anchor.get("end")
            if (
                isinstance(start, int)
                and isinstance(end, int)
                and text[start:end] == anchor["exact"]
            ):
                continue
            near = start if isinstance(start, int) else None
            occurrence = anchor.get("occurrence")
            start, end = find_phrase(text, anchor["exact"], occurrence, near)
        except (PhraseNotFound, OSError) as exc:
            problems.append(Problem(path, line, entry, "exact", str(exc)))
            continue
        anchor["exact"] = text[start:end]
        keys = list(anchor.keys())
        pos = keys.index("exact") + 1
        for key, value in (("start", start), ("end", end)):
            if key in anchor:
                anchor[key] = value
            else:
                anchor.insert(pos, key, value)
            pos += 1
        changed += 1
    if problems:
        raise AnnotationError(problems)
    if changed:
        write(path, data)
    return changed

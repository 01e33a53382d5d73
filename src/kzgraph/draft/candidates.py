"""What the drafter proposes: candidate entities and facts, each anchored in the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kzgraph.draft.source import Span


@dataclass
class Anchor:
    """A short exact phrase (``text[start:end]``) inside its sentence."""

    start: int
    end: int
    sentence: Span

    def exact(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass
class NewEntity:
    """A name the known graph does not hold, proposed as a new entity for review."""

    id: str
    name: str
    kind: str
    why: str  # which rule proposed it (written into the draft's review comment)
    anchors: list[Anchor] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)  # part_of, number, ...


@dataclass
class KnownMention:
    """A known entity named in the text (first use of each spelling)."""

    entity: str
    anchor: Anchor


@dataclass
class Fact:
    """A candidate fact: ``kind`` is act, statistic, charge or sentence; charges and sentences
    end up inside acts in the draft, as the annotation format wants."""

    kind: str
    anchor: Anchor
    trigger: Span
    attrs: dict[str, Any] = field(default_factory=dict)

"""The reports' plain texts, when the server is given them (``KZGRAPH_SOURCES``, a folder;
docs/decisions/0021-passage-in-context.md), each checked against the SHA-256 the graph holds.

A report's text is the file its snapshot names (``kz:fileName``) or, failing that, any ``*.txt``
file in the folder whose SHA-256 is the report's: files may be named as received or renamed. A
file named as a report's snapshot whose digest differs is refused, with a message that names the
file and both digests; a file whose digest matches no report is ignored; a report with no text
simply has no reader. The texts are read once, when first asked for, and never copied anywhere.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kzgraph import namespaces

Select = Callable[[str], list[dict[str, str]]]
log = logging.getLogger("kzgraph.sources")
PREFIXES = namespaces.prefix_block("kz", "rdfs", "oa")
SNAPSHOTS_QUERY = f"""{PREFIXES}SELECT ?report ?file ?sha256 WHERE {{
  ?report a kz:Report ; kz:hasSnapshot ?snapshot .
  ?snapshot kz:sha256 ?sha256 .
  OPTIONAL {{ ?snapshot kz:fileName ?file }}
}}"""
# every passage of one report, with the facts (acts, claims, spellings…) that cite it
SPANS_QUERY = """{prefixes}SELECT ?evidence ?start ?end ?exact ?fact ?label WHERE {{
  ?evidence kz:inReport <{report}> ;
            oa:hasSelector ?quote_selector , ?position_selector .
  ?quote_selector oa:exact ?exact .
  ?position_selector oa:start ?start ; oa:end ?end .
  OPTIONAL {{ ?fact kz:hasEvidence ?evidence . OPTIONAL {{ ?fact rdfs:label ?label }} }}
}}"""


@dataclass(frozen=True)
class Span:
    """One passage, ``text[start:end]``: its exact phrase, the evidence nodes that select it (one
    or more), and the facts (acts, claims, spellings…) that cite them, as (IRI, label)."""

    start: int
    end: int
    exact: str
    evidence: tuple[str, ...]
    facts: tuple[tuple[str, str], ...]

    @property
    def anchor(self) -> str:
        return f"e-{self.start}-{self.end}"


@dataclass
class Sources:
    """The texts found for the graph's reports (by report IRI) and the files refused."""

    folder: Path | None
    texts: dict[str, str] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # report IRI -> why its file was refused

    @property
    def available(self) -> frozenset[str]:
        return frozenset(self.texts)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def slug(report: str) -> str:
    return report.rsplit("/", 1)[-1]


def load_sources(folder: Path | None, select: Select) -> Sources:
    """The text of each report found in ``folder`` and checked (see the module's docstring)."""
    found = Sources(folder)
    if folder is None:
        return found
    if not folder.is_dir():
        log.warning("KZGRAPH_SOURCES: %s is not a folder; the reports have no reader", folder)
        return found
    by_hash: dict[str, bytes] | None = None  # every text of the folder, by its SHA-256
    for row in select(SNAPSHOTS_QUERY):
        report, expected = row["report"], row["sha256"].lower()
        named = folder / row["file"] if row.get("file") else None
        if named is not None and named.is_file():
            raw = named.read_bytes()
            actual = _digest(raw)
            if actual != expected:
                found.refused[report] = (
                    f"{named.name} in KZGRAPH_SOURCES: refused as the text of report "
                    f"{slug(report)}: its SHA-256 is {actual}, the graph's kz:sha256 for that "
                    f"report is {expected}; give the "
                    "exact text the annotations were made on (data/README.md)"
                )
                log.warning("%s (%s)", found.refused[report], named)
                continue
        else:
            if by_hash is None:
                texts = (p.read_bytes() for p in sorted(folder.glob("*.txt")) if p.is_file())
                by_hash = {_digest(t): t for t in texts}
            if expected not in by_hash:
                continue
            raw = by_hash[expected]
        found.texts[report] = raw.decode("utf-8")
    return found


def spans(report: str, select: Select) -> list[Span]:
    """Every passage of ``report``, one per pair of offsets, by start (the longest first)."""
    exact: dict[tuple[int, int], str] = {}
    evidence: dict[tuple[int, int], set[str]] = {}
    facts: dict[tuple[int, int], dict[str, str]] = {}
    for row in select(SPANS_QUERY.format(prefixes=PREFIXES, report=report)):
        key = (int(row["start"]), int(row["end"]))
        exact[key] = row["exact"]
        evidence.setdefault(key, set()).add(row["evidence"])
        cited = facts.setdefault(key, {})
        if row.get("fact"):
            cited[row["fact"]] = row.get("label") or row["fact"]
    out = [
        Span(
            start,
            end,
            exact[start, end],
            tuple(sorted(evidence[start, end])),
            tuple(sorted(facts[start, end].items())),
        )
        for start, end in exact
    ]
    out.sort(key=lambda s: (s.start, -s.end))
    return out


__all__ = ["Sources", "Span", "load_sources", "slug", "spans"]

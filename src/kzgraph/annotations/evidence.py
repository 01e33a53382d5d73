"""Checking every cited phrase against the source texts it cites."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kzgraph.annotations import model as m
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.load import AnnotationSet, Origin


@dataclass(frozen=True)
class Anchor:
    origin: Origin
    field: str
    report: str
    start: int | None
    end: int | None
    exact: str


def anchors(aset: AnnotationSet) -> Iterator[Anchor]:
    """Every evidence phrase, mention and section heading, with the report it cites."""

    def own(origin: Origin) -> str:
        return origin.graph.split("/", 1)[1] if origin.graph.startswith("report/") else ""

    def of(origin: Origin, fieldname: str, item: m.Evidence | m.Mention | m.Section) -> Anchor:
        report = getattr(item, "source", None) or own(origin)
        return Anchor(origin, fieldname, report, item.start, item.end, item.exact)

    for rid, rf in aset.reports.items():
        for i, section in enumerate(rf.sections):
            origin = Origin(rf.path, None, f"report/{rid}", f"sections[{i}] ({section.id})")
            yield of(origin, "exact", section)
    for ent in aset.entities.values():
        for i, mention in enumerate(ent.record.mentions):
            yield of(ent.origin, f"mentions.{i}", mention)
        for name in m.CLAIM_FIELDS:
            for j, claim in enumerate(getattr(ent.record, name)):
                for i, ev in enumerate(claim.evidence):
                    yield of(ent.origin, f"{name}.{j}.evidence.{i}", ev)
    for fact in aset.facts.values():
        rec = fact.record
        for i, ev in enumerate(rec.evidence):
            yield of(fact.origin, f"evidence.{i}", ev)
        for j, charge in enumerate(getattr(rec, "charges", None) or []):
            for i, ev in enumerate(charge.evidence):
                yield of(fact.origin, f"charges.{j}.evidence.{i}", ev)
        sentence = getattr(rec, "sentence", None)
        for i, ev in enumerate(sentence.evidence if sentence else []):
            yield of(fact.origin, f"sentence.evidence.{i}", ev)
    for located in aset.mentions:
        yield of(located.origin, "exact", located.record)
    for corr in aset.corroborations:
        for i, ev in enumerate(corr.record.evidence):
            yield of(corr.origin, f"evidence.{i}", ev)


def missing_offsets(aset: AnnotationSet) -> list[Problem]:
    """Anchors without offsets or with a report that does not exist (the build needs both)."""
    problems = []
    for a in anchors(aset):
        if a.report not in aset.reports:
            problems.append(a.origin.problem(a.field, f"cites unknown report {a.report!r}"))
        elif a.start is None or a.end is None:
            problems.append(
                a.origin.problem(
                    a.field,
                    (f"phrase {a.exact!r} has no offsets: run 'kzgraph locate FILE --sources DIR'"),
                )
            )
        elif not 0 <= a.start < a.end:
            problems.append(a.origin.problem(a.field, f"offsets {a.start}..{a.end} are not a span"))
    return problems


def verify_evidence(aset: AnnotationSet, sources: Path) -> tuple[int, list[Problem]]:
    """Check each source's SHA-256 and every phrase at its offsets; returns (checked, problems)."""
    problems: list[Problem] = []
    texts: dict[str, str] = {}
    for rid, rf in aset.reports.items():
        path = sources / rf.meta.source
        if not path.exists():
            problems.append(
                Problem(rf.path, None, "report", "source", f"source file {path} not found")
            )
            continue
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).hexdigest()
        if digest != rf.meta.sha256:
            problems.append(
                Problem(
                    rf.path,
                    None,
                    "report",
                    "sha256",
                    (f"{path} has SHA-256 {digest}, the annotations were made on {rf.meta.sha256}"),
                )
            )
            continue
        texts[rid] = raw.decode("utf-8")
    checked = 0
    for a in anchors(aset):
        text = texts.get(a.report)
        if text is None:
            continue
        checked += 1
        if a.start is None or a.end is None:
            problems.append(a.origin.problem(a.field, f"phrase {a.exact!r} has no offsets"))
        elif a.end > len(text):
            problems.append(
                a.origin.problem(
                    a.field,
                    (
                        f"offsets {a.start}..{a.end} lie beyond the end of {a.report} "
                        f"({len(text)} characters)"
                    ),
                )
            )
        elif text[a.start : a.end] != a.exact:
            problems.append(
                a.origin.problem(
                    a.field,
                    (
                        f"expected {a.exact!r} at {a.start}..{a.end} of {a.report}, "
                        f"the source has {text[a.start : a.end]!r}"
                    ),
                )
            )
    return checked, problems

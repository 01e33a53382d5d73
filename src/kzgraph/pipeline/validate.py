"""SHACL validation with pyshacl, reported in the terms of the annotation files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import NamespaceManager
from rdflib.term import Node

from kzgraph.annotations.load import AnnotationSet, Origin
from kzgraph.namespaces import ID, PREFIXES, SH


@dataclass(frozen=True)
class Violation:
    focus: Node
    path: str
    message: str
    value: str
    severity: str
    origin: Origin | None

    def __str__(self) -> str:
        where = "(no annotation file)"
        if self.origin is not None:
            line = f":{self.origin.line}" if self.origin.line else ""
            where = f"{self.origin.file}{line} entry {self.origin.entry}"
        value = f" (value: {self.value})" if self.value else ""
        return f"{where}: {_short(self.focus)} {self.path}: {self.message}{value}"


def _short(node: Node) -> str:
    text = str(node)
    for prefix, ns in PREFIXES.items():
        if text.startswith(str(ns)):
            return f"{prefix}:{text[len(str(ns)) :]}"
    return f"<{text}>" if isinstance(node, URIRef) else repr(text)


def _path_text(results: Graph, path: Node | None) -> str:
    if path is None:
        return ""
    inverse = results.value(path, SH.inversePath)
    return f"^{_short(inverse)}" if inverse is not None else _short(path)


def origin_of(node: Node, aset: AnnotationSet) -> Origin | None:
    """Which file and entry a node of the mapped graph came from."""
    text = str(node)
    if not text.startswith(str(ID)):
        return None
    parts = text[len(str(ID)) :].split("/")
    kind = parts[0]
    if kind in ("charge", "sentence"):
        kind, parts = "act", ["act", parts[1]]
    if kind == "report" or kind in ("evidence", "mention", "section", "snapshot"):
        report = aset.reports.get(parts[1]) if len(parts) > 1 else None
        if report is not None:
            return Origin(report.path, None, f"report/{parts[1]}", f"{kind} {'/'.join(parts[1:])}")
        return None
    ref = f"{kind}/{parts[1]}" if len(parts) > 1 else kind
    for table in (aset.entities, aset.facts):
        if ref in table:
            return table[ref].origin
    return None


class _PlainNames(NamespaceManager):
    """Writes IRIs as ``prefix:local`` with the project's prefixes, or in full. pyshacl writes a
    text description of every result it makes, including those of ``sh:or`` and qualified value
    shapes that it then discards; rdflib's own manager files each IRI's namespace in a trie, and
    each evidence and selector IRI is a namespace of its own: quadratic (~20% of the validation at
    100k triples)."""

    def __init__(self, graph: Graph):
        super().__init__(graph, bind_namespaces="none")
        self._names = [(prefix, str(ns)) for prefix, ns in PREFIXES.items()]

    def normalizeUri(self, rdfTerm: str) -> str:  # rdflib's name
        for prefix, ns in self._names:
            if rdfTerm.startswith(ns) and _LOCAL_NAME.fullmatch(rdfTerm[len(ns) :]):
                return f"{prefix}:{rdfTerm[len(ns) :]}"
        return f"<{rdfTerm}>"


_LOCAL_NAME = re.compile(r"[A-Za-z_][\w\-]*")


def validate(
    data: Graph, shapes: Graph, ontology: Graph, aset: AnnotationSet, *, inplace: bool = False
) -> list[Violation]:
    """Every SHACL result, with the annotation file and entry it comes from.

    With ``inplace``, ``data`` is validated as it is, not copied first: pyshacl adds the
    ontology's class and property axioms to it (for a graph made only to be validated; ~40%
    faster at 100k triples, with :class:`_PlainNames`)."""
    if inplace:
        data.namespace_manager = _PlainNames(data)
    conforms, results, _ = shacl_validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        allow_warnings=True,
        inplace=inplace,
    )
    if conforms:
        return []
    assert isinstance(results, Graph)
    out = []
    for result in results.objects(None, SH.result):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        value = results.value(result, SH.value)
        severity = results.value(result, SH.resultSeverity)
        assert focus is not None
        out.append(
            Violation(
                focus=focus,
                path=_path_text(results, path),
                message=str(message or "constraint not met"),
                value=_short(value) if value is not None else "",
                severity=_short(severity) if severity is not None else "",
                origin=origin_of(focus, aset),
            )
        )
    return sorted(out, key=str)


def data_checks(data: Graph, qc_dir: Path, aset: AnnotationSet) -> list[Violation]:
    """The ``*-violation.rq`` quality checks marked ``# scope: data`` (entity claims without
    evidence or basis...), run over the mapped data: each row is a violation of its first node."""
    out = []
    for query in sorted(qc_dir.glob("*-violation.rq")):
        text = query.read_text(encoding="utf-8")
        if not text.startswith("# scope: data"):
            continue
        for row in data.query(text):
            assert isinstance(row, tuple)
            focus, *rest = row
            out.append(
                Violation(
                    focus=focus,
                    path=query.stem,
                    message=f"returned by the quality check {query.name} (must return no rows)",
                    value=" ".join(_short(v) for v in rest if v is not None),
                    severity="Violation",
                    origin=origin_of(focus, aset),
                )
            )
    return out

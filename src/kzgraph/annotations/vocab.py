"""The SKOS concept schemes, and the check that annotation files use only their keys."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from kzgraph.annotations import model as m
from kzgraph.annotations.errors import Problem
from kzgraph.annotations.load import AnnotationSet, Origin
from kzgraph.mapping.facts import ACT_CLASSES
from kzgraph.namespaces import RDF, SKOS, VOCAB


@dataclass(frozen=True)
class Vocabulary:
    """Concept keys by scheme name (``role`` -> {``activist``, …})."""

    keys: dict[str, frozenset[str]]

    @classmethod
    def from_graph(cls, graph: Graph) -> Vocabulary:
        keys: dict[str, set[str]] = {}
        for concept in graph.subjects(RDF.type, SKOS.Concept):
            text = str(concept)
            if text.startswith(str(VOCAB)):
                scheme, key = text[len(str(VOCAB)) :].split("/", 1)
                keys.setdefault(scheme, set()).add(key)
        return cls({k: frozenset(v) for k, v in keys.items()})

    @classmethod
    def load(cls, path: Path) -> Vocabulary:
        return cls.from_graph(Graph().parse(path, format="turtle"))

    def check(self, aset: AnnotationSet) -> list[Problem]:
        problems = []
        records: list[tuple[object, Origin]] = [
            (loc.record, loc.origin) for loc in aset.entities.values()
        ]
        records += [(loc.record, loc.origin) for loc in aset.facts.values()]
        for record, origin in records:
            for fieldname, scheme, key in _keys(record):
                allowed = ACT_CLASSES.keys() if scheme == "act-type" else self.keys.get(scheme, ())
                if key not in allowed:
                    choices = ", ".join(sorted(allowed))
                    problems.append(
                        origin.problem(
                            fieldname, f"unknown {scheme} key {key!r}; expected one of: {choices}"
                        )
                    )
        return problems


def _keys(record: object) -> Iterator[tuple[str, str, str]]:
    """(field, scheme, key) of every concept key a record uses: the fields its model names in
    ``VOCABULARY``, and the roles and penalties nested in other fields."""
    if isinstance(record, m.Entity):
        yield from (("roles", "role", r.role) for r in record.roles)
        return
    assert isinstance(record, m.Fact)
    for fieldname, scheme in record.VOCABULARY.items():
        value = getattr(record, fieldname)
        keys = value if isinstance(value, list) else [value]
        yield from ((fieldname, scheme, key) for key in keys)
    if isinstance(record, m.Act) and record.sentence is not None:
        yield "sentence.penalty", "penalty", record.sentence.penalty
    elif isinstance(record, m.Outcome):
        yield from (("subjects", "role", s) for s in record.subjects if "/" not in s)

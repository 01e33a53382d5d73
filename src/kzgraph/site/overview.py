"""What the dataset holds, for the home page: instances per class in each data graph (the same
counts as :mod:`kzgraph.pipeline.stats`, by SPARQL so that a remote store answers them too)
and the reports with their metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kzgraph import namespaces
from kzgraph.pipeline.stats import CLASSES

Rows = list[dict[str, str]]
GRAPH = str(namespaces.GRAPH)
PREFIXES = namespaces.prefix_block("kz", "rdfs", "skos", "dcterms")
# Instances of each class, subclasses included, asserted in each graph (not the inferred one).
COUNTS_QUERY = f"""{PREFIXES}SELECT ?g ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {" ".join(f"kz:{c}" for c in CLASSES)} }}
  GRAPH <{GRAPH}ontology> {{ ?kind rdfs:subClassOf* ?class }}
  GRAPH ?g {{ ?s a ?kind }}
  FILTER(?g != <{GRAPH}inferred>)
}} GROUP BY ?g ?class"""
# The same across the data graphs, each instance once however many graphs assert it.
TOTALS_QUERY = f"""{PREFIXES}SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  VALUES ?class {{ {" ".join(f"kz:{c}" for c in CLASSES)} }}
  GRAPH <{GRAPH}ontology> {{ ?kind rdfs:subClassOf* ?class }}
  GRAPH ?g {{ ?s a ?kind }}
  FILTER(?g NOT IN (<{GRAPH}inferred>, <{GRAPH}ontology>, <{GRAPH}vocabularies>))
}} GROUP BY ?class"""
REPORTS_QUERY = f"""{PREFIXES}SELECT ?report ?title ?issued ?genre ?sha256 ?url
       (GROUP_CONCAT(DISTINCT ?publisherName; SEPARATOR="; ") AS ?publishers) WHERE {{
  ?report a kz:Report ; dcterms:title ?title ; dcterms:issued ?issued ;
          kz:hasSnapshot/kz:sha256 ?sha256 .
  OPTIONAL {{ ?report kz:reportGenre/skos:prefLabel ?genre }}
  OPTIONAL {{ ?report <https://schema.org/url> ?url }}
  OPTIONAL {{ ?report dcterms:publisher/rdfs:label ?publisherName }}
}} GROUP BY ?report ?title ?issued ?genre ?sha256 ?url"""


@dataclass(frozen=True)
class ReportInfo:
    iri: str
    title: str
    issued: str
    genre: str
    publishers: str
    sha256: str
    url: str

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]

    @property
    def graph(self) -> str:
        return f"{GRAPH}report/{self.slug}"


@dataclass(frozen=True)
class Overview:
    graphs: list[str]  # data graphs, short names: report/<id>, entities, assessments
    counts: dict[str, dict[str, int]]  # class -> graph -> instances
    reports: list[ReportInfo]
    totals: dict[str, int]  # class -> instances in the data graphs, each once

    def total(self, cls: str) -> int:
        """Instances of ``cls`` in all data graphs, each counted once (not the sum of the
        per-graph counts: an entity can be asserted in several graphs)."""
        return self.totals.get(cls, 0)


def overview(select: Callable[[str], Rows]) -> Overview:
    counts: dict[str, dict[str, int]] = {c: {} for c in CLASSES}
    graphs: set[str] = set()
    for row in select(COUNTS_QUERY):
        graph = row["g"].removeprefix(GRAPH)
        if graph in ("ontology", "vocabularies"):
            continue
        graphs.add(graph)
        counts[row["class"].rsplit("#", 1)[-1]][graph] = int(row["n"])
    reports = [
        ReportInfo(
            r["report"],
            r["title"],
            r["issued"],
            r.get("genre", ""),
            r.get("publishers", ""),
            r["sha256"],
            r.get("url", ""),
        )
        for r in select(REPORTS_QUERY)
    ]
    totals = {row["class"].rsplit("#", 1)[-1]: int(row["n"]) for row in select(TOTALS_QUERY)}
    reports.sort(key=lambda r: (r.issued, r.iri))  # issued dates are years, months or days
    ordered = sorted(g for g in graphs if g.startswith("report/"))
    ordered += [g for g in ("entities", "assessments") if g in graphs]
    return Overview(ordered, counts, reports, totals)

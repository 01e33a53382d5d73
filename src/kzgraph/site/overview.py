"""What the dataset holds, for the home page: instances per class in each data graph (the
counts of :mod:`kzgraph.pipeline.stats`, the README's table) and the reports with their
metadata."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kzgraph import namespaces
from kzgraph.pipeline.stats import class_counts, data_graphs, totals

Rows = list[dict[str, str]]
GRAPH = str(namespaces.GRAPH)
PREFIXES = namespaces.prefix_block("kz", "rdfs", "skos", "dcterms")
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
    counts = class_counts(select)
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
    reports.sort(key=lambda r: (r.issued, r.iri))  # issued dates are years, months or days
    return Overview(data_graphs(counts), counts, reports, totals(select))

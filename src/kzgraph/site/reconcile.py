"""Reconciliation (W3C Reconciliation Service API 0.2, as OpenRefine speaks it) over the search
index: a column of names in, for each name the graph's candidates with their types, a score and
whether the match is certain.

- The **service manifest** names the id and schema spaces (our IRIs: ``…/id/`` and the ontology),
  the default types (person, organisation, place, law, legal provision), and the URL templates of
  an entity's page (``view``) and of a small HTML card (``preview``).
- A **batch** is a JSON object of queries, ``{"q0": {"query": "Bokayev", "type": …, "limit": 3}}``,
  answered as ``{"q0": {"result": [candidates]}}``. Names are matched as ``/search`` matches them
  (accents, case, Cyrillic and the usual transliteration variants do not matter). A candidate's
  ``score`` is the search score out of 100; ``match`` is true only when the name, normalised, is
  one of the candidate's spellings (word order aside) and no other entity of the types asked for
  has that spelling. ``properties`` are accepted and ignored: the service matches names only.
- Bad input (not JSON, not an object, an unknown type, a limit out of range) is a
  :class:`ReconcileError` whose message says what was expected; a name the search cannot take
  (no letters, too long) has no candidates.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from kzgraph import __version__
from kzgraph.api.page_safety import safe_href
from kzgraph.namespaces import GRAPH as KZG
from kzgraph.namespaces import ID, KZ, ONTOLOGY_IRI, prefix_block
from kzgraph.site.html import card
from kzgraph.site.search import (
    MAX_LIMIT,
    MAX_QUERY_CHARS,
    MAX_QUERY_TOKENS,
    SEARCHABLE,
    Entity,
    Hit,
    SearchIndex,
    keys,
)

VERSIONS = ["0.2"]
# the ontology's labels (ontology/kzgraph.ttl); a query without a type looks among these
DEFAULT_TYPES = {
    str(KZ.Person): "Person",
    str(KZ.Organization): "Organization",
    str(KZ.Place): "Place",
    str(KZ.Law): "Law",
    str(KZ.LegalProvision): "Legal provision",
}
DEFAULT_LIMIT = 10
MAX_BATCH = 100
QUERY_FIELDS = {"query", "type", "limit", "properties", "type_strict"}
PREVIEW_WIDTH, PREVIEW_HEIGHT = 400, 160
EXAMPLE = '{"q0": {"query": "Bokayev", "type": "' + str(KZ.Person) + '", "limit": 3}}'
# What parse_batch takes, as JSON Schema (for the OpenAPI document).
BATCH_SCHEMA: dict[str, Any] = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": MAX_BATCH,
    "additionalProperties": {
        "type": "object",
        "required": ["query"],
        "additionalProperties": False,
        "properties": {
            "query": {"type": "string", "description": "The name to match."},
            "type": {
                "description": "A class IRI of the ontology, or a list of them.",
                "oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
            },
            "limit": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
            "properties": {"type": "array", "description": "Accepted and ignored."},
            "type_strict": {"type": "string", "enum": ["any", "should", "all"]},
        },
    },
    "example": json.loads(EXAMPLE),
}
# The searchable classes with their labels and their searchable super-classes (themselves too).
CLASSES_QUERY = f"""{prefix_block("kz", "rdfs")}SELECT DISTINCT ?class ?label ?super WHERE {{
  VALUES ?top {{ {SEARCHABLE} }}
  GRAPH <{KZG}ontology> {{
    ?class rdfs:subClassOf* ?top ; rdfs:label ?label ; rdfs:subClassOf* ?super .
    ?super rdfs:subClassOf* ?top .
  }}
}}"""
# One line about each entity, where the graph has one.
DESCRIPTIONS_QUERY = f"""{prefix_block("kz", "rdfs", "dcterms")}SELECT ?s ?text WHERE {{
  VALUES ?top {{ {SEARCHABLE} }}
  GRAPH <{KZG}ontology> {{ ?type rdfs:subClassOf* ?top }}
  ?s a ?type ; dcterms:description ?text .
}}"""
QUERIES = {"classes": CLASSES_QUERY, "descriptions": DESCRIPTIONS_QUERY}
Rows = list[dict[str, str]]


class ReconcileError(Exception):
    """A request the service cannot take: always a 400, with what was expected."""


@dataclass(frozen=True)
class Kind:
    """A class a query may restrict to: its label and the classes it falls under."""

    iri: str
    label: str
    within: frozenset[str]


@dataclass(frozen=True)
class Query:
    text: str
    types: tuple[str, ...]  # empty: the default types
    limit: int


class Reconciler:
    """The search index, the class hierarchy and the entities' descriptions."""

    def __init__(self, index: SearchIndex, kinds: dict[str, Kind], descriptions: dict[str, str]):
        self.index = index
        self.kinds = kinds
        self.descriptions = descriptions
        # every spelling's words (in any order) -> the entities spelled so
        self._names: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for spelling in index.spellings:
            self._names[tuple(sorted(spelling.keys))].add(spelling.entity)

    @classmethod
    def from_rows(cls, index: SearchIndex, rows: dict[str, Rows]) -> Reconciler:
        labels: dict[str, str] = {}
        within: dict[str, set[str]] = defaultdict(set)
        for row in rows["classes"]:
            labels.setdefault(row["class"], row["label"])
            within[row["class"]].add(row["super"])
        kinds = {c: Kind(c, labels[c], frozenset(within[c])) for c in labels}
        descriptions: dict[str, str] = {}
        for row in sorted(rows["descriptions"], key=lambda r: (r["s"], len(r["text"]))):
            descriptions.setdefault(row["s"], " ".join(row["text"].split()))
        return cls(index, kinds, descriptions)

    def is_a(self, entity: Entity, types: tuple[str, ...]) -> bool:
        wanted = types or tuple(DEFAULT_TYPES)
        return any(
            t in self.kinds[c].within for c in entity.classes if c in self.kinds for t in wanted
        )

    def types_of(self, entity: Entity) -> list[dict[str, str]]:
        return [
            {"id": c, "name": self.kinds[c].label if c in self.kinds else c.rsplit("#", 1)[-1]}
            for c in sorted(entity.classes)
        ]

    def candidates(self, query: Query) -> list[dict[str, Any]]:
        """The candidates for one query, best first."""
        words = keys(query.text)
        if (
            not words
            or len(query.text) > MAX_QUERY_CHARS
            or len(query.text.split()) > MAX_QUERY_TOKENS
        ):
            return []
        hits = [
            h for h in self.index.search(query.text, MAX_LIMIT) if self.is_a(h.entity, query.types)
        ]
        named = {
            iri
            for iri in self._names.get(tuple(sorted(words)), set())
            if self.is_a(self.index.entities[iri], query.types)
        }
        return [self._candidate(h, named) for h in hits[: query.limit]]

    def _candidate(self, hit: Hit, named: set[str]) -> dict[str, Any]:
        entity = hit.entity
        found: dict[str, Any] = {
            "id": entity.iri,
            "name": entity.label,
            "type": self.types_of(entity),
            "score": round(hit.score * 100, 1),
            "match": named == {entity.iri},
        }
        if entity.iri in self.descriptions:
            found["description"] = self.descriptions[entity.iri]
        return found

    def reconcile(self, batch: dict[str, Query]) -> dict[str, dict[str, list[dict[str, Any]]]]:
        return {key: {"result": self.candidates(q)} for key, q in batch.items()}

    def check_types(self, batch: dict[str, Query]) -> None:
        for key, q in batch.items():
            unknown = [t for t in q.types if t not in self.kinds]
            if unknown:
                raise ReconcileError(
                    f"query {key!r}: unknown type {unknown[0]!r}; expected a class IRI of the "
                    f"ontology such as {', '.join(DEFAULT_TYPES)} (see the "
                    "manifest's defaultTypes, GET /reconcile)"
                )


def manifest(site: str) -> dict[str, Any]:
    """The service manifest, with links on ``site`` (the server's public URL)."""
    return {
        "versions": VERSIONS,
        "name": "kzgraph: human-rights reporting on Kazakhstan",
        "identifierSpace": str(ID),
        "schemaSpace": ONTOLOGY_IRI + "#",
        "serviceVersion": __version__,
        "documentation": f"{site}/openapi.json",
        "defaultTypes": [{"id": iri, "name": name} for iri, name in DEFAULT_TYPES.items()],
        "view": {"url": f"{site}/reconcile/view?id={{{{id}}}}"},
        "preview": {
            "url": f"{site}/reconcile/preview?id={{{{id}}}}",
            "width": PREVIEW_WIDTH,
            "height": PREVIEW_HEIGHT,
        },
    }


def parse_batch(text: str | None) -> dict[str, Query]:
    """The ``queries`` parameter as queries; :class:`ReconcileError` saying what is wrong."""
    if text is None or not text.strip():
        raise ReconcileError(f"give the queries as a JSON object: queries={EXAMPLE}")
    try:
        batch = json.loads(text)
    except ValueError as exc:
        raise ReconcileError(f"queries is not JSON ({exc}); expected e.g. {EXAMPLE}") from None
    except RecursionError:  # "[[[[…": deeper than the parser goes
        raise ReconcileError(f"queries is nested too deeply; expected e.g. {EXAMPLE}") from None
    if not isinstance(batch, dict):
        raise ReconcileError(
            f"queries must be a JSON object of queries by key, not {type(batch).__name__}; "
            f"expected e.g. {EXAMPLE}"
        )
    if not batch:
        raise ReconcileError(f"queries has no query; expected e.g. {EXAMPLE}")
    if len(batch) > MAX_BATCH:
        raise ReconcileError(f"queries has {len(batch)} queries; send at most {MAX_BATCH} at once")
    return {key: _query(key, value) for key, value in batch.items()}


def _query(key: str, value: object) -> Query:
    where = f"query {key!r}"
    if not isinstance(value, dict):
        raise ReconcileError(f'{where} must be an object such as {{"query": "Bokayev"}}')
    extra = sorted(set(value) - QUERY_FIELDS)
    if extra:
        raise ReconcileError(
            f"{where} has the field {extra[0]!r}; expected only {', '.join(sorted(QUERY_FIELDS))}"
        )
    text = value.get("query")
    if not isinstance(text, str):
        raise ReconcileError(
            f'{where} needs "query", the name to match, as a string (this service matches names '
            "only; properties are ignored)"
        )
    types = value.get("type", [])
    types = [types] if isinstance(types, str) else types
    if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
        raise ReconcileError(f'{where}: "type" must be a class IRI or a list of them')
    limit = value.get("limit", DEFAULT_LIMIT)
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise ReconcileError(
            f'{where}: "limit" must be a whole number from 1 to {MAX_LIMIT}, not {limit!r}'
        )
    properties = value.get("properties", [])
    if not isinstance(properties, list):
        raise ReconcileError(f'{where}: "properties" must be a list of {{"pid", "v"}} objects')
    if value.get("type_strict", "any") not in ("any", "should", "all"):
        raise ReconcileError(f'{where}: "type_strict" must be "any", "should" or "all"')
    return Query(text, tuple(types), limit)


def preview(entity: Entity, kinds: str, description: str, local: str) -> str:
    """The card OpenRefine shows in a frame: the label, the types, a line about it, a link to
    its page (``local``) that opens outside the frame."""
    href = safe_href(local)
    link = (
        f"<p><a href='{escape(href)}' target=_blank rel=noopener>Open the page</a></p>"
        if href is not None
        else ""
    )
    about = f"<p class=about>{escape(description)}</p>" if description else ""
    body = (
        f"<h1>{escape(entity.label)}</h1><p class=kind>{escape(kinds)}</p>{about}{link}"
        f"<p class=iri>{escape(entity.iri)}</p>"
    )
    return card(entity.label, body)


def not_found(iri: str) -> str:
    return card("Not found", f"<h1>Not found</h1><p class=iri>{escape(iri)}</p>")


Select = Callable[[str], Rows]


def reconciler(index: SearchIndex, select: Select) -> Reconciler:
    return Reconciler.from_rows(index, {name: select(q) for name, q in QUERIES.items()})

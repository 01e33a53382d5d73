"""Search over the names of things: labels, other spellings (``skos:altLabel``, which the
mapping adds for every mention spelled differently), former names and report titles.

The index is built once per :class:`~kzgraph.core.KnowledgeGraph` from three SELECT queries, so it
works over the embedded store and a remote one alike. Every spelling is reduced to a *key*: NFKD
with the marks stripped, case-folded, Cyrillic transliterated, and the usual variants of Latin
transliteration of Kazakh and Russian names merged (y/i, ai/ay, kh/h, zh/dzh/j, x/ks, doubled
letters, "yev"/"ev"), so "Bokayev", "Бокаев" and "Bokaev" have the same key. A query matches a
spelling when each of its tokens is equal to, a prefix of, or (fallback) within a small edit
distance of a token of the spelling; see docs/decisions/0008-site-pages.md.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kzgraph.namespaces import GRAPH as KZG
from kzgraph.namespaces import ID, prefix_block

MAX_QUERY_CHARS = 100
MAX_QUERY_TOKENS = 8
MAX_LIMIT = 100
SEARCHABLE = (
    "kz:Person kz:Organization kz:Group kz:Place kz:Law kz:LegalProvision kz:Event kz:Report"
)
PREFIXES = prefix_block("kz", "rdfs", "skos", "dcterms")
# Asserted types (not the inferred super-classes) with their labels, and the graph asserting them.
TYPES_QUERY = f"""{PREFIXES}SELECT ?s ?type ?typeLabel ?g WHERE {{
  VALUES ?top {{ {SEARCHABLE} }}
  GRAPH <{KZG}ontology> {{ ?type rdfs:subClassOf* ?top ;
                                                              rdfs:label ?typeLabel }}
  GRAPH ?g {{ ?s a ?type }}
  FILTER(?g != <{KZG}inferred>)
}}"""
NAMES_QUERY = f"""{PREFIXES}SELECT DISTINCT ?s ?p ?text WHERE {{
  VALUES ?top {{ {SEARCHABLE} }}
  GRAPH <{KZG}ontology> {{ ?type rdfs:subClassOf* ?top }}
  ?s a ?type .
  VALUES ?p {{ skos:prefLabel rdfs:label skos:altLabel kz:formerName }}
  ?s ?p ?text .
}}"""
# The reports an entity appears in: the report graphs that name it.
REPORTS_QUERY = f"""{PREFIXES}SELECT DISTINCT ?s ?g WHERE {{
  VALUES ?top {{ {SEARCHABLE} }}
  GRAPH <{KZG}ontology> {{ ?type rdfs:subClassOf* ?top }}
  ?s a ?type .
  GRAPH ?g {{ ?x ?p ?s }}
  FILTER(STRSTARTS(STR(?g), "{KZG}report/"))
}}"""
QUERIES = {"types": TYPES_QUERY, "names": NAMES_QUERY, "reports": REPORTS_QUERY}
Rows = list[dict[str, str]]

_CYRILLIC_LATIN = str.split(
    "а a б b в v г g д d е e ё e ж zh з z и i й i к k л l м m н n о o п p р r с s т t у u ф f "
    "х kh ц ts ч ch ш sh щ shch ъ _ ы y ь _ э e ю yu я ya ә a ғ g қ k ң n ө o ұ u ү u һ h і i"
)
CYRILLIC = dict(zip(_CYRILLIC_LATIN[::2], _CYRILLIC_LATIN[1::2], strict=True))
# Applied in order to a folded token; both the names and the query go through them.
VARIANTS = [
    (re.compile(r"dzh|zh|dj"), "j"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"w"), "v"),
    (re.compile(r"q"), "k"),
    (re.compile(r"ck"), "k"),
    (re.compile(r"ou"), "u"),
    (re.compile(r"y"), "i"),
    (re.compile(r"^ie"), "e"),  # Yerlan / Erlan
    (re.compile(r"(?<=[aeiou])i(?=[aeiou])"), ""),  # Bokayev / Bokaev
    (re.compile(r"(.)\1+"), r"\1"),  # Kassym / Kasym, Ii
]


class SearchError(Exception):
    """A query the search cannot take: ``status`` is 400 (missing) or 422 (too long, bad limit)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def fold(text: str) -> str:
    """Case-folded, marks stripped, Cyrillic in Latin letters: "Бокаев" -> "bokaev"."""
    out = []
    for c in unicodedata.normalize("NFC", text.casefold()):
        if c in CYRILLIC:
            out.append(CYRILLIC[c].strip("_"))
        else:
            marked = unicodedata.normalize("NFKD", c)
            out.append("".join(d for d in marked if not unicodedata.combining(d)))
    return "".join(out)


def token_key(token: str) -> str:
    for pattern, replacement in VARIANTS:
        token = pattern.sub(replacement, token)
    return token


def keys(text: str) -> list[str]:
    """The matching keys of a text's words: ``keys("Kassym-Jomart Tokayev")`` is
    ``["kasim", "jomart", "tokaev"]``."""
    words = re.split(r"[^0-9a-z]+", fold(text).replace("'", "").replace("’", ""))
    return [k for k in (token_key(w) for w in words if w) if k]


def _levenshtein(a: str, b: str, bound: int) -> int:
    """Edit distance, or ``bound + 1`` as soon as it must exceed ``bound``."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > bound:
            return bound + 1
        previous = current
    return previous[-1]


def _trigrams(token: str) -> set[str]:
    padded = f"  {token} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass
class Entity:
    iri: str
    label: str = ""
    types: list[str] = field(default_factory=list)
    classes: list[str] = field(default_factory=list)  # the asserted classes' IRIs
    reports: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Spelling:
    entity: str
    text: str
    keys: tuple[str, ...]
    preferred: bool


@dataclass(frozen=True)
class Hit:
    entity: Entity
    spelling: str
    match: str  # "exact", "prefix" or "fuzzy"
    score: float

    def describe(self, path: Callable[[str], str], titles: dict[str, str]) -> dict[str, Any]:
        return {
            "iri": self.entity.iri,
            "href": path(self.entity.iri),
            "label": self.entity.label,
            "types": self.entity.types,
            "matched": self.spelling,
            "match": self.match,
            "score": round(self.score, 3),
            "reports": [
                {"iri": r, "href": path(r), "title": titles.get(r, r)} for r in self.entity.reports
            ],
        }


class SearchIndex:
    """Spellings by key token: a sorted token list for prefix look-ups and trigrams for the
    fuzzy fallback."""

    def __init__(self, entities: dict[str, Entity], spellings: list[Spelling]):
        self.entities = entities
        self.spellings = spellings
        by_token: dict[str, set[int]] = defaultdict(set)
        for n, spelling in enumerate(spellings):
            for key in spelling.keys:
                by_token[key].add(n)
        self._by_token = dict(by_token)
        self._tokens = sorted(by_token)
        grams: dict[str, set[str]] = defaultdict(set)
        for token in self._tokens:
            for gram in _trigrams(token):
                grams[gram].add(token)
        self._grams = dict(grams)

    @classmethod
    def from_rows(cls, rows: dict[str, Rows]) -> SearchIndex:
        """From the bindings (variable -> value) of the three queries in :data:`QUERIES`."""
        entities: dict[str, Entity] = {}
        for row in rows["types"]:
            entity = entities.setdefault(row["s"], Entity(row["s"]))
            if row["typeLabel"] not in entity.types:
                entity.types.append(row["typeLabel"])
            if row.get("type") and row["type"] not in entity.classes:
                entity.classes.append(row["type"])
            if row["g"].startswith(GRAPH_REPORT):
                _add_report(entity, row["g"])
        for row in rows["reports"]:
            if row["s"] in entities:
                _add_report(entities[row["s"]], row["g"])
        spellings: dict[tuple[str, str], Spelling] = {}
        rank = {"prefLabel": 0, "label": 1, "altLabel": 2, "formerName": 3}
        for row in sorted(rows["names"], key=lambda r: rank.get(_local(r["p"]), 9)):
            named = entities.get(row["s"])
            if named is None:
                continue
            preferred = _local(row["p"]) in ("prefLabel", "label")
            if preferred and not named.label:
                named.label = row["text"]
            spelling_keys = tuple(keys(row["text"]))
            if spelling_keys and (row["s"], row["text"]) not in spellings:
                spellings[row["s"], row["text"]] = Spelling(
                    row["s"], row["text"], spelling_keys, preferred
                )
        for entity in entities.values():
            entity.label = entity.label or entity.iri.rsplit("/", 1)[-1]
            entity.reports.sort()
        return cls(entities, list(spellings.values()))

    def _token_scores(self, query: str) -> dict[str, tuple[float, str]]:
        """Index tokens a query token matches, with a score and how."""
        found: dict[str, tuple[float, str]] = {}
        start = bisect.bisect_left(self._tokens, query)
        for token in self._tokens[start:]:
            if not token.startswith(query):
                break
            if token == query:
                found[token] = (1.0, "exact")
            else:
                found[token] = (0.75 + 0.2 * len(query) / len(token), "prefix")
        if len(query) < 3:
            return found
        bound = 1 if len(query) < 6 else 2
        candidates: set[str] = set()
        for gram in _trigrams(query):
            candidates |= self._grams.get(gram, set())
        for token in candidates - found.keys():
            # a typo in the whole word, or in the part typed so far
            distance = min(
                _levenshtein(query, token, bound),
                _levenshtein(query, token[: len(query)], bound) + 1,
            )
            if distance <= bound:
                found[token] = (0.6 * (1 - distance / max(len(query), len(token))), "fuzzy")
        return found

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Entities whose spellings match every word of ``text``, best first."""
        check_query(text, limit)
        query = keys(text)
        if not query:
            raise SearchError(400, "the query has no letters or digits to search for")
        per_token = [self._token_scores(q) for q in query]
        literal = " ".join(fold(text).split())
        best: dict[str, Hit] = {}
        typed: dict[str, tuple[float, int, str]] = {}  # the best spelling containing the text typed
        candidates = set.intersection(
            *(
                {n for token in scores for n in self._by_token[token]} or set()
                for scores in per_token
            )
        )
        for n in candidates:
            spelling = self.spellings[n]
            total, kinds, used = 0.0, set(), set()
            for scores in per_token:
                options = [(scores[k][0], k, scores[k][1]) for k in spelling.keys if k in scores]
                options = [o for o in options if o[1] not in used] or options
                score, key, kind = max(options)
                used.add(key)
                total += score
                kinds.add(kind)
            coverage = len(used) / len(spelling.keys)
            score = total / len(per_token) * (0.8 + 0.2 * coverage)
            score += 0.01 if spelling.preferred else 0.0
            # among spellings with the same keys, the one written as typed
            as_typed = literal in " ".join(fold(spelling.text).split())
            score += 0.015 if as_typed else 0.0
            rank = (-score, len(spelling.text), spelling.text)
            if as_typed and rank < typed.get(spelling.entity, (1.0, 0, "")):
                typed[spelling.entity] = rank
            match = "fuzzy" if "fuzzy" in kinds else "prefix" if "prefix" in kinds else "exact"
            entity = self.entities[spelling.entity]
            if spelling.entity not in best or score > best[spelling.entity].score:
                best[spelling.entity] = Hit(entity, spelling.text, match, min(score, 1.0))
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.entity.label))
        # show the spelling as the user typed it when the entity has one (Bokayev, not Bokaev)
        return [
            Hit(h.entity, typed[h.entity.iri][2], h.match, h.score)
            if h.entity.iri in typed and literal not in " ".join(fold(h.spelling).split())
            else h
            for h in ranked[:limit]
        ]

    def titles(self) -> dict[str, str]:
        return {iri: e.label for iri, e in self.entities.items()}


GRAPH_REPORT = f"{KZG}report/"


def _add_report(entity: Entity, graph: str) -> None:
    report = f"{ID}report/" + graph.removeprefix(GRAPH_REPORT)
    if report not in entity.reports and report != entity.iri:
        entity.reports.append(report)


def _local(iri: str) -> str:
    return re.split(r"[#/]", iri)[-1]


def check_query(text: str | None, limit: int) -> None:
    if text is None or not text.strip():
        raise SearchError(400, "give a name to search for: /search?q=Bokaev")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchError(
            422, f"the query is {len(text)} characters long; at most {MAX_QUERY_CHARS} are searched"
        )
    if len(text.split()) > MAX_QUERY_TOKENS:
        raise SearchError(422, f"the query has more than {MAX_QUERY_TOKENS} words")
    if not 1 <= limit <= MAX_LIMIT:
        raise SearchError(422, f"limit must be between 1 and {MAX_LIMIT}, not {limit}")


def bindings(results: dict[str, Any]) -> Rows:
    """SPARQL JSON results as plain ``{variable: value}`` rows."""
    return [{k: v["value"] for k, v in row.items()} for row in results["results"]["bindings"]]


def all_rows(select: Callable[[str], Rows], names: Iterable[str] = QUERIES) -> dict[str, Rows]:
    return {name: select(QUERIES[name]) for name in names}

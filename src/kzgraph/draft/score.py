"""Precision and recall of a draft against a curated report file, per kind of fact.

Matching rule:

- people, organisations, places, law articles: sets of entities. A drafted reference to a known
  entity matches when the id is the same; a drafted new entity matches a curated one when its
  folded name or one of its spellings equals the curated entity's name or one of its spellings
  (in any file). The curated set is what the report file declares or mentions (not its
  publishers); for law articles, the provisions it mentions or its charges cite.
- charges, sentences, statistics and acts (dates hang on acts): facts. A drafted fact matches a
  curated fact of the same kind when their evidence spans overlap (any phrase of the curated fact,
  or of the act it belongs to when a charge or sentence has none of its own); each curated fact
  is matched at most once, drafted facts in text order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kzgraph.annotations import model as m
from kzgraph.annotations.load import AnnotationSet
from kzgraph.draft.extract import Extraction
from kzgraph.draft.source import fold

ENTITY_KINDS = {"person": "person", "org": "organisation", "place": "place"}
KINDS = [
    "person",
    "organisation",
    "place",
    "law article",
    "charge",
    "sentence",
    "statistic",
    "date/act",
]

Spans = list[tuple[int, int]]


@dataclass
class Score:
    kind: str
    predicted: int = 0
    gold: int = 0
    true_pred: int = 0  # predictions that match
    found: int = 0  # gold items matched
    dated: int = 0  # matched acts where both the draft and the curated file give a date
    dates_agree: int = 0  # ... and the drafted date agrees (same year, same month if both say)

    @property
    def precision(self) -> float:
        return self.true_pred / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    def add(self, other: Score) -> None:
        self.predicted += other.predicted
        self.gold += other.gold
        self.true_pred += other.true_pred
        self.found += other.found
        self.dated += other.dated
        self.dates_agree += other.dates_agree


@dataclass
class Gold:
    entities: dict[str, set[str]] = field(default_factory=dict)  # kind -> ids
    facts: dict[str, list[Spans]] = field(default_factory=dict)  # kind -> evidence spans
    act_dates: list[str | None] = field(default_factory=list)  # aligned with facts["date/act"]


def _spans(evidence: list[m.Evidence], report: str) -> Spans:
    return [
        (e.start, e.end)
        for e in evidence
        if e.start is not None and e.end is not None and (e.source in (None, report))
    ]


def gold_for(aset: AnnotationSet, report: str) -> Gold:
    graph = f"report/{report}"
    gold = Gold({k: set() for k in [*ENTITY_KINDS.values(), "law article"]})
    refs = {e.record.id for e in aset.entities.values() if e.origin.graph == graph}
    refs |= {x.record.entity for x in aset.mentions if x.origin.graph == graph and x.record.entity}
    facts: dict[str, list[Spans]] = {k: [] for k in ("charge", "sentence", "statistic", "date/act")}
    for loc in aset.facts.values():
        if loc.origin.graph != graph:
            continue
        fact = loc.record
        own = _spans(fact.evidence, report)
        if isinstance(fact, m.Act):
            facts["date/act"].append(own)
            gold.act_dates.append(fact.date or fact.start)
            for charge in fact.charges:
                facts["charge"].append(_spans(charge.evidence, report) or own)
                if charge.provision:
                    refs.add(charge.provision)
            if fact.sentence is not None:
                facts["sentence"].append(_spans(fact.sentence.evidence, report) or own)
        elif isinstance(fact, m.Statistic):
            facts["statistic"].append(own)
    for ref in refs:
        prefix = ref.split("/", 1)[0]
        if prefix in ENTITY_KINDS:
            gold.entities[ENTITY_KINDS[prefix]].add(ref)
        elif prefix == "provision":
            gold.entities["law article"].add(ref)
    gold.facts = facts
    return gold


def spellings(aset: AnnotationSet) -> dict[str, str]:
    """Folded spelling -> curated entity id, over every file."""
    table: dict[str, str] = {}
    for loc in aset.entities.values():
        ent = loc.record
        for s in [ent.name, *(x.exact for x in ent.mentions)]:
            table.setdefault(_norm(s), ent.id)
    for mention in aset.mentions:
        if mention.record.entity:
            table.setdefault(_norm(mention.record.exact), mention.record.entity)
    return table


def _norm(s: str) -> str:
    return " ".join(fold(s).replace("-", " ").split())


def score(found: Extraction, gold: Gold, names: dict[str, str]) -> dict[str, Score]:
    out = {k: Score(k) for k in KINDS}
    predicted: dict[str, set[str]] = {k: set() for k in gold.entities}
    for mention in found.mentions:
        prefix = mention.entity.split("/", 1)[0]
        kind = ENTITY_KINDS.get(prefix) or ("law article" if prefix == "provision" else None)
        if kind:
            predicted[kind].add(mention.entity)
    for ent in found.new:
        prefix = ent.id.split("/", 1)[0]
        kind = ENTITY_KINDS.get(prefix) or ("law article" if prefix == "provision" else None)
        if not kind:
            continue
        forms = [ent.name, *(a.exact(found.text) for a in ent.anchors)]
        hit = next((names[_norm(f)] for f in forms if _norm(f) in names), None)
        predicted[kind].add(hit if hit and hit.split("/")[0] == prefix else f"new:{ent.id}")
    for act in found.acts:
        for charge in act.charges:
            if charge.attrs["provision"]:
                predicted["law article"].add(charge.attrs["provision"])
    for kind, refs in predicted.items():
        s = out[kind]
        s.predicted, s.gold = len(refs), len(gold.entities[kind])
        s.true_pred = s.found = len(refs & gold.entities[kind])

    drafted: dict[str, list[tuple[int, int]]] = {k: [] for k in gold.facts}
    # the dates of the acts at each phrase, in act order (two acts may quote the same phrase)
    dates: dict[tuple[int, int], list[str | None]] = {}
    for act in found.acts:
        drafted["date/act"].append((act.anchor.start, act.anchor.end))
        dates.setdefault((act.anchor.start, act.anchor.end), []).append(
            act.date[0] if act.date else None
        )
        drafted["charge"] += [(c.anchor.start, c.anchor.end) for c in act.charges]
        if act.sentence is not None:
            drafted["sentence"].append((act.sentence.anchor.start, act.sentence.anchor.end))
    drafted["statistic"] = [(f.anchor.start, f.anchor.end) for f in found.statistics]
    for kind, spans in drafted.items():
        s = out[kind]
        s.predicted, s.gold = len(spans), len(gold.facts[kind])
        used: set[int] = set()
        for start, end in sorted(spans):  # sorted() is stable: equal phrases stay in act order
            date = dates[(start, end)].pop(0) if kind == "date/act" else None
            for i, fact in enumerate(gold.facts[kind]):
                if i not in used and any(a < end and start < b for a, b in fact):
                    used.add(i)
                    s.true_pred += 1
                    if kind == "date/act":
                        _compare_dates(s, date, gold.act_dates[i])
                    break
        s.found = len(used)
    return out


def _compare_dates(s: Score, drafted: str | None, curated: str | None) -> None:
    if drafted is None or curated is None:
        return
    s.dated += 1
    n = min(len(drafted), len(curated), 7)  # year, or year and month when both give it
    if drafted[:n] == curated[:n]:
        s.dates_agree += 1

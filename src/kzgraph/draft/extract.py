"""One pass over a report's text: every candidate the drafter proposes, before it is written."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kzgraph.draft import acts as act_rules
from kzgraph.draft import figures, legal, names
from kzgraph.draft.acts import DraftAct
from kzgraph.draft.candidates import Anchor, Fact, KnownMention, NewEntity
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.source import SentenceIndex


@dataclass
class Extraction:
    """What a text yields against a known graph."""

    text: str
    mentions: list[KnownMention] = field(default_factory=list)
    new: list[NewEntity] = field(default_factory=list)
    acts: list[DraftAct] = field(default_factory=list)
    statistics: list[Fact] = field(default_factory=list)
    reference_year: int | None = None

    def entity_ids(self) -> set[str]:
        return {m.entity for m in self.mentions} | {e.id for e in self.new}


def extract(text: str, known: KnownGraph) -> Extraction:
    index = SentenceIndex(text)
    matches = list(known.find(text))
    out = Extraction(text, reference_year=figures.reference_year(text))

    spellings: set[tuple[str, str]] = set()
    for mt in matches:
        exact = text[mt.start : mt.end]
        if (mt.entity, exact) in spellings:
            continue
        spellings.add((mt.entity, exact))
        out.mentions.append(KnownMention(mt.entity, Anchor(mt.start, mt.end, index.at(mt.start))))

    cited = legal.articles(text, known, matches)
    out.new = names.new_entities(text, index, known, matches)
    for article in cited:
        if article.provision is None and article.law:
            law = known.entities[article.law]
            ref = f"provision/{article.law.split('/', 1)[1]}-{article.number}"
            if ref not in {e.id for e in out.new}:
                out.new.append(
                    NewEntity(
                        ref,
                        f"{law.name}, Article {article.number}",
                        "provision",
                        "an article number with its law",
                        [
                            Anchor(
                                article.span.start, article.span.end, index.at(article.span.start)
                            )
                        ],
                        {"part_of": article.law, "number": article.number},
                    )
                )
        elif article.provision:
            exact = text[article.span.start : article.span.end]
            if (article.provision, exact) not in spellings:
                spellings.add((article.provision, exact))
                anchor = Anchor(article.span.start, article.span.end, index.at(article.span.start))
                out.mentions.append(KnownMention(article.provision, anchor))

    sentences = legal.sentences(text, index)
    charges = legal.charges(text, index, known, cited)
    taken = [s.trigger for s in sentences] + [a.span for a in cited]
    out.statistics = figures.statistics(text, index, taken)

    people: list[tuple[str, int]] = [
        (mt.entity, mt.start) for mt in matches if mt.entity.split("/")[0] in ("person", "group")
    ]
    places = [(mt.entity, mt.start) for mt in matches if mt.entity.startswith("place/")]
    for ent in out.new:
        if not ent.id.startswith("person/"):
            continue
        # each use of each spelling (an anchor is only the first use of a spelling)
        for spelling in dict.fromkeys(a.exact(text) for a in ent.anchors):
            for use in re.finditer(rf"(?<!\w){re.escape(spelling)}(?!\w)", text):
                people.append((ent.id, use.start()))
    dates = figures.dates(text, out.reference_year)
    drafted = act_rules.acts(text, index)
    out.acts = act_rules.attach(drafted, index, charges, sentences, people, places, dates)
    return out

"""Acts (who did what to whom): a trigger verb per act kind, with the sentence's people, places,
date, charges and sentence attached."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from kzgraph.draft.candidates import Anchor, Fact
from kzgraph.draft.source import SentenceIndex, Span, phrase

# (pattern, act kind); the first pattern that matches at a place wins.
TRIGGERS: list[tuple[str, str]] = [
    (r"administrative(?:ly)?\s+(?:arrest|detention|detained|arrested)", "administrative-arrest"),
    (r"house\s+arrest", "house-arrest"),
    (r"psychiatric", "psychiatric-detention"),
    (r"died\s+in\s+(?:custody|detention|prison|pretrial)", "death-in-custody"),
    (r"sentenced|convicted|found\s+(?:him\s+|her\s+|them\s+)?guilty|jailed", "conviction"),
    (r"upheld|overturned|on\s+appeal|appeals?\s+court", "appeal-decision"),
    (r"detained|detaining|detention\s+of|rounded\s+up", "detention"),
    (r"arrested|arresting|arrest\s+of", "arrest"),
    (
        r"(?:opened|initiated|launched|started)\s+(?:an?\s+)?(?:\w+\s+)?(?:criminal\s+)?"
        r"(?:case|investigation|probe)",
        "investigation-opened",
    ),
    (r"charged|indicted|prosecuted|prosecuting", "charge"),
    (
        r"closed\s+(?:the\s+|\w+\s+)?(?:cases?|investigations?)"
        r"|investigations?\s+(?:have\s+|had\s+|were\s+)?(?:been\s+)?closed",
        "investigation-closed",
    ),
    (
        r"dropped\s+(?:the\s+)?(?:charges|case)|charges\s+(?:were\s+)?dropped"
        r"|excuse\w*\s+\w+\s+from\s+criminal\s+liability",
        "case-dropped",
    ),
    (
        r"declared\s+a\s+state\s+of\s+emergency"
        r"|(?:disrupted|shut\s+down|cut)\s+(?:the\s+)?internet"
        r"|(?:replaced|dismissed)\s+(?:his\s+|the\s+)?government|ordered\s+(?:troops|security)",
        "state-measure",
    ),
    (r"transferred", "transfer"),
    (r"(?:denied|refused)\s+(?:\w+\s+)?asylum", "asylum-denied"),
    (r"withdrew|withdrawn", "legislation-withdrawn"),
    (r"ratified|signed\s+the\s+(?:\w+\s+){0,3}(?:convention|protocol|treaty)", "treaty-action"),
    (r"fined", "fine"),
    (r"banned|outlawed|prohibited", "ban"),
    (r"suspended\s+(?:the\s+)?(?:activit|operation|work)", "suspension"),
    (
        r"refused\s+(?:to\s+)?regist|denied\s+registration|unable\s+to\s+register",
        "registration-refused",
    ),
    (r"block(?:s|ed|ing)?\s+(?:access|websites?|sites?)|blocked", "blocking"),
    (r"attacked|assaulted|beat|beaten|beating", "attack"),
    (r"tortured|ill-treated|mistreated|torture\s+of", "torture"),
    (r"killed|shot\s+dead|murdered", "killing"),
    (r"died|death\s+of", "death"),
    (r"released|freed", "release"),
    (r"paroled|parole", "parole"),
    (r"extradit\w+", "extradition"),
    (r"deport\w+|expelled", "deportation"),
    (r"entry\s+ban|barred\s+from\s+entering|denied\s+entry", "entry-ban"),
    (r"surveil\w*|spyware|wiretap\w*", "surveillance"),
    (r"harassed|intimidated|threatened|interrogated|summoned", "harassment"),
    (
        r"adopted|signed\s+into\s+law|enacted|entered\s+into\s+force"
        r"|passed\s+(?:a|the)\s+(?:law|bill|amendments)",
        "legislation-adopted",
    ),
    (
        r"protested|rallied|picketed|demonstrated|(?:staged|held|joined|took\s+part\s+in)\s+"
        r"(?:an?\s+|the\s+)?(?:\w+\s+)?(?:protests?|rall(?:y|ies)|demonstrations?|pickets?)",
        "protest",
    ),
    (r"(?:went|go|on)\s+(?:on\s+)?strike|strik(?:e|es|ing)\b", "strike"),
]
_TRIGGER = re.compile(
    "|".join(rf"(?P<t{i}>\b(?:{p})\b)" for i, (p, _) in enumerate(TRIGGERS)), re.IGNORECASE
)
JUDICIAL = {"conviction", "charge", "investigation-opened", "case-dropped", "administrative-arrest"}


@dataclass
class DraftAct:
    kind: str
    anchor: Anchor
    date: tuple[str, bool] | None = None  # (YYYY[-MM[-DD]], year inferred)
    victims: list[str] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    charges: list[Fact] = field(default_factory=list)
    sentence: Fact | None = None
    attrs: dict[str, Any] = field(default_factory=dict)
    trigger: Span | None = None  # the words that proposed it (the anchor is a phrase around them)


def acts(text: str, index: SentenceIndex) -> list[DraftAct]:
    """One act per trigger kind per sentence, anchored on the first trigger of that kind."""
    out: list[DraftAct] = []
    seen: set[tuple[int, str]] = set()
    for mt in _TRIGGER.finditer(text):
        i = next(int(k[1:]) for k, v in mt.groupdict().items() if v is not None)
        kind = TRIGGERS[i][1]
        sentence = index.at(mt.start())
        if (sentence.start, kind) in seen:
            continue
        seen.add((sentence.start, kind))
        start, end = phrase(text, mt.start(), mt.end(), sentence)
        out.append(DraftAct(kind, Anchor(start, end, sentence), trigger=Span(mt.start(), mt.end())))
    return out


def attach(
    drafted: list[DraftAct],
    index: SentenceIndex,
    charges: list[Fact],
    sentences: list[Fact],
    people: list[tuple[str, int]],
    places: list[tuple[str, int]],
    dates: list[tuple[Span, str, bool]],
) -> list[DraftAct]:
    """Give each act its sentence's people, places, first date, charges and penalty; a charge or
    penalty in a sentence with no judicial act gets a conviction (penalty) or charge act."""

    def within(sentence: Span, offset: int) -> bool:
        return sentence.start <= offset < sentence.end

    by_sentence: dict[int, list[DraftAct]] = {}
    for act in drafted:
        by_sentence.setdefault(act.anchor.sentence.start, []).append(act)
    for fact in [*sentences, *charges]:
        sentence = fact.anchor.sentence
        judicial = [a for a in by_sentence.get(sentence.start, []) if a.kind in JUDICIAL]
        if fact.kind == "sentence":
            target = next((a for a in judicial if a.kind == "conviction"), None)
            if target is None or target.sentence is not None:
                target = DraftAct("conviction", fact.anchor, trigger=fact.trigger)
                drafted.append(target)
                by_sentence.setdefault(sentence.start, []).append(target)
            target.sentence = fact
        else:
            target = judicial[0] if judicial else None
            if target is None:
                target = DraftAct("charge", fact.anchor, trigger=fact.trigger)
                drafted.append(target)
                by_sentence.setdefault(sentence.start, []).append(target)
            target.charges.append(fact)
    for act in drafted:
        sentence = act.anchor.sentence
        act.victims = list(dict.fromkeys(p for p, at in people if within(sentence, at)))
        act.places = list(dict.fromkeys(p for p, at in places if within(sentence, at)))
        at = act.trigger or Span(act.anchor.start, act.anchor.end)
        here = [
            (max(0, span.start - at.end, at.start - span.end), v, inferred)
            for span, v, inferred in dates
            if within(sentence, span.start)
        ]
        act.date = min(here)[1:] if here else None  # the date nearest the act's trigger
    return sorted(drafted, key=lambda a: a.anchor.start)

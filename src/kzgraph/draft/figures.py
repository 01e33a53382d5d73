"""Numbers and dates in running text: statistics ("more than 200 people"), dates ("On April 10",
"in March 2023", "10 January 2022"), and the number words both need."""

from __future__ import annotations

import calendar
import re
from collections import Counter

from kzgraph.draft.candidates import Anchor, Fact
from kzgraph.draft.lexicon import MONTHS
from kzgraph.draft.source import SentenceIndex, Span, phrase

UNITS = {
    "one": 1,
    "a": 1,
    "an": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
}
MULTIPLIERS = {"hundred", "thousand"}
NUMBER_WORD = r"(?:" + "|".join(sorted((k for k in UNITS if len(k) > 2), key=len, reverse=True))
NUMBER_WORD += (
    r")(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?(?:[- ](?:hundred|thousand))?"
)
NUMBER = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?|{NUMBER_WORD})"


def number_value(text: str) -> float | None:
    t = text.lower().replace(",", "")
    try:
        return float(t)
    except ValueError:
        pass
    parts = re.split(r"[- ]", t)
    if not all(p in UNITS for p in parts):
        return None
    total = 0
    for p in parts:  # "two hundred" is 2 x 100, "twenty-five" is 20 + 5
        total = max(total, 1) * UNITS[p] if p in MULTIPLIERS else total + UNITS[p]
    return float(total)


QUALIFIERS = [
    (r"more than|over|in excess of", "more-than"),
    (r"at least|no fewer than|no less than", "at-least"),
    (r"about|around|approximately|roughly|some|nearly|almost|an estimated", "approximately"),
    (r"up to", "up-to"),
    (r"fewer than|less than|under", "fewer-than"),
]
VAGUE = [
    (r"several dozen", "several-dozen"),
    (r"a few dozen", "a-few-dozen"),
    (r"dozens(?: of)?", "dozens"),
    (r"hundreds(?: of)?", "hundreds"),
    (r"thousands(?: of)?", "thousands"),
    (r"over a dozen|more than a dozen", "over-a-dozen"),
    (r"several|multiple|numerous", "several"),
    (r"a few|few", "few"),
    (r"many", "many"),
]
_QUAL = "|".join(q for q, _ in QUALIFIERS)
_VAGUE = "|".join(q for q, _ in VAGUE)
# What is counted: the unit noun (with an optional adjective before it).
UNIT_NOUNS = {
    "people": "person",
    "persons": "person",
    "person": "person",
    "individuals": "person",
    "men": "person",
    "women": "person",
    "children": "person",
    "protesters": "person",
    "activists": "person",
    "journalists": "person",
    "detainees": "person",
    "prisoners": "person",
    "workers": "person",
    "officers": "officer",
    "officials": "person",
    "cases": "case",
    "case": "case",
    "complaints": "complaint",
    "percent": "percent",
    "per cent": "percent",
    "%": "percent",
    "organizations": "organisation",
    "organisations": "organisation",
    "groups": "organisation",
    "recommendations": "recommendation",
    "investigations": "case",
    "incidents": "case",
    "deaths": "person",
    "killed": "person",
    "convictions": "person",
    "days": "day",
    "day": "day",
    "months": "month",
    "month": "month",
    "years": "year",
    "year": "year",
    "hours": "hour",
    "hour": "hour",
    "weeks": "week",
    "kilometers": "kilometre",
    "kilometres": "kilometre",
}
TIME_UNITS = {"day", "month", "year", "hour", "week"}
MEASURES = [
    (r"\bkill|\bdied|\bdeath", "killed"),
    (r"injur|wound", "injured"),
    (r"detain|detention", "detained"),
    (r"convict|sentenc", "convicted"),
    (r"charged|charges", "charged"),
    (r"prosecut", "prosecuted"),
    (r"imprison|jail|behind bars", "imprisoned"),
    (r"tortur|ill-treat", "torture-allegations"),
    (r"complain", "complaints"),
    (r"criminal cases|criminal investigations", "criminal-cases"),
    (r"administrative", "administrative-cases"),
    (r"recommendation", "recommendations"),
    (r"hospital", "hospitalized"),
    (r"releas|amnest", "released"),
    (r"poverty", "poverty-rate"),
    (r"participa|protest|gather|rall", "participants"),
    (r"organi[sz]ations|groups", "organisations"),
]
_STAT = re.compile(
    rf"(?i)(?:\b(?P<qual>{_QUAL})\s+)?\b(?P<num>{NUMBER})(?![a-z])"
    r"(?:\s*(?P<pct>%|percent|per cent))?"
    rf"(?P<noun>(?:\s+|[- ])(?:[a-z-]+\s+)?(?:{'|'.join(k for k in UNIT_NOUNS if k[0].isalpha())}"
    r"|[a-z]{3,}s|[A-Z][a-z]+s)(?![\w-]))?"
    rf"|\b(?P<vague>{_VAGUE})\s+(?P<vnoun>(?:[a-z-]+\s+)?(?:[a-z]{{3,}}s|people|men|women|children))\b"
)


def statistics(text: str, index: SentenceIndex, exclude: list[Span]) -> list[Fact]:
    """Counted quantities: a number with a unit noun or a percent, or a vague quantity."""
    out = []
    for mt in _STAT.finditer(text):
        if any(s.start < mt.end() and mt.start() < s.end for s in exclude):
            continue
        sentence = index.at(mt.start())
        sent_text = text[sentence.start : sentence.end].lower()
        if mt.group("vague"):
            qualifier = next(k for p, k in VAGUE if re.fullmatch(p, mt.group("vague").lower()))
            value = None
            noun = mt.group("vnoun").split()[-1].lower()
            unit = UNIT_NOUNS.get(noun, "case" if noun.endswith("cases") else "person")
        else:
            num = mt.group("num")
            if not (mt.group("noun") or mt.group("pct")):
                continue
            if re.fullmatch(r"(?:1[89]|20)\d\d", num) and not mt.group("qual"):
                continue  # a year
            if num.lower() in ("a", "an", "one"):
                continue
            value = number_value(num)
            noun = (mt.group("noun") or "").split()[-1].lower() if mt.group("noun") else ""
            unit = "percent" if mt.group("pct") else UNIT_NOUNS.get(noun, "person")
            qual = (mt.group("qual") or "").lower()
            qualifier = next((k for p, k in QUALIFIERS if qual and re.fullmatch(p, qual)), "exact")
        measure = next((k for p, k in MEASURES if re.search(p, sent_text)), "participants")
        if unit in TIME_UNITS:
            measure = "duration"
        elif unit == "kilometre":
            measure = "distance"
        start, end = phrase(text, mt.start(), mt.end(), sentence)
        attrs = {"value": value, "qualifier": qualifier, "unit": unit, "measure": measure}
        out.append(
            Fact("statistic", Anchor(start, end, sentence), Span(mt.start(), mt.end()), attrs)
        )
    return out


_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_DATE = re.compile(
    rf"\b(?P<m1>{_MONTH})\s+(?P<d1>\d{{1,2}})(?:,?\s+(?P<y1>(?:19|20)\d\d))?\b"
    rf"|\b(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})(?:,?\s+(?P<y2>(?:19|20)\d\d))?\b"
    rf"|\b(?P<m3>{_MONTH})(?:\s+of)?\s+(?P<y3>(?:19|20)\d\d)\b"
    rf"|\b(?:[Ii]n|[Bb]y|[Ss]ince|[Uu]ntil|[Dd]uring)\s+(?:(?:early|mid|late)-?\s*)?(?P<m4>{_MONTH})\b(?!,?(?:\s+of)?\s+(?:\d{{1,2}}\b|(?:19|20)\d\d))"
    rf"|\b(?:[Ii]n|[Ss]ince|[Bb]y|[Dd]uring)\s+(?P<y4>(?:19|20)\d\d)\b"
)


def reference_year(text: str) -> int | None:
    """The year the text names most often: the year of an undated "On April 10"."""
    years = Counter(int(y) for y in re.findall(r"\b((?:19|20)\d\d)\b", text))
    return years.most_common(1)[0][0] if years else None


def dates(text: str, year: int | None) -> list[tuple[Span, str, bool]]:
    """Every date expression: its span, the date as YYYY[-MM[-DD]], and whether the year was
    inferred (the report gives none)."""
    out = []
    for mt in _DATE.finditer(text):
        g = mt.groupdict()
        month = g["m1"] or g["m2"] or g["m3"] or g["m4"]
        day = g["d1"] or g["d2"]
        explicit = g["y1"] or g["y2"] or g["y3"] or g["y4"]
        inferred = explicit is None
        y = int(explicit) if explicit else year
        if y is None:
            continue
        value = f"{y:04d}"
        if month:
            value += f"-{MONTHS.index(month.lower()) + 1:02d}"
            if day and 1 <= int(day) <= calendar.monthrange(y, MONTHS.index(month.lower()) + 1)[1]:
                value += f"-{int(day):02d}"
        out.append((Span(mt.start(), mt.end()), value, inferred))
    return out

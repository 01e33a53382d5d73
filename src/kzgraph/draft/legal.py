"""Law articles ("article 174 of the Criminal Code"), charges ("charged with inciting discord")
and sentences ("sentenced to six years in prison"), by generic patterns; laws and provisions are
resolved against the known graph."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kzgraph.draft.candidates import Anchor, Fact
from kzgraph.draft.figures import NUMBER, number_value
from kzgraph.draft.gazetteer import KnownGraph, Match
from kzgraph.draft.source import SentenceIndex, Span, fold, phrase

_ARTICLE = re.compile(
    r"\b[Aa]rt(?:icle)?s?\.?\s+(?P<nums>\d+(?:[-.]\d+)?(?:\s*(?:,|and|or|&)\s*\d+(?:[-.]\d+)?)*)"
)


@dataclass
class Article:
    """A cited article: where, which law (known or guessed), which number."""

    span: Span
    law: str | None
    number: str
    provision: str | None  # a known provision id, if the graph holds it


def articles(text: str, known: KnownGraph, matches: list[Match]) -> list[Article]:
    laws = [mt for mt in matches if mt.entity.startswith("law/")]
    default = _default_law(known)
    out: list[Article] = []
    last_law: str | None = None
    for mt in _ARTICLE.finditer(text):
        after = [lw for lw in laws if 0 <= lw.start - mt.end() <= 40]
        before = [lw for lw in laws if 0 <= mt.start() - lw.end <= 12]
        law: str | None
        if after:
            law = after[0].entity
        elif before:
            law = before[-1].entity
        else:
            law = last_law or default
        last_law = law
        for num in re.findall(r"\d+(?:[-.]\d+)?", mt.group("nums")):
            number = num.replace(".", "-")
            provision = known.provision(law, number) if law else None
            out.append(Article(Span(mt.start(), mt.end()), law, number, provision))
    return out


def _default_law(known: KnownGraph) -> str | None:
    """The law most known provisions belong to: what a bare "article 274" most likely cites."""
    counts: dict[str, int] = {}
    for ent in known.entities.values():
        if ent.prefix == "provision" and ent.part_of:
            counts[ent.part_of] = counts.get(ent.part_of, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


_CHARGE = re.compile(
    r"(?i)\b(?:charged\s+with|charges?\s+of|on\s+charges?\s+of|convicted\s+(?:him\s+|her\s+|them\s+)?of"
    r"|accused\s+(?:him\s+|her\s+|them\s+)?of|found\s+guilty\s+of|prosecuted\s+for|indicted\s+for"
    r"|on\s+suspicion\s+of|suspected\s+of|criminal\s+case\s+(?:for|on)|investigation\s+(?:into|for)"
    r"|for\s+allegedly|alleged(?:ly)?|punishable\s+for|guilty\s+of|charges(?=\s+ranging\s+from)"
    r"|charges\s+(?:such\s+as|including)|(?:sentenced|fined|arrested|detained)\b[^.;]{0,80}?\bfor"
    r"(?=\s+[a-z]+ing\b))\s+"
    r"(?P<label>[^.;:()]{3,120}?)(?=\s*(?:[.;:()]|,\s|\band\s+(?:was|were|sentenced|jailed)\b"
    r"|\b(?:under|after|and\s+sentenced|in\s+(?:19|20)\d\d)\b|$))"
    r"|[“\"](?P<quoted>[a-z]+ing\b[^”\"]{3,100})[”\"]"
)


def charges(text: str, index: SentenceIndex, known: KnownGraph, cited: list[Article]) -> list[Fact]:
    out = []
    for mt in _CHARGE.finditer(text):
        group = "label" if mt.group("label") else "quoted"
        if len(mt.group(group).split()) < 2 and group == "label":
            continue
        sentence = index.at(mt.start())
        in_sentence = [a for a in cited if sentence.start <= a.span.start < sentence.end]
        for s, e in _items(text, mt.start(group), _quote_end(text, mt, group), sentence):
            label = " ".join(text[s:e].split()[:10]).strip(' ,“”"')
            start, end = phrase(text, s, e, sentence, words=10)
            provision, basis = None, None
            if in_sentence:
                nearest = min(in_sentence, key=lambda a: abs(a.span.start - s))
                provision, basis = _ref(nearest), "stated"
            else:
                provision = _by_label(label, known)
                basis = "inferred" if provision else None
            attrs = {"label": label, "provision": provision, "provision_basis": basis}
            out.append(Fact("charge", Anchor(start, end, sentence), Span(s, e), attrs))
    return out


# a closing quote (after a word, not before one) that no other quoted item follows
_CLOSE = re.compile(r"(?<=\w)[”\"](?!\w)(?!\s*,?\s*(?:(?:and|or)\s+)?[“”\"])")


def _quote_end(text: str, mt: re.Match[str], group: str) -> int:
    """Where a label that opens with a quote ends: at its closing quote, unless another quoted
    item follows ("“false information” and “extortion”"), not at what the sentence says next."""
    start, end = mt.span(group)
    if group == "label" and text[start] in '“”"':
        close = _CLOSE.search(text, start + 1, end)
        if close is not None:
            return close.end()
    return end


_QUOTED_PAIR = re.compile(r"[”\"]\s*(?:,\s*)?(?:and|or|,)\s*[“”\"]")
_LIST = re.compile(_QUOTED_PAIR.pattern + r"|,\s+(?:and\s+)?|\s+(?:and|to)\s+(?=\w+\s+\w+)")


def _items(text: str, start: int, end: int, sentence: Span) -> list[tuple[int, int]]:
    """The charges in one phrase: "“false information” and “extortion”"; a list after
    "ranging from" runs on to the end of the sentence ("theft, damage ... to mass riots")."""
    ranging = re.match(r"(?i)ranging\s+from\s+", text[start:end])
    separators = _QUOTED_PAIR
    if ranging:
        start, end, separators = start + ranging.end(), sentence.end, _LIST
    items, at = [], start
    for sep in separators.finditer(text, start, end):
        items.append((at, sep.start()))
        at = sep.end()
    items.append((at, end))
    out = []
    for s, e in items:
        while s < e and text[s] in ' “”"':
            s += 1
        while e > s and text[e - 1] in ' .,“”"':
            e -= 1
        if e - s > 2:
            out.append((s, e))
    return out


def _ref(article: Article) -> str | None:
    if article.provision:
        return article.provision
    if article.law:
        return f"provision/{article.law.split('/', 1)[1]}-{article.number}"
    return None


_STOP = {"of", "the", "a", "an", "on", "in", "and", "or", "to", "for", "with", "by", "through"}


def _by_label(label: str, known: KnownGraph) -> str | None:
    """A known provision whose name (or description) shares most content words with the charge."""
    words = _stems(label)
    glosses: list[tuple[str, str]] = [
        (label, ref) for label, ref in known.charge_labels if ref in known.entities
    ]
    for ent in known.entities.values():
        gloss = re.search(r"\(([^)]*)\)", ent.name)
        if ent.prefix == "provision" and gloss:
            glosses.append((gloss.group(1), ent.id))
    best, score = None, 0.0
    for gloss_text, ref in glosses:
        theirs = _stems(gloss_text)
        if not theirs:
            continue
        overlap = len(words & theirs) / (len(words) * len(theirs)) ** 0.5
        if overlap > score:
            best, score = ref, overlap
    return best if score >= 0.5 else None


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", fold(text)) if w not in _STOP and len(w) > 2}


def _term_pattern(tag: str) -> str:
    return (
        rf"(?P<n{tag}>{NUMBER}|a|an)(?:[- ]and[- ]a[- ]half)?[- ]"
        rf"(?P<u{tag}>years?|months?|weeks?|days?)"
    )


_SENTENCE = re.compile(
    r"(?i)\b(?:sentenced|jailed|imprisoned|convicted|locked\s+up|given)\b[^.;]{0,60}?\b(?:to|for)\s+"
    rf"{_term_pattern('1')}"
    rf"(?P<tail>[^.;]{{0,40}})"
    rf"|\b{_term_pattern('2')}['’]?"
    r"(?:\s+(?:prison|jail|suspended|restricted[- ]freedom|parole[- ]like))?"
    rf"\s+(?:sentence|term|prison\s+term|(?:administrative\s+)?(?:arrest|detention)|in\s+(?:prison|jail|a\s+penal\s+colony)|of\s+(?:imprisonment"
    rf"|administrative\s+(?:arrest|detention)|restricted\s+freedom|restriction\s+of\s+freedom"
    rf"|(?:house\s+)?arrest|detention))"
    r"|\b(?:fined|suspended\s+sentence|restricted\s+freedom|restriction\s+of\s+freedom"
    r"|administrative\s+(?:arrest|detention)|banned\s+from\s+(?:leading|engaging|[a-z ]*activit)"
    r"|bans?\s+on\s+engaging)"
)


def sentences(text: str, index: SentenceIndex) -> list[Fact]:
    """Penalties a court imposed: the penalty key, the term as an xsd:duration, suspended."""
    out = []
    for mt in _SENTENCE.finditer(text):
        whole = mt.group(0).lower()
        if re.search(
            r"(?i)\b(?:faces?|could|punishable|up\s+to|if)\W+\w*\W*$",
            text[max(0, mt.start() - 25) : mt.start()],
        ):
            continue  # a penalty the law allows, not one a court imposed
        sentence = index.at(mt.start())
        context = text[sentence.start : sentence.end].lower()
        penalty = "imprisonment"
        if "administrative" in whole:
            penalty = "administrative-arrest"
        elif "restrict" in whole or "parole" in whole:
            penalty = "restricted-freedom"
        elif "fined" in whole:
            penalty = "fine"
        elif "banned from" in whole:
            penalty = "activity-ban"
        term = _term(mt)
        start, end = phrase(text, mt.start(), mt.end(), sentence)
        attrs = {"penalty": penalty, "term": term, "suspended": "suspended" in context}
        out.append(
            Fact("sentence", Anchor(start, end, sentence), Span(mt.start(), mt.end()), attrs)
        )
    return out


def _term(mt: re.Match[str]) -> str | None:
    n = mt.group("n1") or mt.group("n2")
    u = mt.group("u1") or mt.group("u2")
    if n is None or u is None:
        return None
    value = 1.0 if n.lower() in ("a", "an") else number_value(n)
    if value is None:
        return None
    half = "half" in mt.group(0).lower()
    letter = {"y": "Y", "m": "M", "w": "W", "d": "D"}[u.lower()[0]]
    whole = int(value)
    if letter == "Y":
        months = round((value - whole) * 12) + (6 if half else 0)  # "1.5 years", "and a half"
        return f"P{whole}Y{months}M" if months else f"P{whole}Y"
    if letter == "M":
        days = round((value - whole) * 30) + (15 if half else 0)  # "one and a half months"
        return f"P{whole}M{days}D" if days else f"P{whole}M"
    return f"P{whole}{letter}"

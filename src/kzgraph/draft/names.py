"""Names the known graph does not hold: runs of capitalised words, classified by generic cues.

- an organisation has a body word (Ministry, Court, Party, Union, Committee, ...), is an acronym
  defined in parentheses or used twice, or is a known place followed by "court", "police", ...;
- a place ends in Region, Oblast, District or Province; a law in Protocol, Convention, Code, ...;
- a person is two to four capitalised words none of which the text also uses in lower case
  (names are rarely common words), or any such run after a role word; titles are cut off.

Headings and menu items (a run that is its whole line) and words a flattened web page ran
together are not names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kzgraph.draft.candidates import Anchor, NewEntity
from kzgraph.draft.gazetteer import KnownGraph, Match
from kzgraph.draft.lexicon import (
    CONNECTORS,
    HONORIFICS,
    LAW_WORDS,
    NOT_NAMES,
    ORG_WORDS,
    PLACE_WORDS,
    TITLES,
)
from kzgraph.draft.source import SentenceIndex, Span, fold

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž\u0400-\u04ff][\w'’-]*")
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")  # "MembersKazakh": two words run together


def new_entities(
    text: str, index: SentenceIndex, known: KnownGraph, matches: list[Match]
) -> list[NewEntity]:
    """Candidate people, organisations and places not in the known graph, first use first."""
    covered = [(mt.start, mt.end) for mt in matches]
    lower_words = {w for w in re.findall(r"\b[a-z][a-z'-]+\b", text)}
    place_words = {
        w for e in known.entities.values() if e.prefix == "place" for w in fold(e.name).split()
    }
    found: dict[str, NewEntity] = {}
    taken = set(known.ids)
    candidates: list[tuple[int, int, Span, tuple[str, str, str]]] = []
    for sentence in index.spans:
        for run in _runs(text, sentence):
            if _standalone(text, run[0][0], run[-1][0] + len(run[-1][2]), sentence):
                continue
            guesses = [(run, _classify(text, run, lower_words, place_words, sentence))]
            if guesses[0][1] is None:
                # "Serikzhan Mauletbay and Bigeldy Gabdullin": two names, not one
                guesses = [
                    (part, _classify(text, part, lower_words, place_words, sentence))
                    for part in _split_at_connectors(run)
                ]
            for part, guess in guesses:
                if guess is not None:
                    start, end = part[0][0], part[-1][0] + len(part[-1][2])
                    if not any(s < end and start < e for s, e in covered):
                        candidates.append((start, end, sentence, guess))
    candidates += _local_bodies(text, index, known, matches)
    candidates += _places_after_prepositions(text, index, lower_words, covered)
    candidates.sort(key=lambda c: c[0])
    for start, end, sentence, (prefix, kind, why) in candidates:
        name = text[start:end]
        key = f"{prefix}:{fold(' '.join(name.split()))}"
        anchor = Anchor(start, end, sentence)
        if key in found:
            if text[start:end] not in {a.exact(text) for a in found[key].anchors}:
                found[key].anchors.append(anchor)
            continue
        ref = _mint(prefix, name, taken)
        taken.add(ref)
        found[key] = NewEntity(ref, " ".join(name.split()), kind, why, [anchor])
    return list(found.values())


Token = tuple[int, int, str]
# A known place followed by a common noun for a local body: "Almaty court", "Shymkent city
# administration", "Zhetysu police", "Almaty city prosecutor's office".
_LOCAL_BODY = re.compile(
    r"\s+(?:city\s+|regional\s+|district\s+|oblast\s+)?(?:(?:court|police|administration"
    r"|akimat|authorities)\b|prosecutor['’]s\s+office)",
    re.IGNORECASE,
)


def _local_bodies(
    text: str, index: SentenceIndex, known: KnownGraph, matches: list[Match]
) -> list[tuple[int, int, Span, tuple[str, str, str]]]:
    out = []
    for mt in matches:
        if not mt.entity.startswith("place/"):
            continue
        body = _LOCAL_BODY.match(text, mt.end)
        if body is None:
            continue
        noun = body.group(0).split()[-1].lower()
        kind = {"court": "court", "police": "law-enforcement"}.get(noun, "state-body")
        guess = ("org", kind, "a known place and a body")
        out.append((mt.start, body.end(), index.at(mt.start), guess))
    return out


def _runs(text: str, sentence: Span) -> Iterable[list[Token]]:
    """Maximal runs of capitalised words (connectors allowed inside) within a sentence, split at
    titles ("Secretary of State Antony Blinken": the title is not part of a name)."""
    tokens = []
    for mt in _TOKEN.finditer(text[sentence.start : sentence.end]):
        at = mt.start() + sentence.start
        for piece in _GLUED.split(mt.group(0)):
            word = re.sub(r"(?:['’]s|['’])$", "", piece)
            tokens.append((at, at + len(piece), word))
            at += len(piece)
    i = 0
    while i < len(tokens):
        if not tokens[i][2][:1].isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            gap = text[tokens[j][1] : tokens[j + 1][0]]
            if not gap or gap.strip() or tokens[j][2] != text[tokens[j][0] : tokens[j][1]]:
                break
            nxt = tokens[j + 1][2]
            if nxt[:1].isupper() or nxt.lower() in CONNECTORS:
                j += 1
            else:
                break
        yield from _split_run(tokens[i : j + 1])
        i = j + 1


def _split_run(run: list[Token]) -> Iterable[list[Token]]:
    parts: list[list[tuple[int, int, str]]] = [[]]
    after_title: set[int] = set()
    skip = 0
    for k, token in enumerate(run):
        if skip:
            skip -= 1
            continue
        # a title, or a role word opening the run ("Journalist Lukpan ..." at a sentence start)
        role = token[2].lower() in TITLES or (k == 0 and token[2].lower() in HONORIFICS)
        title = role and token[2][:1].isupper()
        if title and k + 1 < len(run):
            # what follows a title is a name: cut there, with the title's own "of State"
            parts.append([])
            after_title.add(len(parts) - 1)
            if run[k + 1][2] == "of":
                skip = 2
            continue
        if token[2].lower() in NOT_NAMES and parts[-1]:
            parts.append([])  # "Cleverly in March"
            continue
        parts[-1].append(token)
    for n, part in enumerate(parts):
        if n in after_title and len(part) > 3:
            del part[:-2]  # "Commissioner for Human Rights Volker Turk": the name comes last
        while part and (part[0][2].lower() in CONNECTORS or part[0][2].lower() in NOT_NAMES):
            part.pop(0)
        while part and part[-1][2].lower() in CONNECTORS:
            part.pop()
        if part:
            yield part


def _split_at_connectors(run: list[Token]) -> Iterable[list[Token]]:
    part: list[Token] = []
    for token in [*run, (0, 0, "and")]:
        if token[2] in ("and", "in", "on"):
            if part:
                yield part
            part = []
        else:
            part.append(token)


def _classify(
    text: str, run: list[Token], lower_words: set[str], place_words: set[str], sentence: Span
) -> tuple[str, str, str] | None:
    words = [t[2] for t in run]
    start = run[0][0]
    low = [w.lower() for w in words]
    end = run[-1][0] + len(run[-1][2])
    if len(words) == 1 and re.fullmatch(r"[A-Z]{3,6}", words[0]):
        defined = text[start - 1 : start] == "(" and text[end : end + 1] == ")"
        if defined or len(re.findall(rf"\b{words[0]}\b", text)) >= 2:
            return "org", "other", "an acronym in capitals"
        return None
    if _standalone(text, start, end, sentence):
        return None  # a line of its own: a heading or a menu item, not a name
    if text[start - 1 : start].isalpha() or text[end : end + 1].isalpha():
        return None  # run together with the next word: flattened page chrome
    if len(words) >= 2 and low[-1] in LAW_WORDS:
        return "law", "law", "a name ending in a word for a law"
    body = [ORG_WORDS[w] for w in low if w in ORG_WORDS]
    if body and len(low) > 2 and low[0] in lower_words and low[0] not in ORG_WORDS:
        return None  # "According to the Prosecutor's ...": a sentence opening, not a name
    if body and len(words) >= 2:
        return "org", body[-1], "a name with a body word"
    if len(words) >= 2 and low[-1] in PLACE_WORDS and low[0] not in lower_words:
        return "place", "region", "a name ending in a place word"
    content = [w for w in low if w not in CONNECTORS]
    if not 2 <= len(words) <= 4 or len(content) != len(words):
        return None
    if any(w in NOT_NAMES or w in place_words for w in low):
        return None
    if any(
        any(sum(c.isupper() for c in part) > 1 for part in w.split("-"))
        or not w.replace("-", "").isalpha()
        for w in words
    ):
        return None  # "ANTON KARLINER" (a credit line), "PMPKs", digits; "Kassym-Jomart" is fine
    before = text[max(0, start - 30) : start].split()
    cue = bool(before) and before[-1].lower().strip(".,") in HONORIFICS
    if cue or not any(w in lower_words for w in low):
        return "person", "person", "capitalised words" + (" after a role word" if cue else "")
    return None


_PLACE_CONTEXT = re.compile(
    r"\b(?:in|from|near|outside|to|city\s+of|town\s+of|village\s+of)\s+"
    r"(?P<name>[A-Z][a-z]+(?:-[A-Z]?[a-z]+)?)(?=\s*(?:[,.;)]|\s+and\s|\s+(?:in|on|to|for)\s))"
)


def _places_after_prepositions(
    text: str, index: SentenceIndex, lower_words: set[str], covered: list[tuple[int, int]]
) -> list[tuple[int, int, Span, tuple[str, str, str]]]:
    """ "in Taraz," "near Pavlodar.": one capitalised word after a preposition of place that is
    not a common word, a month or a known name."""
    out = []
    for mt in _PLACE_CONTEXT.finditer(text):
        start, end = mt.span("name")
        word = mt.group("name").lower()
        if word in lower_words or word in NOT_NAMES or word in TITLES:
            continue
        if any(s < end and start < e for s, e in covered):
            continue
        out.append((start, end, index.at(start), ("place", "city", "a name after 'in', 'near'")))
    return out


def _standalone(text: str, start: int, end: int, sentence: Span) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    return (start == sentence.start and end == sentence.end) or line.strip() == text[start:end]


def _mint(prefix: str, name: str, taken: set[str]) -> str:
    base = f"{prefix}/{slugify(name) or 'unnamed'}"
    ref, n = base, 2
    while ref in taken:
        ref, n = f"{base}-{n}", n + 1
    return ref


def slugify(name: str) -> str:
    """Lower-case ASCII, digits and '-': the form of an id's slug."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))

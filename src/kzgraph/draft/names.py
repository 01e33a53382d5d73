"""Names the known graph does not hold: runs of capitalised words, classified by generic cues.

- an organisation has a body word (Ministry, Court, Party, Union, Committee, ...) or is an
  acronym in capitals;
- a place ends in Region, Oblast, District or Province;
- a person is two or three capitalised words none of which the text also uses in lower case
  (names are rarely common words), or any such run after an honorific or a role word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from kzgraph.draft.candidates import Anchor, NewEntity
from kzgraph.draft.gazetteer import KnownGraph, Match
from kzgraph.draft.source import SentenceIndex, Span, fold

ORG_WORDS: dict[str, str] = {
    **dict.fromkeys(["court", "tribunal"], "court"),
    **dict.fromkeys(
        [
            "ministry",
            "committee",
            "agency",
            "office",
            "parliament",
            "senate",
            "mazhilis",
            "government",
            "commissioner",
            "ombudsman",
            "administration",
            "akimat",
            "department",
            "prosecutor",
            "commission",
        ],
        "state-body",
    ),
    **dict.fromkeys(["police", "guard", "prison", "colony", "security"], "law-enforcement"),
    **dict.fromkeys(["party", "movement"], "political-party"),
    **dict.fromkeys(["union", "confederation"], "trade-union"),
    **dict.fromkeys(
        [
            "watch",
            "bureau",
            "foundation",
            "association",
            "network",
            "center",
            "centre",
            "institute",
            "coalition",
            "partnership",
            "fund",
            "amnesty",
            "society",
            "initiative",
            "alliance",
        ],
        "ngo",
    ),
    **dict.fromkeys(
        ["news", "radio", "tv", "television", "times", "post", "media", "agency", "journal"],
        "media-outlet",
    ),
    **dict.fromkeys(
        ["nations", "council", "organization", "organisation", "mission", "rapporteur", "bank"],
        "intergovernmental-body",
    ),
    **dict.fromkeys(["company", "corporation", "group", "llp", "llc", "jsc", "inc"], "company"),
    **dict.fromkeys(["church", "mosque", "witnesses"], "religious-group"),
}
PLACE_WORDS = {"region", "oblast", "district", "province", "village", "city"}
HONORIFICS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "president",
    "minister",
    "activist",
    "activists",
    "journalist",
    "journalists",
    "blogger",
    "bloggers",
    "lawyer",
    "defender",
    "poet",
    "writer",
    "leader",
    "chairman",
    "chairwoman",
    "director",
    "head",
    "colonel",
    "general",
    "judge",
    "prosecutor",
    "senator",
    "deputy",
    "secretary",
    "commissioner",
    "rapporteur",
    "politician",
    "member",
    "founder",
    "editor",
    "reporter",
    "resident",
    "citizen",
    "son",
    "daughter",
    "wife",
    "husband",
    "brother",
    "sister",
    "mother",
    "father",
}
CONNECTORS = {"of", "for", "the", "and", "on", "in", "de", "al", "to"}
# Capitalised words that begin sentences or name times, never people.
NOT_NAMES = {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "the",
    "in",
    "on",
    "a",
    "an",
    "this",
    "that",
    "these",
    "those",
    "he",
    "she",
    "they",
    "it",
    "his",
    "her",
    "their",
    "its",
    "we",
    "our",
    "article",
    "articles",
    "law",
    "code",
    "report",
    "world",
    "events",
}
_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž\u0400-\u04ff][\w'’.-]*")


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
    for sentence in index.spans:
        for start, end, words in _runs(text, sentence):
            if any(s < end and start < e for s, e in covered):
                continue
            guess = _classify(text, start, words, lower_words, place_words)
            if guess is None:
                continue
            prefix, kind, why = guess
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


def _runs(text: str, sentence: Span) -> Iterable[tuple[int, int, list[str]]]:
    """Maximal runs of capitalised words (connectors allowed inside) within a sentence."""
    tokens = [
        (m.start() + sentence.start, m.end() + sentence.start, m.group(0).rstrip(".'’"))
        for m in _TOKEN.finditer(text[sentence.start : sentence.end])
    ]
    i = 0
    while i < len(tokens):
        if not tokens[i][2][:1].isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(tokens):
            gap = text[tokens[j][1] : tokens[j + 1][0]]
            if gap.strip() or text[tokens[j][0] : tokens[j][1]].endswith((".", "'s", "’s")):
                break
            nxt = tokens[j + 1][2]
            if nxt[:1].isupper() or nxt.lower() in CONNECTORS:
                j += 1
            else:
                break
        while j > i and tokens[j][2].lower() in CONNECTORS:
            j -= 1
        words = [t[2] for t in tokens[i : j + 1]]
        while words and words[0].lower() in NOT_NAMES:
            words.pop(0)
            i += 1
        if words:
            end = tokens[j][0] + len(tokens[j][2])
            yield tokens[i][0], end, words
        i = j + 1


def _classify(
    text: str, start: int, words: list[str], lower_words: set[str], place_words: set[str]
) -> tuple[str, str, str] | None:
    low = [w.lower() for w in words]
    if len(words) == 1 and re.fullmatch(r"[A-Z]{2,6}", words[0]):
        return "org", "other", "an acronym in capitals"
    body = [ORG_WORDS[w] for w in low if w in ORG_WORDS]
    while body and len(low) > 2 and low[0] in lower_words and low[0] not in ORG_WORDS:
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
    before = text[max(0, start - 30) : start].split()
    cue = bool(before) and before[-1].lower().strip(".,") in HONORIFICS
    if cue or not any(w in lower_words for w in low):
        return "person", "person", "capitalised words" + (" after a role word" if cue else "")
    return None


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

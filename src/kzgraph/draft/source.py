"""The plain text of a new report: read safely, split into sentences, quoted in short phrases.

Offsets are Python ``str`` offsets of the file decoded as UTF-8, nothing normalised, as in every
annotation file; every phrase cut here satisfies ``text[start:end] == exact``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from kzgraph.annotations.model import MAX_EVIDENCE_WORDS

MAX_SOURCE_BYTES = 2 * 1024 * 1024  # the largest seed is ~40 kB; a book is not a report


class DraftInputError(ValueError):
    """A source text or output path the drafter refuses, with the file named in the message."""


def read_source(path: Path, max_bytes: int = MAX_SOURCE_BYTES) -> str:
    """The text of ``path``; missing, oversized and non-UTF-8 files are a DraftInputError."""
    if not path.is_file():
        raise DraftInputError(f"{path}: no such file")
    size = path.stat().st_size
    if size > max_bytes:
        raise DraftInputError(
            f"{path}: {size} bytes; a report text may have at most {max_bytes} bytes "
            "(split it, or check that this is the plain text of one report)"
        )
    raw = path.read_bytes()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DraftInputError(
            f"{path}:{line}: not UTF-8 (byte {exc.start} is 0x{raw[exc.start]:02x}); "
            "convert the text to UTF-8 first (e.g. iconv -f cp1251 -t utf-8)"
        ) from None


_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def fold(text: str) -> str:
    """Lower case, accents and curly quotes removed, one character for one: offsets survive."""
    out = []
    for ch in text.translate(_QUOTES):
        base = unicodedata.normalize("NFD", ch)[0].lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


@dataclass(frozen=True)
class Span:
    start: int
    end: int


# Abbreviations after which a full stop does not end a sentence.
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|[Nn]o|St|Jr|Sr|[Aa]rt|[Nn]os|vs|etc|e\.g|i\.e|U\.S|U\.N)|\b[A-Z])$"
)
# a stop and a capital (any script's: "Жанар", "Ömir"; checked below) or digit, or a blank line
_BOUNDARY = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[^\W_])|\n[ \t\r]*\n\s*")


def sentences(text: str) -> list[Span]:
    """Sentence spans: a stop followed by a capital, or a blank line (headings stand alone)."""
    spans = []
    start = 0
    for mt in _BOUNDARY.finditer(text):
        # a closing quote or bracket after the stop belongs to the sentence: "(He was not.)"
        end = mt.start() + len(mt.group(0)) - len(mt.group(0).lstrip("\"'”’)"))
        before = text[start:end]
        at_stop = mt.group(0).count("\n") < 2
        if at_stop and not _capital(text, mt.end()):
            continue
        stem = before.rstrip(".!?\"'”’)")
        if at_stop and (_ABBREV.search(stem) or _initial(stem)):
            continue
        if before.strip():
            spans.append(_trim(text, start, end))
        start = mt.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


def _initial(stem: str) -> bool:
    """Whether ``stem`` ends in a one-letter capital, an initial: "Ж. Ахметова", "Ö. Examplov"."""
    return stem[-1:].isupper() and not stem[-2:-1].isalnum()


def _capital(text: str, at: int) -> bool:
    ch = text[at + 1 : at + 2] if text[at : at + 1] in "\"'“‘(" else text[at : at + 1]
    return ch.isupper() or ch.isdigit()


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and (text[start].isspace() or text[start] == "\ufeff"):  # a BOM too
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end)


_HEADING = re.compile(
    r"(?:^\ufeff?|\n[ \t\r]*\n)[ \t]*(?P<h>[A-Z][^\r\n.!?:;]{2,80}?)[ \t\r]*(?=\n[ \t\r]*\n)"
)


def headings(text: str, max_words: int = 8) -> list[Span]:
    """Short capitalised lines without a stop between blank lines: the report's headings."""
    return [
        Span(mt.start("h"), mt.end("h"))
        for mt in _HEADING.finditer(text)
        if len(mt.group("h").split()) <= max_words
    ]


class SentenceIndex:
    """Which sentence an offset falls in."""

    def __init__(self, text: str):
        self.text = text
        self.spans = sentences(text)
        self._starts = [s.start for s in self.spans]

    def at(self, offset: int) -> Span:
        import bisect

        i = max(bisect.bisect_right(self._starts, offset) - 1, 0)
        return self.spans[i] if self.spans else Span(0, len(self.text))


_WORD = re.compile(r"\S+")
_EDGE = "\"'“”‘’,;:()[]"


def phrase(
    text: str, start: int, end: int, within: Span, words: int = MAX_EVIDENCE_WORDS
) -> tuple[int, int]:
    """At most ``words`` words of ``within`` around ``start:end``, centred on it: the offsets of a
    short evidence phrase (leading and trailing punctuation dropped)."""
    tokens = [
        (m.start() + within.start, m.end() + within.start)
        for m in _WORD.finditer(text[within.start : within.end])
    ]
    if not tokens:
        return start, end
    first = next((i for i, t in enumerate(tokens) if t[1] > start), 0)
    last = next((i for i in range(len(tokens) - 1, -1, -1) if tokens[i][0] < end), first)
    last = max(last, first)
    if last - first + 1 > words:
        last = first + words - 1
    before = True
    while last - first + 1 < words and (first > 0 or last < len(tokens) - 1):
        if (before and first > 0) or last == len(tokens) - 1:
            first -= 1
        else:
            last += 1
        before = not before
    s, e = tokens[first][0], tokens[last][1]
    while e > s and text[e - 1] in _EDGE + ".":
        e -= 1
    while s < e and text[s] in _EDGE:
        s += 1
    return s, e

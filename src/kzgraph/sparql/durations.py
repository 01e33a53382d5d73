"""xsd:duration values in words: ``P15D`` is "15 days", ``P2Y6M`` "2 years 6 months",
``PT36H`` "36 hours". The pages and the canned queries' CSV show them so; SPARQL JSON, XML and
TSV keep the typed literal (docs/decisions/0023-result-views.md)."""

from __future__ import annotations

import re

XSD = "http://www.w3.org/2001/XMLSchema#"
DURATION_TYPES = frozenset(
    XSD + name for name in ("duration", "dayTimeDuration", "yearMonthDuration")
)
_DURATION = re.compile(
    r"^(?P<sign>-)?P(?:(?P<years>\d+)Y)?(?:(?P<months>\d+)M)?(?:(?P<weeks>\d+)W)?"
    r"(?:(?P<days>\d+)D)?(?:T(?:(?P<hours>\d+)H)?(?:(?P<minutes>\d+)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?$"
)
_UNITS = ("year", "month", "week", "day", "hour", "minute", "second")


def in_words(lexical: str) -> str | None:
    """``lexical`` (an xsd:duration) in words, or None when it is not a duration."""
    match = _DURATION.match(lexical.strip())
    if match is None or lexical.strip() in ("P", "PT", "-P") or lexical.rstrip().endswith("T"):
        return None
    parts = []
    for unit in _UNITS:
        amount = match.group(unit + "s")
        if amount is None:
            continue
        number = float(amount) if "." in amount else int(amount)
        if number == 0:
            continue
        shown = f"{number:g}" if isinstance(number, float) else str(number)
        parts.append(f"{shown} {unit}{'' if number == 1 else 's'}")
    words = " ".join(parts) or "0 days"
    return f"minus {words}" if match.group("sign") else words


_IN_TEXT = re.compile(r"\bP(?:\d+[YMWD])+(?:T(?:\d+(?:\.\d+)?[HMS])+)?\b|\bPT(?:\d+[HMS])+\b")


def words_in_text(text: str) -> str:
    """``text`` with the durations written in it ("imprisonment, P6Y") in words."""
    return _IN_TEXT.sub(lambda m: in_words(m.group(0)) or m.group(0), text)


def is_duration(datatype: str | None) -> bool:
    return datatype in DURATION_TYPES

"""Invented names for the synthetic corpus: syllables put together, never taken from a report."""

from __future__ import annotations

import random
import re

_ONSETS = ["b", "d", "f", "g", "k", "l", "m", "n", "r", "s", "t", "v", "z", "br", "dr", "kr", "st"]
_VOWELS = ["a", "e", "i", "o", "u", "ai", "ei", "ou"]
_CODAS = ["", "", "", "n", "r", "l", "s", "th", "nd", "rk"]


def word(rng: random.Random, syllables: int) -> str:
    parts = [
        rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
    ]
    return "".join(parts).capitalize()


def person_name(rng: random.Random) -> str:
    return f"{word(rng, 2)} {word(rng, rng.choice((2, 3)))}"


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class Namer:
    """Unique invented names and slugs (a counter suffix only when a name repeats)."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self._seen: set[str] = set()

    def unique(self, make: str = "person") -> tuple[str, str]:
        while True:
            name = person_name(self.rng) if make == "person" else word(self.rng, 3)
            key = slug(name)
            if key not in self._seen:
                self._seen.add(key)
                return name, key

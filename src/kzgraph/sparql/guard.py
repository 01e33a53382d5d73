"""Checks made on the query text before any parser sees it.

A small scanner skips comments, strings and IRIs and looks at what is left: bracket nesting (the
pyoxigraph parser is recursive and aborts the process on very deep nesting), update keywords
(refused: the service is read-only) and SERVICE (refused: the service never makes requests).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_DEPTH = 64
UPDATE_KEYWORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "DROP",
    "CREATE",
    "ADD",
    "MOVE",
    "COPY",
    "WITH",
}
QUERY_FORMS = {"SELECT", "CONSTRUCT", "DESCRIBE", "ASK"}
_TOKEN = re.compile(
    r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<open>[({\[])
  | (?P<close>[)}\]])
  | (?P<word>[A-Za-z_][A-Za-z0-9_-]*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


class QueryRefused(ValueError):
    """The query is refused before parsing; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class QueryShape:
    form: str | None  # SELECT, CONSTRUCT, DESCRIBE, ASK, or None if not found
    depth: int
    has_from: bool  # the query names its own dataset (FROM / FROM NAMED)


def _words(query: str) -> Iterator[tuple[str, str]]:
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind not in ("comment", "string", "iri"):
            yield kind, match.group()


def inspect_query(query: str, max_depth: int = MAX_DEPTH) -> QueryShape:
    """The query's form and nesting depth; raise QueryRefused for updates, SERVICE, deep nesting."""
    depth = deepest = 0
    form: str | None = None
    has_from = False
    previous = ""
    for kind, text in _words(query):
        if kind == "open":
            depth += 1
            deepest = max(deepest, depth)
            if deepest > max_depth:
                raise QueryRefused(400, f"brackets nest deeper than {max_depth} levels")
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif kind == "word":
            upper = text.upper()
            if previous in ("PREFIX", "BASE"):
                pass
            elif upper == "SERVICE":
                raise QueryRefused(
                    400, "SERVICE is not supported: this endpoint never queries other services"
                )
            elif form is None and upper in UPDATE_KEYWORDS and depth == 0:
                raise QueryRefused(403, "this endpoint is read-only: SPARQL updates are refused")
            elif form is None and upper in QUERY_FORMS:
                form = upper
            elif upper == "FROM" and depth == 0:
                has_from = True
            previous = upper
    return QueryShape(form, deepest, has_from)

"""Checks made on the query text before any parser sees it.

A small scanner skips comments, strings and IRIs and looks at what is left: bracket nesting (the
pyoxigraph parser is recursive and aborts the process on very deep nesting) and update keywords
(refused: the service is read-only).

SERVICE is refused by a separate check that does not trust the scanner: SPARQL cannot be lexed
without parsing (``<`` opens an IRI or compares), so a scanner can be made to read code as an IRI
or a comment. :func:`mentions_service` looks at the raw text (and at it with ``\\u`` escapes
decoded) for the keyword followed by a service target, wherever it stands. A query that merely
talks about SERVICE in a comment may be refused; none that calls one gets through. Whatever
slips past, the processes that evaluate queries cannot open a socket (kzgraph.sparql.sandbox).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

MAX_DEPTH = 64
SERVICE_REFUSED = (
    "SERVICE is not supported: this endpoint never queries other services (the word SERVICE "
    "followed by a name, IRI or variable is refused wherever it stands, comments included)"
)
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
  | (?P<var>[?$]\w+)
  | (?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<pname>(?:[^\W\d][\w.-]*)?:(?:[\w:%-]|\\.|\.(?=[\w:%-]))*)
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


# SERVICE as a keyword: not part of a name, IRI path or variable, followed by SILENT or a target
# (an IRI, a variable, a prefixed name), whatever comments or whitespace stand between; written
# right against a colon it is a prefix label ("PREFIX service: <…>"), not the keyword
_SERVICE = re.compile(
    r"""(?<![\w:/#?$@.-])SERVICE(?![\w-])"""
    r"""(?:[<?$]|(?:\s|\#[^\n]*\n?)+(?:SILENT\b|[<?$:]|[^\W\d][\w.-]*:))""",
    re.IGNORECASE,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(query: str) -> str:
    def char(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else ""

    return _ESCAPE.sub(char, query)


def mentions_service(query: str) -> bool:
    """Whether the text could call SERVICE, as written or once its escapes are decoded."""
    return any(_SERVICE.search(text) for text in (query, _unescape(query)))


def tokens(query: str) -> Iterator[tuple[str, str, int]]:
    """Every token as (kind, text, offset): comment, string, iri, open, close, var, lang, pname,
    word or other (whitespace is skipped). Good enough to point at a token, not to parse."""
    for match in _TOKEN.finditer(query):
        kind = match.lastgroup or "other"
        if kind != "other" or not match.group().isspace():
            yield kind, match.group(), match.start()


def star_columns(query: str) -> tuple[str, ...]:
    """For ``SELECT *`` (or ``SELECT DISTINCT *``), the variables in the order they first appear
    in the query, the order its columns take (pyoxigraph sorts them by name); else ()."""
    seen: dict[str, None] = {}
    state = "start"  # start -> select -> star
    for kind, text, _ in tokens(query):
        if kind == "comment":
            continue
        upper = text.upper() if kind == "word" else text
        if state == "start":
            if upper in QUERY_FORMS:
                state = "select" if upper == "SELECT" else "other"
            continue
        if state == "select":
            if upper in ("DISTINCT", "REDUCED"):
                continue
            if text != "*":
                return ()
            state = "star"
            continue
        if state == "star" and kind == "var":
            seen.setdefault(text[1:])
        if state == "other":
            return ()
    return tuple(seen)


def _words(query: str) -> Iterator[tuple[str, str]]:
    for kind, text, _ in tokens(query):
        if kind == "iri":
            # "<" may be a comparison, not an IRI (FILTER(1<((…))&&2>1)): count its brackets too
            for char in text:
                if char in "([":
                    yield "open", char
                elif char in ")]":
                    yield "close", char
        elif kind not in ("comment", "string", "var", "lang", "pname"):
            yield kind, text


def inspect_query(query: str, max_depth: int = MAX_DEPTH) -> QueryShape:
    """The query's form and nesting depth; raise QueryRefused for updates, SERVICE, deep nesting."""
    if mentions_service(query):
        raise QueryRefused(400, SERVICE_REFUSED)
    depth = deepest = 0
    form: str | None = None
    has_from = False
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
            if upper == "SERVICE":
                raise QueryRefused(400, SERVICE_REFUSED)
            if form is None and upper in UPDATE_KEYWORDS and depth == 0:
                raise QueryRefused(403, "this endpoint is read-only: SPARQL updates are refused")
            elif form is None and upper in QUERY_FORMS:
                form = upper
            elif upper == "FROM" and depth == 0:
                has_from = True
    return QueryShape(form, deepest, has_from)


_PN_ESCAPE = re.compile(r"\\(.)")


def dataset_clause(query: str) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses, prefixed names resolved with
    its PREFIX declarations; None when it has none, or when one cannot be read for certain (a
    relative IRI, an undeclared prefix, anything unexpected after FROM): the query then keeps its
    own dataset as the store reads it."""
    prefixes: dict[str, str] = {}
    defaults: list[str] = []
    named: list[str] = []
    depth = 0
    expect: str | None = None  # "prefix-name", "prefix-iri", "from", "from-named"
    label = ""
    found = False
    for kind, text, _ in tokens(query):
        if kind == "comment":
            continue
        upper = text.upper() if kind == "word" else ""
        if expect == "prefix-name":
            if kind != "pname" or not text.endswith(":"):
                return None
            label, expect = text[:-1], "prefix-iri"
            continue
        if expect == "prefix-iri":
            if kind != "iri":
                return None
            prefixes[label], expect = text[1:-1], None
            continue
        if expect == "from" and upper == "NAMED":
            expect = "from-named"
            continue
        if expect in ("from", "from-named"):
            iri = _dataset_iri(kind, text, prefixes)
            if iri is None:
                return None
            (named if expect == "from-named" else defaults).append(iri)
            expect = None
            continue
        if kind == "open":
            depth += 1
        elif kind == "close":
            depth = max(depth - 1, 0)
        elif upper == "PREFIX" and depth == 0:
            expect = "prefix-name"
        elif upper == "FROM" and depth == 0:
            expect, found = "from", True
    if expect is not None or not found:
        return None
    return tuple(defaults), tuple(named)


def _dataset_iri(kind: str, text: str, prefixes: dict[str, str]) -> str | None:
    if kind == "iri":
        iri = text[1:-1]
    elif kind == "pname":
        label, _, local = text.partition(":")
        if label not in prefixes:
            return None
        iri = prefixes[label] + _PN_ESCAPE.sub(r"\1", local)
    else:
        return None
    scheme = re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri)
    return iri if scheme and "\\" not in iri else None

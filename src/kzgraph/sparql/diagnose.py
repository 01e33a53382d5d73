"""Syntax errors people can read.

pyoxigraph reports "error at LINE:COLUMN: expected …" where "…" may be one keyword that is not
the mistake ("expected CONSTRUCT" for ``SELEC``) or Unicode character classes ("expected one of
Prefix not found, ['%'], ['-' | '0' ..= '9' | '\\u{00B7}' …"). :func:`explain` turns that into
the offending token with its line and column and what was expected in words. Two mistakes are
found from the query's tokens rather than from the parser's message, because the message does
not say them: a prefix that was never declared, and a query that does not start with a form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kzgraph.sparql.guard import QUERY_FORMS, UPDATE_KEYWORDS, tokens

_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.S)
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
# what the parser may name that a person can act on (its character classes are left out)
_NAMED = {
    "IRI parsing failed": "an IRI",
    "Prefix not found": "a declared prefix",
}
_TOKEN_AT = re.compile(r"[^\s{}()\[\],;.]+|[{}()\[\],;.]")
_TOKEN_BEFORE = re.compile(r"([^\s{}()\[\],;.]+|[{}()\[\],;.])$")
_RDF_STAR = {"{|", "|}", "~", "<<", ">>", "<<(", ")>>"}


@dataclass(frozen=True)
class SyntaxProblem:
    message: str
    line: int | None = None
    column: int | None = None
    token: str | None = None
    expected: list[str] = field(default_factory=list)


def _position(query: str, offset: int) -> tuple[int, int]:
    before = query[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def _offset(query: str, line: int, column: int) -> int:
    lines = query.split("\n")
    if line > len(lines):
        return len(query)
    return sum(len(text) + 1 for text in lines[: line - 1]) + min(column - 1, len(lines[line - 1]))


def undefined_prefix(query: str) -> SyntaxProblem | None:
    """The first prefixed name whose prefix no PREFIX declares."""
    declared: set[str] = set()
    previous = ""
    for kind, text, start in tokens(query):
        if kind == "pname":
            prefix = text.split(":", 1)[0]
            if previous == "PREFIX":
                declared.add(prefix)
            elif prefix not in declared:
                line, column = _position(query, start)
                return SyntaxProblem(
                    f"undefined prefix '{prefix}:' in '{text}' at line {line}, column {column}: "
                    f"declare it before the query, e.g. PREFIX {prefix}: <http://…>",
                    line,
                    column,
                    text,
                    [f"PREFIX {prefix}: <…>"],
                )
        if kind not in ("comment",):
            previous = text.upper() if kind == "word" else ""
    return None


def missing_form(query: str) -> SyntaxProblem | None:
    """A query whose first word after its PREFIX and BASE declarations is not a query form."""
    skip_next = 0
    for kind, text, start in tokens(query):
        if kind == "comment":
            continue
        if skip_next:
            skip_next -= 1
            continue
        upper = text.upper()
        if kind == "word" and upper == "PREFIX":
            skip_next = 2  # the prefix label and its IRI
            continue
        if kind == "word" and upper == "BASE":
            skip_next = 1
            continue
        if kind == "word" and (upper in QUERY_FORMS or upper in UPDATE_KEYWORDS):
            return None
        line, column = _position(query, start)
        return SyntaxProblem(
            f"the query must start (after any PREFIX and BASE) with SELECT, CONSTRUCT, DESCRIBE "
            f"or ASK; found '{text[:40]}' at line {line}, column {column}",
            line,
            column,
            text[:40],
            ["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"],
        )
    return SyntaxProblem(
        "the query is empty: write SELECT, CONSTRUCT, DESCRIBE or ASK",
        expected=["SELECT", "CONSTRUCT", "DESCRIBE", "ASK"],
    )


def _expected(text: str) -> list[str]:
    words: list[str] = []
    for name, said in _NAMED.items():
        if name in text:
            words.append(said)
    for item in _QUOTED.findall(text):
        item = item.replace('\\"', '"')
        if item and item not in _RDF_STAR and item not in words:
            words.append(item)
    if not words and re.fullmatch(r"[A-Z][A-Za-z ]*", text.strip()):
        words.append(text.strip())  # a bare keyword: "expected OPTIONAL"
    return words


def explain(query: str, parser_message: str) -> SyntaxProblem:
    """What is wrong with ``query``, given pyoxigraph's message about it."""
    found = missing_form(query) or undefined_prefix(query)
    if found:
        return found
    match = _POSITION.match(parser_message.strip())
    if not match:
        return SyntaxProblem(parser_message.strip() or "the query is not valid SPARQL")
    line, column, rest = int(match.group(1)), int(match.group(2)), match.group(3)
    offset = _offset(query, line, column)
    expected = _expected(rest.removeprefix("expected ").removeprefix("one of "))
    wanted = (
        "; expected " + ", ".join(f"'{w}'" if len(w) <= 2 else w for w in expected)
        if expected
        else ""
    )
    if not query[offset:].strip():
        return SyntaxProblem(
            f"the query ends too early (line {line}, column {column}){wanted}",
            line,
            column,
            None,
            expected,
        )
    token = _TOKEN_AT.match(query, offset) or _TOKEN_BEFORE.search(query[:offset].rstrip())
    text = token.group(1 if token.re is _TOKEN_BEFORE else 0)[:40] if token else None
    shown = f"'{text}'" if text else "this"
    return SyntaxProblem(
        f"unexpected {shown} at line {line}, column {column}{wanted}",
        line,
        column,
        text,
        expected,
    )

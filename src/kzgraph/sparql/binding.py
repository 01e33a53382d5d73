"""Binding checked values into one of our own queries for a store that cannot take SEP-0007
substitutions (a remote SPARQL server): the values go in as a ``VALUES`` block of terms written
by pyoxigraph, and the query's pattern is evaluated for them with ``LATERAL``, which is what a
substitution means for queries that, like ours, use the variables outside sub-selects.

``WHERE { BODY }`` becomes ``WHERE { VALUES (?_a ?_b) { (<…> "…"^^<…>) } LATERAL { BODY } }``.
Only the project's own query texts (canned queries, the linked-data queries) are rewritten this
way, never a client's; the values are the checked parameters, as terms, never raw text.
(``LATERAL`` is Oxigraph's SEP-0006; docs/store.md says which stores have it.)

For a store without ``LATERAL`` (Virtuoso, plain SPARQL 1.1), :func:`bind_inline` writes each
value's term in place of its variable inside the pattern (outside sub-selects, as a substitution
does) and keeps the ``VALUES`` block, so the variable is still bound for the projection, the
template, ``GROUP BY`` and ``ORDER BY``; our own ``LATERAL`` joins become plain joins (each of
ours joins a pattern whose variables are bound on its left, where the two are the same).
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kzgraph.sparql.guard import tokens

Substitution = tuple[str, str, str, str]  # (variable, "iri" | "literal", value, datatype or "")
_VARIABLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class CannotBind(ValueError):
    """The query has no pattern group the values can be joined to."""


def substitution_term(kind: str, value: str, datatype: str) -> ox.NamedNode | ox.Literal:
    """The term a checked value stands for (an IRI is validated: it cannot carry '>' or spaces);
    bound as a substitution on the embedded store, written into a VALUES block on a remote one."""
    if kind == "iri":
        return ox.NamedNode(value)
    if datatype:
        return ox.Literal(value, datatype=ox.NamedNode(datatype))
    return ox.Literal(value)


def _pattern_group(query: str) -> tuple[int, int]:
    """Offsets of the opening and closing brace of the query's WHERE group."""
    depth = 0
    form = ""
    after_where = template = False
    start: int | None = None
    for kind, text, offset in tokens(query):
        if kind == "word" and depth == 0:
            upper = text.upper()
            if not form and upper in ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK"):
                form = upper
            elif upper == "WHERE":
                if form == "CONSTRUCT" and not template:
                    raise CannotBind("CONSTRUCT WHERE (no template) cannot take bound values")
                after_where = True
        elif kind == "open" and text == "{":
            template = template or (depth == 0 and form == "CONSTRUCT" and not after_where)
            if depth == 0 and start is None and (after_where or form != "CONSTRUCT"):
                start = offset
            depth += 1
        elif kind == "close" and text == "}":
            depth -= 1
            if depth == 0 and start is not None:
                return start, offset
    raise CannotBind("the query has no WHERE group to bind values to")


def bind_values(query: str, substitutions: tuple[Substitution, ...]) -> str:
    """``query`` with ``substitutions`` joined to its pattern as a VALUES block."""
    if not substitutions:
        return query
    names = [variable for variable, _, _, _ in substitutions]
    for name in names:
        if not _VARIABLE.fullmatch(name):
            raise CannotBind(f"not a variable name: {name!r}")
    terms = " ".join(str(substitution_term(k, v, d)) for _, k, v, d in substitutions)
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ ({terms}) }}"
    start, end = _pattern_group(query)
    return f"{query[: start + 1]} {block} LATERAL {{{query[start + 1 : end]}}} {query[end:]}"


def _subselect_spans(query: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets of the groups inside ``query[start:end]`` that hold a sub-select."""
    spans: list[tuple[int, int]] = []
    opens: list[int] = []
    marked: set[int] = set()
    for kind, text, offset in tokens(query[start:end]):
        if kind == "open" and text == "{":
            opens.append(offset)
        elif kind == "close" and text == "}" and opens:
            began = opens.pop()
            if began in marked:
                spans.append((start + began, start + offset))
        elif kind == "word" and text.upper() == "SELECT" and opens:
            marked.add(opens[-1])
    return spans


def bind_inline(query: str, substitutions: tuple[Substitution, ...]) -> str:
    """``query`` with each value's term written in place of its variable in the pattern (never
    inside a sub-select) and a VALUES block binding the variables; ``LATERAL`` becomes a join."""
    if not substitutions:
        return query
    terms: dict[str, str] = {}
    for name, kind, value, datatype in substitutions:
        if not _VARIABLE.fullmatch(name):
            raise CannotBind(f"not a variable name: {name!r}")
        terms[name] = str(substitution_term(kind, value, datatype))
    start, end = _pattern_group(query)
    inside = _subselect_spans(query, start + 1, end)
    pieces: list[str] = []
    done = start + 1
    for kind, text, offset in tokens(query[start + 1 : end]):
        at = start + 1 + offset
        if any(a <= at <= b for a, b in inside):
            continue
        if kind == "var" and text[1:] in terms:
            replacement = terms[text[1:]]
        elif kind == "word" and text.upper() == "LATERAL":
            replacement = ""
        else:
            continue
        pieces += [query[done:at], f" {replacement} "]
        done = at + len(text)
    body = "".join(pieces) + query[done:end]
    block = f"VALUES ({' '.join('?' + n for n in terms)}) {{ ({' '.join(terms.values())}) }}"
    return f"{query[: start + 1]} {block} {body}{query[end:]}"

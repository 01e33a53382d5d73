"""Binding checked values into one of our own queries for a store that cannot take SEP-0007
substitutions (a remote SPARQL server): the values go in as a ``VALUES`` block of terms written
by pyoxigraph, and the query's pattern is evaluated for them with ``LATERAL``, which is what a
substitution means for queries that, like ours, use the variables outside sub-selects.

``WHERE { BODY }`` becomes ``WHERE { VALUES (?_a ?_b) { (<…> "…"^^<…>) } LATERAL { BODY } }``.
Only the project's own query texts (canned queries, the linked-data queries) are rewritten this
way, never a client's; the values are the checked parameters, as terms, never raw text.
(``LATERAL`` is Oxigraph's SEP-0006; docs/store.md says which stores have it.)
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

"""Virtuoso 7's literals, and how kzgraph keeps its answers the embedded store's (decision 0025).

Virtuoso keeps typed literals as SQL values, not as the text they were written in:

- ``xsd:duration`` becomes a number (``"P15D"`` is stored as 1,296,000 seconds, ``"P6Y"`` as 72
  months; ``INSERT DATA`` refuses it outright), so the text of a sentence's term is lost. kzgraph
  therefore stores durations under its own datatype :data:`DURATION` (kept as written) and gives
  them back as ``xsd:duration`` in every answer: ``STR(?term)`` works in queries (the sentences
  query reads the years and days from it); comparing two durations by value on the store does not.
- ``xsd:decimal`` is written in its shortest form (``"2000.0"`` comes back as ``"2000"``), which
  is also the form the embedded store (pyoxigraph) answers; only ``push``, comparing a graph with
  the build's text, gives it back as the build writes it (``"2000.0"``).
- ``xsd:boolean`` is ``"1"``/``"0"``: given back as ``"true"``/``"false"``. A boolean the query
  computes (``BOUND``, ``EXISTS``, ``true``) is answered as an ``xsd:integer``, which no answer can
  tell from a number: our queries project such values through ``xsd:boolean(…)``, which Virtuoso
  types ``xsd:boolean``.

These are the only places that know: :func:`to_store` on the way in (``kzgraph push``) and
:func:`from_store` on every term read back (answers, and ``push`` comparing a graph with the
build's).
"""

from __future__ import annotations

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_DURATION = ox.NamedNode(XSD + "duration")
XSD_DECIMAL = ox.NamedNode(XSD + "decimal")
XSD_BOOLEAN = ox.NamedNode(XSD + "boolean")
DURATION = ox.NamedNode("urn:kzgraph:datatype:duration")  # an xsd:duration, kept as written
BOOLEANS = {"1": "true", "0": "false"}


def to_store(term: ox.Literal) -> ox.Literal:
    """A literal as kzgraph writes it into Virtuoso."""
    if term.datatype == XSD_DURATION:
        return ox.Literal(term.value, datatype=DURATION)
    return term


def from_store(term: ox.Literal, *, as_built: bool = False) -> ox.Literal:
    """A literal Virtuoso answered, as the embedded store would have it (``as_built``: as the
    build wrote it, to compare a graph with the build's)."""
    datatype = term.datatype
    if datatype == DURATION:
        return ox.Literal(term.value, datatype=XSD_DURATION)
    if as_built and datatype == XSD_DECIMAL and term.value.lstrip("+-").isdigit():
        return ox.Literal(term.value + ".0", datatype=XSD_DECIMAL)
    if datatype == XSD_BOOLEAN and term.value in BOOLEANS:
        return ox.Literal(BOOLEANS[term.value], datatype=XSD_BOOLEAN)
    return term


def triple_to_store(triple: ox.Triple) -> ox.Triple:
    if isinstance(triple.object, ox.Literal):
        return ox.Triple(triple.subject, triple.predicate, to_store(triple.object))
    return triple


def triple_from_store(triple: ox.Triple, *, as_built: bool = False) -> ox.Triple:
    if isinstance(triple.object, ox.Literal):
        obj = from_store(triple.object, as_built=as_built)
        return ox.Triple(triple.subject, triple.predicate, obj)
    return triple

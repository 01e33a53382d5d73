"""Minting IRIs: every node of the graph gets its IRI from :func:`mint`.

See docs/decisions/0001-iri-scheme.md for the scheme and why it is readable and deterministic.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from kzgraph.namespaces import BASE, GRAPH, VOCAB

_SAFE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def mint(kind: str, *parts: str | int) -> URIRef:
    """``mint("act", "mamay-conviction-2023")`` -> ``…/id/act/mamay-conviction-2023``.

    Each part must be a slug (lower-case ASCII, digits, '-'), or a number; anything else is a bug
    in the caller, since annotation ids are checked on load.
    """
    segments = [kind, *(str(p) for p in parts)]
    for segment in segments:
        if not _SAFE.match(segment):
            raise ValueError(f"not a safe IRI segment: {segment!r} in {segments}")
    return URIRef(BASE + "id/" + "/".join(segments))


def ref_iri(ref: str) -> URIRef:
    """The IRI of an annotation reference such as ``person/max-bokaev``."""
    kind, slug = ref.split("/", 1)
    return mint(kind, slug)


def concept(scheme: str, key: str) -> URIRef:
    return URIRef(VOCAB + f"{scheme}/{key}")


def graph_iri(name: str) -> URIRef:
    """Named graphs: ``entities``, ``assessments``, ``report/<id>``, ``ontology``, ``inferred``…"""
    return URIRef(GRAPH + name)

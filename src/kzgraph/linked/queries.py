"""The SPARQL behind dereferencing: each query takes the resource as ``?_resource``, bound as a
substitution (never pasted into the text), and reads asserted triples only (not the ``inferred``
graph: a description states what the sources and our curation say, not what a reasoner added)."""

from __future__ import annotations

from kzgraph.namespaces import GRAPH, prefix_block

PREFIXES = prefix_block("kz", "rdf", "rdfs", "skos", "oa")


def _asserted(text: str) -> str:
    """The query with ``INFERRED`` written as the IRI of the graph of inferred triples."""
    return text.replace("INFERRED", f"<{GRAPH}inferred>")


# The concise bounded description (its own triples, those of nodes minted under its IRI such as
# evidence selectors, and blank nodes), the triples that point at it (a symmetric description, so
# that a person's page in RDF also says which acts name them), and the labels of every node it
# links to or is linked from (LATERAL: label look-ups node by node, ~0.2 ms against ~17 ms as a
# join).
DESCRIBE = PREFIXES + _asserted(
    """CONSTRUCT {
  ?_resource ?p ?o . ?child ?cp ?co . ?in ?ip ?_resource . ?n ?lp ?label .
}
WHERE {
  {
    GRAPH ?g { ?_resource ?p ?o }
    FILTER(?g != INFERRED)
  } UNION {
    GRAPH ?g { ?_resource ?q ?child . ?child ?cp ?co }
    FILTER(?g != INFERRED)
    FILTER(isBLANK(?child) || STRSTARTS(STR(?child), CONCAT(STR(?_resource), "/")))
  } UNION {
    GRAPH ?g { ?in ?ip ?_resource }
    FILTER(?g != INFERRED)
  } UNION {
    { GRAPH ?g { ?_resource ?q ?n } } UNION { GRAPH ?g { ?n ?q ?_resource } }
    FILTER(?g != INFERRED)
    LATERAL { ?n ?lp ?label FILTER(?lp = rdfs:label || ?lp = skos:prefLabel) }
  }
}"""
)

# The nodes an entity page is about: the resource, every node one link away (either direction),
# the charges and sentences of the facts among them and the interventions about those facts.
# (Written out, not as a sub-select: substitutions do not reach into sub-selects, and a BIND of
# ?_resource alone is evaluated before the substitution is joined.)
_NODES = """
    { ?_resource ?q ?x . BIND(?_resource AS ?n) }
    UNION { ?_resource ?q ?n . FILTER(isIRI(?n)) }
    UNION {
      GRAPH ?gn { ?n ?q ?_resource }
      FILTER(?gn != INFERRED)
    }
    UNION {
      GRAPH ?gn { ?f ?q ?_resource }
      FILTER(?gn != INFERRED)
      { ?f kz:hasCharge ?n } UNION { ?f kz:hasSentence ?n } UNION { ?n kz:concerns ?f }
    }
    UNION { ?_resource kz:hasCharge|kz:hasSentence ?n }"""

# What an entity page shows: for each of those nodes all its asserted triples, the labels of what
# they point to, their evidence (report, section, selectors), and for an evidence node the fact
# it supports (so a report's page can list what the report states). LATERAL (Oxigraph's SEP-0006
# extension) makes the store evaluate the right side node by node, and the branches bind distinct
# variables (unbound template triples are skipped) instead of BIND, which the engine would
# evaluate over the whole store first. Measured on the real build: 3.7 s -> 0.15 s for
# Kazakhstan (linked from most facts), ~25 ms for a person (bench/linked_lookup.py).
PAGE = PREFIXES + _asserted(
    """CONSTRUCT {
  ?n ?p ?o . ?m ?lp ?l . ?e ?ep ?eo . ?sel ?sp ?so . ?where rdfs:label ?wl .
  ?fact kz:hasEvidence ?n . ?fact ?fp ?fo .
}
WHERE {
  {"""
    + _NODES
    + """
  }
  LATERAL {
    {
      GRAPH ?g { ?n ?p ?o }
      FILTER(?g != INFERRED)
    } UNION {
      ?n ?link ?m .
      ?m ?lp ?l .
      FILTER(?lp = rdfs:label || ?lp = skos:prefLabel)
    } UNION {
      ?n kz:hasEvidence ?e .
      ?e ?ep ?eo .
    } UNION {
      ?n kz:hasEvidence/oa:hasSelector ?sel .
      ?sel ?sp ?so .
    } UNION {
      ?n oa:hasSelector ?sel .
      ?sel ?sp ?so .
    } UNION {
      ?fact kz:hasEvidence ?n .
      ?fact ?fp ?fo .
      FILTER(?fp = rdf:type || ?fp = rdfs:label)
    } UNION {
      ?n kz:hasEvidence/(kz:inReport|kz:inSection) ?where .
      ?where rdfs:label ?wl .
    }
  }
}"""
)

# A named graph's own triples, when its IRI is dereferenced.
GRAPH_CONTENTS = """CONSTRUCT WHERE { ?s ?p ?o }"""  # over a dataset of that one graph

# Queries offered as links on the pages, for people to run and edit at /sparql (the IRI comes
# from the store or from a path already resolved to an existing resource).
DESCRIBE_LINK = "DESCRIBE <{iri}>"
GRAPH_CLASSES_LINK = """SELECT ?class (COUNT(DISTINCT ?s) AS ?instances)
WHERE {{ GRAPH <{iri}> {{ ?s a ?class }} }}
GROUP BY ?class ORDER BY DESC(?instances)"""

__all__ = ["DESCRIBE", "DESCRIBE_LINK", "GRAPH_CLASSES_LINK", "GRAPH_CONTENTS", "PAGE"]

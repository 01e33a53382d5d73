"""Jobs for the query workers that answer a dereferenced IRI: its bounded description (in any
RDF format), the neighbourhood its page is drawn from, and a named graph's contents. Each binds
the IRI as a substitution; none pastes it into query text."""

from __future__ import annotations

import pyoxigraph as ox

from kzgraph.formats import GRAPH, N_TRIPLES, by_media
from kzgraph.linked.queries import DESCRIBE, GRAPH_CONTENTS, PAGE
from kzgraph.namespaces import PREFIXES, SLASHED
from kzgraph.sparql.formats import write_triples
from kzgraph.sparql.workers import Job

# The page's neighbourhood is read whole (Kazakhstan, linked from most facts, is ~5,000 triples):
# a page cut at the row cap would silently drop facts.
PAGE_MAX_TRIPLES = 200_000


def _resource(iri: str) -> tuple[tuple[str, str, str, str], ...]:
    return (("_resource", "iri", iri, ""),)


def describe_job(iri: str, media: str, max_rows: int | None) -> Job:
    """The concise bounded description of ``iri`` plus the labels of the nodes it links."""
    return Job(DESCRIBE, media, max_rows, substitutions=_resource(iri))


def default_graph_job(media: str) -> Job:
    """The default graph's triples (the merge of the named graphs, each once), whole."""
    return Job("CONSTRUCT WHERE { ?s ?p ?o }", media, None)


def page_job(iri: str) -> Job:
    """The triples a resource page is drawn from, as N-Triples."""
    return Job(PAGE, N_TRIPLES.media, PAGE_MAX_TRIPLES, substitutions=_resource(iri))


def graph_job(iri: str, media: str, size: int) -> Job:
    """A named graph's triples (its size is known, so the whole graph is sent, never cut). The
    graph is the job's dataset (``default-graph-uri`` on a remote store), not query text, so a
    remote store answers it too."""
    return Job(GRAPH_CONTENTS, media, size + 1, default_graphs=(iri,), named_graphs=())


# Turtle and RDF/XML (the formats marked ``prefixed``) are read by people too: they are written
# with the project's prefixes, except the slashed namespaces (kzgraph.namespaces.SLASHED).


def reserialise(ntriples: bytes, media: str, about: str | None = None) -> bytes:
    """A description read as N-Triples, written in another RDF format (Turtle and RDF/XML with
    the project's prefixes; the others by the endpoint's writers), ``about``'s own triples first."""
    triples = [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    if about is not None:  # the resource's own triples first, then the rest as they came
        triples.sort(
            key=lambda t: not (isinstance(t.subject, ox.NamedNode) and t.subject.value == about)
        )
    fmt = by_media(media, GRAPH)
    if fmt is not None and fmt.prefixed and fmt.rdf is not None:
        text = ntriples.decode("utf-8")
        prefixes = {
            name: str(ns)
            for name, ns in PREFIXES.items()
            if name not in SLASHED and f"<{ns}" in text
        }
        return ox.serialize(triples, format=fmt.rdf, prefixes=prefixes) or b""
    return write_triples(media, triples)


__all__ = ["PAGE_MAX_TRIPLES", "describe_job", "graph_job", "page_job", "reserialise"]

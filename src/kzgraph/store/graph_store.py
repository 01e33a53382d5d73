"""``kzgraph push`` through the SPARQL 1.1 Graph Store Protocol (``KZGRAPH_STORE_GRAPHS``): each
named graph of the build whose triples differ from the store's is replaced whole by one ``PUT``
(one request, so its blank nodes stay one set of nodes and the graph is swapped at once), graphs
the build no longer has are deleted, and a graph that is already as built is not written at all:
a changed report rewrites its own graph only. Then the merge (the default graph, decision 0017)
is written again with one SPARQL update when anything changed, and every count is checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from kzgraph.formats import DATASET, GRAPH, N_TRIPLES, TURTLE, answer_content_type, by_media
from kzgraph.settings import StoreUrls
from kzgraph.store.client import Endpoint, StoreError, send
from kzgraph.store.engines import OXIGRAPH, Engine, default_size, graph_sizes, media, merged_size
from kzgraph.store.push import Login, Progress, push_merge, read_dump

GRAPH_TRIPLES = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <%s> { ?s ?p ?o } }"


@dataclass
class Pushed:
    """What a push did: the triples per graph, and which graphs it wrote or deleted."""

    sizes: dict[str, int]
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    merged: int | None = None


def _fingerprint(triples: list[ox.Triple]) -> tuple[frozenset[str], Counter[str]]:
    """Triples without blank nodes as a set; those with one, counted by their other terms (a
    store renames blank nodes, so two copies of a graph agree up to those names)."""
    ground: set[str] = set()
    blank: Counter[str] = Counter()
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            s = "_" if isinstance(t.subject, ox.BlankNode) else str(t.subject)
            o = "_" if isinstance(t.object, ox.BlankNode) else str(t.object)
            blank[f"{s} {t.predicate} {o}"] += 1
        else:
            ground.add(str(t))
    return frozenset(ground), blank


def stored_triples(query: Endpoint, graph: str, engine: Engine, timeout: float) -> list[ox.Triple]:
    """The triples of ``graph`` in the store, read with a CONSTRUCT in the engine's dialect."""
    accept = f"{N_TRIPLES.media}, {TURTLE.media};q=0.9"
    try:
        response = engine.query(query, GRAPH_TRIPLES % graph, accept, timeout)
    except TimeoutError:
        raise StoreError(f"{query.shown} did not answer within {timeout:g} s") from None
    with response:
        found = by_media(media(response), GRAPH, DATASET)
        if found is None or found.rdf is None:
            raise StoreError(f"{query.shown} answered a CONSTRUCT with {media(response)!r}")
        try:
            parsed = ox.parse(response, format=found.rdf)
            return [engine.read_back(q.triple) for q in parsed]
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"{query.shown} sent an unreadable answer: {exc}") from None


def _request(
    endpoint: Endpoint, method: str, graph: str, body: bytes | None, timeout: float
) -> None:
    # N-Triples is Turtle, which every Graph Store reads; the charset, said, keeps Virtuoso from
    # reading the UTF-8 as Latin-1 (it stored "…" as "?" without it)
    content_type = answer_content_type(TURTLE.media) if body is not None else None
    try:
        send(endpoint, method, body, content_type, "*/*", timeout, [("graph", graph)]).close()
    except TimeoutError:
        raise StoreError(f"{endpoint.shown} did not answer within {timeout:g} s") from None


def push_graphs(
    dump: Path,
    urls: StoreUrls,
    graph_store: str,
    prefix: str,
    progress: Progress,
    timeout: float = 300.0,
    *,
    merge: bool = True,
    engine: Engine = OXIGRAPH,
    login: Login = (None, None),
) -> Pushed:
    """Make the store's kzgraph graphs the dump's, writing only those that differ."""
    graphs = read_dump(dump)
    query = Endpoint.parse(urls.query).login(*login)
    update = Endpoint.parse(urls.update).login(*login)
    store = Endpoint.parse(graph_store).login(*login)
    done = Pushed({g: len(quads) for g, quads in graphs.items()})
    progress(f"pushing {len(graphs)} graphs to {store.shown} (Graph Store Protocol)")
    present = graph_sizes(query, prefix, timeout, engine)
    for stale in sorted(set(present) - set(graphs)):
        _request(store, "DELETE", stale, None, timeout)
        done.deleted.append(stale)
        progress(f"{stale}: deleted (not in the build)")
    for graph, quads in sorted(graphs.items()):
        triples = [q.triple for q in quads]
        if present.get(graph) == len(triples) and _fingerprint(
            stored_triples(query, graph, engine, timeout)
        ) == _fingerprint(engine.as_held(triples)):
            progress(f"{graph}: unchanged ({len(triples)} triples)")
            continue
        body = "".join(f"{engine.stored(t)} .\n" for t in triples).encode("utf-8")
        _request(store, "PUT", graph, body, timeout)
        done.written.append(graph)
        progress(f"{graph}: replaced ({len(triples)} triples, one PUT)")
    found = graph_sizes(query, prefix, timeout, engine)
    wrong = {g: (n, found.get(g, 0)) for g, n in done.sizes.items() if found.get(g, 0) != n}
    if wrong:
        detail = "; ".join(f"{g}: pushed {n}, store has {m}" for g, (n, m) in sorted(wrong.items()))
        raise StoreError(f"{query.shown} does not hold what was pushed: {detail}")
    progress(f"done: the store at {query.shown} holds all {sum(done.sizes.values())} triples")
    if merge:
        changed = bool(done.written or done.deleted)
        if changed or default_size(query, timeout, engine) != merged_size(
            query, prefix, timeout, engine
        ):
            done.merged = push_merge(query, update, prefix, timeout, engine)
            progress(f"default graph: the merge of the graphs, {done.merged} triples (each once)")
        else:
            progress("default graph: the merge, unchanged")
    return done

"""``kzgraph push``: load the built N-Quads into a remote SPARQL store with SPARQL 1.1 Update.

Each named graph of the dump is replaced: ``DROP SILENT GRAPH <g>`` and its first chunk of
``INSERT DATA`` go in one request (so a graph that fits in one chunk is swapped atomically on
stores that run a request as one transaction), the rest in further chunks. Triples that share a
blank node go in the same request: the store gives each request's blank nodes fresh identities.
kzgraph graphs in the store that the dump no longer has are dropped. At the end the store's
triple counts are checked against the dump's. With ``merge`` the store's default graph is then
replaced by the merge of the kzgraph graphs (each triple once), for servers whose union default
graph repeats a triple held by several graphs (docs/decisions/0017-default-graph-merge.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pyoxigraph as ox

from kzgraph.settings import StoreUrls
from kzgraph.store.client import Endpoint, StoreError
from kzgraph.store.engines import OXIGRAPH, Engine, default_size, graph_sizes, merged_size

Progress = Callable[[str], None]
CHUNK = 5_000  # quads per INSERT DATA request


Login = tuple[str | None, str | None]


def read_dump(dump: Path) -> dict[str, list[ox.Quad]]:
    """The dump's quads by named graph (every quad must be in one)."""
    if not dump.exists():
        raise FileNotFoundError(f"{dump} not found: run 'kzgraph build' first")
    graphs: dict[str, list[ox.Quad]] = {}
    for quad in ox.parse(path=str(dump), format=ox.RdfFormat.N_QUADS):
        if not isinstance(quad.graph_name, ox.NamedNode):
            raise StoreError(f"{dump} has a triple outside any named graph: {quad.triple}")
        graphs.setdefault(quad.graph_name.value, []).append(quad)
    return graphs


def _units(quads: list[ox.Quad]) -> list[list[ox.Quad]]:
    """The quads grouped so that all quads sharing a blank node (transitively) are in one group."""
    parent: dict[str, str] = {}

    def root(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    def blanks(quad: ox.Quad) -> list[str]:
        return [t.value for t in (quad.subject, quad.object) if isinstance(t, ox.BlankNode)]

    for quad in quads:
        labels = [root(b) for b in blanks(quad)]
        for other in labels[1:]:
            parent[other] = labels[0]
    units: list[list[ox.Quad]] = []
    linked: dict[str, list[ox.Quad]] = {}
    for quad in quads:
        labels = blanks(quad)
        if labels:
            linked.setdefault(root(labels[0]), []).append(quad)
        else:
            units.append([quad])
    return list(linked.values()) + units


def chunks(quads: list[ox.Quad], size: int = CHUNK) -> Iterator[list[ox.Quad]]:
    """Requests of at most ``size`` quads (more only when one blank-node group is larger)."""
    current: list[ox.Quad] = []
    for unit in _units(quads):
        if current and len(current) + len(unit) > size:
            yield current
            current = []
        current.extend(unit)
    if current:
        yield current


def insert_data(graph: str, quads: list[ox.Quad], engine: Engine = OXIGRAPH) -> str:
    lines = "\n".join(f"{engine.stored(q.triple)} ." for q in quads)
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{lines}\n}} }}"


def _shared_blank_nodes(graphs: dict[str, list[ox.Quad]]) -> set[str]:
    seen: dict[str, str] = {}
    shared: set[str] = set()
    for graph, quads in graphs.items():
        for quad in quads:
            for term in (quad.subject, quad.object):
                if isinstance(term, ox.BlankNode) and seen.setdefault(term.value, graph) != graph:
                    shared.add(term.value)
    return shared


def merge_update(prefix: str, engine: Engine = OXIGRAPH) -> str:
    """Replace the graph that holds the merge (the store's default graph, or the engine's merge
    graph) by the merge of the graphs under ``prefix``."""
    literal = str(ox.Literal(prefix))
    if engine.merge_graph is None:
        target, template = "DEFAULT", "{ ?s ?p ?o }"
    else:
        target = f"GRAPH <{engine.merge_graph}>"
        template = f"{{ GRAPH <{engine.merge_graph}> {{ ?s ?p ?o }} }}"
    return (
        f"DROP SILENT {target} ;\n"
        f"INSERT {template} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
        f"FILTER(STRSTARTS(STR(?g), {literal})) }}"
    )


def check_merge(query: Endpoint, prefix: str, timeout: float, engine: Engine = OXIGRAPH) -> int:
    """The size of the stored merge, checked against the merge of the kzgraph graphs."""
    merged = merged_size(query, prefix, timeout, engine)
    stored = default_size(query, timeout, engine)
    if merged != stored:
        raise StoreError(
            f"{query.shown} holds {stored} triples in its default graph after the merge was "
            f"written, not the {merged} of the merge: is the default graph shared with other data?"
        )
    return stored


def push_merge(
    query: Endpoint, update: Endpoint, prefix: str, timeout: float, engine: Engine = OXIGRAPH
) -> int:
    """Make the store's default graph the merge of its kzgraph graphs; its size, checked."""
    engine.update(update, merge_update(prefix, engine), timeout)
    return check_merge(query, prefix, timeout, engine)


def push(
    dump: Path,
    urls: StoreUrls,
    prefix: str,
    progress: Progress,
    chunk_size: int = CHUNK,
    timeout: float = 300.0,
    *,
    merge: bool = False,
    engine: Engine = OXIGRAPH,
    login: Login = (None, None),
) -> dict[str, int]:
    """Replace the store's kzgraph graphs with the dump's; the triples per graph pushed."""
    graphs = read_dump(dump)
    query = Endpoint.parse(urls.query).login(*login)
    update = Endpoint.parse(urls.update).login(*login)
    total = sum(map(len, graphs.values()))
    progress(f"pushing {total} quads in {len(graphs)} graphs to {update.shown}")
    shared = _shared_blank_nodes(graphs)
    if shared:
        progress(
            f"warning: {len(shared)} blank node(s) appear in more than one graph; "
            "each graph's copy becomes a different node in the store"
        )
    for stale in sorted(set(graph_sizes(query, prefix, timeout, engine)) - set(graphs)):
        engine.update(update, f"DROP SILENT GRAPH <{stale}>", timeout)
        progress(f"{stale}: dropped (not in the build)")
    for graph, quads in sorted(graphs.items()):
        requests = 0
        for requests, chunk in enumerate(chunks(quads, chunk_size), start=1):
            body = insert_data(graph, chunk, engine)
            if requests == 1:
                body = f"DROP SILENT GRAPH <{graph}> ;\n{body}"
            engine.update(update, body, timeout)
        progress(f"{graph}: {len(quads)} quads in {requests} request(s)")
    expected = {graph: len(quads) for graph, quads in graphs.items()}
    found = graph_sizes(query, prefix, timeout, engine)
    wrong = {g: (n, found.get(g, 0)) for g, n in expected.items() if found.get(g, 0) != n}
    if wrong:
        detail = "; ".join(f"{g}: pushed {n}, store has {m}" for g, (n, m) in sorted(wrong.items()))
        raise StoreError(f"{query.shown} does not hold what was pushed: {detail}")
    progress(f"done: the store at {query.shown} holds all {sum(expected.values())} triples")
    if merge:
        merged = push_merge(query, update, prefix, timeout, engine)
        progress(f"default graph: the merge of the graphs, {merged} triples (each once)")
    return expected

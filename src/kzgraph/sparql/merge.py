"""The default graph as the RDF merge of named graphs: a set, each triple once.

pyoxigraph 0.5 evaluates a default graph made of several graphs as a bag: its union default graph,
``default_graph=[g1, g2]`` and ``FROM <g1> FROM <g2>`` all give a triple stored in two graphs twice
(oxigraph issue 1919). kzgraph therefore never asks it for such a union:

- the store's own default graph holds the merge of all its named graphs, written once at load
  (:func:`merge_into_default`); queries with no dataset query it, with no union flag;
- a dataset of several default graphs (``FROM`` or ``default-graph-uri``) is merged into a helper
  graph ``urn:kzgraph:merge:<hash>`` in the evaluating process's own copy-on-write store, made once
  per process and set, and queried as the only default graph.

Helper graphs are never named graphs of the dataset: ``GRAPH ?g`` is given the real named graphs
explicitly, and :func:`stored_graphs` leaves them out.
See docs/decisions/0017-default-graph-merge.md.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox

HELPER = "urn:kzgraph:merge:"
KEEP_HELPERS = 4
_recent: list[str] = []  # this process's helper graphs, least recently used first
# the stores (by id) this process, or the one it was forked from, has added a helper graph to:
# only those can hold one (an in-memory store is this process's own), so a query on any other
# is not slowed by listing the store's named graphs (a thousand at 1M triples)
_with_helpers: set[int] = set()
_MERGE_ALL = f"""INSERT {{ ?s ?p ?o }} WHERE {{
  GRAPH ?g {{ ?s ?p ?o }} FILTER(!STRSTARTS(STR(?g), "{HELPER}")) }}"""


def is_helper(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> bool:
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(HELPER)


def stored_graphs(store: ox.Store) -> list[ox.NamedNode | ox.BlankNode]:
    """The dataset's named graphs: every named graph of the store but the merge helpers."""
    graphs: list[ox.NamedNode | ox.BlankNode] = []
    graphs += (g for g in store.named_graphs() if isinstance(g, ox.NamedNode) and not is_helper(g))
    return graphs


def merge_into_default(store: ox.Store) -> None:
    """Write every triple of the named graphs into the store's default graph (a set, so once)."""
    store.update(_MERGE_ALL)


def has_default_graph(store: ox.Store) -> bool:
    return (
        next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None
    )


def merged_graph(store: ox.Store, graphs: Iterable[str]) -> ox.NamedNode:
    """A helper graph holding the merge of ``graphs``, made in ``store`` the first time; at most
    KEEP_HELPERS are kept (the least recently used is removed), so that queries naming ever new
    sets of graphs cannot fill a worker's memory."""
    names = sorted({ox.NamedNode(g).value for g in graphs})
    digest = hashlib.sha256("\n".join(names).encode("utf-8")).hexdigest()[:32]
    helper = ox.NamedNode(HELPER + digest)
    helpers = sorted(g.value for g in store.named_graphs() if is_helper(g))
    _recent[:] = [h for h in _recent if h in helpers]
    if helper.value in _recent:
        _recent.remove(helper.value)
    _recent.append(helper.value)
    for old in [h for h in helpers if h not in _recent[-KEEP_HELPERS:]]:
        store.remove_graph(ox.NamedNode(old))
    if not store.contains_named_graph(helper):
        _with_helpers.add(id(store))
        store.add_graph(helper)
        values = " ".join(str(ox.NamedNode(g)) for g in names)
        store.update(
            f"INSERT {{ GRAPH {helper} {{ ?s ?p ?o }} }} "
            f"WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}"
        )
    return helper


def dataset(
    store: ox.Store,
    default_graphs: tuple[str, ...] | None,
    named_graphs: tuple[str, ...] | None,
    query_names_dataset: bool = False,
) -> dict[str, Any]:
    """The ``query()`` keywords for a dataset given as IRIs (``default-graph-uri`` and
    ``named-graph-uri``, or the query's FROM and FROM NAMED as read by the guard); ``None`` for
    both: the query's own FROM if ``query_names_dataset``, else the merge of all graphs."""
    if default_graphs is None and named_graphs is None:
        if query_names_dataset:  # FROM the guard could not read: pyoxigraph's own dataset
            return {}
        if not has_default_graph(store):  # a store not loaded by kzgraph.store.memory: merge it now
            merge_into_default(store)
        # the stored default graph (the merge); GRAPH ?g sees the named graphs, no helper (the
        # list is only passed when this process has made a helper: a long list slows GRAPH ?g)
        if id(store) in _with_helpers and any(is_helper(g) for g in store.named_graphs()):
            return {"named_graphs": stored_graphs(store)}
        return {}
    defaults = default_graphs or ()
    if len(set(defaults)) > 1:
        default = [merged_graph(store, defaults)]
    else:
        default = [ox.NamedNode(g) for g in defaults]
    return {
        "default_graph": default,
        "named_graphs": [ox.NamedNode(g) for g in named_graphs or ()],
    }

"""A network: the things of the ``source`` column on the left, those of the ``target`` column on
the right (either may be a list of IRIs), an edge for each pair in a row, thicker the more rows
pair them. The layout is fixed by the data (no randomness): sources ordered by kind and name,
targets by the mean place of their sources, so that edges cross little. Nodes are coloured by
kind (person, body, event, act…), labelled, and link to their pages
(``#+ view: network SOURCE TARGET [weight=COLUMN]``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from html import escape

from kzgraph.site.results.cells import Cells, Item, Row
from kzgraph.site.results.views.svg import PALETTE, chart, figure, label, legend
from kzgraph.sparql.views import View

STEP, CHARS, GAP = 16.0, 34, 300.0
KIND_ORDER = ("person", "group", "body", "event", "act", "place", "law", "")


@dataclass(frozen=True)
class Node:
    key: str
    text: str
    kind: str
    href: str | None


def _node(item: Item) -> Node:
    return Node(item.iri or item.text, item.text, item.kind, item.href)


def _rank(kind: str) -> int:
    return KIND_ORDER.index(kind) if kind in KIND_ORDER else len(KIND_ORDER)


def draw(view: View, rows: list[Row], cells: Cells) -> str:
    source_column, target_column = view.columns["source"], view.columns["target"]
    weight_column = view.options.get("weight")
    nodes: dict[str, Node] = {}
    edges: Counter[tuple[str, str]] = Counter()
    sources: set[str] = set()
    for row in rows:
        weight = cells.number(row, weight_column) if weight_column else 1.0
        for s in cells.items(row, source_column):
            one = _node(s)
            nodes.setdefault(one.key, one)
            sources.add(one.key)
            for t in cells.items(row, target_column):
                other = _node(t)
                nodes.setdefault(other.key, other)
                if one.key != other.key:
                    edges[(one.key, other.key)] += int(weight or 1)
    if not edges:
        return ""
    left_nodes = sorted(sources, key=lambda k: (_rank(nodes[k].kind), nodes[k].text.casefold()))
    place = {k: i for i, k in enumerate(left_nodes)}
    targets = {b for _, b in edges if b not in sources}
    mean = {
        t: sum(place[a] for a, b in edges if b == t) / sum(1 for _, b in edges if b == t)
        for t in targets
    }
    right_nodes = sorted(targets, key=lambda k: (mean[k], nodes[k].text.casefold()))
    left_x, top = CHARS * 6.8 + 12, 20.0
    right_x = left_x + GAP
    rows_left, rows_right = len(left_nodes), len(right_nodes)
    pitch_left = STEP * max(rows_left, rows_right) / max(rows_left, 1)
    pitch_right = STEP * max(rows_left, rows_right) / max(rows_right, 1)
    at = {k: (left_x, top + i * pitch_left) for i, k in enumerate(left_nodes)}
    at.update({k: (right_x, top + i * pitch_right) for i, k in enumerate(right_nodes)})
    kinds = sorted({n.kind for n in nodes.values()}, key=_rank)
    colour = {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(kinds)}
    out = []
    for (a, b), count in sorted(edges.items()):
        (x1, y1), (x2, y2) = at[a], at[b]
        # across: an S-curve; within the left column (a source that is also a target): an arc
        mid = (x1 + x2) / 2 if x1 != x2 else x1 + min(40 + abs(y2 - y1) / 4, GAP / 2)
        out.append(
            f"<path d='M{x1:.1f},{y1:.1f} C{mid:.1f},{y1:.1f} {mid:.1f},{y2:.1f} "
            f"{x2:.1f},{y2:.1f}' fill='none' stroke='#8a9bb0' stroke-opacity='.55' "
            f"stroke-width='{min(1 + count, 6)}'><title>"
            f"{escape(nodes[a].text)} → {escape(nodes[b].text)} ({count})</title></path>"
        )
    for key, (x, y) in at.items():
        node = nodes[key]
        on_left = x == left_x
        text = label(x - 8 if on_left else x + 8, y + 4, node.text, CHARS,
                     "end" if on_left else "start")  # fmt: skip
        dot = (
            f"<circle cx='{x:.1f}' cy='{y:.1f}' r='5' fill='{colour[node.kind]}' "
            f"stroke='#ffffff'><title>{escape(node.text)} ({node.kind or 'other'})</title></circle>"
        )
        if node.href:
            text = f"<a href='{escape(node.href)}'>{text}</a>"
        out.append(dot + text)
    height = top + STEP * max(rows_left, rows_right) + 10
    key = legend(right_x + CHARS * 6.8 + 20, top,
                 [(colour[k], k or "other") for k in kinds], 16)  # fmt: skip
    width = right_x + CHARS * 6.8 + 130
    title = f"network: {source_column} to {target_column}"
    caption = (
        f"{len(nodes)} nodes ({source_column} on the left, {target_column} on the right), "
        f"{len(edges)} links; coloured by kind"
    )
    return figure("network", chart(width, height, title, "".join(out) + key), caption)

"""The label-first results table. A column that only labels another (``act_label`` for ``act``,
``kind`` for ``kind_iri``, ``concerns`` for ``concerns_iris``) is merged into it, at the place of
the first of the two: the cell shows the label and links to the local page, the IRI is in the
link's title and in a small disclosure to copy it. Parameter columns (``?_event_iri``) are the
form's, not the table's. Headers sort the table (kzgraph.site.results.facets)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape

from kzgraph.site.results.cells import Cells, Item, Row, iris_in

LIST_SHOWN = 5  # items of a list shown before "n more"
RESULTS_CSS = """body{max-width:90rem}
table.results{border-collapse:collapse;width:100%;font-size:13px}
table.results th,table.results td{border:1px solid #ccc;padding:.25rem .4rem;text-align:left;
vertical-align:top;overflow-wrap:anywhere;hyphens:auto;min-width:5em;max-width:28rem}
table.results th{background:#f2f2f2}
table.results th a{text-decoration:none;color:#1b1b1b}.sorted{color:#0b57a4}
ul.items{margin:0;padding-left:1rem}details.iri{display:inline;margin-left:.2rem}
details.iri summary{display:inline;cursor:pointer;color:#888;font-size:11px;list-style:none}
details.iri code{display:block;font-size:11px;color:#555;word-break:break-all}
.facets{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.5rem 0}.facet{border:1px solid #ddd;
padding:.3rem .5rem;font-size:13px;max-width:22rem}.facet h3{font-size:13px;margin:0 0 .2rem}
.facet ul{margin:0;padding-left:1rem;max-height:14rem;overflow:auto}.facet .on{font-weight:700}
.filters{font-size:13px}.filters a{margin-left:.3rem}figure.view{margin:1rem 0;overflow-x:auto}
figure.view figcaption{font-size:13px;color:#444}svg.chart text{font:11px system-ui,sans-serif}
svg.chart .axis{stroke:#888}svg.chart .grid{stroke:#e4e4e4}.suggest{font-size:13px}"""


@dataclass(frozen=True)
class Column:
    name: str  # as shown, and as the page's options name it
    value: str  # the results column whose value the cell holds
    label: str | None = None  # the results column that labels it, merged in


def _base(column: str) -> str:
    base = column.lstrip("_")
    for suffix in ("_iris", "_iri"):
        if base.endswith(suffix):
            return base[: -len(suffix)]
    return base


def plan(variables: list[str], rows: list[Row], hidden: tuple[str, ...] = ()) -> list[Column]:
    """The table's columns: label columns merged into the IRI columns they label."""
    holds_iris = {v for v in variables if any(iris_in(r.get(v)) for r in rows)}
    shown = [v for v in variables if v not in hidden]
    label_of: dict[str, str] = {}
    for v in shown:
        if v not in holds_iris:
            continue
        base = _base(v)
        for candidate in (f"{base}_label", f"{base}Label", f"{base}_labels", f"{base}_title", base):
            if (
                candidate != v
                and candidate in shown
                and candidate not in holds_iris
                and candidate not in label_of.values()
            ):
                label_of[v] = candidate
                break
    labels = set(label_of.values())
    columns: list[Column] = []
    placed: set[str] = set()
    for v in shown:
        if v in placed:
            continue
        owner = next((k for k, lab in label_of.items() if lab == v), None)
        iri_column = owner or v
        label = label_of.get(iri_column)
        if v in labels and owner is None:
            continue
        name = _base(iri_column) if label else iri_column
        columns.append(Column(name, iri_column, label))
        placed.update({iri_column, label or iri_column})
    return columns


def labelled(columns: list[Column]) -> dict[str, str]:
    return {c.value: c.label for c in columns if c.label}


def _item(item: Item, copy: bool) -> str:
    text = escape(item.text)
    if item.iri is None:
        return f"<span title='{escape(item.raw)}'>{text}</span>" if item.raw else text
    iri = escape(item.iri)
    if item.href is None:
        return f"<span title='{iri}'>{text}</span>"
    link = f"<a href='{escape(item.href)}' title='{iri}'>{text}</a>"
    if not copy:
        return link
    copy_box = f"<details class=iri><summary title='the IRI'>iri</summary><code>{iri}</code>"
    return f"{link}{copy_box}</details>"


def cell_html(items: list[Item]) -> str:
    """A cell: one item inline, a list as a list (the first few, then the rest folded)."""
    if len(items) <= 1:
        return "".join(_item(i, True) for i in items)
    shown = "".join(f"<li>{_item(i, False)}</li>" for i in items[:LIST_SHOWN])
    rest = items[LIST_SHOWN:]
    more = (
        f"<details><summary>{len(rest)} more</summary><ul class=items>"
        + "".join(f"<li>{_item(i, False)}</li>" for i in rest)
        + "</ul></details>"
        if rest
        else ""
    )
    return f"<ul class=items>{shown}</ul>{more}"


Decorate = Callable[[Row, str, str], str]  # row, column, cell html -> cell html


def table_html(
    columns: list[Column],
    rows: list[Row],
    cells: Cells,
    header: Callable[[Column], str],
    decorate: Decorate | None = None,
) -> str:
    head = "".join(f"<th scope=col>{header(c)}</th>" for c in columns)
    body = []
    for row in rows:
        tds = []
        for c in columns:
            html = cell_html(cells.items(row, c.value))
            if decorate is not None:
                html = decorate(row, c.value, html)
            tds.append(f"<td>{html}</td>")
        body.append("<tr>" + "".join(tds) + "</tr>")
    return (
        f"<table id=results class=results><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )

"""A canned query's page: its form, links to the other formats, the views its header declares,
the facets and filters, and the label-first table; sorted, filtered and faceted by the URL
(kzgraph.site.results.facets). No script: everything is drawn here."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import urlencode

from kzgraph.site.html import page
from kzgraph.site.results import facets, table
from kzgraph.site.results.cells import Cells, Row
from kzgraph.site.results.facets import Options, Shown
from kzgraph.site.results.labels import Label
from kzgraph.site.results.views import draw
from kzgraph.sparql.canned import CannedQuery

RESULTS_STYLE = f"<style>{table.RESULTS_CSS}</style>"  # allowed by its hash (api.page_safety)
# A row's place in its report's reader (report IRI, start, end), when the server has the text.
Passage = Callable[[str, int, int], str | None]


def _quote_link(row: Row, passage: Passage | None) -> str | None:
    """The reader link for a row with ``report``, ``start``, ``end`` and ``quote`` columns."""
    if passage is None or not all(row.get(k) for k in ("report", "start", "end", "quote")):
        return None
    try:
        start, end = int(row["start"]["value"]), int(row["end"]["value"])
    except ValueError:
        return None
    return passage(row["report"]["value"], start, end)


def _form(query: CannedQuery, params: dict[str, str]) -> str:
    fields = "".join(
        f"<label>{escape(p.name)} <small>({escape(str(p.describe()['type']))})</small> "
        f"<input name='{escape(p.name)}' value='{escape(params.get(p.name, p.default or ''))}'>"
        f"</label>"
        for p in query.parameters
    )
    if not query.parameters:
        return ""
    return f"<form method=get class=params>{fields}<button type=submit>Run</button></form>"


def _links(query: CannedQuery, params: dict[str, str]) -> str:
    link_params = urlencode({k: v for k, v in params.items() if v})
    suffix = f"?{link_params}" if link_params else ""
    name = escape(query.name)
    return (
        f"<p><a id=csv href='/queries/{name}.csv{escape(suffix)}'>Download CSV</a>"
        f" · <a href='/queries/{name}.json{escape(suffix)}'>JSON</a>"
        f" · <a id=editor href='/editor?{escape(urlencode({'query': query.text}))}'>"
        f"Open in the SPARQL editor</a> · <a href='/queries/{name}.rq'>Query text</a></p>"
    )


def _header(shown: Shown, options: Options) -> Callable[[table.Column], str]:
    def header(column: table.Column) -> str:
        drop = ("_sort", "_sort_desc")
        if shown.sort == column.name and not shown.descending:
            href, mark = options.href(drop, {"_sort_desc": column.name}), " ▲"
        else:
            href = options.href(drop, {"_sort": column.name})
            mark = " ▼" if shown.sort == column.name else ""
        title = f"sort by {column.name}" + (f" (label: {column.label})" if column.label else "")
        return (
            f"<a class='sort{' sorted' if mark else ''}' href='{escape(href)}' "
            f"title='{escape(title)}'>{escape(column.name)}{mark}</a>"
        )

    return header


def _search(options: Options) -> str:
    hidden = "".join(
        f"<input type=hidden name='{escape(k)}' value='{escape(v)}'>"
        for k, v in {**options.params, **options.options}.items()
        if k != "_search" and v
    )
    value = escape(options.options.get("_search", ""))
    return (
        f"<form method=get class=search role=search>{hidden}<label>Rows containing "
        f"<input type=search name=_search value='{value}'></label> "
        f"<button type=submit>Filter</button></form>"
    )


def _filters(shown: Shown, options: Options) -> str:
    parts = [
        f"{escape(f.column)} {'is' if f.kind == 'eq' else 'contains'} “{escape(f.value)}” "
        f"<a class=remove href='{escape(options.href(drop=(f'_{f.kind}_{f.column}',)))}'>"
        f"remove</a>"
        for f in shown.filters
    ]
    if "_search" in options.options:
        parts.append(
            f"any column contains “{escape(options.options['_search'])}” "
            f"<a class=remove href='{escape(options.href(drop=('_search',)))}'>remove</a>"
        )
    return f"<p class=filters>Filters: {'; '.join(parts)}</p>" if parts else ""


def _facets(shown: Shown, options: Options) -> str:
    boxes = []
    current = options.facets()
    for facet in shown.facets:
        rest = ",".join(c for c in current if c != facet.column)
        close = options.href(("_facet",), {"_facet": rest} if rest else None)
        items = "".join(
            f"<li{' class=on' if v.selected else ''}><a href='{escape(v.href)}' "
            f"title='{escape(v.value)}'>{escape(v.text)}</a> {v.count}</li>"
            for v in facet.values
        )
        boxes.append(
            f"<div class=facet data-facet='{escape(facet.column)}'><h3>{escape(facet.column)} "
            f"<a href='{escape(close)}' title='remove this facet'>×</a></h3><ul>{items}</ul></div>"
        )
    suggested = " · ".join(
        f"<a href='{escape(options.href(add={'_facet': ','.join([*current, name])}))}'>"
        f"{escape(name)}</a>"
        for name in shown.suggested
    )
    out = f"<div class=facets>{''.join(boxes)}</div>" if boxes else ""
    if suggested:
        out += f"<p class=suggest>Facet by: {suggested}</p>"
    return out


def query_page(
    query: CannedQuery,
    params: dict[str, str],
    options: dict[str, str],
    results: dict[str, Any] | None,
    error: str | None,
    *,
    cells: Cells | None = None,
    passage: Passage | None = None,
) -> str:
    body = (
        f"<p><a href='/queries'>All queries</a></p><h1>{escape(query.summary)}</h1>"
        f"<p>{escape(query.description)}</p>{_form(query, params)}{_links(query, params)}"
    )
    if error:
        body += f"<p class=error role=alert>{escape(error)}</p>"
    if results is not None and "head" in results:
        body += results_html(query, params, options, results, cells, passage)
    return page(query.summary, body, head=RESULTS_STYLE)


def results_html(
    query: CannedQuery,
    params: dict[str, str],
    options: dict[str, str],
    results: dict[str, Any],
    cells: Cells | None,
    passage: Passage | None,
) -> str:
    variables: list[str] = results["head"]["vars"]
    rows: list[Row] = results["results"]["bindings"]
    columns = table.plan(variables, rows, query.parameter_columns)
    cells = cells or Cells(lambda iri: iri)
    cells.labelled = table.labelled(columns)
    opts = Options(f"/queries/{query.name}", params, options)
    shown = facets.apply(rows, columns, cells, opts)
    out = "".join(f"<p class=error role=alert>{escape(p)}</p>" for p in shown.problems)
    out += "".join(draw(view, shown.rows, cells) for view in query.views)
    count = (
        f"{len(shown.rows)} of {shown.total} row(s)"
        if len(shown.rows) != shown.total
        else f"{shown.total} row(s)"
    )
    out += _search(opts) + _filters(shown, opts) + _facets(shown, opts)
    out += f"<p id=count>{count}</p>"

    def decorate(row: Row, column: str, html: str) -> str:
        href = _quote_link(row, passage) if column == "quote" else None
        return f"<a class=in-context href='{escape(href)}'>{html}</a>" if href else html

    return out + table.table_html(columns, shown.rows, cells, _header(shown, opts), decorate)


def labels_wanted(results: dict[str, Any], query: CannedQuery) -> set[str]:
    """The IRIs of the page that need a label looked up."""
    from kzgraph.site.results.cells import page_iris

    rows = results["results"]["bindings"]
    columns = table.plan(results["head"]["vars"], rows, query.parameter_columns)
    return page_iris(rows, [c.value for c in columns])


__all__ = ["Label", "Passage", "labels_wanted", "query_page"]

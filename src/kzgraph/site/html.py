"""Server-rendered pages for the canned queries: a list, and per query a form, the results table,
a bar chart (SVG) for count queries, a timeline for dated ones, and links to CSV and to the query.
No scripts and no assets from anywhere else: the pages work offline. The inline ``STYLE`` is
allowed by its hash in the pages' Content-Security-Policy (kzgraph.api.page_safety)."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import urlencode

from kzgraph.api.page_safety import safe_href
from kzgraph.sparql.canned import CannedQuery

STYLE = """body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;
color:#1b1b1b}table{border-collapse:collapse;width:100%;font-size:13px}th,td{border:1px solid #ccc;
padding:.25rem .4rem;text-align:left;vertical-align:top}th{background:#f2f2f2}a{color:#0b57a4}
form{margin:1rem 0;padding:.75rem;background:#f7f7f7;border:1px solid #ddd}label{margin-right:1rem}
input{min-width:28rem}.error{color:#a40b0b;font-weight:600}svg text{font-size:11px}
nav.site{display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;align-items:center;padding:.4rem 0 .6rem;
border-bottom:1px solid #ddd;margin-bottom:1rem}nav.site a{text-decoration:none}
nav.site a[aria-current]{font-weight:700;color:#1b1b1b}nav.site form{margin:0 0 0 auto;padding:0;
background:none;border:0}nav.site input{min-width:12rem}"""
# The site's navigation, on every page (docs/decisions/0008-site-pages.md).
NAV_LINKS = [
    ("/", "Home"),
    ("/search", "Search"),
    ("/queries", "Queries"),
    ("/editor", "SPARQL editor"),
    ("/dumps/", "Dumps"),
    ("/ontology", "Ontology"),
]


def nav(current: str = "") -> str:
    links = "".join(
        f"<a href='{href}'{' aria-current=page' if href == current else ''}>{text}</a>"
        for href, text in NAV_LINKS
    )
    box = (
        "<form action='/search' method=get role=search><input type=search name=q "
        "aria-label='Search names' placeholder='Search names and spellings'></form>"
    )
    return f"<nav class=site aria-label=Site>{links}{box if current != '/' else ''}</nav>"


def page(title: str, body: str, *, current: str = "", head: str = "") -> str:
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
        f"</title><meta name=viewport content='width=device-width, initial-scale=1'>"
        f"<style>{STYLE}</style>{head}</head><body>{nav(current)}{body}</body></html>"
    )


# The reconciliation preview (kzgraph.site.reconcile): a card that OpenRefine shows in a frame.
CARD_CSS = """body.card{margin:.5rem;max-width:none}.card h1{font-size:1.1rem;margin:0 0 .2rem}
.card .kind{color:#555;font-size:13px;margin:0}.card .about{margin:.4rem 0;font-size:14px}
.card .iri{font:11px ui-monospace,monospace;color:#555;word-break:break-all}"""


def card(title: str, body: str) -> str:
    """A page without the site's navigation, for a small frame."""
    return (
        f"<!doctype html><html lang=en><head><meta charset=utf-8><title>{escape(title)}"
        f"</title><style>{STYLE}</style><style>{CARD_CSS}</style></head>"
        f"<body class=card>{body}</body></html>"
    )


def query_list(queries: list[CannedQuery]) -> str:
    items = "".join(
        f"<li><a href='/queries/{escape(q.name)}'>{escape(q.summary)}</a> "
        f"<small>({escape(', '.join(q.tags))})</small><br>{escape(q.description)}</li>"
        for q in queries
    )
    return page("Canned queries", f"<h1>Canned queries</h1><ul>{items}</ul>", current="/queries")


def _cell(value: dict[str, Any] | None) -> str:
    if not value:
        return ""
    text = escape(value["value"])
    if value["type"] == "uri" and safe_href(value["value"]) is not None:
        return f"<a href='{text}'>{text}</a>"
    return text


def _bar_chart(variables: list[str], rows: list[dict[str, Any]]) -> str:
    """A horizontal bar chart when the last column is a count."""
    if len(variables) < 2 or not rows:
        return ""
    last = variables[-1]
    try:
        values = [float(r[last]["value"]) for r in rows if last in r]
    except (KeyError, ValueError):
        return ""
    if len(values) != len(rows) or max(values, default=0) <= 0:
        return ""
    labels = [
        " / ".join(r[v]["value"].rsplit("/", 1)[-1] for v in variables[:-1] if v in r) for r in rows
    ]
    top = max(values)
    bars = "".join(
        f"<text x='0' y='{i * 18 + 12}'>{escape(label[:48])}</text>"
        f"<rect x='300' y='{i * 18 + 2}' width='{value / top * 400:.1f}' height='14' "
        "fill='#4a7ab5'>"
        f"<title>{escape(label)}: {value:g}</title></rect>"
        f"<text x='{305 + value / top * 400:.1f}' y='{i * 18 + 12}'>{value:g}</text>"
        for i, (label, value) in enumerate(zip(labels, values, strict=True))
    )
    return (
        f"<svg role=img aria-label='bar chart of {escape(last)}' width='760' "
        f"height='{len(rows) * 18 + 4}'>{bars}</svg>"
    )


def _timeline(variables: list[str], rows: list[dict[str, Any]]) -> str:
    """A timeline when the results have a date column."""
    column = next((v for v in variables if "date" in v.lower()), None)
    if column is None:
        return ""
    dated = [(r[column]["value"], r) for r in rows if column in r]
    if not dated:
        return ""
    years = sorted({int(d[:4]) for d, _ in dated})
    first, last = years[0], max(years[-1], years[0] + 1)
    width = 720
    ticks = "".join(
        f"<text x='{20 + (y - first) / (last - first) * width:.0f}' y='58'>{y}</text>"
        for y in range(first, last + 1)
    )

    def x(date: str) -> float:
        month = int(date[5:7]) - 1 if len(date) > 5 else 6
        return 20 + (int(date[:4]) - first + month / 12) / (last - first) * width

    dots = "".join(
        f"<circle cx='{x(d):.1f}' cy='30' r='5' fill='#b5544a' fill-opacity='.5'>"
        f"<title>{escape(d)}</title></circle>"
        for d, _ in dated
    )
    return (
        f"<svg role=img aria-label='timeline' width='780' height='66'>"
        f"<line x1='20' y1='30' x2='{20 + width}' y2='30' stroke='#999'/>{dots}{ticks}</svg>"
    )


# A row's place in its report's reader (report IRI, start, end), when the server has the text.
Passage = Callable[[str, int, int], str | None]


def _quote_link(row: dict[str, Any], passage: Passage | None) -> str | None:
    """The reader link for a row with ``report``, ``start``, ``end`` and ``quote`` columns."""
    if passage is None or not all(row.get(k) for k in ("report", "start", "end", "quote")):
        return None
    try:
        start, end = int(row["start"]["value"]), int(row["end"]["value"])
    except ValueError:
        return None
    return passage(row["report"]["value"], start, end)


def _row(variables: list[str], row: dict[str, Any], passage: Passage | None) -> str:
    href = _quote_link(row, passage)
    cells = []
    for v in variables:
        cell = _cell(row.get(v))
        if v == "quote" and href is not None:
            cell = f"<a class=in-context href='{escape(href)}'>{cell}</a>"
        cells.append(f"<td>{cell}</td>")
    return "<tr>" + "".join(cells) + "</tr>"


def query_page(
    query: CannedQuery,
    params: dict[str, str],
    results: dict[str, Any] | None,
    error: str | None,
    passage: Passage | None = None,
) -> str:
    fields = "".join(
        f"<label>{escape(p.name)} <small>({escape(str(p.describe()['type']))})</small> "
        f"<input name='{escape(p.name)}' value='{escape(params.get(p.name, p.default or ''))}'>"
        f"</label>"
        for p in query.parameters
    )
    form = (
        f"<form method=get>{fields}<button type=submit>Run</button></form>"
        if query.parameters
        else ""
    )
    link_params = urlencode({k: v for k, v in params.items() if v})
    suffix = f"?{link_params}" if link_params else ""
    links = (
        f"<p><a id=csv href='/queries/{escape(query.name)}.csv{escape(suffix)}'>Download CSV</a>"
        f" · <a href='/queries/{escape(query.name)}.json{escape(suffix)}'>JSON</a>"
        f" · <a id=editor href='/editor?{escape(urlencode({'query': query.text}))}'>"
        f"Open in the SPARQL editor</a> · <a href='/queries/{escape(query.name)}.rq'>"
        f"Query text</a></p>"
    )
    body = (
        f"<p><a href='/queries'>All queries</a></p><h1>{escape(query.summary)}</h1>"
        f"<p>{escape(query.description)}</p>{form}{links}"
    )
    if error:
        body += f"<p class=error role=alert>{escape(error)}</p>"
    if results is not None:
        variables = results["head"]["vars"]
        rows = results["results"]["bindings"]
        body += _bar_chart(variables, rows) + _timeline(variables, rows)
        head = "".join(f"<th>{escape(v)}</th>" for v in variables)
        table_rows = "".join(_row(variables, r, passage) for r in rows)
        body += (
            f"<p id=count>{len(rows)} row(s)</p>"
            f"<table id=results><thead><tr>{head}</tr></thead><tbody>{table_rows}</tbody></table>"
        )
    return page(query.summary, body)

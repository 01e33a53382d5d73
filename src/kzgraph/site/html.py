"""The site's layout (navigation, the page around a body, the small card) and the list of canned
queries; a query's own page is :mod:`kzgraph.site.results`. No scripts and no assets from
anywhere else: the pages work offline. The inline ``STYLE`` is allowed by its hash in the pages'
Content-Security-Policy (kzgraph.api.page_safety)."""

from __future__ import annotations

from html import escape

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

"""The SPARQL editor page: a query box with examples, run by ``editor.js`` (served from package
data, no CDN) against ``/sparql``, a results table, a CSV link and a shareable URL."""

from __future__ import annotations

import json
from html import escape

from kzgraph.formats import JSON
from kzgraph.namespaces import ID, prefix_block
from kzgraph.site.html import page
from kzgraph.sparql.canned import CannedQuery

PREFIXES = prefix_block("kz", "rdfs", "skos")
# Hand-picked starting points, besides the canned queries.
EXAMPLES = [
    (
        "People and their other spellings",
        PREFIXES + 'SELECT ?person ?name (GROUP_CONCAT(?alt; SEPARATOR=" | ") AS ?spellings)\n'
        "WHERE {\n  ?person a kz:Person ; skos:prefLabel ?name .\n"
        "  OPTIONAL { ?person skos:altLabel ?alt }\n}\nGROUP BY ?person ?name\nORDER BY ?name",
    ),
    (
        "Instances per class",
        PREFIXES + "SELECT ?class (COUNT(DISTINCT ?s) AS ?n)\nWHERE { ?s a ?class }\n"
        "GROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 25",
    ),
    (
        "Named graphs and their sizes",
        "SELECT ?graph (COUNT(*) AS ?triples)\nWHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph\nORDER BY ?graph",
    ),
    (
        "The passage behind a fact (Web Annotation selectors)",
        prefix_block("kz", "rdfs", "skos", "oa")
        + "SELECT ?fact ?label ?report ?start ?end ?quote\nWHERE {\n"
        "  ?fact kz:hasEvidence ?ev ; rdfs:label ?label .\n  ?ev kz:inReport ?report ;\n"
        "      oa:hasSelector ?pos, ?q .\n  ?pos oa:start ?start ; oa:end ?end .\n"
        "  ?q oa:exact ?quote .\n}\nLIMIT 20",
    ),
    (
        "Everything about Max Bokaev (CONSTRUCT)",
        f"DESCRIBE <{ID}person/max-bokaev>",
    ),
]
DEFAULT = EXAMPLES[0][1]


def editor(query: str | None, canned: list[CannedQuery], base: str) -> str:
    examples = [{"title": title, "query": text} for title, text in EXAMPLES]
    examples += [
        {"title": f"Canned: {q.summary}", "query": q.text, "page": f"/queries/{q.name}"}
        for q in canned
    ]
    options = "".join(
        f"<option value='{i}'>{escape(str(e['title']))}</option>" for i, e in enumerate(examples)
    )
    # in a <script> block only "</" could end it early
    data = json.dumps({"examples": examples, "base": base}).replace("</", "<\\/")
    body = (
        "<h1>SPARQL editor</h1>"
        "<form id=editor-form method=get action='/editor' class=editor>"
        "<p><label for=examples>Examples</label> <select id=examples>"
        f"<option value=''>Choose an example…</option>{options}</select> "
        "<small>Canned queries come with their <code>?_name</code> parameters unbound; their "
        "own pages bind them.</small></p>"
        "<textarea id=query name=query spellcheck=false rows=16 aria-label='SPARQL query'>"
        f"{escape(query if query is not None else DEFAULT)}</textarea>"
        "<p class=actions><button id=run type=submit title='Ctrl+Enter'>Run</button> "
        "<kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs the query · "
        "<a id=share href='/editor'>Link to this query</a> · "
        "<a id=csv href='/editor/results.csv' download>Download CSV</a> · "
        "<span id=status role=status></span></p></form>"
        "<p id=error class=error role=alert hidden></p>"
        "<p id=count></p><div id=output></div>"
        "<noscript><p>Without JavaScript, <em>Run</em> reloads this page; use the CSV link, "
        "or send the query to <code>/sparql</code>.</p></noscript>"
        f"<script type={JSON.media} id=editor-data>{data}</script>"
    )
    head = (
        "<link rel=stylesheet href='/editor/editor.css'>"
        "<script src='/editor/editor.js' defer></script>"
    )
    return page("SPARQL editor", body, current="/editor", head=head)

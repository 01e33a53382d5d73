"""The SPARQL editor page: YASGUI (vendored, docs/decisions/0022-sparql-editor.md) set up by
``editor.js`` against ``/sparql`` on this server, with the hand-picked examples and every canned
query to open in a tab, completion from our own ontology (:mod:`kzgraph.site.vocabulary`), a
CSV link and a shareable URL. Without JavaScript, a plain form downloads the CSV."""

from __future__ import annotations

import json
from html import escape

from kzgraph.formats import JSON
from kzgraph.namespaces import ID, prefix_block
from kzgraph.site.html import page
from kzgraph.site.vocabulary import Vocabulary
from kzgraph.sparql.canned import CannedQuery

PREFIXES = prefix_block("kz", "rdfs", "skos")
# Hand-picked starting points, besides the canned queries: (tab name, title, query)
EXAMPLES = [
    (
        "Spellings",
        "People and their other spellings",
        PREFIXES + 'SELECT ?person ?name (GROUP_CONCAT(?alt; SEPARATOR=" | ") AS ?spellings)\n'
        "WHERE {\n  ?person a kz:Person ; skos:prefLabel ?name .\n"
        "  OPTIONAL { ?person skos:altLabel ?alt }\n}\nGROUP BY ?person ?name\nORDER BY ?name",
    ),
    (
        "Classes",
        "Instances per class",
        PREFIXES + "SELECT ?class (COUNT(DISTINCT ?s) AS ?n)\nWHERE { ?s a ?class }\n"
        "GROUP BY ?class\nORDER BY DESC(?n)\nLIMIT 25",
    ),
    (
        "Graphs",
        "Named graphs and their sizes",
        "SELECT ?graph (COUNT(*) AS ?triples)\nWHERE { GRAPH ?graph { ?s ?p ?o } }\n"
        "GROUP BY ?graph\nORDER BY ?graph",
    ),
    (
        "Passages",
        "The passage behind a fact (Web Annotation selectors)",
        prefix_block("kz", "rdfs", "skos", "oa")
        + "SELECT ?fact ?label ?report ?start ?end ?quote\nWHERE {\n"
        "  ?fact kz:hasEvidence ?ev ; rdfs:label ?label .\n  ?ev kz:inReport ?report ;\n"
        "      oa:hasSelector ?pos, ?q .\n  ?pos oa:start ?start ; oa:end ?end .\n"
        "  ?q oa:exact ?quote .\n}\nLIMIT 20",
    ),
    (
        "Max Bokaev",
        "Everything about Max Bokaev (DESCRIBE)",
        f"DESCRIBE <{ID}person/max-bokaev>",
    ),
]
DEFAULT = EXAMPLES[0][2]
ASSETS = "/assets"
HEAD = (
    "<link rel=icon href='data:,'>"  # no /favicon.ico request
    f"<link rel=stylesheet href='{ASSETS}/vendor/yasgui/yasgui.min.css'>"
    f"<link rel=stylesheet href='{ASSETS}/editor.css'>"
    f"<script src='{ASSETS}/vendor/yasgui/yasgui.min.js' defer></script>"
    f"<script src='{ASSETS}/editor.js' defer></script>"
)


def editor(query: str | None, canned: list[CannedQuery], vocabulary: Vocabulary, base: str) -> str:
    examples = [{"tab": tab, "title": title, "query": text} for tab, title, text in EXAMPLES]
    examples += [
        {"tab": q.name, "title": q.summary, "query": q.text, "page": f"/queries/{q.name}"}
        for q in canned
    ]
    own = "".join(_option(i, e["title"]) for i, e in enumerate(examples[: len(EXAMPLES)]))
    stored = "".join(_option(i, e["title"]) for i, e in enumerate(examples) if i >= len(EXAMPLES))
    data = {"examples": examples, "base": base, "default": DEFAULT, **vocabulary.json()}
    # in a <script> block only "</" could end it early
    text = json.dumps(data).replace("</", "<\\/")
    body = (
        "<h1>SPARQL editor</h1>"
        "<p class=editor-tools><label for=examples>Open an example in a new tab</label> "
        "<select id=examples><option value=''>Choose an example…</option>"
        f"<optgroup label='Examples'>{own}</optgroup>"
        f"<optgroup label='Canned queries'>{stored}</optgroup></select> · "
        "<a id=share href='/editor'>Link to this query</a> · "
        "<a id=csv href='/editor/results.csv' download>Download CSV</a></p>"
        "<p class=hint><kbd>Ctrl</kbd>+<kbd>Enter</kbd> runs the query, "
        "<kbd>Ctrl</kbd>+<kbd>Space</kbd> completes prefixes and the ontology's classes and "
        "properties. Canned queries come with their <code>?_name</code> parameters unbound; "
        "their own pages bind them.</p>"
        "<div id=yasgui></div>"
        "<noscript><form method=get action='/editor/results.csv'>"
        "<p>Without JavaScript, the query's results download as CSV.</p>"
        "<textarea name=query rows=12 cols=80 aria-label='SPARQL query'>"
        f"{escape(query if query is not None else DEFAULT)}</textarea>"
        "<p><button type=submit>Download CSV</button></p>"
        "</form></noscript>"
        f"<script type={JSON.media} id=editor-data>{text}</script>"
    )
    return page("SPARQL editor", body, current="/editor", head=HEAD)


def _option(index: int, title: object) -> str:
    return f"<option value='{index}'>{escape(str(title))}</option>"

"""Server-rendered pages around the graph: the home page, search results and the dumps listing.
Like the canned-query pages they use the shared layout of :mod:`kzgraph.site.html` and need no
script and nothing from another site."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote, urlencode

from kzgraph.api.page_safety import safe_href
from kzgraph.formats import GZIP
from kzgraph.pipeline.dumps import Dump
from kzgraph.pipeline.stats import CLASSES
from kzgraph.site.html import page
from kzgraph.site.overview import Overview
from kzgraph.sparql.canned import CannedQuery

SEARCH_FORM = (
    "<form action='/search' method=get role=search class=search>"
    "<label for=q>Find a person, body, place, law or event under any spelling</label><br>"
    "<input id=q type=search name=q value='{value}' required maxlength=100 "
    "placeholder='e.g. Bokayev, Токаев, Mamai'> <button type=submit>Search</button></form>"
)


def local_path(iri: str, base: str) -> str:
    """Where this server serves an IRI minted under ``base`` (``/id/person/x``), else the IRI."""
    return "/" + iri.removeprefix(base) if iri.startswith(base) else iri


def _graph_link(graph: str) -> str:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return "/sparql?" + urlencode({"query": query})


def _counts_table(overview: Overview) -> str:
    short = [g.removeprefix("report/") for g in overview.graphs]
    head = "".join(f"<th>{escape(g)}</th>" for g in ["class", *short, "total"])
    rows = ""
    for cls in CLASSES:
        cells = "".join(
            f"<td>{overview.counts.get(cls, {}).get(g, 0)}</td>" for g in overview.graphs
        )
        rows += f"<tr><th scope=row>{cls}</th>{cells}<td>{overview.total(cls)}</td></tr>"
    return f"<table id=counts><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _reports_table(overview: Overview, base: str, readers: frozenset[str]) -> str:
    rows = "".join(
        f"<tr><td><a href='{escape(local_path(r.iri, base))}'>{escape(r.title)}</a>"
        + (f" (<a href='{escape(r.url)}'>original</a>)" if r.url and safe_href(r.url) else "")
        + (f" (<a class=reader href='/reports/{r.slug}/text'>text</a>)" if r.iri in readers else "")
        + f"</td><td>{escape(r.publishers)}</td><td>{escape(r.issued)}</td>"
        f"<td>{escape(r.genre)}</td><td><code title='SHA-256 of the text that was read'>"
        f"{escape(r.sha256[:12])}…</code></td>"
        f"<td><a href='{escape(_graph_link(r.graph))}'>Turtle</a> · "
        f"<a href='/editor?{escape(urlencode({'query': _graph_select(r.graph)}))}'>explore</a>"
        f"</td></tr>"
        for r in overview.reports
    )
    head = "".join(
        f"<th>{h}</th>"
        for h in ("report", "publisher", "issued", "genre", "source checksum", "report graph")
    )
    return f"<table id=reports><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _graph_select(graph: str) -> str:
    return (
        "SELECT ?type (COUNT(?s) AS ?n) WHERE {\n"
        f"  GRAPH <{graph}> {{ ?s a ?type }}\n}} GROUP BY ?type ORDER BY DESC(?n)"
    )


def home(
    overview: Overview,
    queries: list[CannedQuery],
    dumps: list[Dump],
    triples: int,
    base: str,
    readers: frozenset[str] = frozenset(),  # the reports whose text the server has (0021)
) -> str:
    canned = "".join(
        f"<li><a href='/queries/{escape(q.name)}'>{escape(q.summary)}</a></li>" for q in queries
    )
    dump_links = " · ".join(
        f"<a href='/dumps/{escape(d.name)}'>{escape(d.format_name)}</a>" for d in dumps
    )
    body = (
        "<h1>kzgraph</h1><p>A knowledge graph of human-rights reporting on Kazakhstan in which "
        "every statement is cited: each event, detention, charge, sentence, figure, "
        "recommendation and international reaction points to the passage of the report that "
        "states it (character offsets into the exact text read, identified by its SHA-256, and "
        f"a short quoted phrase). {len(overview.reports)} reports, {triples:,} triples "
        "(OWL 2 RL inferences included, in their own graph).</p>"
        + SEARCH_FORM.format(value="")
        + "<h2>Reports</h2>"
        + _reports_table(overview, base, readers)
        + "<h2>What the graph holds</h2><p>Instances per class (subclasses included) in each "
        "named graph; <code>entities</code> holds the people, bodies, places and laws several "
        "reports share, <code>assessments</code> our curation of the 2019 UPR "
        "recommendations.</p>"
        + _counts_table(overview)
        + f"<h2>Canned queries</h2><ul id=queries>{canned}</ul>"
        + "<h2>Data and services</h2><ul>"
        + "<li><a href='/editor'>SPARQL editor</a>, and the endpoint at <code>/sparql</code> "
        "(SPARQL 1.1 Protocol)</li>"
        + f"<li><a href='/dumps/'>Dumps</a>: {dump_links or 'none in this build'}</li>"
        + "<li><a href='/.well-known/void'>VoID and DCAT description</a></li>"
        + "<li><a href='/ontology'>The ontology</a></li></ul>"
    )
    return page("kzgraph", body, current="/")


def search_results(
    query: str, results: list[dict[str, Any]], error: str | None, status_note: str = ""
) -> str:
    body = "<h1>Search</h1>" + SEARCH_FORM.format(value=escape(query, quote=True))
    if error:
        body += f"<p class=error role=alert>{escape(error)}</p>"
    elif query:
        items = ""
        for r in results:
            reports = ", ".join(
                f"<a href='{escape(rep['href'])}'>{escape(rep['title'])}</a>"
                for rep in r["reports"]
            )
            spelled = (
                f" — as <q class=matched>{escape(r['matched'])}</q>"
                if r["matched"] != r["label"]
                else ""
            )
            items += (
                f"<li data-iri='{escape(r['iri'])}' data-score='{r['score']}'>"
                f"<a class=name href='{escape(r['href'])}'>{escape(r['label'])}</a> "
                f"<small class=type>{escape(', '.join(r['types']))}</small>{spelled} "
                f"<small>({escape(r['match'])}, score {r['score']})</small>"
                + (f"<br><small>in {reports}</small>" if reports else "")
                + "</li>"
            )
        found = f"{len(results)} result(s) for <q>{escape(query)}</q>{status_note}"
        body += f"<p id=found>{found}</p><ol id=results>{items}</ol>"
    return page(f"Search: {query}" if query else "Search", body, current="/search")


def dumps_page(dumps: list[Dump]) -> str:
    rows = "".join(
        f"<tr><td><a href='/dumps/{quote(d.name)}' download>{escape(d.name)}</a></td>"
        f"<td>{escape(d.title)}</td><td><code>{escape(d.media_type)}</code> in "
        f"<code>{GZIP.media}</code></td><td data-bytes='{d.size}'>{d.size / 1e6:.2f} MB</td>"
        f"<td><code class=sha256>{d.sha256}</code></td></tr>"
        for d in dumps
    )
    body = (
        "<h1>Dumps</h1><p>The whole graph, gzip-compressed, as built. N-Quads, TriG and "
        "JSON-LD keep the named graphs (one per report, plus entities, assessments, ontology, "
        "vocabularies and the inferred triples); the Turtle file merges them. Each file is "
        f"served as <code>{GZIP.media}</code> (download it and gunzip it, e.g. "
        "<code>curl -O …/dumps/kzgraph.nq.gz &amp;&amp; gunzip kzgraph.nq.gz</code>); RDF "
        "clients can read <code>/dumps/kzgraph.nq</code> (the name without <code>.gz</code>) "
        "as N-Quads, gzip-encoded if they accept it. Sizes "
        "are of the compressed files, checksums SHA-256. The same facts in RDF: "
        "<a href='/.well-known/void'>VoID and DCAT</a>.</p>"
    )
    if dumps:
        body += (
            "<table id=dumps><thead><tr><th>file</th><th>content</th><th>media type</th>"
            f"<th>size</th><th>SHA-256</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    else:
        body += "<p class=error role=alert>This server has no dumps: run 'kzgraph build'.</p>"
    return page("Dumps", body, current="/dumps/")


def unavailable(title: str, message: str) -> str:
    """The page for a 503: what could not be read, and that trying again may work."""
    return page(title, f"<h1>{escape(title)}</h1><p class=error role=alert>{escape(message)}</p>")

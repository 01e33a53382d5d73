"""The SPARQL endpoint's ``format=`` names and its writers of results (SPARQL JSON, XML, CSV, TSV)
and of graphs (by :mod:`kzgraph.formats`)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kzgraph.formats import (
    DATASET,
    GRAPH,
    JSON_LD,
    RDF_XML,
    SOLUTIONS,
    SPARQL_JSON,
    TURTLE,
    NotAcceptable,
    by_media,
    media_types,
    negotiate,
    of_kind,
)
from kzgraph.namespaces import PREFIXES
from kzgraph.sparql.durations import in_words, is_duration
from kzgraph.sparql.jsonld import write_jsonld


def named_format(names: str | Sequence[str], graph: bool) -> str:
    """The media type that ``format=`` / ``output=`` names for a graph (CONSTRUCT, DESCRIBE) or
    solutions answer; a name that does not fit is NotAcceptable, naming the ones that do.

    Several values must agree and empty ones are ignored: SPARQLWrapper sends the same choice
    as ``format``, ``output`` and ``results``, as a name and again as a comma-separated list of
    media types (``format=json-ld`` then ``format=`` JSON-LD's media type and an older one)."""
    kinds = (GRAPH, DATASET) if graph else (SOLUTIONS,)
    table = {name: f.media for f in of_kind(*kinds) for name in f.names}
    table |= {f.media: f.media for f in of_kind(*kinds)}  # a media type names itself
    chosen = {
        _one_named(name.strip(), table)
        for name in ([names] if isinstance(names, str) else names)
        if name.strip()
    }
    if len(chosen) > 1:
        raise FormatsDisagree(sorted(chosen))
    if not chosen:
        raise NotAcceptable(_names(table))
    return chosen.pop()


def _names(table: dict[str, str]) -> list[str]:
    return sorted(name for name in table if "/" not in name)


def _one_named(name: str, table: dict[str, str]) -> str:
    media = table.get(name.lower()) if "/" not in name else table.get(name)
    if media is None and "," in name:  # a list of media types, as in an Accept header
        media = negotiate(name, sorted(set(table.values())), "")
    if media is None:
        raise NotAcceptable(_names(table))
    return media


class NotRepresentable(ValueError):
    """A value cannot be written in the requested format (XML 1.0 forbids most control
    characters); the client should ask for another format rather than get altered data."""


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    if _XML_ILLEGAL.search(value):
        raise NotRepresentable(
            "a value holds a control character that XML cannot carry: ask for SPARQL JSON, CSV "
            f"or TSV (Accept: {SPARQL_JSON.media})"
        )
    return escape(value)


class FormatsDisagree(NotAcceptable):
    """The ``format``/``output`` parameters name different formats."""

    def __init__(self, named: Sequence[str]):
        ValueError.__init__(
            self, "the 'format' and 'output' parameters name different formats: " + ", ".join(named)
        )
        self.offered = list(named)


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{_xml_text(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{_xml_text(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{_xml_text(term.value)}</literal>"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{_xml_text(term.value)}</literal>"
        return f"<literal>{_xml_text(term.value)}</literal>"
    return f"<literal>{_xml_text(str(term))}</literal>"


def _csv_value(term: object, words: bool = False) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if words and isinstance(term, ox.Literal) and is_duration(term.datatype.value):
        return in_words(term.value) or term.value
    return str(getattr(term, "value", term))


def write_solutions(
    kind: str,
    variables: list[str],
    rows: list[list[object | None]],
    *,
    hidden: tuple[str, ...] = (),
    words: bool = False,
) -> bytes:
    """SELECT results in the SPARQL JSON, XML, CSV or TSV format; ``hidden`` columns are left
    out, and with ``words`` a CSV shows durations in words (the canned queries' CSV)."""
    if hidden:
        keep = [i for i, v in enumerate(variables) if v not in hidden]
        variables = [variables[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    if kind == "json":
        bindings = [
            {v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
            for row in rows
        ]
        doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
        return json.dumps(doc, ensure_ascii=False).encode("utf-8")
    if kind == "xml":
        out = [
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
            "<head>",
            *(f"<variable name={quoteattr(v)}/>" for v in variables),
            "</head>",
            "<results>",
        ]
        for row in rows:
            out.append("<result>")
            out += [
                f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            ]
            out.append("</result>")
        out += ["</results>", "</sparql>"]
        return "\n".join(out).encode("utf-8")
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for row in rows:
            writer.writerow(["" if t is None else _csv_value(t, words) for t in row])
        return buffer.getvalue().encode("utf-8")
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def write_boolean(kind: str, value: bool) -> bytes:
    if kind == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if kind == "xml":
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{str(value).lower()}</boolean></sparql>"
        ).encode()
    return str(value).lower().encode()


# An RDF/XML property is an XML element: namespace + local name, the local name an NCName that
# ends the predicate's IRI (pyoxigraph takes the longest one). <http://a/> has none.
_NAME_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_XML_LOCAL_NAME = re.compile(
    f"[{_NAME_START}][{_NAME_START}\\-.0-9\u00b7\u0300-\u036f\u203f-\u2040]*$"
)


def _check_rdfxml_predicates(triples: list[ox.Triple]) -> None:
    for triple in triples:
        if not _XML_LOCAL_NAME.search(triple.predicate.value):
            raise NotRepresentable(
                f"RDF/XML cannot write the predicate <{triple.predicate.value}>: an RDF/XML "
                "property is an XML element name, and this IRI does not end in one; ask for "
                f"Turtle, N-Triples, JSON-LD, TriG or N-Quads (Accept: {TURTLE.media})"
            )


def results_writer(media: str) -> str:
    """The key of :func:`write_solutions` for a solutions media type (KeyError: not one)."""
    found = by_media(media, SOLUTIONS)
    if found is None:
        raise KeyError(media)
    return found.results


def write_triples(media: str, triples: list[ox.Triple]) -> bytes:
    """Triples in the RDF format of ``media`` (TriG and N-Quads: in the default graph)."""
    found = by_media(media, GRAPH, DATASET)
    if found is None or found.rdf is None:
        raise NotAcceptable(media_types(GRAPH, DATASET))
    if found is JSON_LD:
        return write_jsonld(triples, {name: str(ns) for name, ns in PREFIXES.items()})
    fmt = found.rdf
    if found is RDF_XML:
        _check_rdfxml_predicates(triples)
    if fmt.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples]
        return ox.serialize(quads, format=fmt) or b""
    return ox.serialize(triples, format=fmt) or b""


def text_table(results_json: bytes, width: int = 60) -> str:
    """SPARQL JSON results as an aligned plain-text table for a terminal."""
    doc = json.loads(results_json)
    if "boolean" in doc:
        return str(doc["boolean"]).lower() + "\n"
    variables = doc["head"]["vars"]
    rows = [[b.get(v, {}).get("value", "") for v in variables] for b in doc["results"]["bindings"]]
    cells = [[c if len(c) <= width else c[: width - 1] + "…" for c in row] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines) + f"\n({len(rows)} row(s))\n"


__all__ = [
    "FormatsDisagree",
    "NotAcceptable",
    "NotRepresentable",
    "named_format",
    "results_writer",
    "text_table",
    "write_boolean",
    "write_solutions",
    "write_triples",
]

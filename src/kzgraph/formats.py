"""Every format kzgraph reads or writes, in one registry, and content negotiation over it.

Each :class:`Format` is one entry: its media type (and the other names it answers to), its file
suffix, its ``format=`` names, its label, the writer or parser that handles it (a pyoxigraph
:class:`~pyoxigraph.RdfFormat`, a key of the SPARQL results writer, an rdflib serialiser) and the
kind of answer it carries. Nothing else in kzgraph spells out a media type: routes, the build, the
dumps, the catalog and the remote store ask this module.

Adding an RDF output format is one entry in :data:`FORMATS` (with ``kind=GRAPH`` or ``DATASET``):
``/sparql`` then offers it for CONSTRUCT and DESCRIBE, ``/store`` and entity pages by ``Accept``
and by its suffix, and with ``dump`` set the build writes it and ``/dumps/`` lists it.

>>> by_suffix(".ttl").media
'text/turtle'
>>> negotiate("text/csv;q=0.5, application/sparql-results+json", media_types(SOLUTIONS), "")
'application/sparql-results+json'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

# Kinds of answer
SOLUTIONS = "solutions"  # SELECT and ASK results
GRAPH = "graph"  # triples: a description, a named graph, the ontology
DATASET = "dataset"  # quads (named graphs); a CONSTRUCT answer in the default graph
PAGE = "page"  # HTML for people
DATA = "data"  # plain JSON: listings, errors
QUERY = "query"  # SPARQL query text
UPDATE = "update"  # SPARQL update text
FORM = "form"  # URL-encoded parameters
ARCHIVE = "archive"  # a compressed file
TEXT = "text"  # plain text
ASSET = "asset"  # the pages' scripts and style sheets


@dataclass(frozen=True)
class Format:
    """One format: how it is named, negotiated, written and read."""

    media: str
    label: str
    kind: str
    suffix: str = ""  # the file or URL suffix that asks for it (".ttl")
    names: tuple[str, ...] = ()  # ``format=`` / ``output=`` names (as Fuseki and WDQS accept)
    aliases: tuple[str, ...] = ()  # other media types it is offered and labelled as
    older: tuple[str, ...] = ()  # obsolete names clients still send; answered as ``media``
    rdf: ox.RdfFormat | None = None  # pyoxigraph's writer and parser
    results: str = ""  # the SPARQL results writer's key (kzgraph.sparql.formats.write_solutions)
    parser: ox.QueryResultsFormat | None = None  # pyoxigraph's SPARQL results parser
    rdflib: str = ""  # rdflib's serialiser (the ontology, VoID, the service description)
    w3c: str = ""  # its name under http://www.w3.org/ns/formats/
    prefixed: bool = False  # written with the project's prefixes: people read it
    text: bool = False  # labelled ``; charset=utf-8`` (:attr:`labelled`)
    dump: int = 0  # its place in the list of dumps (0: the build does not dump it)

    @property
    def offered(self) -> tuple[str, ...]:
        """The media types a client may ask for it by and be answered with."""
        return (self.media, *self.aliases)

    def answers(self, media: str) -> bool:
        """Whether ``media`` names this format (its own type, an alias or an older name)."""
        return media == self.media or media in self.aliases or media in self.older

    @property
    def labelled(self) -> str:
        """The Content-Type of a response in this format."""
        return self.media + ("; charset=utf-8" if self.text else "")


SPARQL_JSON = Format(
    "application/sparql-results+json",
    "SPARQL JSON",
    SOLUTIONS,
    ".json",
    names=("json",),
    aliases=("application/json",),
    results="json",
    parser=ox.QueryResultsFormat.JSON,
    w3c="SPARQL_Results_JSON",
)
SPARQL_XML = Format(
    "application/sparql-results+xml",
    "SPARQL XML",
    SOLUTIONS,
    ".xml",
    names=("xml",),
    aliases=("application/xml",),
    results="xml",
    parser=ox.QueryResultsFormat.XML,
    w3c="SPARQL_Results_XML",
)
CSV = Format(
    "text/csv", "CSV", SOLUTIONS, ".csv", names=("csv",), results="csv", w3c="SPARQL_Results_CSV"
)
TSV = Format(
    "text/tab-separated-values",
    "TSV",
    SOLUTIONS,
    ".tsv",
    names=("tsv",),
    results="tsv",
    parser=ox.QueryResultsFormat.TSV,
    w3c="SPARQL_Results_TSV",
)
TURTLE = Format(
    "text/turtle",
    "Turtle",
    GRAPH,
    ".ttl",
    # Turtle is N3 without its extensions; SPARQLWrapper's N3 asks so
    names=("turtle", "ttl", "n3"),
    older=("application/x-turtle",),
    rdf=ox.RdfFormat.TURTLE,
    rdflib="turtle",
    w3c="Turtle",
    prefixed=True,
    text=True,
    dump=4,
)
N_TRIPLES = Format(
    "application/n-triples",
    "N-Triples",
    GRAPH,
    ".nt",
    names=("ntriples", "nt"),
    older=("text/plain",),  # older servers' name for N-Triples
    rdf=ox.RdfFormat.N_TRIPLES,
    rdflib="nt",
    w3c="N-Triples",
    text=True,
)
JSON_LD = Format(
    "application/ld+json",
    "JSON-LD",
    GRAPH,
    ".jsonld",
    names=("jsonld", "json-ld", "json"),
    rdf=ox.RdfFormat.JSON_LD,
    rdflib="json-ld",
    w3c="JSON-LD",
    dump=3,
)
RDF_XML = Format(
    "application/rdf+xml",
    "RDF/XML",
    GRAPH,
    ".rdf",
    names=("rdfxml", "rdf+xml", "xml"),
    rdf=ox.RdfFormat.RDF_XML,
    rdflib="xml",
    w3c="RDF_XML",
    prefixed=True,
)
TRIG = Format(
    "application/trig",
    "TriG",
    DATASET,
    ".trig",
    names=("trig",),
    older=("application/x-trig",),  # what rapper asks for
    rdf=ox.RdfFormat.TRIG,
    w3c="TriG",
    prefixed=True,
    dump=2,
)
N_QUADS = Format(
    "application/n-quads",
    "N-Quads",
    DATASET,
    ".nq",
    names=("nquads",),
    older=("text/x-nquads",),
    rdf=ox.RdfFormat.N_QUADS,
    w3c="N-Quads",
    dump=1,
)
HTML = Format("text/html", "HTML", PAGE, ".html", aliases=("application/xhtml+xml",), text=True)
JSON = Format("application/json", "JSON", DATA)
SPARQL_QUERY = Format("application/sparql-query", "SPARQL query", QUERY, ".rq", text=True)
SPARQL_UPDATE = Format("application/sparql-update", "SPARQL update", UPDATE, ".ru")
URL_ENCODED = Format("application/x-www-form-urlencoded", "URL-encoded form", FORM)
MULTIPART = Format("multipart/form-data", "multipart form", FORM)
GZIP = Format("application/gzip", "gzip", ARCHIVE, ".gz")
PLAIN = Format("text/plain", "plain text", TEXT, ".txt", text=True)
JAVASCRIPT = Format("text/javascript", "JavaScript", ASSET, ".js", text=True)
CSS = Format("text/css", "CSS", ASSET, ".css", text=True)
PNG = Format("image/png", "PNG image", ASSET, ".png")

# The registry, in order of preference where a route states none.
FORMATS: tuple[Format, ...] = (
    SPARQL_JSON,
    SPARQL_XML,
    CSV,
    TSV,
    TURTLE,
    N_TRIPLES,
    JSON_LD,
    RDF_XML,
    TRIG,
    N_QUADS,
    HTML,
    JSON,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    URL_ENCODED,
    MULTIPART,
    GZIP,
    PLAIN,
    JAVASCRIPT,
    CSS,
    PNG,
)


def of_kind(*kinds: str, first: Sequence[Format] = ()) -> list[Format]:
    """The formats of these kinds: ``first`` (a route's own order of preference), then the rest
    in registry order, so that a new entry is offered everywhere its kind is."""
    rest = [f for f in FORMATS if f.kind in kinds and f not in first]
    return [*first, *rest]


def media_types(*kinds: str, first: Sequence[Format] = ()) -> list[str]:
    """The media types (with aliases) to negotiate among for answers of these kinds."""
    return offer(of_kind(*kinds, first=first))


def offer(formats: Iterable[Format], *, aliases: bool = True) -> list[str]:
    """The media types of ``formats`` in order, each followed by its aliases (if ``aliases``)."""
    return [m for f in formats for m in (f.offered if aliases else (f.media,))]


def by_media(media: str, *kinds: str) -> Format | None:
    """The format a media type names (its own type first, then aliases and older names),
    among ``kinds`` (all kinds if none); parameters (``;charset=``) and case are ignored."""
    media = media.split(";")[0].strip().lower()
    candidates = [f for f in FORMATS if not kinds or f.kind in kinds]
    own = next((f for f in candidates if f.media == media), None)
    return own or next((f for f in candidates if f.answers(media)), None)


def content_type(media: str) -> str:
    """The Content-Type of a body in ``media``: a text format's says ``charset=utf-8``."""
    fmt = by_media(media)
    return fmt.labelled if fmt is not None and fmt.media == media else media


def answer_content_type(media: str) -> str:
    """The Content-Type of a query's answer (``/sparql``, ``/queries``): a ``text/`` type and
    SPARQL XML, by either of its names, say ``charset=utf-8``; the others are sent as they are,
    as clients of the endpoint have always seen them."""
    textual = media.startswith("text/") or SPARQL_XML.answers(media)
    return media + "; charset=utf-8" if textual else media


def by_suffix(suffix: str) -> Format | None:
    return next((f for f in FORMATS if f.suffix and f.suffix == suffix), None)


def by_name(name: str, *kinds: str) -> Format | None:
    """The format a ``format=`` name stands for among answers of ``kinds``."""
    name = name.lower()
    return next((f for f in FORMATS if f.kind in kinds and name in f.names), None)


def dumped() -> list[Format]:
    """The formats the build writes for download, in the order the dumps are listed."""
    return sorted((f for f in FORMATS if f.dump), key=lambda f: f.dump)


def accept_header(formats: Sequence[Format]) -> str:
    """An ``Accept`` header asking for ``formats`` in that order (q = 1, 0.9, 0.8…)."""
    weights = ["" if i == 0 else f";q={1 - i / 10:g}" for i in range(len(formats))]
    return ", ".join(f.media + w for f, w in zip(formats, weights, strict=True))


class NotAcceptable(ValueError):
    def __init__(self, offered: Sequence[str]):
        super().__init__(
            "none of the requested media types can be produced; offered: " + ", ".join(offered)
        )
        self.offered = list(offered)


def weighted(header: str) -> list[tuple[str, float]]:
    """The items of an ``Accept``-style header (lower-cased) with their q-values (RFC 9110)."""
    items: list[tuple[str, float]] = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        item = fields[0].lower()
        if not item:
            continue
        q = 1.0
        for param in fields[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        items.append((item, q))
    return items


def negotiate(accept: str | None, offered: Sequence[str], default: str) -> str:
    """The offered type the client prefers most (RFC 9110 q-values, specificity breaks ties,
    then the order of ``offered``); :class:`NotAcceptable` when it accepts none."""
    if not accept or not accept.strip():
        return default
    ranges = weighted(accept)
    best: tuple[float, int, int, str] | None = None
    for index, media in enumerate(offered):
        main = media.split("/")[0]
        # the most specific range that matches this media type decides its q
        matches = [
            (2 if p == media else 1 if p == f"{main}/*" else 0, q)
            for p, q in ranges
            if p in (media, f"{main}/*", "*/*")
        ]
        if not matches:
            continue
        specificity, q = max(matches)
        candidate = (q, specificity, -index, media)
        if q > 0 and (best is None or candidate[:3] > best[:3]):
            best = candidate
    if best is None:
        raise NotAcceptable(offered)
    return best[3]

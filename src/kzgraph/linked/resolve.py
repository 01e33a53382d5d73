"""From a request path to the IRI it names and the representation asked for, and back from an
IRI to a link that works on this server.

Every IRI ``{base}{path}`` is served at ``/{path}`` (docs/decisions/0007-linked-data.md): the
representation is chosen by a suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) or by
``Accept``. Links in pages are local paths (under ``KZGRAPH_PUBLIC_URL``'s path when it is set)
so that browsing works wherever the server runs, while the IRIs shown are the canonical ones."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from kzgraph.formats import GRAPH, HTML, JSON_LD, TURTLE, Format, by_media, of_kind


def resource_formats() -> list[Format]:
    """The RDF formats of a resource's description, best first: Turtle, so that a client that
    accepts anything (curl, */*) gets data; browsers ask for HTML."""
    return of_kind(GRAPH, first=(TURTLE, JSON_LD))


def representations() -> list[Format]:
    """Every representation of a resource: its RDF formats, then its page."""
    return [*resource_formats(), HTML]


# Paths the other routers own: a resource is never looked up there.
RESERVED = (
    "sparql",
    "store",
    "shapes",
    "queries",
    "health",
    ".well-known",
    "search",
    "reconcile",
    "reports",
    "editor",
    "dumps",
    "docs",
)


@dataclass(frozen=True)
class Requested:
    """What ``GET /{path}`` asks for: the IRI, and the media type its suffix fixes (if any)."""

    iri: str
    path: str  # without the suffix
    media: str | None


def requested(base_iri: str, path: str) -> Requested:
    """The IRI a request path names; a known format suffix is split off."""
    path = path.lstrip("/")
    for fmt in representations():
        if fmt.suffix and path.endswith(fmt.suffix) and len(path) > len(fmt.suffix):
            stem = path[: -len(fmt.suffix)]
            return Requested(base_iri + stem, stem, fmt.media)
    return Requested(base_iri + path, path, None)


def is_reserved(path: str) -> bool:
    return path.lstrip("/").split("/", 1)[0] in RESERVED


@dataclass(frozen=True)
class Links:
    """Turns canonical IRIs into links on this server (``prefix`` is the public URL's path)."""

    base_iri: str
    prefix: str = ""
    origin: str = ""  # scheme and host of the public URL, or of the request
    # the reports whose text this server has (KZGRAPH_SOURCES): their quotes link to the reader
    texts: frozenset[str] = frozenset()

    @classmethod
    def for_request(cls, base_iri: str, public_url: str | None, request_base: str) -> Links:
        """Behind a proxy (KZGRAPH_PUBLIC_URL) links keep the public URL's path; otherwise they
        are root-relative on the server that was asked."""
        url = urlsplit(public_url or request_base)
        return cls(base_iri, url.path.rstrip("/"), f"{url.scheme}://{url.netloc}")

    def local(self, iri: str) -> str:
        """A link to the resource on this server when the IRI is ours, else the IRI itself."""
        if iri.startswith(self.base_iri):
            rest = iri[len(self.base_iri) :]
            path, hash_, fragment = rest.partition("#")
            return f"{self.prefix}/{quote(path, safe='/-._~')}{hash_}{fragment}"
        return iri

    def passage(self, report: str | None, start: int | None, end: int | None) -> str | None:
        """The place of a passage in its report's reader, when this server has the text."""
        if report is None or start is None or end is None or report not in self.texts:
            return None
        return f"{self.prefix}/reports/{quote(report.rsplit('/', 1)[-1])}/text#e-{start}-{end}"

    def representation(self, path: str, media: str) -> str:
        """The link to the representation of ``path`` in ``media`` (by its suffix)."""
        fmt = by_media(media)
        if fmt is None or not fmt.suffix:
            raise KeyError(media)
        return f"{self.prefix}/{path}{fmt.suffix}"

    def absolute(self, link: str) -> str:
        return self.origin + link if link.startswith("/") else link

    def sparql(self, query: str) -> str:
        """The query opened in the SPARQL editor page (which runs it against /sparql)."""
        return f"{self.prefix}/editor?query={quote(query, safe='')}"


__all__ = [
    "Links",
    "Requested",
    "is_reserved",
    "representations",
    "requested",
    "resource_formats",
]

"""From a request path to the IRI it names and the representation asked for, and back from an
IRI to a link that works on this server.

Every IRI ``{base}{path}`` is served at ``/{path}`` (docs/decisions/0007-linked-data.md): the
representation is chosen by a suffix (``.ttl``, ``.jsonld``, ``.nt``, ``.rdf``, ``.html``) or by
``Accept``. Links in pages are local paths (under ``KZGRAPH_PUBLIC_URL``'s path when it is set)
so that browsing works wherever the server runs, while the IRIs shown are the canonical ones."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit

HTML = "text/html"
RDF_SUFFIXES = {
    ".ttl": "text/turtle",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
}
SUFFIXES = {**RDF_SUFFIXES, ".html": HTML}
SUFFIX_OF = {media: suffix for suffix, media in SUFFIXES.items()}
FORMAT_NAMES = {
    "text/turtle": "Turtle",
    "application/ld+json": "JSON-LD",
    "application/n-triples": "N-Triples",
    "application/rdf+xml": "RDF/XML",
}
# Turtle first: a client that accepts anything (curl, */*) gets data; browsers ask for text/html.
OFFERED = ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"]
OFFERED_WITH_HTML = [*OFFERED, HTML, "application/xhtml+xml"]
# Paths the other routers own: a resource is never looked up there.
RESERVED = (
    "sparql",
    "store",
    "shapes",
    "queries",
    "health",
    ".well-known",
    "search",
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
    for suffix, media in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix):
            stem = path[: -len(suffix)]
            return Requested(base_iri + stem, stem, media)
    return Requested(base_iri + path, path, None)


def is_reserved(path: str) -> bool:
    return path.lstrip("/").split("/", 1)[0] in RESERVED


@dataclass(frozen=True)
class Links:
    """Turns canonical IRIs into links on this server (``prefix`` is the public URL's path)."""

    base_iri: str
    prefix: str = ""
    origin: str = ""  # scheme and host of the public URL, or of the request

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

    def representation(self, path: str, media: str) -> str:
        return f"{self.prefix}/{path}{SUFFIX_OF[media]}"

    def absolute(self, link: str) -> str:
        return self.origin + link if link.startswith("/") else link

    def sparql(self, query: str) -> str:
        """The query opened in the SPARQL editor page (which runs it against /sparql)."""
        return f"{self.prefix}/editor?query={quote(query, safe='')}"


__all__ = [
    "FORMAT_NAMES",
    "HTML",
    "OFFERED",
    "OFFERED_WITH_HTML",
    "RDF_SUFFIXES",
    "SUFFIXES",
    "Links",
    "Requested",
    "is_reserved",
    "requested",
]

"""The ontology at its IRI: the hand-edited Turtle source, RDF/XML (what Protégé's "Open from URL"
asks for), JSON-LD, N-Triples and the pyLODE HTML documentation, each with an ETag.

pyLODE numbers the anchors of terms whose local names collide with imported ones (our
``kz:Person`` becomes ``#Person1`` while ``#Person`` is foaf:Person), which would send the hash IRI
``…/ontology#Person`` to the wrong term. The HTML served here gives every kzgraph term the anchor
of its own local name and renames the imported term that held it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from rdflib import Graph, URIRef

from kzgraph.answer import strong_etag
from kzgraph.formats import GRAPH, HTML, RDF_XML, TURTLE, by_media
from kzgraph.namespaces import OWL

_TERM_DIV = re.compile(
    r'<div class="(?P<cls>[^"]*\bentity\b[^"]*)" id="(?P<id>[^"]+)">\s*<h3>.*?<code>(?P<iri>[^<]+)'
    r"</code>",
    re.DOTALL,
)


class OntologyMissing(LookupError):
    """A document the build writes is not there (the build has not run)."""


@dataclass(frozen=True)
class Document:
    body: bytes
    media: str

    @property
    def etag(self) -> str:
        return strong_etag(self.body)


def fix_term_anchors(html: str, namespace: str) -> str:
    """Give each term of ``namespace`` the anchor ``#LocalName``; any other element holding that
    anchor gets a numbered one, and links to a kzgraph term's old anchor follow it."""
    divs = list(_TERM_DIV.finditer(html))
    ours = {m.group("iri")[len(namespace) :] for m in divs if m.group("iri").startswith(namespace)}
    taken = {m.group("id") for m in divs} | ours
    renames: list[tuple[int, int, str]] = []
    moved: dict[str, str] = {}
    counter = 0
    for m in divs:
        old, iri = m.group("id"), m.group("iri")
        if iri.startswith(namespace):
            new = iri[len(namespace) :]
            if sum(1 for d in divs if d.group("id") == old) == 1:
                moved[old] = new
        elif old in ours:
            counter += 1
            while f"{old}-{counter}" in taken:
                counter += 1
            new = f"{old}-{counter}"
            taken.add(new)
        else:
            continue
        renames.append((m.start("id"), m.end("id"), new))
    for start, end, new in reversed(renames):
        html = html[:start] + new + html[end:]
    if moved:
        pattern = re.compile(r'href="#(' + "|".join(map(re.escape, moved)) + r')"')
        html = pattern.sub(lambda m: f'href="#{moved[m.group(1)]}"', html)
    return html


class OntologyDocuments:
    """Every representation of the ontology, read or converted once."""

    def __init__(self, source: Path, built_dir: Path | None, ontology_iri: str):
        """``built_dir`` holds the build's HTML and RDF/XML of ``source`` (None: converted here,
        no HTML)."""
        self.source = source
        self.built_dir = built_dir
        self.iri = ontology_iri
        self._conversions: dict[str, Document] = {}

    @cached_property
    def graph(self) -> Graph:
        return Graph().parse(self.source, format="turtle")

    @cached_property
    def version_iris(self) -> set[str]:
        return {str(v) for v in self.graph.objects(URIRef(self.iri), OWL.versionIRI)}

    def answers(self, iri: str) -> bool:
        """The ontology IRI or one of its version IRIs."""
        return iri == self.iri or iri in self.version_iris

    def document(self, media: str) -> Document:
        if media == HTML.media:
            return self._html
        if media == TURTLE.media:
            return self._turtle
        if media == RDF_XML.media:
            return self._rdfxml
        return self._converted(media)

    @cached_property
    def _turtle(self) -> Document:
        return Document(self.source.read_bytes(), TURTLE.media)

    @cached_property
    def _html(self) -> Document:
        if self.built_dir is None:
            raise OntologyMissing(f"no HTML documentation of {self.iri}")
        path = self.built_dir / "index.html"
        if not path.exists():
            raise OntologyMissing(
                f"{path} not found: run 'kzgraph build' to write the documentation"
            )
        html = fix_term_anchors(path.read_text(encoding="utf-8"), self.iri + "#")
        return Document(html.encode("utf-8"), HTML.media)

    @cached_property
    def _rdfxml(self) -> Document:
        path = self.built_dir / "kzgraph.owl" if self.built_dir else None
        if path and path.exists():
            return Document(path.read_bytes(), RDF_XML.media)
        return self._converted(RDF_XML.media)

    def _converted(self, media: str) -> Document:
        if media not in self._conversions:
            fmt = by_media(media, GRAPH)
            if fmt is None or not fmt.rdflib:
                raise KeyError(media)
            body = self.graph.serialize(format=fmt.rdflib, encoding="utf-8")
            self._conversions[media] = Document(body, media)
        return self._conversions[media]


__all__ = ["Document", "OntologyDocuments", "OntologyMissing", "fix_term_anchors"]

"""``/ontology``: the ontology at its IRI (hash terms, so ``…/ontology#Act`` lands here too) and
at its version IRIs (``/ontology/0.1.0``), as Turtle, RDF/XML, JSON-LD, N-Triples or the HTML
documentation, by Accept or by a suffix (``.ttl``, ``.owl``/``.rdf``, ``.jsonld``, ``.nt``,
``.html``). ``/shapes``: the SHACL shapes at their IRI, the same way (no HTML)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error, etag_matches
from kzgraph.api.deps import KGDep
from kzgraph.api.page_safety import content_security_policy, inline_styles
from kzgraph.api.responses import choose, send
from kzgraph.core import KnowledgeGraph
from kzgraph.formats import GRAPH, HTML, JSON_LD, RDF_XML, TURTLE, content_type, of_kind, offer
from kzgraph.linked.ontology import OntologyDocuments, OntologyMissing
from kzgraph.linked.resolve import Links, requested

router = APIRouter()


def _offered(page: bool) -> list[str]:
    """The formats rdflib converts the source to, then the page (if ``page``). RDF/XML before
    JSON-LD: Protégé's "Open from URL" and OWL tools ask for it; */* gets Turtle."""
    rdf = [f for f in of_kind(GRAPH, first=(TURTLE, RDF_XML, JSON_LD)) if f.rdflib]
    return offer([*rdf, HTML] if page else rdf)


@router.api_route(
    "/ontology{rest:path}",
    methods=["GET", "HEAD"],
    response_class=Response,
    include_in_schema=False,
)
def ontology(rest: str, request: Request, kg: KGDep) -> Response:
    """The ontology document in the format asked for."""
    return _document(kg, kg.site.ontology_documents(), "ontology" + rest, request, _offered(True))


@router.api_route(
    "/shapes{rest:path}",
    methods=["GET", "HEAD"],
    response_class=Response,
    include_in_schema=False,
)
def shapes(rest: str, request: Request, kg: KGDep) -> Response:
    """The SHACL shapes in the format asked for."""
    return _document(kg, kg.site.shapes_documents(), "shapes" + rest, request, _offered(False))


def _document(
    kg: KnowledgeGraph,
    documents: OntologyDocuments,
    path: str,
    request: Request,
    offered: list[str],
) -> Response:
    settings = kg.settings
    if path.endswith(".owl"):
        path = path[: -len(".owl")] + ".rdf"
    req = requested(settings.base_iri, path)
    if not documents.answers(documents.iri.rsplit("/", 1)[0] + "/" + req.path):
        return send(error(404, f"no such document at /{path}"))
    media = req.media or choose(request, offered)
    if isinstance(media, Response):
        return media
    media = HTML.media if HTML.answers(media) else media
    try:
        document = documents.document(media)
    except OntologyMissing as exc:
        return send(error(404, str(exc)))
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    headers = {
        "ETag": document.etag,
        "Cache-Control": f"public, max-age={settings.cache_max_age}",
        "Vary": "Accept",
        "Content-Location": links.absolute(links.representation(req.path, media)),
    }
    if media == HTML.media:  # pyLODE's page: its own inline style, allowed by its hash
        styles = inline_styles(document.body.decode("utf-8"))
        headers["Content-Security-Policy"] = content_security_policy(styles)
    if etag_matches(request.headers.get("if-none-match"), document.etag):
        return Response(b"", 304, headers)
    # RDF/XML is labelled UTF-8 here (entity pages and /sparql leave it to its XML declaration)
    charset = "; charset=utf-8" if media == RDF_XML.media else ""
    return Response(document.body, 200, headers, content_type(media) + charset)

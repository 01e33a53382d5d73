"""``/dumps/``: the gzip dumps of the build, listed (HTML or JSON) and served.

``/dumps/kzgraph.ttl.gz`` is the download (``application/gzip``), unless ``Accept`` prefers the
dump's RDF media type to ``application/gzip`` (as rdflib's does): then, as at
``/dumps/kzgraph.ttl``, the RDF document itself, gzip-encoded (``Content-Encoding: gzip``) when
``Accept-Encoding`` allows gzip, else gunzipped. HEAD, Range, ETag and ``Repr-Digest`` hold for
each (:mod:`kzgraph.api.dump_responses`)."""

from __future__ import annotations

import json
from urllib.parse import quote

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error
from kzgraph.api import dump_responses
from kzgraph.api.deps import KGDep
from kzgraph.pipeline.dumps import GZIP
from kzgraph.site import home as site_pages
from kzgraph.sparql.formats import NotAcceptable, negotiate

router = APIRouter()


@router.api_route("/dumps/", methods=["GET", "HEAD"], response_class=Response)
def list_dumps(request: Request, kg: KGDep) -> Response:
    """The dumps with their media types, sizes and SHA-256 checksums (JSON; HTML for a browser)."""
    dumps = kg.site.dumps()
    try:
        media = negotiate(
            request.headers.get("accept"), ["application/json", "text/html"], "application/json"
        )
    except NotAcceptable as exc:
        answer = error(406, str(exc), offered=exc.offered)
        return Response(answer.body, 406, media_type=answer.media_type)
    if media == "text/html":
        return Response(site_pages.dumps_page(dumps), media_type="text/html; charset=utf-8")
    site = request.app.state.kg.settings.site_url()  # never the Host header
    listing = [
        {
            "name": d.name,
            "url": f"{site}/dumps/{quote(d.name)}",
            "document_url": f"{site}/dumps/{quote(d.document_name)}",
            "title": d.title,
            "media_type": d.media_type,
            "compress_format": GZIP,
            "bytes": d.size,
            "sha256": d.sha256,
        }
        for d in dumps
    ]
    return Response(json.dumps(listing), media_type="application/json")


@router.api_route(
    "/dumps/{name}", methods=["GET", "HEAD"], name="download_dump", response_class=Response
)
def download_dump(name: str, request: Request, kg: KGDep) -> Response:
    dumps = kg.site.dumps()
    dump = next((d for d in dumps if d.name == name), None)
    if dump is not None:
        if _prefers_rdf(request.headers.get("accept"), dump.media_type):
            location = f"/dumps/{quote(dump.document_name)}"
            return dump_responses.rdf_document(dump, request, "Accept, Accept-Encoding", location)
        return dump_responses.download(dump, request, "Accept, Accept-Encoding")
    dump = next((d for d in dumps if d.document_name == name), None)
    if dump is not None:
        return dump_responses.rdf_document(dump, request, "Accept-Encoding", None)
    names = ", ".join(n for d in dumps for n in (d.name, d.document_name))
    answer = error(
        404, f"no dump named {name!r}; the dumps are: {names or 'none (run kzgraph build)'}"
    )
    return Response(answer.body, 404, media_type=answer.media_type)


# Older names clients still send for the dumps' media types (rapper asks for application/x-trig).
ALIASES = {
    "text/turtle": ["application/x-turtle"],
    "application/trig": ["application/x-trig"],
    "application/n-quads": ["text/x-nquads"],
}


def _prefers_rdf(accept: str | None, media_type: str) -> bool:
    """Whether ``Accept`` ranks the dump's RDF media type (or an older name of it) above
    ``application/gzip``; a tie, such as ``*/*``, is the download."""
    try:
        return negotiate(accept, [GZIP, media_type, *ALIASES.get(media_type, [])], GZIP) != GZIP
    except NotAcceptable:
        return False  # as before content negotiation: the download

"""``/dumps/``: the gzip dumps of the build, listed (HTML or JSON) and served.

``/dumps/kzgraph.ttl.gz`` is the download (gzip), unless ``Accept`` prefers the dump's RDF media
type (or an older name of it) to gzip's (as rdflib's does): then, as at
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
from kzgraph.api.responses import choose, preferred, send
from kzgraph.formats import GZIP, HTML, JSON, by_media
from kzgraph.site import home as site_pages

router = APIRouter()


@router.api_route("/dumps/", methods=["GET", "HEAD"], response_class=Response)
def list_dumps(request: Request, kg: KGDep) -> Response:
    """The dumps with their media types, sizes and SHA-256 checksums (JSON; HTML for a browser)."""
    dumps = kg.site.dumps()
    media = choose(request, [JSON.media, HTML.media])
    if isinstance(media, Response):
        return media
    if media == HTML.media:
        return Response(site_pages.dumps_page(dumps), media_type=HTML.labelled)
    site = request.app.state.kg.settings.site_url()  # never the Host header
    listing = [
        {
            "name": d.name,
            "url": f"{site}/dumps/{quote(d.name)}",
            "document_url": f"{site}/dumps/{quote(d.document_name)}",
            "title": d.title,
            "media_type": d.media_type,
            "compress_format": GZIP.media,
            "bytes": d.size,
            "sha256": d.sha256,
        }
        for d in dumps
    ]
    return Response(json.dumps(listing), media_type=JSON.media)


@router.api_route(
    "/dumps/{name}", methods=["GET", "HEAD"], name="download_dump", response_class=Response
)
def download_dump(name: str, request: Request, kg: KGDep) -> Response:
    dumps = kg.site.dumps()
    dump = next((d for d in dumps if d.name == name), None)
    if dump is not None:
        if _prefers_rdf(request, dump.media_type):
            location = f"/dumps/{quote(dump.document_name)}"
            return dump_responses.rdf_document(dump, request, "Accept, Accept-Encoding", location)
        return dump_responses.download(dump, request, "Accept, Accept-Encoding")
    dump = next((d for d in dumps if d.document_name == name), None)
    if dump is not None:
        return dump_responses.rdf_document(dump, request, "Accept-Encoding", None)
    names = ", ".join(n for d in dumps for n in (d.name, d.document_name))
    known = names or "none (run kzgraph build)"
    return send(error(404, f"no dump named {name!r}; the dumps are: {known}"))


def _prefers_rdf(request: Request, media_type: str) -> bool:
    """Whether ``Accept`` ranks the dump's RDF media type (or an older name of it, such as
    the x-trig that rapper sends) above gzip; a tie, such as ``*/*``, is the download, and so
    is an ``Accept`` that names neither (as before content negotiation)."""
    fmt = by_media(media_type)
    older = fmt.older if fmt else ()
    return preferred(request, [GZIP.media, media_type, *older]) not in (None, GZIP.media)

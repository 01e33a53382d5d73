"""``/dumps/``: the gzip dumps of the build, listed (HTML or JSON) and served as downloads
(``application/gzip``, never a transparent ``Content-Encoding``; HEAD and Range work)."""

from __future__ import annotations

import base64
import json
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse

from kzgraph.api import site_pages
from kzgraph.api.deps import KGDep
from kzgraph.dumps import GZIP
from kzgraph.sparql.formats import NotAcceptable, negotiate
from kzgraph.sparql.service import error

router = APIRouter()


@router.api_route("/dumps/", methods=["GET", "HEAD"], response_class=Response)
def list_dumps(request: Request, kg: KGDep) -> Response:
    """The dumps with their media types, sizes and SHA-256 checksums (JSON; HTML for a browser)."""
    dumps = kg.dumps()
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
def download_dump(name: str, kg: KGDep) -> Response:
    dump = next((d for d in kg.dumps() if d.name == name), None)
    if dump is None:
        names = ", ".join(d.name for d in kg.dumps()) or "none (run 'kzgraph build')"
        answer = error(404, f"no dump named {name!r}; the dumps are: {names}")
        return Response(answer.body, 404, media_type=answer.media_type)
    return FileResponse(
        dump.path,
        media_type=GZIP,
        filename=dump.name,
        headers={
            "Cache-Control": "public, max-age=300",
            # RFC 9530: the checksum of the file as served
            "Repr-Digest": f"sha-256=:{base64.b64encode(bytes.fromhex(dump.sha256)).decode()}:",
        },
    )

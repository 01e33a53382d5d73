"""The three representations of a dump, each with its own ETag, ``Repr-Digest``, HEAD and Range:

- the download: the .gz file as gzip (:data:`kzgraph.formats.GZIP`, an attachment);
- the RDF document gzip-encoded: the same bytes as its RDF media type with
  ``Content-Encoding: gzip``, for clients that send ``Accept-Encoding: gzip``; Range applies to
  the encoded bytes (RFC 9110 §14.1.2);
- the RDF document as is: the gunzipped bytes, streamed (rdflib and rapper ask for no encoding).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator

from fastapi.responses import FileResponse
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from kzgraph.formats import GZIP, weighted
from kzgraph.pipeline.dumps import Dump

CACHE = "public, max-age=300"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)")


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` allows gzip (RFC 9110 §12.5.3). No header means identity:
    what urllib (rdflib) and libcurl (rapper) send, and what they can read."""
    if accept_encoding is None:
        return False
    quality = dict(weighted(accept_encoding))
    q = quality.get("gzip", quality.get("x-gzip", quality.get("*", 0.0)))
    return q > 0


def _digest(sha256: str) -> str:
    """RFC 9530 ``Repr-Digest`` of a representation whose SHA-256 is ``sha256`` (hex)."""
    return f"sha-256=:{base64.b64encode(bytes.fromhex(sha256)).decode()}:"


def _not_modified(request: Headers, etag: str) -> bool:
    match = request.get("if-none-match")
    if match is None:
        return False
    tags = {t.strip().removeprefix("W/") for t in match.split(",")}
    return "*" in tags or etag in tags


def _respond(request: Headers, etag: str, headers: dict[str, str], make: Response) -> Response:
    if _not_modified(request, etag):
        return Response(status_code=304, headers=headers | {"ETag": etag})
    return make


def download(dump: Dump, request: Request, vary: str) -> Response:
    """The .gz file as gzip: save it, gunzip it."""
    etag = f'"{dump.sha256[:32]}"'
    headers = {"Cache-Control": CACHE, "Vary": vary, "ETag": etag}
    return _respond(
        request.headers,
        etag,
        headers,
        FileResponse(
            dump.path,
            media_type=GZIP.media,
            filename=dump.name,
            headers=headers | {"Repr-Digest": _digest(dump.sha256)},
        ),
    )


def rdf_document(dump: Dump, request: Request, vary: str, location: str | None) -> Response:
    """The dump as its RDF media type: gzip-encoded if the client accepts gzip, else gunzipped."""
    headers = {"Cache-Control": CACHE, "Vary": vary}
    if location:
        headers["Content-Location"] = location
    asked = request.headers
    if accepts_gzip(asked.get("accept-encoding")):
        etag = f'"{dump.sha256[:32]}-gzip"'
        headers |= {"ETag": etag}
        return _respond(
            asked,
            etag,
            headers,
            FileResponse(
                dump.path,
                media_type=dump.media_type,
                headers=headers | {"Content-Encoding": "gzip", "Repr-Digest": _digest(dump.sha256)},
            ),
        )
    decoded = dump.decoded()
    etag = f'"{decoded.sha256[:32]}"'
    headers |= {"ETag": etag}
    if _not_modified(asked, etag):
        return Response(status_code=304, headers=headers)
    headers |= {"Accept-Ranges": "bytes", "Repr-Digest": _digest(decoded.sha256)}
    span = _byte_range(asked, etag, decoded.size)
    if isinstance(span, str):  # unsatisfiable
        return Response(
            status_code=416, headers=headers | {"Content-Range": f"bytes */{decoded.size}"}
        )
    start, length, status = 0, decoded.size, 200
    if span is not None:
        start, end = span
        length, status = end - start + 1, 206
        headers["Content-Range"] = f"bytes {start}-{end}/{decoded.size}"
    headers["Content-Length"] = str(length)
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=dump.media_type)
    body: Iterator[bytes] = dump.read_decoded(start, length)
    return StreamingResponse(body, status, headers, media_type=dump.media_type)


def _byte_range(request: Headers, etag: str, size: int) -> tuple[int, int] | str | None:
    """The one byte range asked for, inclusive; None for the whole representation (no Range, a
    stale If-Range, several ranges or one we do not parse: RFC 9110 lets a server ignore Range),
    or "unsatisfiable"."""
    header = request.get("range")
    if header is None:
        return None
    if_range = request.get("if-range")
    if if_range is not None and if_range.strip() != etag:
        return None
    match = _RANGE.fullmatch(header.strip())
    if match is None or (not match[1] and not match[2]):
        return None
    if not match[1]:  # the last N bytes
        suffix = int(match[2])
        if suffix == 0 or size == 0:
            return "unsatisfiable"
        return max(0, size - suffix), size - 1
    start = int(match[1])
    end = min(int(match[2]), size - 1) if match[2] else size - 1
    if match[2] and int(match[2]) < start:
        return None  # invalid: ignored
    if start >= size:
        return "unsatisfiable"
    return start, end

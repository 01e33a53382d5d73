"""``/assets/{path}``: the pages' scripts, style sheets and images, from package data
(:mod:`kzgraph.api.assets`), with a strong ETag (304 when it matches) and Cache-Control."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kzgraph.answer import error, etag_matches
from kzgraph.api import assets
from kzgraph.api.responses import send

router = APIRouter()


@router.get(assets.PREFIX + "/{path:path}", response_class=Response, include_in_schema=False)
def asset(path: str, request: Request) -> Response:
    found = assets.find(path)
    if found is None:
        return send(error(404, f"no asset named {path!r}"))
    headers = {"ETag": found.etag, "Cache-Control": found.cache_control}
    if etag_matches(request.headers.get("if-none-match"), found.etag):
        return Response(status_code=304, headers=headers)
    return Response(found.body, media_type=found.media, headers=headers)

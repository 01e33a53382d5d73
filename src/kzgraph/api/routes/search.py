"""``/search?q=``: names and other spellings, as JSON or an HTML page by ``Accept``."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kzgraph.answer import error
from kzgraph.api.deps import KGDep
from kzgraph.api.responses import choose, send
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.formats import HTML, JSON
from kzgraph.site import home as site_pages
from kzgraph.site.search import MAX_LIMIT, SearchError, check_query, keys

router = APIRouter()
PAGE = HTML.labelled


@router.get("/search", response_class=Response)
async def search(
    request: Request,
    kg: KGDep,
    q: Annotated[str | None, Query(description="Words of a name, in any spelling")] = None,
    limit: Annotated[int, Query(description=f"At most this many results (1-{MAX_LIMIT})")] = 20,
) -> Response:
    """People, bodies, places, laws, events and reports whose names or other spellings match
    ``q`` (accent-, case- and transliteration-insensitive, word prefixes, typos), best first."""
    media = choose(request, [JSON.media, HTML.media])
    if isinstance(media, Response):
        return media
    page = media == HTML.media
    if page and not q:  # the empty search page
        return Response(site_pages.search_results("", [], None), media_type=PAGE)
    try:
        check_query(q, limit)
        assert q is not None
        index = await from_store(kg.site.search_index, "search")
        hits = index.search(q, limit)
    except SearchError as exc:
        if page:
            body = site_pages.search_results(q or "", [], exc.message)
            return Response(body, exc.status, media_type=PAGE)
        return send(error(exc.status, exc.message))
    except SiteDataUnavailable as exc:
        if page:
            body = site_pages.unavailable("Search", str(exc))
            return Response(body, 503, {"Retry-After": "10"}, PAGE)
        answer = error(503, str(exc))
        answer.headers["Retry-After"] = "10"
        return send(answer)
    titles = index.titles()
    base = kg.settings.base_iri
    results = [h.describe(lambda iri: site_pages.local_path(iri, base), titles) for h in hits]
    if page:
        return Response(site_pages.search_results(q, results, None), media_type=PAGE)
    found = {"query": q, "keys": keys(q), "limit": limit, "results": results}
    return Response(json.dumps(found, ensure_ascii=False), media_type=JSON.media)

"""``/reports/{slug}/text``: a report's full text with its evidence passages highlighted, when
the server was given the texts (``KZGRAPH_SOURCES``; docs/decisions/0021-passage-in-context.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from kzgraph.api.deps import KGDep
from kzgraph.api.responses import choose, send
from kzgraph.formats import HTML
from kzgraph.linked.resolve import Links
from kzgraph.site.reader import answer_reader

router = APIRouter()


@router.get("/reports/{slug}/text", response_class=Response, include_in_schema=False)
async def report_text(slug: str, request: Request, kg: KGDep) -> Response:
    """The reader of one report; 404 (with the reason) when its text is missing or refused."""
    media = choose(request, [HTML.media])
    if isinstance(media, Response):
        return media
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    return send(await answer_reader(kg, slug, links, request.headers.get("if-none-match")))

"""``/reports/{slug}/text``: a report's full text with its evidence passages highlighted, when
the server was given the texts (``KZGRAPH_SOURCES``; docs/decisions/0021-passage-in-context.md).
"""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from kzgraph.api.deps import KGDep
from kzgraph.api.responses import choose
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.formats import HTML
from kzgraph.linked.resolve import Links
from kzgraph.site import home as site_pages
from kzgraph.site.reader import no_reader_html, reader_html

router = APIRouter()
PAGE = HTML.labelled


@router.get("/reports/{slug}/text", response_class=Response, include_in_schema=False)
async def report_text(slug: str, request: Request, kg: KGDep) -> Response:
    """The reader of one report; 404 (with the reason) when its text is missing or refused."""
    media = choose(request, [HTML.media])
    if isinstance(media, Response):
        return media
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    try:
        overview = await from_store(kg.site.overview, "the list of reports")
        info = next((r for r in overview.reports if r.slug == slug), None)
        if info is None:
            message = f"the graph has no report {slug!r}: see the reports on the home page"
            body = no_reader_html(f"{links.prefix}/", "No such report", message)
            return Response(body, 404, None, PAGE)
        iri, page = info.iri, links.local(info.iri)
        if not kg.site.has_sources:
            message = (
                "this server was not given the reports' texts (KZGRAPH_SOURCES), so it has no "
                "reader; the report's page cites each passage by its offsets"
            )
            return Response(no_reader_html(page, info.title, message), 404, None, PAGE)
        sources = await from_store(kg.site.sources, "the reports' texts")
        text = sources.texts.get(iri)
        if text is None:
            message = sources.refused.get(iri) or (
                f"no file in KZGRAPH_SOURCES has the SHA-256 of this report ({info.sha256})"
            )
            return Response(no_reader_html(page, info.title, message), 404, None, PAGE)
        spans = await from_store(lambda: kg.site.spans(iri), "the report's passages")
    except SiteDataUnavailable as exc:
        body = site_pages.unavailable("Reader", str(exc))
        return Response(body, 503, {"Retry-After": "10"}, PAGE)
    body = await run_in_threadpool(reader_html, iri, info.title, info.sha256, text, spans, links)
    return Response(body, media_type=PAGE)

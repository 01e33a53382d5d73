"""``/``: the home page (what the dataset is, its reports, counts, canned queries, a search box)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kzgraph.api.deps import KGDep
from kzgraph.api.site_data import SiteDataUnavailable, from_store
from kzgraph.formats import HTML
from kzgraph.site import home as site_pages

router = APIRouter()


@router.get("/", response_class=Response, include_in_schema=False)
async def home(kg: KGDep) -> Response:
    try:
        overview = await from_store(kg.site.overview, "the overview of the dataset")
        readers = frozenset[str]()
        if kg.site.has_sources:  # KZGRAPH_SOURCES: link each report's reader (decision 0021)
            readers = (await from_store(kg.site.sources, "the reports' texts")).available
    except SiteDataUnavailable as exc:
        body = site_pages.unavailable("kzgraph", str(exc))
        return Response(body, 503, {"Retry-After": "10"}, HTML.labelled)
    body = site_pages.home(
        overview,
        list(kg.queries().values()),
        kg.site.dumps(),
        kg.triples,
        kg.settings.base_iri,
        readers,
    )
    return Response(body, media_type=HTML.labelled)

"""``/map``: the acts of the reports by place, on a map drawn on the server."""

from __future__ import annotations

from fastapi import APIRouter, Response

from kzgraph.api.deps import ClientDep, KGDep
from kzgraph.api.responses import send
from kzgraph.linked.resolve import Links
from kzgraph.site.places import acts_map

router = APIRouter()


@router.get("/map", response_class=Response, include_in_schema=False)
async def places_map(kg: KGDep, client: ClientDep) -> Response:
    settings = kg.settings
    links = Links.for_request(settings.base_iri, settings.public_url, settings.site_url())
    return send(await acts_map(kg, links, client))

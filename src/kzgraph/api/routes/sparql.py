"""``/sparql``: the SPARQL 1.1 Protocol (query side). Parsing, checks, evaluation and headers are
the core's (``KnowledgeGraph.answer``); this route only reads the request within its limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from kzgraph.answer import Answer, error
from kzgraph.api.deps import ClientDep, KGDep, endpoint_url
from kzgraph.api.request_checks import read_body
from kzgraph.api.responses import preferred, send
from kzgraph.formats import HTML, SPARQL_QUERY, URL_ENCODED, offer
from kzgraph.sparql.description import rdf_formats
from kzgraph.sparql.protocol import ProtocolRequest

router = APIRouter()
ALLOWED = "GET, POST"
QUERY_DOC = "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)."
DEFAULT_GRAPH_DOC = (
    "A graph merged into the default graph (repeatable). Without default-graph-uri and "
    "named-graph-uri, the default graph is the merge of all graphs (each triple once)."
)
NAMED_GRAPH_DOC = "A named graph the query may use with GRAPH (repeatable)."
_IRIS: dict[str, object] = {"type": "array", "items": {"type": "string"}}
# The POST body is read by the core, not by FastAPI: describe it for the OpenAPI spec.
POST_BODY: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {
            SPARQL_QUERY.media: {
                "schema": {"type": "string", "description": QUERY_DOC},
                "example": "ASK {}",
            },
            URL_ENCODED.media: {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string", "description": QUERY_DOC},
                        "default-graph-uri": {**_IRIS, "description": DEFAULT_GRAPH_DOC},
                        "named-graph-uri": {**_IRIS, "description": NAMED_GRAPH_DOC},
                    },
                },
            },
        },
    }
}


def _wants_page(request: Request) -> bool:
    """Whether the client prefers HTML to the service description's RDF formats."""
    return preferred(request, offer([*rdf_formats(), HTML], aliases=False)) == HTML.media


async def _handle(request: Request, kg: KGDep, client: str) -> Response:
    url_query = request.scope.get("query_string", b"")
    if len(request.scope.get("raw_path", b"")) + len(url_query) > kg.limits.max_url:
        return send(
            error(
                414,
                f"the URL is longer than {kg.limits.max_url} bytes: send the query by POST",
            )
        )
    body = b""
    if request.method == "POST":
        read = await read_body(request, kg.limits.max_body)
        if isinstance(read, Answer):
            return send(read)
        body = read
    answer = await kg.answer(
        ProtocolRequest(
            request.method,
            url_query,
            request.headers.get("content-type"),
            body,
            request.headers.get("accept"),
            request.headers.get("if-none-match"),
            endpoint_url(request),
            client,
        )
    )
    return send(answer, kg.settings.send_timeout)


# Documented for OpenAPI clients; the core reads the raw query string itself.
DefaultGraphs = Annotated[
    list[str] | None, Query(alias="default-graph-uri", description=DEFAULT_GRAPH_DOC)
]
NamedGraphs = Annotated[
    list[str] | None, Query(alias="named-graph-uri", description=NAMED_GRAPH_DOC)
]


@router.get("/sparql", name="sparql_get", response_class=Response)
async def sparql_get(
    request: Request,
    kg: KGDep,
    client: ClientDep,
    query: Annotated[str | None, Query(description=QUERY_DOC)] = None,
    default_graph_uri: DefaultGraphs = None,
    named_graph_uri: NamedGraphs = None,
) -> Response:
    """Run a query given in the URL; without one, the service description (a browser that
    prefers HTML is sent to the SPARQL editor instead)."""
    if not request.url.query and _wants_page(request):
        return RedirectResponse("/editor", 303)
    return await _handle(request, kg, client)


@router.post("/sparql", response_class=Response, openapi_extra=POST_BODY)
async def sparql_post(
    request: Request,
    kg: KGDep,
    client: ClientDep,
    default_graph_uri: DefaultGraphs = None,
    named_graph_uri: NamedGraphs = None,
) -> Response:
    """Run a query sent as the body (Content-Type: the SPARQL query type) or as a form
    (query=...)."""
    return await _handle(request, kg, client)


@router.api_route(
    "/sparql",
    methods=["PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def sparql_other_methods(request: Request) -> Response:
    """405 with an ``Allow`` that names both methods (the router's own 405 names only GET)."""
    answer = error(405, f"use GET or POST for SPARQL queries, not {request.method}")
    answer.headers["Allow"] = ALLOWED
    return send(answer)

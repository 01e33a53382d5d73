"""``/sparql``: the SPARQL 1.1 Protocol (query side). Parsing, checks, evaluation and headers are
the SparqlService's; this route only reads the request within its size limits."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kzgraph.api.deps import SparqlDep
from kzgraph.sparql.service import Answer, error

router = APIRouter()
QUERY_DOC = "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE)."


def _send(answer: Answer) -> Response:
    return Response(answer.body, answer.status, answer.headers, answer.media_type)


async def _read_body(request: Request, limit: int) -> bytes | Answer:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return error(413, f"the request body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return error(413, f"the request body is larger than {limit} bytes")
    return bytes(body)


async def _handle(request: Request, service: SparqlDep) -> Response:
    url_query = request.scope.get("query_string", b"")
    if len(request.scope.get("raw_path", b"")) + len(url_query) > service.limits.max_url:
        return _send(
            error(
                414,
                f"the URL is longer than {service.limits.max_url} bytes: send the query by POST",
            )
        )
    body = b""
    if request.method == "POST":
        read = await _read_body(request, service.limits.max_body)
        if isinstance(read, Answer):
            return _send(read)
        body = read
    answer = await service.answer(
        request.method,
        url_query,
        request.headers.get("content-type"),
        body,
        request.headers.get("accept"),
        request.headers.get("if-none-match"),
        str(request.url_for("sparql_get")),
    )
    return _send(answer)


@router.get("/sparql", name="sparql_get", response_class=Response)
async def sparql_get(
    request: Request,
    service: SparqlDep,
    query: Annotated[str | None, Query(description=QUERY_DOC)] = None,
    default_graph_uri: Annotated[list[str] | None, Query(alias="default-graph-uri")] = None,
    named_graph_uri: Annotated[list[str] | None, Query(alias="named-graph-uri")] = None,
) -> Response:
    """Run a query given in the URL; without one, the service description."""
    return await _handle(request, service)


@router.post("/sparql", response_class=Response)
async def sparql_post(request: Request, service: SparqlDep) -> Response:
    """Run a query sent as application/sparql-query or as a form (query=...)."""
    return await _handle(request, service)

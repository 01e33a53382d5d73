"""A read-only SPARQL query endpoint (GET and POST). Queries run in the thread pool, never on
the event loop. The full SPARQL 1.1 Protocol with limits and timeouts is issue 8's work."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Header, Query, Response
from fastapi.responses import JSONResponse

from kzgraph.api.deps import StoreDep
from kzgraph.store import QuerySyntaxError

router = APIRouter()


def _answer(store: StoreDep, query: str, accept: str | None) -> Response:
    if not query.strip():
        return JSONResponse({"error": "missing 'query' parameter"}, status_code=400)
    media = (accept or "").split(",")[0].split(";")[0].strip() or None
    try:
        answer = store.query(query, media)
    except QuerySyntaxError as exc:
        return JSONResponse({"error": "query syntax", "message": str(exc)}, status_code=400)
    return Response(answer.body, media_type=answer.media_type)


@router.get("/sparql")
def sparql_get(
    store: StoreDep,
    query: Annotated[str, Query(max_length=100_000)] = "",
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    return _answer(store, query, accept)


@router.post("/sparql")
def sparql_post(
    store: StoreDep,
    query: Annotated[str, Form(max_length=100_000)] = "",
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    return _answer(store, query, accept)

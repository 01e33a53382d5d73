"""One error shape for every answer, ``{"error": "<what went wrong and what to do>", ...}``:
the routes' own errors (kzgraph.sparql.service.error) and, through these handlers, FastAPI's
request validation (422, formerly ``{"detail": [...]}``) and Starlette's 404, 405 and 400s
(unknown route, wrong method, a malformed multipart body)."""

from __future__ import annotations

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from kzgraph.answer import error


def _send(
    status: int, text: str, headers: dict[str, str] | None = None, **extra: object
) -> Response:
    answer = error(status, text, **extra)
    return Response(answer.body, status, {**answer.headers, **(headers or {})}, answer.media_type)


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for item in exc.errors():
        where = [str(part) for part in item.get("loc", ())]
        problems.append(
            {
                "in": where[0] if where else "request",
                "parameter": ".".join(where[1:]),
                "message": str(item.get("msg", "not valid")),
            }
        )
    text = "; ".join(f"{p['parameter'] or p['in']}: {p['message']}" for p in problems)
    return _send(422, f"the request is not valid: {text}", problems=problems)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    if exc.status_code == 404:
        text = f"nothing at {request.url.path}"
    elif exc.status_code == 405:
        allowed = headers.get("Allow") or headers.get("allow")
        text = f"{request.method} is not allowed on {request.url.path}" + (
            f": use {allowed}" if allowed else ""
        )
    else:
        text = str(exc.detail)
    return _send(exc.status_code, text, headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)

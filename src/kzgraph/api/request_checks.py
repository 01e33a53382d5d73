"""Checks every request passes before any route sees it (issue 12, finding 9), as ASGI middleware:

- both ``Content-Length`` and ``Transfer-Encoding``: 400, and the connection is closed (RFC 9112
  §6.1: a proxy in front that reads the other length would see a different request, "request
  smuggling");
- a percent-escape in the path or the query string that is not UTF-8 (``%FF``): 400 naming the
  byte, instead of a U+FFFD that silently changes a query, a search or a parameter;
- ``HEAD`` is answered wherever ``GET`` is, as ``GET`` without the body (RFC 9110 §9.3.2).
"""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kzgraph.answer import Answer, error
from kzgraph.sparql.protocol import FormNotUtf8, parse_form

# routes that answer HEAD themselves without producing the body (the dumps: a FileResponse)
NATIVE_HEAD = ("/dumps/",)


def _refusal(scope: Scope) -> Answer | None:
    names = {name.lower() for name, _ in scope["headers"]}
    if b"content-length" in names and b"transfer-encoding" in names:
        answer = error(
            400,
            "the request has both Content-Length and Transfer-Encoding: send one of them "
            "(RFC 9112, section 6.1)",
        )
        answer.headers["Connection"] = "close"
        return answer
    path = scope.get("raw_path") or scope["path"].encode()
    raw = unquote_to_bytes(path)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return error(
            400,
            f"the URL path is not UTF-8: it has the byte %{raw[exc.start]:02X} at byte "
            f"{exc.start} (percent-escapes must encode UTF-8 text)",
        )
    try:
        parse_form(scope.get("query_string", b""), "URL query string")
    except FormNotUtf8 as exc:
        return error(400, str(exc))
    return None


async def read_body(request: Request, limit: int) -> bytes | Answer:
    """A route's request body, or a 413 as soon as it is longer than ``limit`` bytes (by its
    Content-Length, or as it arrives)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        return error(413, f"the request body is larger than {limit} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            return error(413, f"the request body is larger than {limit} bytes")
    return bytes(body)


class RequestChecks:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refused = _refusal(scope)
        if refused is not None:
            headers = {**refused.headers, "Content-Type": refused.media_type}
            await send(
                {
                    "type": "http.response.start",
                    "status": refused.status,
                    "headers": [
                        (k.lower().encode(), v.encode())
                        for k, v in {**headers, "Content-Length": str(len(refused.body))}.items()
                    ],
                }
            )
            body = b"" if scope["method"] == "HEAD" else refused.body
            await send({"type": "http.response.body", "body": body})
            return
        if scope["method"] != "HEAD" or scope["path"].startswith(NATIVE_HEAD):
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":  # the GET's, Content-Length included
                await send(message)
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                await send({"type": "http.response.body", "body": b""})

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)

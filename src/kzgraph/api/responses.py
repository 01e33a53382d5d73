"""Answers as HTTP responses: in memory, or streamed from the file a worker spooled a large answer
to, with backpressure and a send timeout (docs/decisions/0016); and the one content negotiation
step every route takes, which answers 406 with the media types on offer."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Sequence

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from kzgraph.answer import Answer, error
from kzgraph.formats import NotAcceptable, negotiate

CHUNK = 256 * 1024


class SlowReader(Exception):
    """The client did not accept the next part of an answer in time; the connection is dropped."""


class SpooledResponse(Response):
    """A body read from ``path`` part by part: the server holds one part, not the answer. The
    file is removed as soon as it is open. Each part must be accepted within ``send_timeout``
    seconds (uvicorn waits while the client's socket is full)."""

    def __init__(
        self, path: str, status: int, headers: dict[str, str], media: str, send_timeout: float
    ):
        super().__init__(None, status, headers, media)
        self.path = path
        self.send_timeout = send_timeout
        self.headers["content-length"] = str(os.path.getsize(path))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            spooled = open(self.path, "rb")  # noqa: SIM115 (closed below, after the stream)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        with spooled:
            await send(
                {
                    "type": "http.response.start",
                    "status": self.status_code,
                    "headers": self.raw_headers,
                }
            )
            if scope.get("method") == "HEAD":
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            while True:
                part = spooled.read(CHUNK)
                message = {"type": "http.response.body", "body": part, "more_body": bool(part)}
                try:
                    await asyncio.wait_for(send(message), self.send_timeout)
                except TimeoutError:
                    raise SlowReader(
                        f"the client took more than {self.send_timeout:g} s to read"
                    ) from None
                if not part:
                    return


def send(answer: Answer, send_timeout: float = 30.0) -> Response:
    """The response for an answer of the core (one with no media type, such as a 304, has no
    Content-Type)."""
    if answer.file is not None:
        return SpooledResponse(
            answer.file, answer.status, answer.headers, answer.media_type, send_timeout
        )
    return Response(answer.body, answer.status, answer.headers, answer.media_type or None)


def preferred(request: Request, offered: Sequence[str]) -> str | None:
    """The offered media type the client's ``Accept`` ranks first (the first offered when it
    sends none), or None when it accepts none of them."""
    try:
        return negotiate(request.headers.get("accept"), offered, offered[0])
    except NotAcceptable:
        return None


def choose(request: Request, offered: Sequence[str]) -> str | Response:
    """The offered media type the client prefers (the first offered when it does not say), or
    the 406 response that lists the offer, in order."""
    media = preferred(request, offered)
    if media is None:
        exc = NotAcceptable(offered)
        return send(error(406, str(exc), offered=exc.offered))
    return media

"""HTTP/1.1 connections: uvicorn's h11 protocol with what a public server needs on top
(issue 12, finding 9), passed to ``uvicorn.run(http=...)`` by ``kzgraph serve``.

- **A time limit on the request head** (``KZGRAPH_HEADER_TIMEOUT``): a connection that has not
  sent a complete request line and headers within that many seconds of opening, or of starting
  its next request, gets a 408 and is closed. Without it, "slowloris" clients trickling one
  header byte at a time hold connections (and file descriptors) forever.
- **414 / 431 rather than a reset**: h11 refuses a head larger than its buffer (16 KiB); uvicorn
  answered 400 and closed at once, and a client still sending its 1 MB URL saw a connection
  reset, not the answer. Now a request line that does not fit is a 414, headers that do not fit a
  431, and every refusal is a lingering close: the answer is sent, the sending side shut down, and
  what the client still sends is read and dropped for a moment, so that the kernel does not reset
  the connection before the client has read the answer.
- Every such answer is JSON in the project's error shape, ``{"error": ...}``.
- **One send per answer**: uvicorn writes an answer's head and its body separately, and with
  ``TCP_NODELAY`` each write is a system call and a packet of its own. The writes made in one turn
  of the event loop are joined and sent once (at most COALESCE_BYTES are held back; a larger
  write flushes at once), which halves the sends of a small answer
  (docs/decisions/0027-faster-answers.md).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import h11
from h11._connection import DEFAULT_MAX_INCOMPLETE_EVENT_SIZE  # as uvicorn does
from uvicorn.protocols.http.h11_impl import H11Protocol

from kzgraph.formats import JSON

LINGER_SECONDS = 2.0
COALESCE_BYTES = 64 * 1024


class CoalescingTransport:
    """A transport whose writes within one turn of the event loop reach the socket as one."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop):
        self._transport = transport
        self._loop = loop
        self._parts: list[bytes] = []
        self._size = 0

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._parts:
            self._loop.call_soon(self.flush)
        self._parts.append(bytes(data))
        self._size += len(data)
        if self._size > COALESCE_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._parts:
            return
        data = b"".join(self._parts)
        self._parts.clear()
        self._size = 0
        if not self._transport.is_closing():
            self._transport.write(data)

    def write_eof(self) -> None:
        self.flush()
        self._transport.write_eof()

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class GuardedH11Protocol(H11Protocol):
    header_timeout: float = 10.0  # set by guarded_protocol()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_timer: asyncio.TimerHandle | None = None
        self._head = b""  # the start of the request head being received (at most limit + 4)
        self._lingering = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        # the answers' writes go through it (flow control still reads the socket's own transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._lingering:
            return  # the answer is sent: drop the rest of what the client sends
        if self.conn.their_state is h11.IDLE:  # receiving a request head
            self._arm()
            limit = self._limit()
            self._head = (self._head + data)[: limit + 4]
            if len(self._head) > limit and b"\r\n\r\n" not in self._head:
                self._too_large()  # h11 checks only while it waits for more: all in one read too
                return
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE:  # the head is complete
            self._disarm()
            self._head = b""

    def send_400_response(self, msg: str) -> None:
        """h11 refused what was received (uvicorn's handler of RemoteProtocolError)."""
        if len(self._head) > self._limit():
            self._too_large()
        else:
            self._refuse(400, "invalid HTTP request: it does not follow HTTP/1.1 (RFC 9112)")

    def _too_large(self) -> None:
        limit = self._limit()
        if b"\n" in self._head[:limit]:
            self._refuse(431, f"the request headers are larger than {limit} bytes")
        else:
            self._refuse(414, f"the request line is longer than {limit} bytes")

    def _limit(self) -> int:
        size = self.config.h11_max_incomplete_event_size
        return size if size is not None else DEFAULT_MAX_INCOMPLETE_EVENT_SIZE

    def _arm(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(self.header_timeout, self._head_too_slow)

    def _disarm(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_too_slow(self) -> None:
        self._head_timer = None
        if self.transport.is_closing() or self.conn.their_state is not h11.IDLE:
            return
        self._refuse(
            408,
            f"the request head did not arrive within {self.header_timeout:g} seconds "
            "(KZGRAPH_HEADER_TIMEOUT)",
        )

    def _refuse(self, status: int, message: str) -> None:
        """Answer without h11 (whose state may be ERROR) and close lingeringly."""
        self._disarm()
        if self.transport.is_closing():
            return
        body = json.dumps({"error": message}).encode()
        reason = {400: "Bad Request", 408: "Request Timeout", 414: "URI Too Long"}.get(
            status, "Request Header Fields Too Large"
        )
        head = (
            f"HTTP/1.1 {status} {reason}\r\ncontent-type: {JSON.media}\r\n"
            f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
        )
        self.transport.write(head.encode() + body)
        self._lingering = True
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.flow.resume_reading()
        self.loop.call_later(LINGER_SECONDS, self.transport.close)


def guarded_protocol(header_timeout: float) -> type[GuardedH11Protocol]:
    """The protocol class for ``uvicorn.run(http=...)`` with this header timeout."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_timeout": header_timeout})

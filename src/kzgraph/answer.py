"""What the core answers with: a status, a body (in memory, or spooled to a file when large), its
media type and headers. The API turns it into an HTTP response (:mod:`kzgraph.api.responses`);
the CLI prints its body."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field

from kzgraph.formats import JSON


@dataclass
class Answer:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)
    # a large answer stays on disk, in this file, until it is streamed (kzgraph.api.responses)
    file: str | None = None

    def content(self) -> bytes:
        """The body, read from (and removing) its file when it was spooled."""
        if self.file is None:
            return self.body
        path, self.file = self.file, None
        with open(path, "rb") as spooled:
            self.body = spooled.read()
        with contextlib.suppress(OSError):
            os.unlink(path)
        return self.body


def strong_etag(data: bytes | str) -> str:
    """A strong ETag for ``data``: the first 128 bits of its SHA-256, quoted."""
    raw = data.encode() if isinstance(data, str) else data
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header (a comma-separated list) names ``tag``."""
    return bool(if_none_match) and tag in [t.strip() for t in (if_none_match or "").split(",")]


def error(status: int, text: str, /, **extra: object) -> Answer:
    body = json.dumps({"error": text, **extra}).encode()
    return Answer(status, body, JSON.media)

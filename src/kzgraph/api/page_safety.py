"""What keeps the site's pages from running anything but their own code (issue 12, finding 8).

- Every HTML response carries a Content-Security-Policy: scripts, styles, images and requests
  only from this server (the pages load nothing from elsewhere), no plugins, no framing, forms
  only to this server. The pages' few inline ``<style>`` blocks are allowed by their SHA-256, so
  an injected ``<style>`` or ``<script>`` would not apply; the ``<script>`` blocks typed as JSON
  or JSON-LD are data, which a CSP does not govern.
- Links built from query results or data go only to http(s), mailto or relative URLs
  (:func:`safe_href`): ``javascript:`` or ``data:`` IRIs are shown as text. In the editor,
  YASR's table passes each cell through DOMPurify, which drops such an ``href``.
- Three pages bring their own policy, as strict as their library allows
  (docs/decisions/0022-sparql-editor.md): the editor allows the two fixed ``<style>`` blocks
  YASGUI's table writes, by hash; ``/docs`` Swagger UI's inline set-up script, by hash;
  ``/redoc`` inline styles and a ``blob:`` worker (ReDoc writes its CSS at run time).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kzgraph.formats import HTML

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL | re.IGNORECASE)
_SCRIPT_BLOCK = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def safe_href(url: str) -> str | None:
    """``url`` when a browser would follow it to an http(s) or mailto address or it is relative;
    None for any other scheme (``javascript:``, ``data:``, ``vbscript:``, ``file:`` …).

    Browsers drop tabs and newlines anywhere in a URL and control characters and spaces at its
    ends before they read the scheme (WHATWG URL), so ``" java\\tscript:"`` is checked as
    ``javascript:``."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("".join(map(chr, range(0x21))))
    match = _SCHEME.match(cleaned)
    if match is None:
        return url  # relative: this server
    return url if match.group(1).lower() in SAFE_SCHEMES else None


def style_source(css: str) -> str:
    """The CSP source expression allowing one inline ``<style>`` (or ``<script>``) block with
    this content."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode()
    return f"'sha256-{digest}'"


def inline_styles(html: str) -> list[str]:
    """The contents of a trusted document's ``<style>`` blocks (the built ontology page)."""
    return _STYLE_BLOCK.findall(html)


def inline_scripts(html: str) -> list[str]:
    """The contents of a trusted generated document's inline ``<script>`` blocks (the ones
    without ``src``), to allow by hash."""
    return _SCRIPT_BLOCK.findall(html)


def content_security_policy(
    styles: Iterable[str] = (),
    frame_ancestors: str = "'none'",
    *,
    scripts: Iterable[str] = (),
    injected_styles: bool = False,
    blob_workers: bool = False,
) -> str:
    """The policy for a page whose inline ``<style>`` blocks hold ``styles``; only a page made
    to be shown in another site's frame (the reconciliation preview) widens
    ``frame_ancestors``. ``scripts``: the inline ``<script>`` blocks a generated page must run
    (Swagger UI's set-up), allowed by their hash. ``injected_styles``: for a library that writes
    its own ``<style>`` elements at run time (ReDoc), ``'unsafe-inline'`` styles, never
    scripts; ``blob_workers``: for one that starts its search worker from a ``blob:`` URL it
    made from its own code (ReDoc again) (docs/decisions/0022-sparql-editor.md)."""
    style_sources = " ".join(["'self'", *sorted({style_source(css) for css in styles})])
    if injected_styles:  # hashes would make a browser ignore 'unsafe-inline'
        style_sources = "'self' 'unsafe-inline'"
    script_sources = " ".join(["'self'", *sorted({style_source(js) for js in scripts})])
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src {script_sources}",
            f"style-src {style_sources}",
            "img-src 'self' data:",
            "connect-src 'self'",
            "form-action 'self'",
            "base-uri 'none'",
            f"frame-ancestors {frame_ancestors}",
            *(["worker-src blob:"] if blob_workers else []),
        ]
    )


class PagePolicy:
    """ASGI middleware: a Content-Security-Policy on every HTML response that has none of its
    own (the ontology's page brings one naming its own style), and ``nosniff`` on every
    response so that no answer is run as a script or page it does not declare itself to be."""

    def __init__(self, app: ASGIApp, styles: Iterable[str]) -> None:
        self.app = app
        self.policy = content_security_policy(styles)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_policy(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                html = headers.get("content-type", "").lower().startswith(HTML.media)
                if html and "content-security-policy" not in headers:
                    headers["Content-Security-Policy"] = self.policy
            await send(message)

        await self.app(scope, receive, send_with_policy)

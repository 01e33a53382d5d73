"""The scripts, style sheets and images the pages load, served from package data under
``/assets/`` (``kzgraph/api/static``): the editor's own script and style, and the vendored
front-end libraries (``static/vendor``, their versions and licences in ``VENDORED.md``;
docs/decisions/0022-sparql-editor.md). Nothing is loaded from a CDN."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from importlib.resources.abc import Traversable

from kzgraph.answer import strong_etag
from kzgraph.formats import ASSET, Format, by_suffix

PREFIX = "/assets"
VENDOR = "vendor/"
# the vendored files change only with their version (a new ETag); ours may change more often
VENDOR_CACHE = "public, max-age=86400"
OWN_CACHE = "public, max-age=300"
YASGUI = "vendor/yasgui/yasgui.min.js"
# YASR's table has a column resizer that writes two fixed <style> elements at run time: its rules
# (read from the vendored script, so an update keeps them exact) and the cursor while dragging
_RESIZER_STYLE = re.compile(r"createStyle\(\w+,`( \.grip-resizable\{[^`]*)`\)")
DRAG_CURSOR_STYLE = "*{cursor:col-resize!important}"


@dataclass(frozen=True)
class Asset:
    body: bytes
    media: str  # its Content-Type
    etag: str
    cache_control: str


def root() -> Traversable:
    return resources.files("kzgraph.api") / "static"


@lru_cache(maxsize=64)
def find(path: str) -> Asset | None:
    """The asset at ``path`` under ``/assets/`` (read once), or None when there is none: an
    unknown file, a name without a script, style or image suffix, or a path that leaves the
    folder."""
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    fmt: Format | None = by_suffix("." + parts[-1].rsplit(".", 1)[-1]) if "." in parts[-1] else None
    if fmt is None or fmt.kind != ASSET:
        return None
    node = root()
    for part in parts:
        node = node / part
    if not node.is_file():
        return None
    body = node.read_bytes()
    cache = VENDOR_CACHE if path.startswith(VENDOR) else OWN_CACHE
    return Asset(body, fmt.labelled, strong_etag(body), cache)


@lru_cache(maxsize=1)
def editor_styles() -> tuple[str, ...]:
    """The ``<style>`` blocks YASGUI writes on the editor page, to allow by their hash (decision
    0022) rather than allowing every inline style."""
    script = (root() / YASGUI).read_text(encoding="utf-8")
    return (*_RESIZER_STYLE.findall(script), DRAG_CURSOR_STYLE)

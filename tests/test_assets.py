"""The pages' scripts and styles and the vendored libraries (YASGUI, Swagger UI, ReDoc) over a
real server: the right media type, an ETag and Cache-Control, 304, nothing outside the folder;
each library's licence and version record in the package; /docs and /redoc load only these and
carry a policy that names what they run (docs/decisions/0022-sparql-editor.md)."""

from __future__ import annotations

import hashlib
import re
from importlib import resources

import pytest

from kzgraph.api.assets import editor_styles
from kzgraph.api.page_safety import style_source

from .server import fetch

VENDORED = {
    "vendor/yasgui/yasgui.min.js": "text/javascript",
    "vendor/yasgui/yasgui.min.css": "text/css",
    "vendor/swagger-ui/swagger-ui-bundle.js": "text/javascript",
    "vendor/swagger-ui/swagger-ui.css": "text/css",
    "vendor/swagger-ui/favicon-32x32.png": "image/png",
    "vendor/redoc/redoc.standalone.js": "text/javascript",
}
OURS = {"editor.js": "text/javascript", "editor.css": "text/css"}
LICENCES = {
    "yasgui": ("MIT License", "@zazuko/yasgui", "4.6.2"),
    "swagger-ui": ("Apache License", "swagger-ui-dist", "5.35.0"),
    "redoc": ("MIT License", "redoc", "2.5.4"),
}
STATIC = resources.files("kzgraph.api") / "static"


@pytest.mark.parametrize(("path", "media"), [*VENDORED.items(), *OURS.items()])
def test_assets_are_served_with_their_media_type_and_caching(
    real_server: str, path: str, media: str
) -> None:
    status, headers, body = fetch(f"{real_server}/assets/{path}")
    assert status == 200 and headers["Content-Type"].split(";")[0] == media
    assert body == (STATIC / path).read_bytes()
    assert headers["X-Content-Type-Options"] == "nosniff"
    age = int(re.search(r"max-age=(\d+)", headers["Cache-Control"]).group(1))  # type: ignore[union-attr]
    assert age == (86400 if path.startswith("vendor/") else 300)
    assert headers["ETag"] == '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    status, _, again = fetch(
        f"{real_server}/assets/{path}", headers={"If-None-Match": headers["ETag"]}
    )
    assert status == 304 and again == b""


@pytest.mark.parametrize(
    "path",
    [
        "other.js",
        "vendor/yasgui/LICENSE",  # in the package, not served as a script or style
        "vendor/../editor.js",
        "vendor/%2e%2e/editor.js",
        ".hidden.js",
        "vendor/yasgui/",
        "",
    ],
)
def test_nothing_else_is_served_as_an_asset(real_server: str, path: str) -> None:
    status, headers, body = fetch(f"{real_server}/assets/{path}")
    assert status == 404 and headers["Content-Type"].startswith("application/json"), body


@pytest.mark.parametrize(("folder", "expected"), LICENCES.items())
def test_each_vendored_library_ships_its_licence_and_version_record(
    folder: str, expected: tuple[str, str, str]
) -> None:
    licence, package, version = expected
    assert licence in (STATIC / "vendor" / folder / "LICENSE").read_text()
    record = (STATIC / "vendor" / "VENDORED.md").read_text()
    row = next(line for line in record.splitlines() if line.startswith(f"| `{package}` "))
    assert f"| {version} |" in row and "sha512-" in row
    for path in VENDORED:  # the record's SHA-256 of each file is the file's
        if path.startswith(f"vendor/{folder}/"):
            digest = hashlib.sha256((STATIC / path).read_bytes()).hexdigest()
            assert f"`{path.removeprefix('vendor/')}`" in record and digest in record, path


def test_the_api_pages_load_only_local_assets_under_a_policy_naming_them(
    real_server: str,
) -> None:
    for path, script in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        status, headers, body = fetch(real_server + path, headers={"Accept": "text/html"})
        page = body.decode()
        assert status == 200 and script in page
        assert "cdn." not in page and "fonts.googleapis" not in page
        urls = re.findall(r"""(?:src|href)=["']([^"']+)""", page)
        assert urls and all(u.startswith("/assets/vendor/") for u in urls), urls
        policy = dict(
            d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";")
        )
        assert policy["default-src"] == "'none'" and policy["connect-src"] == "'self'"
        assert (
            "unsafe" not in policy["script-src"] and "*" not in headers["Content-Security-Policy"]
        )
        inline = re.findall(r"<script>(.*?)</script>", page, re.DOTALL)
        assert policy["script-src"].split() == ["'self'", *[style_source(js) for js in inline]]
    status, headers, _ = fetch(real_server + "/redoc")
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    # ReDoc writes its styles as <style> elements and builds its search worker from a blob
    assert policy["style-src"] == "'self' 'unsafe-inline'" and policy["worker-src"] == "blob:"
    status, headers, _ = fetch(real_server + "/docs")
    assert "unsafe" not in headers["Content-Security-Policy"]
    assert "worker-src" not in headers["Content-Security-Policy"]


def test_the_editor_allows_only_yasgui_s_two_fixed_styles_besides_its_own(
    real_server: str,
) -> None:
    _, headers, body = fetch(real_server + "/editor", headers={"Accept": "text/html"})
    policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
    assert policy["script-src"] == "'self'" and "unsafe" not in headers["Content-Security-Policy"]
    styles = re.findall(r"<style>(.*?)</style>", body.decode(), re.DOTALL)
    allowed = {style_source(css) for css in [*styles, *editor_styles()]}
    assert set(policy["style-src"].split()) == {"'self'", *allowed}
    assert len(editor_styles()) == 2 and ".grip-resizable{" in editor_styles()[0]

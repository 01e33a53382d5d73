"""``/docs`` (Swagger UI) and ``/redoc`` (ReDoc) over ``/openapi.json``, built by FastAPI's own
page functions but loading the vendored copies under ``/assets/vendor/`` (no CDN, no Google
Fonts, no validator badge), each page with a policy naming exactly what it runs
(docs/decisions/0022-sparql-editor.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

from kzgraph.api.assets import PREFIX
from kzgraph.api.page_safety import content_security_policy, inline_scripts, inline_styles
from kzgraph.formats import HTML

router = APIRouter()
SWAGGER = f"{PREFIX}/vendor/swagger-ui"
REDOC = f"{PREFIX}/vendor/redoc"
# validatorUrl None: Swagger UI would otherwise show a badge image from validator.swagger.io
SWAGGER_PARAMETERS = {"validatorUrl": None, "deepLinking": True, "tryItOutEnabled": False}


def _with_policy(body: str, *, redoc: bool = False) -> Response:
    policy = content_security_policy(
        inline_styles(body),
        scripts=inline_scripts(body),
        injected_styles=redoc,  # styled-components writes <style> elements
        blob_workers=redoc,  # its search index runs in a worker made from its own code
    )
    return Response(body, media_type=HTML.labelled, headers={"Content-Security-Policy": policy})


@router.get("/docs", response_class=Response, include_in_schema=False)
def swagger_ui(request: Request) -> Response:
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title}: API (Swagger UI)",
        swagger_js_url=f"{SWAGGER}/swagger-ui-bundle.js",
        swagger_css_url=f"{SWAGGER}/swagger-ui.css",
        swagger_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        swagger_ui_parameters=SWAGGER_PARAMETERS,
    )
    return _with_policy(bytes(page.body).decode())


@router.get("/redoc", response_class=Response, include_in_schema=False)
def redoc(request: Request) -> Response:
    page = get_redoc_html(
        openapi_url=request.app.openapi_url,
        title=f"{request.app.title}: API (ReDoc)",
        redoc_js_url=f"{REDOC}/redoc.standalone.js",
        redoc_favicon_url=f"{SWAGGER}/favicon-32x32.png",
        with_google_fonts=False,
    )
    return _with_policy(bytes(page.body).decode(), redoc=True)

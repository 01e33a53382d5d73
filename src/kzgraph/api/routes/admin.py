"""``POST /admin/reports``: ingest a report into the running server (kzgraph.pipeline.ingest).

Disabled (403) unless ``KZGRAPH_ADMIN_TOKEN`` is set; then a bearer token, compared in constant
time. The body is multipart: ``annotation`` (the report's YAML file, named <report-id>.yaml) and
``source`` (its plain text, to check the evidence; needed unless the file of that name is in
``KZGRAPH_SOURCES_DIR``). Problems are a 422 that lists each
one with its file, line, entry and field, and nothing is changed. The public ``/sparql`` stays
read-only.
"""

from __future__ import annotations

import hmac
import json
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from kzgraph.answer import Answer, error
from kzgraph.api.deps import KGDep
from kzgraph.core import IngestBusy
from kzgraph.formats import JSON, MULTIPART
from kzgraph.pipeline.ingest import IngestError
from kzgraph.pipeline.pending import InterruptedIngest
from kzgraph.store.durable import StoreBusy

router = APIRouter()

UPLOAD_BODY: dict[str, object] = {
    "parameters": [
        {
            "name": "dry_run",
            "in": "query",
            "required": False,
            "schema": {"type": "boolean", "default": False},
            "description": "Check and say what would change; write nothing.",
        }
    ],
    "requestBody": {
        "required": True,
        "content": {
            MULTIPART.media: {
                "schema": {
                    "type": "object",
                    "required": ["annotation"],
                    "properties": {
                        "annotation": {
                            "type": "string",
                            "format": "binary",
                            "description": "The report file, <report-id>.yaml (data/README.md).",
                        },
                        "source": {
                            "type": "string",
                            "format": "binary",
                            "description": (
                                "The report's plain text: the evidence is checked against it. "
                                "Needed unless KZGRAPH_SOURCES_DIR holds it."
                            ),
                        },
                    },
                }
            }
        },
    },
    "responses": {
        "401": {"description": "Missing or wrong bearer token."},
        "403": {"description": "The admin API is disabled (no KZGRAPH_ADMIN_TOKEN)."},
        "409": {"description": "Another ingest is running, or the server uses a remote store."},
        "413": {"description": "The request body is too large."},
        "422": {"description": "The report has problems; each names its file, line and field."},
    },
}


def _send(answer: Answer, headers: dict[str, str] | None = None) -> Response:
    return Response(
        answer.body, answer.status, {**answer.headers, **(headers or {})}, answer.media_type
    )


def _refusal(request: Request, kg: KGDep) -> Response | None:
    """403 when disabled, 401 without the right token, 409 with a remote store."""
    token = kg.settings.admin_token
    if token is None or not token.get_secret_value():
        return _send(
            error(
                403, "the admin API is disabled: set KZGRAPH_ADMIN_TOKEN on the server to enable it"
            )
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        given.strip().encode(), token.get_secret_value().encode()
    ):
        return _send(
            error(401, "send the admin token as 'Authorization: Bearer <token>'"),
            {"WWW-Authenticate": 'Bearer realm="kzgraph admin"'},
        )
    if kg.settings.store:
        return _send(
            error(
                409,
                "this server queries a remote store (KZGRAPH_STORE): run 'kzgraph ingest' where "
                "the build is, then 'kzgraph push'",
            )
        )
    declared = request.headers.get("content-length")
    if declared is None or not declared.isdigit():
        return _send(error(411, "send a Content-Length"))
    if int(declared) > kg.settings.max_upload_bytes:
        return _send(
            error(413, f"the request body is larger than {kg.settings.max_upload_bytes} bytes")
        )
    return None


async def _save(upload: UploadFile, folder: Path) -> tuple[Path, str]:
    shown = Path(upload.filename or "").name
    if shown in ("", ".", "..") or "\x00" in shown:
        shown = "upload"
    folder.mkdir()
    path = folder / shown
    path.write_bytes(await upload.read())
    return path, shown


TRUE, FALSE = {"true", "1", "yes", "on"}, {"false", "0", "no", "off"}


def _dry_run(request: Request) -> bool | Response:
    """``?dry_run=``, read after the token is checked (a FastAPI parameter would be validated
    first, and a request without a token would learn about parameters before its 401)."""
    values = request.query_params.getlist("dry_run")
    if not values:
        return False
    if len(values) == 1 and values[0].lower() in TRUE | FALSE:
        return values[0].lower() in TRUE
    return _send(
        error(422, f"dry_run must be true or false once, not {', '.join(map(repr, values))}")
    )


@router.post("/admin/reports", response_class=Response, openapi_extra=UPLOAD_BODY)
async def add_report(request: Request, kg: KGDep) -> Response:
    """Add or replace one report (dry_run: check and say what would change, write nothing)."""
    refused = _refusal(request, kg)
    if refused is not None:
        return refused
    dry_run = _dry_run(request)
    if isinstance(dry_run, Response):
        return dry_run
    async with request.form(max_files=2, max_fields=4) as form:
        annotation, source = form.get("annotation"), form.get("source")
        if not isinstance(annotation, UploadFile):
            return _send(error(400, "send the report file as the multipart field 'annotation'"))
        if source is not None and not isinstance(source, UploadFile):
            return _send(
                error(400, "send the source text as a file in the multipart field 'source'")
            )
        with tempfile.TemporaryDirectory(prefix="kzgraph-upload-") as tmp:
            path, shown = await _save(annotation, Path(tmp) / "annotation")
            source_path = source_shown = None
            if source is not None:
                source_path, source_shown = await _save(source, Path(tmp) / "source")
            try:
                outcome = await run_in_threadpool(
                    lambda: kg.ingest(
                        path,
                        source_path,
                        dry_run=dry_run,
                        display=shown,
                        source_display=source_shown,
                    )
                )
            except IngestError as exc:
                return _send(_problems(exc))
            except (StoreBusy, InterruptedIngest, IngestBusy) as exc:
                return _send(error(409, str(exc)))
    return Response(json.dumps(outcome.as_dict()), 200, media_type=JSON.media)


def _problems(exc: IngestError) -> Answer:
    problems = [
        {
            "file": str(p.file),
            "line": p.line,
            "entry": p.entry,
            "field": p.field,
            "message": p.message,
            "text": str(p),
        }
        for p in exc.problems
    ]
    return error(
        422,
        f"the report was not ingested: {len(problems)} problem(s); nothing changed",
        problems=problems,
    )


@router.api_route(
    "/admin/reports",
    methods=["GET", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"],
    include_in_schema=False,
)
async def admin_other_methods(request: Request) -> Response:
    """405 with ``Allow: POST`` (without it, GET would reach the linked-data catch-all)."""
    return _send(error(405, f"send reports with POST, not {request.method}"), {"Allow": "POST"})

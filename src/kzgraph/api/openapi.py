"""The OpenAPI document as the server behaves (issue 12, finding 9): every status an operation can
answer, every error in the one shape ``{"error": ...}`` (kzgraph.api.errors), and the limits the
server applies, from the settings it runs with. tests/test_openapi_fuzz.py has schemathesis check
that no answer has a status the document does not list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from kzgraph.formats import JSON
from kzgraph.namespaces import ID
from kzgraph.settings import Settings
from kzgraph.site.reconcile import BATCH_SCHEMA
from kzgraph.site.search import MAX_LIMIT, MAX_QUERY_CHARS

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What went wrong, what to do."}},
    "additionalProperties": True,
    "description": "Every error: a message, and fields that locate the problem when there are.",
}
# answered for any operation, by the connection or the checks before the routes
# (kzgraph.api.connection, kzgraph.api.request_checks)
COMMON = {
    "400": "A malformed request: a percent-escape that is not UTF-8 (named in the message), "
    "both Content-Length and Transfer-Encoding, or not HTTP/1.1.",
    "408": "The request line and headers did not arrive within KZGRAPH_HEADER_TIMEOUT seconds.",
    "414": "The request line is longer than the server reads (16 KiB).",
    "431": "The request headers are larger than the server reads (16 KiB).",
}
QUERY_ERRORS = {
    "400": "The query is not valid SPARQL (line and column given), is refused before parsing "
    "(SERVICE, nesting deeper than KZGRAPH_MAX_NESTING), or could not be evaluated.",
    "403": "A SPARQL update: the endpoint is read-only.",
    "406": "None of the accepted media types can be produced (the offered ones are listed), or "
    "the answer cannot be written in the one asked for (RDF/XML for some predicates).",
    # listed for the per-client budgets of the query service (issue 12, findings 1-5)
    "429": "This client has spent its query-time budget or already runs a long query: "
    "try again after Retry-After seconds.",
    "503": "The query ran past KZGRAPH_QUERY_TIMEOUT, or the server is busy: try again.",
}


def _statuses(settings: Settings) -> dict[tuple[str, str], dict[str, str]]:
    url = f"The URL is longer than KZGRAPH_MAX_URL_BYTES ({settings.max_url_bytes} bytes)."
    body = f"The body is larger than KZGRAPH_MAX_BODY_BYTES ({settings.max_body_bytes} bytes)."
    fresh = {"304": "Not modified: the If-None-Match ETag is current."}
    reconcile = {
        "400": "queries is not a JSON object of queries, or a query is not valid (the message "
        "names the query and what was expected: a name, a known type, a limit in "
        f"1-{MAX_LIMIT}), or callback= (JSONP is not offered).",
        "406": QUERY_ERRORS["406"],
        "503": "The search index is being built: try again (Retry-After).",
    }
    return {
        ("get", "/health"): {},
        ("get", "/.well-known/void"): {"406": QUERY_ERRORS["406"]},
        ("get", "/sparql"): {
            **fresh,
            "303": "A browser without a query is sent to the SPARQL editor.",
            **QUERY_ERRORS,
            "414": url,
        },
        ("post", "/sparql"): {**fresh, **QUERY_ERRORS, "413": body, "414": url},
        ("get", "/queries"): {"406": QUERY_ERRORS["406"]},
        ("get", "/queries/{name}"): {
            **fresh,
            "400": QUERY_ERRORS["400"],
            "404": "No canned query of that name, or an unknown format suffix.",
            "406": QUERY_ERRORS["406"],
            "422": "A parameter value of the wrong type, or given twice.",
            "429": QUERY_ERRORS["429"],
            "503": QUERY_ERRORS["503"],
        },
        ("get", "/search"): {
            "400": "No words to search for.",
            "406": QUERY_ERRORS["406"],
            "422": f"More than {MAX_QUERY_CHARS} characters, too many words, or a limit "
            f"outside 1-{MAX_LIMIT}.",
            "503": "The search index is being built: try again (Retry-After).",
        },
        ("get", "/reconcile"): reconcile,
        ("post", "/reconcile"): {
            **reconcile,
            "413": body,
            "415": "The body is not a URL-encoded form.",
        },
        ("get", "/reconcile/preview"): {
            "400": "No id.",
            "404": "No entity has that IRI.",
            "406": QUERY_ERRORS["406"],
            "503": reconcile["503"],
        },
        ("get", "/reconcile/view"): {
            "303": "To the entity's page on this server.",
            "400": "No id.",
            "404": "No entity has that IRI.",
            "503": reconcile["503"],
        },
        ("get", "/editor/results.csv"): {
            **fresh,
            **QUERY_ERRORS,
            "414": url,
            "422": "No query parameter.",
        },
        ("get", "/dumps/"): {"406": QUERY_ERRORS["406"]},
        ("head", "/dumps/"): {"406": QUERY_ERRORS["406"]},
        ("get", "/dumps/{name}"): {
            "206": "The requested range.",
            "404": "No dump of that name.",
            "416": "The range is outside the file.",
        },
        ("head", "/dumps/{name}"): {"404": "No dump of that name."},
        ("post", "/admin/reports"): {
            "400": "The multipart body is malformed, or has no 'annotation' file.",
            "411": "No Content-Length.",
            "413": "The body is larger than KZGRAPH_MAX_UPLOAD_BYTES "
            f"({settings.max_upload_bytes} bytes).",
            "422": "The report has problems (each with file, line, entry and field), or "
            "dry_run is neither true nor false.",
        },
    }


def _error_response(text: str) -> dict[str, Any]:
    return {
        "description": text,
        "content": {JSON.media: {"schema": {"$ref": "#/components/schemas/Error"}}},
    }


def _limits(path: str, method: str, operation: dict[str, Any], settings: Settings) -> None:
    """The limits the server applies, where a schema can state them."""
    for parameter in operation.get("parameters", []):
        name, schema = parameter["name"], parameter.get("schema", {})
        if (path, name) in (("/sparql", "query"), ("/editor/results.csv", "query")):
            parameter["schema"] = {"type": "string", "minLength": 1}
            parameter["description"] = (
                "A SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE); the whole URL is at "
                f"most {settings.max_url_bytes} bytes."
            )
        elif (path, name) == ("/search", "q"):  # without it: 400 (a browser gets the form)
            parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": MAX_QUERY_CHARS}
            parameter["required"] = True
        elif path.startswith("/reconcile/") and name == "id":  # without it: 400
            parameter["schema"] = {"type": "string", "minLength": 1}
            parameter["required"] = True
            parameter["example"] = f"{ID}place/almaty"
        elif (path, name) == ("/reconcile", "queries"):  # a JSON text
            del parameter["schema"]
            parameter["content"] = {JSON.media: {"schema": BATCH_SCHEMA}}
        elif name in ("default-graph-uri", "named-graph-uri"):
            parameter["schema"] = {"type": "array", "items": {"type": "string", "minLength": 1}}
        elif (path, name) == ("/search", "limit"):
            schema.update({"minimum": 1, "maximum": MAX_LIMIT})
    if (path, method) == ("/reconcile", "post"):
        operation["requestBody"]["description"] = (
            f"At most {settings.max_body_bytes} bytes (KZGRAPH_MAX_BODY_BYTES)."
        )
    if (path, method) == ("/sparql", "post"):
        for content in operation["requestBody"]["content"].values():
            body = content["schema"]
            target = body if body.get("type") == "string" else body["properties"]["query"]
            target["minLength"] = 1
        operation["requestBody"]["description"] = (
            f"At most {settings.max_body_bytes} bytes (KZGRAPH_MAX_BODY_BYTES)."
        )


def describe(app: FastAPI, settings: Settings) -> Callable[[], dict[str, Any]]:
    """``app.openapi``: FastAPI's document with the real statuses, error shape and limits."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        spec = get_openapi(
            title=app.title, version=app.version, description=app.description, routes=app.routes
        )
        schemas = spec.setdefault("components", {}).setdefault("schemas", {})
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        schemas["Error"] = ERROR
        statuses = _statuses(settings)
        for path, operations in spec["paths"].items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)  # FastAPI's {"detail"}: only where it can happen
                wanted = {**COMMON, **statuses.get((method, path), {})}
                parameters = operation.get("parameters", [])
                if any(p.get("required") and p["in"] == "query" for p in parameters):
                    wanted.setdefault("422", "A required parameter is missing or not valid.")
                for code, text in wanted.items():
                    responses.setdefault(code, {"description": text})
                for code, response in responses.items():
                    if code.startswith(("4", "5")):
                        responses[code] = _error_response(response["description"])
                _limits(path, method, operation, settings)
        app.openapi_schema = spec
        return spec

    return openapi

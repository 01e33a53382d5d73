"""The SPARQL 1.1 Protocol, query side: from an HTTP request to a checked :class:`Job`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from kzgraph.formats import (
    DATASET,
    GRAPH,
    SOLUTIONS,
    SPARQL_JSON,
    SPARQL_QUERY,
    SPARQL_UPDATE,
    TURTLE,
    URL_ENCODED,
    media_types,
    negotiate,
)
from kzgraph.sparql.formats import named_format
from kzgraph.sparql.guard import QueryRefused, dataset_clause, inspect_query, star_columns
from kzgraph.sparql.workers import Job

POST_TYPES = f"{SPARQL_QUERY.media} or {URL_ENCODED.media}"


@dataclass(frozen=True)
class ProtocolRequest:
    """A request to the SPARQL endpoint, as the route read it (the body within its limit)."""

    method: str
    url_query: bytes  # the raw query string
    content_type: str | None
    body: bytes
    accept: str | None
    if_none_match: str | None
    endpoint: str  # the endpoint's own URL: the base IRI of queries, the description's subject
    client: str = ""  # who is asking, for the fairness ledger


@dataclass(frozen=True)
class Limits:
    max_body: int = 100_000
    max_url: int = 8_000
    max_depth: int = 64
    max_rows: int | None = None
    max_answer_bytes: int | None = 128 * 1024 * 1024


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        raise QueryRefused(400, f"give exactly one '{name}' parameter, not {len(values)}")
    return values[0] if values else None


def _no_update(params: dict[str, list[str]]) -> None:
    """A request with both a query and an update is malformed (400); an update alone is refused."""
    if "update" in params:
        if "query" in params:
            raise QueryRefused(400, "give either a query or an update, not both")
        raise QueryRefused(403, "this endpoint is read-only: SPARQL updates are refused")


class FormNotUtf8(ValueError):
    """A percent-escape in a URL or form decodes to bytes that are not UTF-8."""


def _unescape(part: bytes, what: str, name: str | None) -> str:
    raw = unquote_to_bytes(part.replace(b"+", b" "))
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = raw[exc.start]
        shown = raw.decode("utf-8", "backslashreplace")
        where = f"the value of '{name}'" if name is not None else f"the parameter name {shown!r}"
        raise FormNotUtf8(
            f"the {what} is not UTF-8: {where} has the byte %{bad:02X} at byte {exc.start} "
            "(percent-escapes must encode UTF-8 text)"
        ) from None


def parse_form(raw: bytes, what: str) -> dict[str, list[str]]:
    """A URL-encoded form (a URL's query string or a form body) decoded
    strictly: a percent-escape that is not UTF-8 (``%FF``) is an error naming the byte, not a
    silent U+FFFD that changes the query."""
    params: dict[str, list[str]] = {}
    for pair in raw.split(b"&"):
        if not pair:
            continue
        key, _, value = pair.partition(b"=")
        name = _unescape(key, what, None)
        params.setdefault(name, []).append(_unescape(value, what, name))
    return params


def _parse(raw: bytes, what: str) -> dict[str, list[str]]:
    _decode(raw, what)
    try:
        return parse_form(raw, what)
    except FormNotUtf8 as exc:
        raise QueryRefused(400, str(exc)) from None


def _decode(raw: bytes, what: str) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise QueryRefused(400, f"the {what} is not valid UTF-8") from None


def parse_request(
    method: str,
    url_query: bytes,
    content_type: str | None,
    body: bytes,
    accept: str | None,
    limits: Limits,
) -> Job | None:
    """A checked job, or None when the request asks for no query (the service description)."""
    params = _parse(url_query, "URL query string")
    _no_update(params)
    media_type = (content_type or "").split(";")[0].strip().lower()
    if method == "GET":
        query = _one(params, "query")
        if query is None:
            if "graph" in params or "default" in params:
                raise QueryRefused(
                    400,
                    "this is the SPARQL query endpoint: a graph is read at /store?graph=IRI or "
                    "/store?default (Graph Store Protocol)",
                )
            given = [key for key in ("default-graph-uri", "named-graph-uri") if key in params]
            if given:
                raise QueryRefused(
                    400,
                    f"{' and '.join(given)} select the dataset of a query: give a 'query' too "
                    "(without one, GET /sparql is the service description)",
                )
            return None
    elif media_type == URL_ENCODED.media:
        form = _parse(body, "request body")
        _no_update(form)
        query = _one(form, "query")
        if query is None:
            raise QueryRefused(400, "the form has no 'query' field")
        if "query" in params:
            raise QueryRefused(400, "give the query once: in the form or in the URL, not both")
        for key in ("default-graph-uri", "named-graph-uri", "format", "output"):
            if key in form:
                params.setdefault(key, []).extend(form[key])
    elif media_type == SPARQL_QUERY.media:
        charset = [
            p.split("=", 1)[1].strip().lower()
            for p in (content_type or "").split(";")[1:]
            if p.strip().lower().startswith("charset=")
        ]
        if charset and charset[0].strip('"') not in ("utf-8", "utf8"):
            raise QueryRefused(400, f"queries must be UTF-8, not {charset[0]}")
        if "query" in params:
            raise QueryRefused(400, "give the query once: in the body or in the URL, not both")
        query = _decode(body, "query")
    elif media_type == SPARQL_UPDATE.media:
        raise QueryRefused(403, "this endpoint is read-only: SPARQL updates are refused")
    elif not media_type:
        raise QueryRefused(400, f"a POST needs a Content-Type: {POST_TYPES}")
    else:
        raise QueryRefused(400, f"unsupported Content-Type {media_type!r}: use {POST_TYPES}")
    defaults = params.get("default-graph-uri")
    named = params.get("named-graph-uri")
    return query_job(
        query,
        limits,
        accept=accept,
        format_names=params.get("format", []) + params.get("output", []),
        default_graphs=defaults,
        named_graphs=named,
    )


def query_job(
    query: str,
    limits: Limits,
    *,
    accept: str | None = None,
    format_names: Sequence[str] = (),
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> Job:
    """The one way a query text becomes a checked job, for the endpoint and the CLI alike: the
    guard's checks (QueryRefused), the answer's format (``format=`` names, else ``accept``
    negotiated for the query's form: NotAcceptable), the dataset (``default-graph-uri`` and
    ``named-graph-uri``, else the query's FROM, else the merge of all graphs) and the order of
    ``SELECT *`` columns."""
    if not query.strip():
        raise QueryRefused(400, "the query is empty")
    shape = inspect_query(query, limits.max_depth)
    clause = dataset_clause(query) if shape.has_from else None
    graph = shape.form in ("CONSTRUCT", "DESCRIBE")
    if any(name.strip() for name in format_names):
        media = named_format(format_names, graph)
    elif graph:
        media = negotiate(accept, media_types(GRAPH, DATASET), TURTLE.media)
    else:
        media = negotiate(accept, media_types(SOLUTIONS), SPARQL_JSON.media)
    dataset_given = default_graphs is not None or named_graphs is not None
    return Job(
        query=query,
        media=media,
        max_rows=limits.max_rows,
        default_graphs=tuple(default_graphs or ()) if dataset_given else None,
        named_graphs=tuple(named_graphs or ()) if dataset_given else None,
        query_names_dataset=shape.has_from,
        from_graphs=clause[0] if clause else None,
        from_named_graphs=clause[1] if clause else None,
        columns=star_columns(query),
    )

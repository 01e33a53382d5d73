"""The query service behind ``/sparql``: protocol checks, caching headers, the worker pool and a
structured access log. Routes hand it the raw request parts and send back what it answers."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from starlette.concurrency import run_in_threadpool

from kzgraph.sparql.backend import QueryBackend
from kzgraph.sparql.formats import NotAcceptable
from kzgraph.sparql.guard import QueryRefused
from kzgraph.sparql.protocol import Limits, parse_request
from kzgraph.sparql.workers import Job, Outcome, PoolBusy, QueryTimeout, WorkerCrashed

access_log = logging.getLogger("kzgraph.access")
TEXT_TYPES = ("text/", "application/sparql-results+xml", "application/xml")


@dataclass
class Answer:
    status: int
    body: bytes
    media_type: str
    headers: dict[str, str] = field(default_factory=dict)


def strong_etag(data: bytes | str) -> str:
    """A strong ETag for ``data``: the first 128 bits of its SHA-256, quoted."""
    raw = data.encode() if isinstance(data, str) else data
    return '"' + hashlib.sha256(raw).hexdigest()[:32] + '"'


def etag_matches(if_none_match: str | None, tag: str) -> bool:
    """Whether an ``If-None-Match`` header (a comma-separated list) names ``tag``."""
    return bool(if_none_match) and tag in [t.strip() for t in (if_none_match or "").split(",")]


def error(status: int, text: str, /, **extra: object) -> Answer:
    body = json.dumps({"error": text, **extra}).encode()
    return Answer(status, body, "application/json")


def _syntax_error(message: str) -> Answer:
    """pyoxigraph says "error at LINE:COLUMN: expected ..."; give line and column as fields."""
    line = column = None
    text = message
    if message.startswith("error at ") and ":" in message[9:]:
        position, _, rest = message[9:].partition(": ")
        try:
            line, column = (int(n) for n in position.split(":"))
            text = rest
        except ValueError:
            pass
    return error(400, "query syntax error", message=text, line=line, column=column)


class SparqlService:
    def __init__(
        self,
        pool: QueryBackend,
        version: str,
        limits: Limits,
        timeout: float,
        max_age: int,
        describe: Callable[[str | None, str], Answer],
    ):
        self.pool = pool
        self.version = version
        self.limits = limits
        self.timeout = timeout
        self.max_age = max_age
        self.describe = describe

    def etag(self, job: Job) -> str:
        key = json.dumps(
            [
                self.version,
                job.query,
                job.media,
                job.default_graphs,
                job.named_graphs,
                job.max_rows,
                job.substitutions,
            ]
        )
        return strong_etag(key)

    async def answer(
        self,
        method: str,
        url_query: bytes,
        content_type: str | None,
        body: bytes,
        accept: str | None,
        if_none_match: str | None,
        endpoint: str,
    ) -> Answer:
        started = time.perf_counter()
        try:
            job = parse_request(method, url_query, content_type, body, accept, self.limits)
        except QueryRefused as exc:
            return self._logged(error(exc.status, exc.message), None, started, "refused")
        except NotAcceptable as exc:
            return self._logged(error(406, str(exc), offered=exc.offered), None, started, "406")
        if job is None:
            return self.describe(accept, endpoint)
        return await self.execute(replace(job, base_iri=endpoint), if_none_match, started)

    async def execute(self, job: Job, if_none_match: str | None, started: float) -> Answer:
        """Evaluate a checked job under the deadline, with caching headers and the access log."""
        tag = self.etag(job)
        cache = {"ETag": tag, "Cache-Control": f"public, max-age={self.max_age}", "Vary": "Accept"}
        if etag_matches(if_none_match, tag):
            return self._logged(Answer(304, b"", job.media, cache), job, started, "not-modified")
        try:
            outcome: Outcome = await run_in_threadpool(self.pool.run, job, self.timeout)
        except QueryTimeout:
            return self._logged(
                error(
                    503,
                    f"the query ran longer than {self.timeout:g} s and was stopped",
                    timeout_seconds=self.timeout,
                ),
                job,
                started,
                "timeout",
            )
        except WorkerCrashed:
            return self._logged(
                error(400, "the query could not be evaluated: it nests or chains too deeply"),
                job,
                started,
                "crashed",
            )
        except PoolBusy:
            return self._logged(
                error(503, "the server is busy: try again", timeout_seconds=self.timeout),
                job,
                started,
                "busy",
            )
        if outcome.error == "not-representable":
            return self._logged(error(406, outcome.message), job, started, "406")
        if outcome.error == "syntax":
            return self._logged(_syntax_error(outcome.message), job, started, "syntax-error")
        if outcome.error:
            return self._logged(
                error(400, "the query could not be evaluated", message=outcome.message),
                job,
                started,
                "error",
            )
        media = outcome.media
        if media.startswith(TEXT_TYPES):
            media += "; charset=utf-8"
        total = (time.perf_counter() - started) * 1000
        headers = {
            **cache,
            "Server-Timing": (
                f"eval;dur={outcome.timings.get('eval', 0) * 1000:.1f}, total;dur={total:.1f}"
            ),
        }
        if outcome.truncated:
            headers["KZGraph-Truncated"] = f"true; max-rows={job.max_rows}"
        answer = Answer(200, outcome.body, media, headers)
        return self._logged(
            answer, job, started, "truncated" if outcome.truncated else "ok", outcome.rows
        )

    def _logged(
        self, answer: Answer, job: Job | None, started: float, outcome: str, rows: int | None = None
    ) -> Answer:
        record = {
            "event": "query",
            "query_hash": hashlib.sha256(job.query.encode()).hexdigest()[:16] if job else None,
            "status": answer.status,
            "outcome": outcome,
            "rows": rows,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        }
        access_log.info(json.dumps(record))
        return answer

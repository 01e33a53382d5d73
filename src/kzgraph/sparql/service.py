"""The query service behind ``/sparql``: protocol checks, caching headers, the worker pool and a
structured access log. Routes hand it the raw request parts and send back what it answers."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import replace

from starlette.concurrency import run_in_threadpool

from kzgraph.answer import Answer, error, etag_matches, strong_etag
from kzgraph.formats import answer_content_type
from kzgraph.sparql.cache import AnswerCache, Cached, cache_key, normalised
from kzgraph.sparql.description import rdf_answer, service_description
from kzgraph.sparql.diagnose import explain
from kzgraph.sparql.fairness import ClientLedger, FairnessPolicy, Throttled
from kzgraph.sparql.formats import NotAcceptable
from kzgraph.sparql.guard import QueryRefused
from kzgraph.sparql.protocol import Limits, ProtocolRequest, parse_request
from kzgraph.sparql.workers import (
    Job,
    Outcome,
    PoolBusy,
    QueryTimeout,
    SlowLaneFull,
    WorkerCrashed,
)
from kzgraph.store.live import LiveStore

access_log = logging.getLogger("kzgraph.access")


# requests this small have their checked job remembered (the guard's reading of a repeated query
# is skipped): at most PARSED entries of at most SMALL_REQUEST bytes each; refusals are not kept
SMALL_REQUEST = 2048
PARSED = 1024
_parse_small = functools.lru_cache(maxsize=PARSED)(parse_request)


def _parse(r: ProtocolRequest, limits: Limits) -> Job | None:
    parse = _parse_small if len(r.url_query) + len(r.body) <= SMALL_REQUEST else parse_request
    return parse(r.method, r.url_query, r.content_type, r.body, r.accept, limits)


def _mib(limit: int | None) -> str:
    return f"{limit / 2**20:.0f} MiB" if limit else "no limit set"


def _syntax_error(query: str, message: str) -> Answer:
    """A syntax error as the offending token, its line and column, and what was expected."""
    problem = explain(query, message)
    return error(
        400,
        "query syntax error",
        message=problem.message,
        line=problem.line,
        column=problem.column,
        token=problem.token,
        expected=problem.expected,
    )


class SparqlService:
    """Owned by :class:`~kzgraph.core.KnowledgeGraph`, which hands it the store it answers from
    (``current``: read once per request, so a query keeps its store across a reload)."""

    def __init__(
        self,
        current: Callable[[], LiveStore],
        limits: Limits,
        timeout: float,
        max_age: int,
        fairness: FairnessPolicy | None = None,
        cache_bytes: int = 0,
    ):
        self.current = current
        self.cache = AnswerCache(cache_bytes)
        self.limits = limits
        self.timeout = timeout
        self.max_age = max_age
        self.ledger = ClientLedger(fairness or FairnessPolicy())

    def describe(self, accept: str | None, endpoint: str) -> Answer:
        """The service description (with VoID) of the store being served."""
        live = self.current()
        return rdf_answer(service_description(endpoint, live.graphs, live.triples), accept)

    def etag(self, job: Job, version: str) -> str:
        key = json.dumps(
            [
                version,
                normalised(job.query),
                job.media,
                job.default_graphs,
                job.named_graphs,
                job.max_rows,
                job.substitutions,
                job.hidden,
                job.durations_in_words,
            ]
        )
        return strong_etag(key)

    async def answer(self, request: ProtocolRequest) -> Answer:
        """A SPARQL 1.1 Protocol request: its query answered, or the service description."""
        started = time.perf_counter()
        r = request
        try:
            job = _parse(r, self.limits)
        except QueryRefused as exc:
            return self._logged(error(exc.status, exc.message), None, started, "refused")
        except NotAcceptable as exc:
            return self._logged(error(406, str(exc), offered=exc.offered), None, started, "406")
        if job is None:
            return self.describe(r.accept, r.endpoint)
        job = replace(job, base_iri=r.endpoint)
        return await self.execute(job, r.if_none_match, started, r.client)

    async def execute(
        self, job: Job, if_none_match: str | None, started: float, client: str = ""
    ) -> Answer:
        """Evaluate a checked job under the deadline and the client's share, with caching
        headers and the access log."""
        live = self.current()
        tag = self.etag(job, live.version)
        cache = {"ETag": tag, "Cache-Control": f"public, max-age={self.max_age}", "Vary": "Accept"}
        if etag_matches(if_none_match, tag):
            return self._logged(Answer(304, b"", job.media, cache), job, started, "not-modified")
        try:
            await self.ledger.admit(client, self.timeout)
        except Throttled as exc:
            answer = error(429, exc.message, retry_after_seconds=exc.retry_after)
            answer.headers["Retry-After"] = str(exc.retry_after)
            return self._logged(answer, job, started, "throttled")
        key = cache_key(live.version, job) if live.cacheable and self.cache.enabled else None
        if key is not None:
            hit = self.cache.get(key)
            if hit is not None:
                self.ledger.release(client, 0.0)
                answer = self._hit(hit, cache, started)
                return self._logged(answer, job, started, "cached", hit.rows)
        job = replace(job, max_bytes=self.limits.max_answer_bytes, spool_dir=live.backend.spool_dir)
        began = time.monotonic()
        evaluated: Outcome | None = None
        try:
            outcome: Outcome = await run_in_threadpool(live.backend.run, job, self.timeout, client)
            evaluated = outcome
        except SlowLaneFull as exc:
            if exc.own:
                status, text = (
                    429,
                    (
                        "this client already has a long-running query: this one was stopped "
                        "when it became a second; run long queries one at a time"
                    ),
                )
            else:
                status, text = (
                    503,
                    (
                        "the server is running as many long queries as it allows: this one was "
                        "stopped when it became one of them; try again shortly, or make it cheaper"
                    ),
                )
            answer = error(status, text, retry_after_seconds=5)
            answer.headers["Retry-After"] = "5"
            return self._logged(answer, job, started, "slow-lane-full")
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
                error(
                    400,
                    "the query was stopped: it needed more memory than a query may use "
                    f"({_mib(live.backend.memory_limit)}), or nested or chained too deeply",
                ),
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
        finally:
            # charged: the evaluation's time, or (stopped, crashed) all the time it held a worker
            spent = evaluated.timings.get("eval") if evaluated else None
            self.ledger.release(client, spent if spent is not None else time.monotonic() - began)
        if outcome.error in ("too-large", "memory"):
            extra: dict[str, object] = {}
            if outcome.error == "too-large":
                extra = {"limit_bytes": job.max_bytes, "limit_rows": job.max_rows}
            return self._logged(error(400, outcome.message, **extra), job, started, outcome.error)
        if outcome.error == "not-representable":
            return self._logged(error(406, outcome.message), job, started, "406")
        if outcome.error == "syntax":
            return self._logged(
                _syntax_error(job.query, outcome.message), job, started, "syntax-error"
            )
        if outcome.error:
            return self._logged(
                error(400, "the query could not be evaluated", message=outcome.message),
                job,
                started,
                "error",
            )
        media = answer_content_type(outcome.media)
        total = (time.perf_counter() - started) * 1000
        headers = {
            **cache,
            "Server-Timing": (
                f"eval;dur={outcome.timings.get('eval', 0) * 1000:.1f}, total;dur={total:.1f}"
            ),
        }
        answer = Answer(200, outcome.body, media, headers, file=outcome.spool)
        if key is not None:
            self._keep(key, outcome)
        return self._logged(answer, job, started, "ok", outcome.rows)

    def _keep(self, key: tuple[str, Job], outcome: Outcome) -> bool:
        """Keep a whole answer for the next identical request (a spooled one is read back
        when it is small enough to be kept; the file is still what this request streams)."""
        if not self.cache.fits(outcome.size or len(outcome.body)):
            return False
        body = outcome.body
        if outcome.spool is not None:
            with open(outcome.spool, "rb") as spooled:
                body = spooled.read()
        eval_seconds = outcome.timings.get("eval", 0.0)
        return self.cache.put(key, Cached(body, outcome.media, outcome.rows, eval_seconds))

    def warm(self, jobs: list[Job]) -> int:
        """Answer ``jobs`` (the canned queries that need no parameter) into the cache, as the
        server's own queries, so that the first visitor after a build does not wait for them;
        stops when the store is replaced. Returns how many answers were kept."""
        live = self.current()
        if not (live.cacheable and self.cache.enabled):
            return 0
        kept = 0
        for job in jobs:
            key = cache_key(live.version, job)
            if self.current() is not live:
                break
            if self.cache.get(key) is not None:
                continue
            # an answer too large to be kept comes back as an error, not through the pipe
            job = replace(job, max_bytes=self.cache.max_entry, spool_dir=None)
            try:
                outcome = live.backend.run(job, self.timeout, None)
            except (QueryTimeout, PoolBusy, WorkerCrashed, SlowLaneFull):
                continue  # a visitor's request will say what is wrong with this one
            except Exception:  # the store was closed under it (shutdown, reload): stop
                break
            if outcome.error is None and self.current() is live:
                kept += self._keep(key, outcome)
        return kept

    @staticmethod
    def _hit(hit: Cached, cache: dict[str, str], started: float) -> Answer:
        total = (time.perf_counter() - started) * 1000
        headers = {
            **cache,
            "Server-Timing": f'cache;desc="hit", total;dur={total:.1f}',
        }
        return Answer(200, hit.body, answer_content_type(hit.media), headers)

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

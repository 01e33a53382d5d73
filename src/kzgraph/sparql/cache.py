"""Answers kept in the server's memory, per build (docs/decisions/0027-faster-answers.md).

The embedded store is read-only between builds, so a query's answer depends only on the build
and the job: the query text (leading and trailing white space and line endings normalised), the
format, the dataset (``default-graph-uri``, ``named-graph-uri``, the query's ``FROM``), the
bound parameters of a canned query, the row limit and the base IRI. The key is the build's
version with that job; :meth:`AnswerCache.clear` empties the cache when the core reloads, and a
query still running on the old build stores its answer under the old version, which no request
for the new build asks for.

Bounded in bytes, least recently used first out; an answer larger than an eighth of the cache is
not kept. Only whole, successful answers are kept: errors, timeouts and refusals never are.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from kzgraph.sparql.workers import Job

# what one entry costs beside its body (key, headers, bookkeeping), counted against the bound
ENTRY_OVERHEAD = 512


@dataclass(frozen=True)
class Cached:
    body: bytes
    media: str
    rows: int
    eval_seconds: float  # what the evaluation took when it was answered


def normalised(query: str) -> str:
    """The query as the cache keys it: line endings as ``\\n``, no white space at either end
    (which never changes what a SPARQL query means; white space inside is kept, since a line
    break ends a comment)."""
    return query.replace("\r\n", "\n").replace("\r", "\n").strip()


def cache_key(version: str, job: Job) -> tuple[str, Job]:
    """The build's version and the job, without what only says how the answer travels."""
    return version, replace(job, query=normalised(job.query), spool_dir=None, max_bytes=None)


class AnswerCache:
    """A byte-bounded LRU of answers; safe to use from several threads."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max(0, max_bytes)
        self.max_entry = self.max_bytes // 8
        self._entries: OrderedDict[tuple[str, Job], Cached] = OrderedDict()
        self._lock = threading.Lock()
        self.bytes = 0
        self.hits = 0
        self.misses = 0
        self.evictions = 0

    @property
    def enabled(self) -> bool:
        return self.max_bytes > 0

    @staticmethod
    def _cost(entry: Cached) -> int:
        return len(entry.body) + ENTRY_OVERHEAD

    def get(self, key: tuple[str, Job]) -> Cached | None:
        if not self.enabled:
            return None
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
            return entry

    def fits(self, size: int) -> bool:
        return self.enabled and size + ENTRY_OVERHEAD <= self.max_entry

    def put(self, key: tuple[str, Job], entry: Cached) -> bool:
        """Keep ``entry`` (evicting the least recently used), unless it is too large."""
        cost = self._cost(entry)
        if not self.fits(len(entry.body)):
            return False
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.bytes -= self._cost(old)
            self._entries[key] = entry
            self.bytes += cost
            while self.bytes > self.max_bytes:
                _, evicted = self._entries.popitem(last=False)
                self.bytes -= self._cost(evicted)
                self.evictions += 1
        return True

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.bytes = 0

    def stats(self) -> dict[str, int]:
        with self._lock:
            return {
                "entries": len(self._entries),
                "bytes": self.bytes,
                "max_bytes": self.max_bytes,
                "hits": self.hits,
                "misses": self.misses,
                "evictions": self.evictions,
            }

"""HTTP load: N concurrent clients (threads, one keep-alive connection each) send the same SPARQL
GET requests to an endpoint for a bounded time; requests/s, p50 and p99 latency."""

from __future__ import annotations

import http.client
import json
import statistics
import threading
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

ACCEPT = "application/sparql-results+json"


@dataclass(frozen=True)
class LoadResult:
    requests: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _client(
    host: str,
    port: int,
    paths: Sequence[str],
    offset: int,
    stop_at: float,
    timeout: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    i = offset
    while time.monotonic() < stop_at:
        path = paths[i % len(paths)]
        i += 1
        t0 = time.perf_counter()
        try:
            conn.request("GET", path, headers={"Accept": ACCEPT})
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=timeout)
        if ok:
            latencies.append(time.perf_counter() - t0)
        else:
            errors.append(1)
    conn.close()


def run_load(
    endpoint: str, queries: Sequence[str], clients: int, seconds: float, timeout: float = 120
) -> LoadResult:
    """Send ``queries`` round-robin from ``clients`` threads for ``seconds`` (requests under way at
    the end are finished and counted)."""
    url = urlsplit(endpoint)
    assert url.hostname is not None and url.port is not None
    paths = [f"{url.path}?{urlencode({'query': q})}" for q in queries]
    latencies: list[float] = []
    errors: list[int] = []
    stop_at = time.monotonic() + seconds
    threads = [
        threading.Thread(
            target=_client,
            args=(url.hostname, url.port, paths, n, stop_at, timeout, latencies, errors),
        )
        for n in range(clients)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    return LoadResult(
        len(latencies),
        len(errors),
        elapsed,
        statistics.median(latencies) * 1000 if latencies else float("nan"),
        percentile(latencies, 0.99) * 1000,
    )


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user and system, of live processes and the children they waited for) of every
    process in a process group: a server's cost per request that stays meaningful on a machine
    other work shares, where requests per second do not."""
    import os
    from pathlib import Path

    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid:
            total += sum(int(f) for f in fields[11:15])
    return total / tick


def count_rows(endpoint: str, query: str) -> int:
    """How many rows an endpoint answers (the servers should agree)."""
    request = urllib.request.Request(
        f"{endpoint}?{urlencode({'query': query})}", headers={"Accept": ACCEPT}
    )
    with urllib.request.urlopen(request, timeout=600) as response:
        return len(json.load(response)["results"]["bindings"])

"""``python -m bench.abuse``: the endpoint under abuse, beside ``oxigraph serve`` on the same data.

Eight clients do cheap lookups, alone and then beside two clients that send deadline-length
queries without pause; the figures are the cheap clients' throughput and latency in each phase
and the ratio. Then eight clients ask for 50 MiB answers and never read them, while the server's
resident memory is read from /proc. Everything talks to 127.0.0.1 and every loop is bounded in
time. The tests (tests/test_sparql_fairness.py) use the same clients.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from bench import servers

REPO = Path(__file__).resolve().parent.parent
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
MAMAY = "https://w3id.org/kzgraph/id/person/zhanbolat-mamay"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{MAMAY}> ?p ?o }} LIMIT 50"
# the paths a cheap client rotates through on kzgraph: a lookup, a canned query, an entity
SITE_PATHS = [
    ("/sparql?" + urllib.parse.urlencode({"query": LOOKUP}), "application/json"),
    ("/queries/officials-held-accountable.json", "*/*"),
    ("/id/person/zhanbolat-mamay", "text/turtle"),
]


def doubling(times: int, seed: int = 100) -> str:
    """A one-row SELECT whose value is ``seed`` characters doubled ``times`` times."""
    binds = [f'BIND("{"x" * seed}" AS ?v0)']
    binds += [f"BIND(CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(times)]
    return f"SELECT ?v{times} WHERE {{ {' '.join(binds)} }}"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def status_of(url: str, headers: dict[str, str], timeout: float = 30) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.read()
        return int(exc.code)
    except (urllib.error.URLError, OSError):
        return 0


@dataclass
class Load:
    """Clients in threads, each with its own forwarded address, until the time is up."""

    base: str  # the server's root URL
    paths: list[tuple[str, str]]  # what cheap clients ask for, in turn: (path, Accept)
    heavy_path: str  # what abusive clients ask for
    cheap: list[tuple[float, int]] = field(default_factory=list)  # (seconds, status)
    abusive: list[int] = field(default_factory=list)

    def _cheap(self, n: int, stop: threading.Event) -> None:
        i = n
        while not stop.is_set():
            path, accept = self.paths[i % len(self.paths)]
            started = time.monotonic()
            status = status_of(
                self.base + path, {"X-Forwarded-For": f"10.0.0.{n}", "Accept": accept}
            )
            self.cheap.append((time.monotonic() - started, status))
            i += 1

    def _abusive(self, n: int, stop: threading.Event) -> None:
        while not stop.is_set():
            status = status_of(self.base + self.heavy_path, {"X-Forwarded-For": f"10.9.9.{n}"})
            self.abusive.append(status)
            if status in (429, 0):
                time.sleep(0.2)

    def run(self, cheap: int, abusive: int, seconds: float) -> Load:
        stop = threading.Event()
        threads = [
            threading.Thread(target=self._cheap, args=(n, stop), daemon=True) for n in range(cheap)
        ] + [
            threading.Thread(target=self._abusive, args=(n, stop), daemon=True)
            for n in range(abusive)
        ]
        for thread in threads:
            thread.start()
        time.sleep(seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=35)
        return self

    def rate(self, seconds: float) -> float:
        return len(self.cheap) / seconds

    def percentile(self, q: float) -> float:
        times = sorted(t for t, _ in self.cheap)
        return times[max(int(len(times) * q) - 1, 0)] if times else 0.0

    def failures(self) -> int:
        return sum(1 for _, s in self.cheap if s != 200)


def fairness(
    base: str, paths: list[tuple[str, str]], heavy: str, seconds: float
) -> dict[str, float]:
    """Cheap clients alone (before and after) and beside two abusive ones."""
    Load(base, paths, heavy).run(8, 0, 2)  # warm up
    before = Load(base, paths, heavy).run(8, 0, seconds / 2)
    beside = Load(base, paths, heavy).run(8, 2, seconds)
    after = Load(base, paths, heavy).run(8, 0, seconds / 2)
    alone = (len(before.cheap) + len(after.cheap)) / seconds
    return {
        "alone_per_s": alone,
        "beside_per_s": beside.rate(seconds),
        "ratio": beside.rate(seconds) / alone if alone else 0.0,
        "p50_ms": statistics.median(t for t, _ in beside.cheap) * 1000 if beside.cheap else 0,
        "p99_ms": beside.percentile(0.99) * 1000,
        "failures": beside.failures(),
    }


def unread_answers(base: str, pid: int, clients: int = 8, seconds: float = 8) -> dict[str, float]:
    """Main-process RSS while ``clients`` ask for 50 MiB answers and read none of them."""
    host, port = base.removeprefix("http://").split(":")
    target = "/sparql?" + urllib.parse.urlencode({"query": doubling(19)})
    before = peak = rss_mib(pid)
    sockets = []
    try:
        for n in range(clients):
            conn = socket.create_connection((host, int(port)), timeout=30)
            request = f"GET {target} HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 10.2.2.{n}\r\n\r\n"
            conn.sendall(request.encode())
            sockets.append(conn)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            peak = max(peak, rss_mib(pid))
            time.sleep(0.1)
    finally:
        for conn in sockets:
            conn.close()
    return {"rss_before_mib": before, "rss_peak_mib": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", type=Path, default=REPO / "build")
    parser.add_argument("--seconds", type=float, default=20)
    args = parser.parse_args()
    heavy = "?" + urllib.parse.urlencode({"query": HEAVY})
    lookup = "?" + urllib.parse.urlencode({"query": LOOKUP})
    rows = []
    # the server's defaults (servers.kzgraph turns the budget and the slow lane off for speed)
    settings = {
        "client_header": "X-Forwarded-For",
        "query_timeout": "10",
        "slow_after": "1",
        "client_budget": "30",
        "client_concurrency": "4",
    }
    with servers.kzgraph(args.build, settings=settings) as kz:
        base = kz.endpoint.removesuffix("/sparql")
        site = fairness(base, SITE_PATHS, "/sparql" + heavy, args.seconds)
        lookups = fairness(
            base, [("/sparql" + lookup, "application/json")], "/sparql" + heavy, args.seconds
        )
        memory = unread_answers(base, kz.process.pid)
    rows.append(("kzgraph, site mix", site))
    rows.append(("kzgraph, lookups", lookups))
    with servers.oxigraph(args.build / "kzgraph.nq") as ox:
        base = ox.endpoint.removesuffix("/query")
        rows.append(
            (
                "oxigraph serve, lookups",
                fairness(
                    base,
                    [("/query" + lookup, "application/sparql-results+json")],
                    "/query" + heavy,
                    args.seconds,
                ),
            )
        )
    print(
        "| server, cheap requests | alone /s | beside 2 abusive /s | ratio | p50 ms | p99 ms "
        "| failed |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, r in rows:
        print(
            f"| {name} | {r['alone_per_s']:.0f} | {r['beside_per_s']:.0f} | {r['ratio']:.0%} "
            f"| {r['p50_ms']:.0f} | {r['p99_ms']:.0f} | {r['failures']:.0f} |"
        )
    print(
        f"\nkzgraph main process, 8 clients not reading 50 MiB answers: "
        f"{memory['rss_before_mib']:.0f} MiB before, {memory['rss_peak_mib']:.0f} MiB peak"
    )


if __name__ == "__main__":
    main()

"""``python -m bench [--sizes 10k,100k,1m] [--quick] [--no-peers]``: generate the corpora, build
each with the real pipeline, time the canned queries, then load-test kzgraph, ``oxigraph serve`` and
``rdflib-endpoint`` side by side on the same N-Quads. Tables go to stdout and, with the raw figures
as JSON, to build/bench/results.{md,json}."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench import engines, servers
from bench.corpus import generate
from bench.load import count_rows, group_cpu_seconds, run_load
from bench.report import NO_CACHE, render

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "build" / "bench"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}  # 10m: by --sizes
CLIENTS = 8
CANNED_RUNS = 5
PREFIX = "PREFIX kz: <https://w3id.org/kzgraph/ontology#>\n"
AGGREGATE = PREFIX + (
    "SELECT ?class (COUNT(DISTINCT ?fact) AS ?facts) (COUNT(?evidence) AS ?passages)\n"
    "WHERE { ?fact kz:hasEvidence ?evidence ; a ?class }\nGROUP BY ?class ORDER BY ?class"
)
SAMPLE_PEOPLE = PREFIX + "SELECT DISTINCT ?p WHERE { ?p a kz:Person } ORDER BY ?p LIMIT 64"


def lookup(iri: str) -> str:
    return f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = ""
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="utf-8") as f:
        mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    return f"{cpu}, {os.cpu_count()} cores, {mem}, Python {platform.python_version()}"


def loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def build_size(corpus: Path, runs: int) -> dict[str, Any]:
    """The build and canned-query figures, from a fresh process (peak memory is its own)."""
    done = subprocess.run(
        [sys.executable, "-m", "bench.stages", str(corpus), str(runs)],
        cwd=REPO,
        check=True,
        stdout=subprocess.PIPE,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def people(endpoint: str) -> list[str]:
    import urllib.parse
    import urllib.request

    url = f"{endpoint}?{urllib.parse.urlencode({'query': SAMPLE_PEOPLE})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return [b["p"]["value"] for b in json.load(response)["results"]["bindings"]]


def _get_json(url: str, timeout: float = 600) -> tuple[Any, dict[str, str]]:
    import urllib.request

    with urllib.request.urlopen(url, timeout=timeout) as response:
        return json.load(response), {k.lower(): v for k, v in response.headers.items()}


def wait_for_warm_answers(endpoint: str, expected: int, timeout: float = 300) -> None:
    """Until the server has answered the canned queries without parameters into its cache
    (docs/decisions/0027), so that the load does not run beside that warm-up."""
    health = endpoint.rsplit("/", 1)[0] + "/health"
    deadline = time.monotonic() + timeout
    seen, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        entries = _get_json(health)[0]["answer_cache"]["entries"]
        if entries >= expected:
            return
        if entries != seen:
            seen, since = entries, time.monotonic()
        elif time.monotonic() - since > 30:
            return  # no progress for 30 s: a query that could not be answered in time
        time.sleep(0.2)


def canned_served(endpoint: str, canned: list[dict[str, Any]], runs: int) -> list[dict[str, Any]]:
    """Each canned query as a visitor gets it from a running server (``/queries/NAME.json`` with
    the corpus's parameters): the first request after the warm-up, then the p50 of ``runs``."""
    import statistics
    import urllib.parse

    base = endpoint.rsplit("/", 1)[0]
    out = []
    for query in canned:
        url = f"{base}/queries/{query['query']}.json?{urllib.parse.urlencode(query['params'])}"
        times: list[float] = []
        first_hit = False
        for n in range(runs + 1):
            t0 = time.perf_counter()
            _, headers = _get_json(url)
            times.append(time.perf_counter() - t0)
            if n == 0:
                first_hit = 'cache;desc="hit"' in headers.get("server-timing", "")
        out.append(
            {
                "query": query["query"],
                "first_ms": times[0] * 1000,
                "first_from_cache": first_hit,
                "p50_ms": statistics.median(times[1:]) * 1000,
            }
        )
    return out


def measure_server(
    start: Callable[[], contextlib.AbstractContextManager[servers.Running]],
    lookups: list[str],
    seconds: float,
    log: Callable[[str], None],
    canned: list[dict[str, Any]] | None = None,
) -> tuple[dict[str, Any], dict[str, int]]:
    with start() as running:
        log(f"  {running.name} up in {running.start_seconds:.2f} s")
        if canned is not None:
            wait_for_warm_answers(running.endpoint, len(canned))
        rows = {
            "lookup": count_rows(running.endpoint, lookups[0]),
            "aggregate": count_rows(running.endpoint, AGGREGATE),
        }
        figures: dict[str, Any] = {"start_seconds": running.start_seconds}
        for kind, queries in (("lookup", lookups), ("aggregate", [AGGREGATE])):
            cpu = group_cpu_seconds(running.process.pid)
            result = run_load(running.endpoint, queries, CLIENTS, seconds)
            cpu = group_cpu_seconds(running.process.pid) - cpu
            figures[kind] = {
                "cpu_us_per_request": cpu / result.requests * 1e6 if result.requests else None,
                "rate": result.rate,
                "p50_ms": result.p50_ms,
                "p99_ms": result.p99_ms,
                "requests": result.requests,
                "errors": result.errors,
            }
            log(f"  {running.name} {kind}: {result.rate:.1f} req/s, p50 {result.p50_ms:.1f} ms")
        if canned is not None:
            figures["canned_served"] = canned_served(running.endpoint, canned, CANNED_RUNS)
        return figures, rows


def run_size(size: str, args: argparse.Namespace, log: Callable[[str], None]) -> dict[str, Any]:
    corpus = OUT / size
    t0 = time.perf_counter()
    plan = generate(corpus, SIZES[size])
    log(f"{size}: generated {plan.reports} reports in {time.perf_counter() - t0:.1f} s")
    figures: dict[str, Any] = {"corpus": plan.__dict__}
    figures["build"] = build_size(corpus, 5 if args.quick else 20)
    log(
        f"{size}: built {figures['build']['triples']} triples in "
        f"{figures['build']['build_seconds']:.1f} s"
    )
    nquads = corpus / "out" / "kzgraph.nq"
    out = corpus / "out"
    seconds = 3.0 if args.quick else 10.0
    with servers.kzgraph(corpus / "out") as running:
        lookups = [lookup(iri) for iri in people(running.endpoint)]
    # kzgraph twice: with its answer cache (the default; the lookups repeat, so they are
    # answered from memory) and without (every request evaluated): docs/decisions/0027
    starters: dict[str, Callable[[], contextlib.AbstractContextManager[servers.Running]]] = {
        "kzgraph": lambda: servers.kzgraph(corpus / "out"),
        NO_CACHE: lambda: servers.kzgraph(corpus / "out", settings={"result_cache_bytes": "0"}),
    }
    if not args.no_peers:
        starters["oxigraph serve"] = lambda: servers.oxigraph(nquads)
        for store in engines.STORES:  # kzgraph over oxigraph serve, kzgraph over Virtuoso
            if store != "Virtuoso" or shutil.which("virtuoso-t"):
                starters[f"kzgraph over {store}"] = partial(engines.kzgraph_over, store, out)
        if SIZES[size] <= args.rdflib_max:
            starters["rdflib-endpoint"] = lambda: servers.rdflib_endpoint(nquads)
    figures["http"] = {}
    answers = {}
    for name, start in starters.items():
        canned = figures["build"]["queries"] if name == "kzgraph" else None
        figures["http"][name], answers[name] = measure_server(start, lookups, seconds, log, canned)
    figures["answers"] = answers
    if len({json.dumps(a, sort_keys=True) for a in answers.values()}) > 1:
        log(f"{size}: WARNING the servers disagree on row counts: {answers}")
    return figures


def real_start() -> float | None:
    """``kzgraph serve`` start on the real graph (the repository's build/, if built)."""
    build = REPO / "build"
    if not (build / "kzgraph.nq").exists():
        return None
    with servers.kzgraph(build) as running:
        return running.start_seconds


def update_readme(text: str) -> None:
    readme = REPO / "bench" / "README.md"
    begin, end = "<!-- figures:begin -->\n", "<!-- figures:end -->"
    current = readme.read_text(encoding="utf-8")
    head, _, rest = current.partition(begin)
    _, _, tail = rest.partition(end)
    readme.write_text(head + begin + text + end + tail, encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="scripts/dev bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        default="10k,100k,1m",
        help="comma-separated: 10k,100k,1m,10m (10m only when asked: ~15 min and ~10 GiB)",
    )
    parser.add_argument("--quick", action="store_true", help="fewer query runs, 3 s of load")
    parser.add_argument("--no-peers", action="store_true", help="only kzgraph over HTTP")
    parser.add_argument(
        "--rdflib-max",
        type=int,
        default=100_000,
        help="largest size (triples) to serve with rdflib-endpoint (its load is slow)",
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="also put the tables into bench/README.md (between its figures markers)",
    )
    args = parser.parse_args(argv)
    sizes = [s.strip().lower() for s in args.sizes.split(",") if s.strip()]
    for s in sizes:
        if s not in SIZES:
            parser.error(f"unknown size {s!r}: choose from {', '.join(SIZES)}")

    def log(message: str) -> None:
        print(f"bench: {message}", file=sys.stderr, flush=True)

    result: dict[str, Any] = {
        "machine": machine(),
        "load_before": loadavg(),
        "clients": CLIENTS,
        "seconds": 3.0 if args.quick else 10.0,
        "sizes": {},
    }
    for size in sizes:
        result["sizes"][size] = run_size(size, args, log)
    result["real_start_seconds"] = real_start()
    result["load_after"] = loadavg()
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "results.json").write_text(json.dumps(result, indent=2))
    text = render(result)
    (OUT / "results.md").write_text(text)
    if args.update_readme:
        update_readme(text)
    print(text)


if __name__ == "__main__":
    main()

"""Build stages of the real pipeline on a synthetic corpus, each with wall time and peak memory.

Run as its own process (``python -m bench.stages CORPUS_DIR``) so that peak memory is this build's
alone; prints one JSON object. The stages are those of ``KnowledgeGraph.build`` (load, map and
check keys; SHACL; OWL 2 RL; write the dumps), then loading the N-Quads into the query store and
each canned query's latency over that store; then one report is changed and the build run
again (the incremental build: only that unit is mapped and validated, docs/decisions/0026).
"""

from __future__ import annotations

import json
import resource
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from kzgraph.core import KnowledgeGraph
from kzgraph.settings import Settings

REPO = Path(__file__).resolve().parent.parent
# each canned query runs `runs` times, or fewer (at least MIN_RUNS) once it has taken this long;
# a query whose one run takes longer than this is measured once (after the warm-up run)
BUDGET_SECONDS = 10.0
MIN_RUNS = 5


def settings_for(corpus: Path) -> Settings:
    return Settings(
        data_dir=corpus / "data",
        build_dir=corpus / "out",
        ontology_dir=REPO / "ontology",
        queries_dir=REPO / "queries",
        sources_dir=corpus / "sources",
    )


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the pool's workers): on a busy
    machine, what a stage costs, where wall time is what it waited for."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _reset_peak() -> None:
    """Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
    except OSError:
        pass


class StageClock:
    """Fed the build's progress messages: each message ends a stage (named by the message's
    first words); records time and peak RSS."""

    NAMES = (
        ("mapped", "load + map units"),  # "mapped 3 of 120 units (117 from the cache)"
        ("mapped", "dataset"),  # "mapped 120 files: ... triples": the units into one dataset
        ("validated", "SHACL"),
        ("SHACL", "SHACL"),
        ("OWL", "OWL 2 RL"),
        ("wrote", "write dumps"),
    )

    def __init__(self, prefix: str = "") -> None:
        self.stages: list[dict[str, Any]] = []
        self.prefix = prefix
        self._t = time.perf_counter()
        self._cpu = _cpu_seconds()
        _reset_peak()

    def __call__(self, message: str) -> None:
        name = "other"
        if message.startswith("mapped"):
            name = "load + map units" if " units " in message else "dataset"
        else:
            name = next((n for p, n in self.NAMES if message.startswith(p)), name)
        self.lap(name, message)

    def lap(self, name: str, message: str = "") -> None:
        now = time.perf_counter()
        cpu, self._cpu = _cpu_seconds() - self._cpu, _cpu_seconds()
        peak = _status_kib("VmHWM")
        stage = self.prefix + name
        if self.stages and self.stages[-1]["stage"] == stage:  # SHACL: two messages
            self.stages[-1]["seconds"] += now - self._t
            self.stages[-1]["cpu_seconds"] += cpu
            self.stages[-1]["peak_mib"] = max(self.stages[-1]["peak_mib"], peak / 1024)
            self.stages[-1]["note"] = message
        else:
            self.stages.append(
                {
                    "stage": stage,
                    "seconds": now - self._t,
                    "cpu_seconds": cpu,
                    "peak_mib": peak / 1024,
                    "note": message,
                }
            )
        _reset_peak()
        self._t = time.perf_counter()


SAMPLES = {
    "event": "SELECT ?x WHERE { ?x a kz:Event } ORDER BY ?x LIMIT 1",
    "fact": "SELECT ?x WHERE { ?x a kz:Conviction } ORDER BY ?x LIMIT 1",
    "person": (
        "SELECT ?x WHERE { ?m kz:refersTo ?x . ?x a kz:Person } "
        "GROUP BY ?x ORDER BY DESC(COUNT(?m)) ?x LIMIT 1"
    ),
}


def sample_parameters(kg: KnowledgeGraph) -> dict[str, str]:
    """Parameter values that exist in the synthetic corpus (the defaults name real-report IRIs):
    the first event, the first conviction, the person named in most reports, UPR cycle 4."""
    store = kg.open_store().oxigraph
    params = {"cycle": "4"}
    for name, query in SAMPLES.items():
        text = "PREFIX kz: <https://w3id.org/kzgraph/ontology#> " + query
        # the default graph is the merge (docs/decisions/0017): no union flag, which would add
        # the named graphs to it
        rows = list(store.query(text))  # type: ignore[arg-type]
        params[name] = rows[0][0].value
    return params


def canned_latencies(kg: KnowledgeGraph, runs: int) -> list[dict[str, Any]]:
    """Each canned query with parameters from the corpus, in process (evaluation + JSON writing,
    as a server worker does it)."""
    out = []
    samples = sample_parameters(kg)
    for name, query in sorted(kg.queries().items()):
        params = {p.name: samples[p.name] for p in query.parameters if p.name in samples}
        kg.run_canned(name, params, "application/sparql-results+json")  # warm
        times: list[float] = []
        rows = 0
        budget = time.perf_counter() + BUDGET_SECONDS
        while len(times) < runs and (len(times) < MIN_RUNS or time.perf_counter() < budget):
            if times and times[0] > BUDGET_SECONDS:
                break  # one run took longer than the whole budget: its figure stands alone
            t0 = time.perf_counter()
            outcome = kg.run_canned(name, params, "application/sparql-results+json")
            times.append(time.perf_counter() - t0)
            rows = outcome.rows
        times.sort()
        out.append(
            {
                "query": name,
                "params": params,
                "runs": len(times),
                "rows": rows,
                "p50_ms": statistics.median(times) * 1000,
                "p99_ms": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))] * 1000,
            }
        )
    return out


def _one_report_changed(corpus: Path) -> Path:
    """Change one report's text (a summary) as an editor would: the incremental build's input."""
    report = sorted((corpus / "data" / "reports").glob("*.yaml"))[len(SAMPLES)]
    text = report.read_text(encoding="utf-8")
    report.write_text(text.replace('summary: "', 'summary: "Edited. ', 1), encoding="utf-8")
    return report


def incremental(kg: KnowledgeGraph, corpus: Path) -> dict[str, Any]:
    """One report changed, then the build and a fresh store with the new answers (what an
    ingest and ``kg.reload()`` do for a running server), timed from the change."""
    clock = StageClock("incremental: ")
    t0 = time.perf_counter()
    _one_report_changed(corpus)
    result = kg.build(clock)
    build_seconds = time.perf_counter() - t0
    clock._t = time.perf_counter()
    store = kg.open_store()
    clock.lap("load store", f"{len(store)} quads")
    assert result.units is not None
    return {
        "build_seconds": build_seconds,
        "to_answers_seconds": time.perf_counter() - t0,
        "units": result.units.stats.as_dict(),
        "stages": clock.stages,
    }


def run(corpus: Path, query_runs: int) -> dict[str, Any]:
    """A cold build (the unit cache emptied first), the store, the canned queries, then one
    report changed and built again."""
    shutil.rmtree(corpus / "out" / "cache", ignore_errors=True)
    kg = KnowledgeGraph(settings_for(corpus))
    clock = StageClock()
    t0 = time.perf_counter()
    result = kg.build(clock)
    build_seconds = time.perf_counter() - t0
    clock._t = time.perf_counter()
    store = kg.open_store()
    clock.lap("load store", f"{len(store)} quads")
    return {
        "triples": sum(len(g) for g in result.dataset.graphs()),
        "quads_in_store": len(store),
        "build_seconds": build_seconds,
        "stages": clock.stages,
        "queries": canned_latencies(kg, query_runs) if query_runs else [],
        "incremental": incremental(kg, corpus),
        # the pool's worker processes (mapping, SHACL): the largest of them, over the run
        "workers_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    }


def main() -> None:
    corpus = Path(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    print(json.dumps(run(corpus, runs)))


if __name__ == "__main__":
    main()

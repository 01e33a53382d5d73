"""How long dereferencing takes, in this process against through the query workers.

    .venv/bin/python bench/linked_lookup.py [BUILD_DIR]

For a few IRIs (a person, an act, a report, the most linked place and event, a concept) it times
the bounded description (``KnowledgeGraph.describe_job``) and the page's neighbourhood
(``page_job``) evaluated directly on the in-memory pyoxigraph store and through the
:class:`~kzgraph.sparql.workers.WorkerPool` the server uses, and prints the median of each and
their ratio (docs/decisions/0007-linked-data.md records the figures).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from kzgraph.core import KnowledgeGraph
from kzgraph.settings import Settings
from kzgraph.sparql.workers import Job, Outcome, WorkerPool, evaluate

IRIS = [
    "id/person/zhanbolat-mamay",
    "id/act/mamay-conviction-2023",
    "id/report/hrw-world-report-2024",
    "id/place/kazakhstan",
    "id/event/january-2022-events",
    "vocab/role/journalist",
]
ROUNDS = 7


def median_ms(run: Callable[[Job], Outcome], job: Job) -> float:
    times = []
    for _ in range(ROUNDS):
        started = time.perf_counter()
        outcome = run(job)
        times.append((time.perf_counter() - started) * 1000)
        assert outcome.error is None, outcome.message
    return statistics.median(times)


def main() -> None:
    build = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("build")
    kg = KnowledgeGraph(Settings(build_dir=build))
    store = kg.open_store().oxigraph
    pool = WorkerPool(store, 1)
    pool.start()
    try:
        print(f"{'iri':38} {'job':9} {'direct ms':>10} {'workers ms':>11} {'ratio':>6}")
        for path in IRIS:
            iri = kg.settings.base_iri + path
            for name, job in (
                ("describe", kg.describe_job(iri, "application/n-triples")),
                ("page", kg.page_job(iri)),
            ):
                direct = median_ms(lambda j: evaluate(store, j), job)
                pooled = median_ms(lambda j: pool.run(j, 30.0), job)
                print(f"{path:38} {name:9} {direct:10.1f} {pooled:11.1f} {pooled / direct:6.2f}")
    finally:
        pool.close()


if __name__ == "__main__":
    main()

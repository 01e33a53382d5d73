"""Leave-one-out accuracy of `kzgraph draft`: precision and recall per kind of fact.

Each report in data/reports is drafted from its source text, with the other reports (and
data/entities.yaml minus the entities only that report refers to) as the known graph, and the
draft is scored against the curated file (the matching rule is in kzgraph.draft.score).

    .venv/bin/python bench/draft_accuracy.py [--sources ../shared/seeds] [--data data] [--report ID]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from kzgraph.annotations import load_annotations
from kzgraph.draft.extract import extract
from kzgraph.draft.gazetteer import KnownGraph
from kzgraph.draft.score import KINDS, Score, gold_for, score, spellings
from kzgraph.draft.source import read_source

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    parser.add_argument("--report", action="append", help="only this report id (repeatable)")
    args = parser.parse_args()
    if not args.sources.is_dir():
        print(f"draft_accuracy: {args.sources} not found (the source texts)", file=sys.stderr)
        return 2
    aset = load_annotations(args.data)
    names = spellings(aset)
    total = {k: Score(k) for k in KINDS}
    rows = []
    began = time.perf_counter()
    for rid, report in sorted(aset.reports.items()):
        if args.report and rid not in args.report:
            continue
        known = KnownGraph.from_data(args.data, leave_out=rid)
        found = extract(read_source(args.sources / report.meta.source), known)
        scores = score(found, gold_for(aset, rid), names)
        for k in KINDS:
            total[k].add(scores[k])
        rows.append((rid, scores))
    elapsed = time.perf_counter() - began
    print("| report | " + " | ".join(KINDS) + " |")
    print("|---|" + "---|" * len(KINDS))
    for rid, scores in rows:
        cells = [f"{scores[k].precision:.2f} / {scores[k].recall:.2f}" for k in KINDS]
        print(f"| {rid} | " + " | ".join(cells) + " |")
    print()
    print("| kind | drafted | curated | precision | recall | F1 |")
    print("|---|---|---|---|---|---|")
    for k in KINDS:
        s = total[k]
        f1 = 2 * s.precision * s.recall / (s.precision + s.recall) if s.precision + s.recall else 0
        print(f"| {k} | {s.predicted} | {s.gold} | {s.precision:.2f} | {s.recall:.2f} | {f1:.2f} |")
    acts = total["date/act"]
    print(
        f"\ndates: of {acts.found} matched acts, {acts.dated} are dated in both the draft and "
        f"the curated file, and {acts.dates_agree} of those agree (same year; same month when "
        "both give one)"
    )
    print(
        f"\n{len(rows)} report(s) drafted and scored in {elapsed:.1f} s (cells: precision / recall)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Markdown tables of a benchmark run (printed, and written next to the JSON results)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

NO_CACHE = "kzgraph, no answer cache"  # bench.__main__ measures kzgraph with and without it


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    def cell(value: object) -> str:
        if isinstance(value, float):
            if value != value:  # NaN
                return "n/a"
            return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs else float("nan")


def stages_table(runs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for size, run in runs.items():
        b = run["build"]
        for st in b["stages"]:
            rows.append(
                [size, st["stage"], st["seconds"], st.get("cpu_seconds", ""), st["peak_mib"]]
            )
        rows.append(
            [
                size,
                "**full build**",
                b["build_seconds"],
                "",
                max(s["peak_mib"] for s in b["stages"]),
            ]
        )
        inc = b.get("incremental")
        if inc:  # one report changed, built again (docs/decisions/0026)
            for st in inc["stages"]:
                rows.append([size, st["stage"], st["seconds"], st["cpu_seconds"], st["peak_mib"]])
            u = inc["units"]
            rows.append(
                [
                    size,
                    f"**incremental build** ({u['mapped']} of {u['units']} units mapped)",
                    inc["build_seconds"],
                    "",
                    max(s["peak_mib"] for s in inc["stages"]),
                ]
            )
    return table(["size", "stage", "wall s", "CPU s", "peak RSS MiB"], rows)


def sizes_table(runs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for size, run in runs.items():
        c = run["corpus"]
        rows.append(
            [
                size,
                c["reports"],
                c["countries"],
                c["years"],
                run["build"]["triples"],
                run["build"]["quads_in_store"],
            ]
        )
    return table(["size", "reports", "countries", "years", "triples built", "quads in store"], rows)


def queries_table(runs: dict[str, dict[str, Any]]) -> str:
    sizes = list(runs)
    names = [q["query"] for q in next(iter(runs.values()))["build"]["queries"]]
    rows = []
    for name in names:
        row: list[object] = [name]
        for size in sizes:
            q = next(q for q in runs[size]["build"]["queries"] if q["query"] == name)
            row += [q["p50_ms"], q["p99_ms"], q["rows"]]
        rows.append(row)
    header = ["query"]
    for size in sizes:
        header += [f"{size} p50 ms", f"{size} p99 ms", f"{size} rows"]
    return table(header, rows)


def http_table(runs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for size, run in runs.items():
        servers = run["http"]
        ours = servers.get("kzgraph", {})
        for name, result in servers.items():
            row: list[object] = [size, name, result["start_seconds"]]
            for kind in ("lookup", "aggregate"):
                load = result.get(kind)
                if load is None:
                    row += ["skipped", "", "", ""]
                    continue
                mine = ours.get(kind)
                row += [
                    load["rate"],
                    load["p50_ms"],
                    load["p99_ms"],
                    ""
                    if name.startswith("kzgraph") or not mine
                    else f"{ratio(mine['rate'], load['rate']):.2f}x",
                ]
            rows.append(row)
    return table(
        [
            "size",
            "server",
            "start s",
            "lookup req/s",
            "lookup p50 ms",
            "lookup p99 ms",
            "ours/theirs",
            "aggregate req/s",
            "aggregate p50 ms",
            "aggregate p99 ms",
            "ours/theirs",
        ],
        rows,
    )


def targets_table(result: dict[str, Any]) -> str:
    """Issue 7's targets against the figures of this run."""
    runs = result["sizes"]
    rows: list[list[object]] = []
    for size, run in runs.items():
        servers = run["http"]
        # issue 7's rows compare evaluation: the server without its answer cache, when measured
        ours = servers.get(NO_CACHE) or servers.get("kzgraph", {})
        for peer, want in (("oxigraph serve", 0.8), ("rdflib-endpoint", 10.0)):
            if peer not in servers:
                continue
            for kind in ("lookup", "aggregate"):
                got = ratio(ours[kind]["rate"], servers[peer][kind]["rate"])
                rows.append(
                    [f"{size}: {kind} throughput >= {want:g}x {peer}", f"{got:.2f}x", got >= want]
                )
    largest = list(runs)[-1]
    p50s = [q["p50_ms"] for q in runs[largest]["build"]["queries"]]
    under = sum(1 for p in p50s if p < 100)
    rows.append(
        [
            f"{largest}: canned queries p50 < 100 ms, evaluated (no cache)",
            f"{under} of {len(p50s)} (slowest {max(p50s):,.0f} ms)",
            under == len(p50s),
        ]
    )
    rows += build_targets(runs)
    rows += speed_targets(runs)
    start = result.get("real_start_seconds")
    if start is not None:
        rows.append(["serve start on the real graph < 3 s", f"{start:.2f} s", start < 3])
    return table(["target", "measured", "met"], [[a, b, "yes" if c else "no"] for a, b, c in rows])


def speed_targets(runs: dict[str, dict[str, Any]]) -> list[list[object]]:
    """Issue 15's faster answers: lookups with every request evaluated (no answer cache) and
    repeated (answered from the cache), against oxigraph serve; canned queries at the largest
    size, evaluated and as served (docs/decisions/0027-faster-answers.md)."""
    rows: list[list[object]] = []
    for size, run in runs.items():
        servers = run["http"]
        peer = servers.get("oxigraph serve")
        if peer is None:
            continue
        for name, label, want in ((NO_CACHE, "uncached", 0.5), ("kzgraph", "repeated", 0.8)):
            if name in servers:
                mine = servers[name]["lookup"]
                got = ratio(mine["rate"], peer["lookup"]["rate"])
                measured = f"{got:.2f}x"
                cpu = mine.get("cpu_us_per_request")
                peer_cpu = peer["lookup"].get("cpu_us_per_request")
                if cpu and peer_cpu:
                    measured += f" (server CPU per request: {cpu / peer_cpu:.1f}x oxigraph's)"
                label = f"{size}: lookup {label} >= {want:g}x oxigraph serve"
                rows.append([label, measured, got >= want])
    largest = list(runs)[-1]
    served = runs[largest]["http"].get("kzgraph", {}).get("canned_served")
    if served:
        p50s = [q["p50_ms"] for q in served]
        under = sum(1 for p in p50s if p < 100)
        firsts = [q["first_ms"] for q in served]
        rows.append(
            [
                f"{largest}: canned p50 < 100 ms, served (answer cache)",
                f"{under} of {len(p50s)} (slowest {max(p50s):,.0f} ms; first request: "
                f"{sum(1 for f in firsts if f < 100)} under 100 ms, slowest {max(firsts):,.0f} ms)",
                under == len(p50s),
            ]
        )
    return rows


def build_targets(runs: dict[str, dict[str, Any]]) -> list[list[object]]:
    """Issue 15's build targets: a cold 1M build, one changed report in 1M to new answers
    ("incremental"), the 10M build in time and memory (when run)."""
    rows: list[list[object]] = []
    if "1m" in runs:
        b = runs["1m"]["build"]
        rows.append(
            ["1m: cold build <= 60 s", f"{b['build_seconds']:,.0f} s", b["build_seconds"] <= 60]
        )
        inc = b.get("incremental")
        if inc:
            took = inc["to_answers_seconds"]
            rows.append(
                [
                    "incremental: one changed report in 1m, to new answers <= 5 s",
                    f"{took:,.1f} s ({inc['units']['mapped']} of {inc['units']['units']} units)",
                    took <= 5,
                ]
            )
    if "10m" in runs:
        b = runs["10m"]["build"]
        peak = max(s["peak_mib"] for s in b["stages"]) / 1024
        ok = b["build_seconds"] <= 900 and peak <= 16
        rows.append(
            [
                "10m: build <= 15 min, peak RSS <= 16 GiB",
                f"{b['build_seconds'] / 60:,.1f} min, {peak:.1f} GiB",
                ok,
            ]
        )
    return rows


def cpu_table(runs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for size, run in runs.items():
        for name, result in run["http"].items():
            row: list[object] = [size, name]
            for kind in ("lookup", "aggregate"):
                cpu = (result.get(kind) or {}).get("cpu_us_per_request")
                row.append(float("nan") if cpu is None else cpu)
            rows.append(row)
    return table(["size", "server", "lookup CPU us/request", "aggregate CPU us/request"], rows)


def served_table(runs: dict[str, dict[str, Any]]) -> str:
    rows = []
    for size, run in runs.items():
        for q in run["http"].get("kzgraph", {}).get("canned_served", []):
            rows.append(
                [
                    size,
                    q["query"],
                    q["first_ms"],
                    "yes" if q["first_from_cache"] else "no",
                    q["p50_ms"],
                ]
            )
    return table(["size", "query", "first request ms", "first from cache", "p50 ms after"], rows)


def render(result: dict[str, Any]) -> str:
    runs = result["sizes"]
    parts = [
        f"Machine: {result['machine']}",
        f"Load average at start: {result['load_before']}; at end: {result['load_after']}",
        f"HTTP: {result['clients']} concurrent clients, {result['seconds']} s per query kind",
        "",
        "### Targets (issues 7 and 15)",
        targets_table(result),
        "",
        "### Corpora",
        sizes_table(runs),
        "",
        "### Build stages (wall time, peak resident memory of the build process)",
        stages_table(runs),
        "",
        "### Canned queries over the store (in process, evaluation + JSON)",
        queries_table(runs),
        "",
        "### HTTP, same queries, same N-Quads",
        http_table(runs),
        "",
        "### Server CPU per request (all the server's processes; steady on a shared machine)",
        cpu_table(runs),
        "",
        "### Canned queries served by kzgraph over HTTP (`/queries/NAME.json`, answer cache on)",
        served_table(runs),
    ]
    if result.get("real_start_seconds") is not None:
        parts += [
            "",
            f"`kzgraph serve` start on the real graph: {result['real_start_seconds']:.2f} s",
        ]
    return "\n".join(parts) + "\n"

"""The three SPARQL servers under test, each a real process on loopback over the same N-Quads:
``kzgraph serve``, ``oxigraph serve`` (in memory, the N-Quads POSTed to its store) and
``rdflib-endpoint serve``. Start time is from spawning the process to the first good answer
(for oxigraph, until the data is loaded)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BIN = Path(sys.executable).parent
REPO = Path(__file__).resolve().parent.parent


@dataclass
class Running:
    name: str
    endpoint: str  # the SPARQL query URL
    start_seconds: float
    process: subprocess.Popen[bytes]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} exited with {process.returncode} before {url}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except urllib.error.HTTPError as exc:
            raise RuntimeError(f"{url} answered {exc.code}: is this the right URL?") from exc
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not answer within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group this benchmark started (the server and any workers it forked)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _spawn(args: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        args,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@contextlib.contextmanager
def kzgraph(
    build_dir: Path,
    timeout: float = 300,
    workers: int | None = None,
    settings: dict[str, str] | None = None,
) -> Iterator[Running]:
    port = free_port()
    env = {
        "KZGRAPH_BUILD_DIR": str(build_dir),
        "KZGRAPH_ONTOLOGY_DIR": str(REPO / "ontology"),
        "KZGRAPH_QUERIES_DIR": str(REPO / "queries"),
        "KZGRAPH_QUERY_TIMEOUT": "120",
        # the benchmark's clients share one address and measure raw speed: no per-client
        # budget, no slow lane (docs/decisions/0016; bench/abuse.py measures those)
        "KZGRAPH_CLIENT_BUDGET": "1e9",
        "KZGRAPH_CLIENT_CONCURRENCY": "1000",
        "KZGRAPH_SLOW_AFTER": "1e9",
    }
    if workers is not None:
        env["KZGRAPH_WORKERS"] = str(workers)
    env.update({f"KZGRAPH_{k.upper()}": v for k, v in (settings or {}).items()})
    t0 = time.perf_counter()
    process = _spawn([str(BIN / "kzgraph"), "serve", "--port", str(port)], env)
    try:
        _wait(f"http://127.0.0.1:{port}/health", process, timeout)
        yield Running(
            "kzgraph", f"http://127.0.0.1:{port}/sparql", time.perf_counter() - t0, process
        )
    finally:
        _stop(process)


@contextlib.contextmanager
def oxigraph(nquads: Path, timeout: float = 300) -> Iterator[Running]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    process = _spawn(
        [str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    )
    try:
        _wait(f"{base}/query?query=ASK%7B%7D", process, timeout)
        with nquads.open("rb") as body:
            request = urllib.request.Request(
                f"{base}/store",
                data=body,
                method="POST",
                headers={
                    "Content-Type": "application/n-quads",
                    "Content-Length": str(nquads.stat().st_size),
                },
            )
            with urllib.request.urlopen(request, timeout=timeout) as response:
                response.read()
        yield Running("oxigraph serve", f"{base}/query", time.perf_counter() - t0, process)
    finally:
        _stop(process)


@contextlib.contextmanager
def rdflib_endpoint(nquads: Path, timeout: float = 900) -> Iterator[Running]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    t0 = time.perf_counter()
    process = _spawn(
        [
            str(BIN / "rdflib-endpoint"),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            str(nquads),
        ]
    )
    try:
        _wait(f"{base}/?query=ASK%7B%7D", process, timeout)
        yield Running("rdflib-endpoint", f"{base}/", time.perf_counter() - t0, process)
    finally:
        _stop(process)

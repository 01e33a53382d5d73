"""The remote-store setups of the benchmark: ``kzgraph serve`` over ``oxigraph serve`` and over
Virtuoso 7, each loaded by ``kzgraph push`` through the Graph Store Protocol (what a deployment
does). Virtuoso runs from its own ``virtuoso.ini`` in a temporary folder on
free loopback ports (the tests start it the same way: tests/virtuoso.py) and is stopped by its
process id; it dies with the process that started it."""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from bench import servers

USER = PASSWORD = "dba"  # a fresh Virtuoso database's administrator
# No plug-ins, no outbound mail or proxy, result sets far above any answer of ours (Virtuoso's
# default, 10,000 rows, would cut answers silently: kzgraph's own row limit applies instead), and
# no refusal by the optimiser's cost estimate (it refused canned queries that answer in
# milliseconds, estimating hours): the deadline is kzgraph's KZGRAPH_QUERY_TIMEOUT.
INI = """[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
AllowOSCalls = 0
DirsAllowed = {db}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2
[HTTPServer]
ServerPort = 127.0.0.1:{http}
ServerRoot = {db}/vsp
MaxClientConnections = 10
ServerThreads = 10
HTTPProxyEnabled = 0
EnabledDavVSP = 0
Charset = UTF-8
EnabledGzipContent = 0
[SPARQL]
ResultSetMaxRows = 10000000
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime = 60
"""


def _die_with_parent() -> None:
    """In the child: be killed when the process that started it dies, however it dies (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _answers(base: str) -> bool:
    data = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    try:
        with urllib.request.urlopen(f"{base}/sparql", data=data, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


@contextlib.contextmanager
def virtuoso_process(folder: Path, binary: str, within: float = 90.0) -> Iterator[tuple[str, int]]:
    """``virtuoso-t -f -c INI`` with its files in ``folder``: its base URL and process id, once
    ``/sparql`` answers; stopped (then killed) on the way out, whatever happened."""
    (folder / "vsp").mkdir(parents=True, exist_ok=True)
    http, sql = servers.free_port(), servers.free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(INI.format(db=folder, http=http, sql=sql))
    base = f"http://127.0.0.1:{http}"
    log_path = folder / "stdout.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [binary, "-f", "-c", str(ini)],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        try:
            deadline = time.monotonic() + within
            while not _answers(base):
                if process.poll() is not None or time.monotonic() > deadline:
                    error_log = folder / "virtuoso.log"
                    text = error_log.read_text() if error_log.exists() else ""
                    raise RuntimeError(
                        f"virtuoso did not start within {within:g} s:\n"
                        + log_path.read_text()
                        + text[-3000:]
                    )
                time.sleep(0.25)
            yield base, process.pid
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def virtuoso_settings(base: str) -> dict[str, str]:
    return {
        "store": f"{base}/sparql {base}/sparql-auth",
        "store_engine": "virtuoso",
        "store_graphs": f"{base}/sparql-graph-crud-auth",
        "store_user": USER,
        "store_password": PASSWORD,
    }


def _push(build_dir: Path, settings: dict[str, str]) -> None:
    env = {
        **os.environ,
        "KZGRAPH_BUILD_DIR": str(build_dir),
        "KZGRAPH_ONTOLOGY_DIR": str(servers.REPO / "ontology"),
        "KZGRAPH_QUERIES_DIR": str(servers.REPO / "queries"),
        **{f"KZGRAPH_{k.upper()}": v for k, v in settings.items()},
    }
    subprocess.run(
        [sys.executable, "-m", "kzgraph.cli", "push"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
        timeout=3600,
    )


@contextlib.contextmanager
def _oxigraph_store(folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    port = servers.free_port()
    base = f"http://127.0.0.1:{port}"
    binary = str(servers.BIN / "oxigraph")
    process = servers._spawn(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"]
    )
    try:
        servers._wait(f"{base}/query?query=ASK%7B%7D", process, 120)
        yield base, {"store": f"{base}/query {base}/update", "store_graphs": f"{base}/store"}
    finally:
        servers._stop(process)


@contextlib.contextmanager
def _virtuoso_store(folder: Path) -> Iterator[tuple[str, dict[str, str]]]:
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("virtuoso-t is missing: bash scripts/system-deps.sh")
    with virtuoso_process(folder, binary) as (base, _):
        yield base, virtuoso_settings(base)


STORES = {"oxigraph serve": _oxigraph_store, "Virtuoso": _virtuoso_store}


@contextlib.contextmanager
def kzgraph_over(store: str, build_dir: Path) -> Iterator[servers.Running]:
    """``kzgraph serve`` over ``store`` ("oxigraph serve" or "Virtuoso"), pushed from the build;
    start time is from starting the store to kzgraph's first answer, the push included."""
    t0 = time.perf_counter()
    with contextlib.ExitStack() as stack:
        folder = stack.enter_context(tempfile.TemporaryDirectory(prefix="kzgraph-bench-store-"))
        _, settings = stack.enter_context(STORES[store](Path(folder)))
        _push(build_dir, settings)
        running = stack.enter_context(servers.kzgraph(build_dir, settings=settings))
        yield servers.Running(
            f"kzgraph over {store}", running.endpoint, time.perf_counter() - t0, running.process
        )

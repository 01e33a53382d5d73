"""Virtuoso 7 (Debian's ``virtuoso-opensource``, installed by ``scripts/system-deps.sh``) for the
remote-store tests: ``virtuoso-t -f -c INI`` with its database, HTTP and SQL ports in a temporary
folder on free 127.0.0.1 ports, stopped by its process id (and killed with the test process, so
none is left behind). The fresh database's administrator is dba/dba: kzgraph writes through the
digest-protected ``/sparql-auth`` (updates) and ``/sparql-graph-crud-auth`` (Graph Store) with
``KZGRAPH_STORE_USER``/``KZGRAPH_STORE_PASSWORD``; the public ``/sparql`` only reads."""

from __future__ import annotations

import ctypes
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kzgraph.store.client import Endpoint, StoreError
from kzgraph.store.engines import ENGINES

from .server import free_port, stop
from .system_tools import require

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


@dataclass(frozen=True)
class Virtuoso:
    base: str  # http://127.0.0.1:PORT
    pid: int

    @property
    def store(self) -> str:
        """KZGRAPH_STORE: the public query URL and the digest-protected update URL."""
        return f"{self.base}/sparql {self.base}/sparql-auth"

    @property
    def graph_store(self) -> str:
        return f"{self.base}/sparql-graph-crud-auth"

    def settings(self) -> dict[str, str]:
        """The KZGRAPH_STORE_* settings for this server, as environment variables."""
        return {
            "KZGRAPH_STORE": self.store,
            "KZGRAPH_STORE_ENGINE": "virtuoso",
            "KZGRAPH_STORE_GRAPHS": self.graph_store,
            "KZGRAPH_STORE_USER": USER,
            "KZGRAPH_STORE_PASSWORD": PASSWORD,
        }


def _die_with_parent() -> None:
    """In the child: be killed when the test process dies, however it dies (Linux)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def virtuoso_binary() -> str:
    found = shutil.which("virtuoso-t")
    if found is None:
        require("virtuoso", ["virtuoso-t"], "virtuoso-opensource")
        raise AssertionError("unreachable")
    return found


@contextmanager
def running_virtuoso(folder: Path, within: float = 90.0) -> Iterator[Virtuoso]:
    binary = virtuoso_binary()
    (folder / "vsp").mkdir(parents=True, exist_ok=True)
    http, sql = free_port(), free_port()
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
            engine = ENGINES["virtuoso"]
            while True:
                try:
                    engine.query(Endpoint(f"{base}/sparql"), "ASK {}", "*/*", 5).close()
                    break
                except (StoreError, TimeoutError):
                    if process.poll() is not None or time.monotonic() > deadline:
                        error_log = folder / "virtuoso.log"
                        text = error_log.read_text() if error_log.exists() else ""
                        raise RuntimeError(
                            f"virtuoso did not start within {within:g} s:\n"
                            + log_path.read_text()
                            + text[-3000:]
                        ) from None
                    time.sleep(0.25)
            yield Virtuoso(base, process.pid)
        finally:
            stop(process)
